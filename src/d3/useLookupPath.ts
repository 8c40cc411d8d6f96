/**
 * Plays a step's lookup paths (components/StepMarks.tsx) hop by hop: each hop's segment draws
 * from the hop before, then its dot and label appear; the stop cross or the result comes last.
 * Paths play one after another. The step itself is drawn first, in full: this only hides the
 * hops in the same frame and reveals them on d3 timers, so stepping never waits for it. Under
 * `prefers-reduced-motion` (and while the graph is held still for a capture) the whole path
 * shows at once, without movement. The path root says where it is: `data-anim` =
 * `playing` | `done` | `still`. `onHop` lets the kernel pane show each hop's event (its
 * kernel function and line) in step with the drawing.
 */
import { select } from 'd3-selection';
import 'd3-transition';
import { useLayoutEffect, useRef, type RefObject } from 'react';
import { heldStill, LENGTH_ATTRIBUTE, prefersReducedMotion } from './usePulse';

export function useLookupPath(
  root: RefObject<SVGGElement | null>,
  key: string,
  hopMs: number,
  /**
   * Called with a hop's event (its index in the step) as it is drawn, null when done, and the
   * `key` of the step it belongs to (a caller ignores what a step cut short still says).
   */
  onHop?: (event: number | null, key: string) => void,
): void {
  const hopCallback = useRef(onHop);
  hopCallback.current = onHop;
  useLayoutEffect(() => {
    const tell = (event: number | null) => hopCallback.current?.(event, key);
    const g = root.current;
    if (!g) return;
    const paths = select(g).selectAll<SVGGElement, unknown>('.lookup');
    if (paths.empty()) return;
    if (prefersReducedMotion() || heldStill()) {
      paths.attr('data-anim', 'still');
      return;
    }
    const hop = Math.max(80, hopMs);
    let offset = 0;
    paths.each(function () {
      const path = select(this).attr('data-anim', 'playing');
      const hops = path.selectAll<SVGGElement, unknown>('.lookup-hop');
      hops.each(function () {
        const n = Number(this.getAttribute('data-hop') ?? 0);
        const at = offset + n * hop;
        const event = Number(this.getAttribute('data-event') ?? -1);
        const h = select(this).attr('opacity', 0);
        h.transition('lookup')
          .delay(at)
          .duration(hop / 3)
          .attr('opacity', 1)
          .on('start', () => tell(event));
        h.selectAll<SVGPathElement, unknown>('.lookup-seg, .lookup-glow').each(function () {
          // Drawn on the segment (StepMarks): measuring it would make the browser lay out.
          const len = Number(this.getAttribute(LENGTH_ATTRIBUTE) ?? 0);
          select(this)
            .attr('stroke-dasharray', `${len} ${len}`)
            .attr('stroke-dashoffset', len)
            .transition('lookup')
            .delay(at)
            .duration(hop * 0.8)
            .attr('stroke-dashoffset', 0);
        });
      });
      const end = offset + hops.size() * hop;
      path
        .selectAll('.lookup-stop, .lookup-end')
        .attr('opacity', 0)
        .transition('lookup')
        .delay(end)
        .duration(hop / 2)
        .attr('opacity', 1)
        .on('end', () => path.attr('data-anim', 'done'));
      offset = end + hop;
    });
    // The kernel pane follows the hops, then returns to the step's key event.
    select(g)
      .transition('lookup')
      .delay(offset)
      .duration(0)
      .on('end', () => tell(null));
    return () => {
      // Cut short by the next step: finish at once, nothing left half drawn.
      const all = select(g).selectAll(
        '.lookup, .lookup-hop, .lookup-seg, .lookup-glow, .lookup-stop, .lookup-end',
      );
      all.interrupt('lookup');
      select(g).interrupt('lookup');
      tell(null);
      all.attr('opacity', null).attr('stroke-dasharray', null).attr('stroke-dashoffset', null);
    };
  }, [root, key, hopMs]);
}
