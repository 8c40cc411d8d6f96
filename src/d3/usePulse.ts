/**
 * Change marks animated with d3 transitions: changed nodes pulse, new edges fade in, and
 * `+1`/`−1` refcount deltas float and fade. Every mark moves by opacity or transform only,
 * which the browser applies without painting the drawing again: a mark that changed a line's
 * width or dashes would repaint the whole graph on every frame of its animation. Switched off under `prefers-reduced-motion`
 * (the marks still show, without movement), and while the page holds the graph still for a
 * capture (`holdStill`: a video export photographs each step as soon as it is drawn).
 */
import { select } from 'd3-selection';
import 'd3-transition';
import { useEffect, type RefObject } from 'react';

export function prefersReducedMotion(): boolean {
  return (
    typeof window !== 'undefined' &&
    window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true
  );
}

/** On <html> while the graph is held still (see `holdStill`). */
export const STILL_ATTRIBUTE = 'data-graph-still';

/** Holds the graph's change marks still (no transitions) while `on`. */
export function holdStill(on: boolean): void {
  document.documentElement.toggleAttribute(STILL_ATTRIBUTE, on);
}

export function heldStill(): boolean {
  return typeof document !== 'undefined' && document.documentElement.hasAttribute(STILL_ATTRIBUTE);
}

/** On a lookup path's segment: its length, what its draw-in dashes by (useLookupPath). */
export const LENGTH_ATTRIBUTE = 'data-length';

/**
 * Marks the changes of step `key`: only the elements this step marks are touched (the changed
 * nodes' pulse rings, the added edges' lines, the deltas). Cut short by the next step, it
 * finishes those same elements at once.
 */
export function usePulse(
  root: RefObject<SVGGElement | null>,
  key: string,
  durationMs: number,
): void {
  useEffect(() => {
    const g = root.current;
    if (!g || prefersReducedMotion() || heldStill()) return;
    const dur = Math.max(60, durationMs);
    const pulses = select(g)
      .selectAll<SVGRectElement, unknown>('.node-changed > .node-pulse')
      .interrupt()
      .style('opacity', 1);
    pulses
      .transition()
      .duration(dur * 2)
      .style('opacity', 0)
      .on('end', function () {
        select(this).style('opacity', null);
      });
    const lines = select(g)
      .selectAll<SVGPathElement, unknown>('.edge-added > path.edge-line')
      .interrupt()
      .style('opacity', 0);
    lines
      .transition()
      .duration(dur)
      .style('opacity', 1)
      .on('end', function () {
        select(this).style('opacity', null);
      });
    const deltas = select(g)
      .selectAll<SVGTextElement, unknown>('.delta')
      .interrupt()
      .attr('opacity', 1)
      .attr('transform', 'translate(0,0)');
    deltas
      .transition()
      .delay(dur)
      .duration(dur * 2)
      .attr('transform', 'translate(0,-8)')
      .attr('opacity', 0.55);
    return () => {
      // Cut short by the next step (or a capture): finish the marks at once, so no edge stays
      // half faded in and no ring half shown. Only the elements this step marked.
      pulses.interrupt().style('opacity', null);
      lines.interrupt().style('opacity', null);
      deltas.interrupt();
    };
  }, [root, key, durationMs]);
}
