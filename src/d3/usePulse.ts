/**
 * Change marks animated with d3 transitions: changed nodes pulse, new edges draw in, and
 * `+1`/`−1` refcount deltas float and fade. Switched off under `prefers-reduced-motion`
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

/** On an added edge's line: its length (edgeGeometry.ts `edgeLength`), what the draw-in dashes by. */
export const LENGTH_ATTRIBUTE = 'data-length';

/**
 * Marks the changes of step `key`: only the elements this step marks are touched (the changed
 * nodes' frames, the added edges' lines, the deltas), each edge dashed by the length drawn on
 * it (never measured: a layout read of the whole graph). Cut short by the next step, it
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
    const frames = select(g)
      .selectAll<SVGRectElement, unknown>('.node-changed > .node-frame')
      .interrupt()
      .attr('stroke-width', 5);
    frames.transition().duration(dur).attr('stroke-width', 2);
    const lines = select(g)
      .selectAll<SVGPathElement, unknown>('.edge-added > path.edge-line')
      .interrupt()
      .each(function () {
        const len = Number(this.getAttribute(LENGTH_ATTRIBUTE) ?? 0);
        select(this).attr('stroke-dasharray', `${len} ${len}`).attr('stroke-dashoffset', len);
      });
    lines
      .transition()
      .duration(dur)
      .attr('stroke-dashoffset', 0)
      .on('end', function () {
        select(this).attr('stroke-dasharray', null).attr('stroke-dashoffset', null);
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
      // half drawn and no frame half thick. Only the elements this step marked.
      frames.interrupt().attr('stroke-width', null);
      lines.interrupt().attr('stroke-dasharray', null).attr('stroke-dashoffset', null);
      deltas.interrupt();
    };
  }, [root, key, durationMs]);
}
