/**
 * Change marks animated with d3 transitions: changed nodes pulse, new edges draw in, and
 * `+1`/`−1` refcount deltas float and fade. The pulse and the deltas move by opacity and
 * transform, which the browser applies without painting the drawing again (a pulse that
 * changed the frame's width would repaint the whole graph on every frame). A new edge draws in
 * by its dashes (a repaint per frame while it draws): fading it in by opacity instead makes the
 * browser composite each new edge's whole bounding box on every frame, which, with the many
 * long edges of the All view, costs twice the raster work. Switched off under `prefers-reduced-motion`
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

/**
 * On an added edge's line (edgeGeometry.ts `edgeLength`) and on a lookup path's segment: its
 * length, what its draw-in dashes by, so that no path is measured (a layout read).
 */
export const LENGTH_ATTRIBUTE = 'data-length';

/**
 * Marks the changes of step `key`: only the elements this step marks are touched (the changed
 * nodes' pulse rings, the added edges' lines, each dashed by the length drawn on it, the
 * deltas). Cut short by the next step, it finishes those same elements at once.
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
      // half drawn and no ring half shown. Only the elements this step marked.
      pulses.interrupt().style('opacity', null);
      lines.interrupt().attr('stroke-dasharray', null).attr('stroke-dashoffset', null);
      deltas.interrupt();
    };
  }, [root, key, durationMs]);
}
