/** Pan and zoom for the graph's SVG (d3-zoom), attached once; React keeps rendering the content. */
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import { useEffect, useRef, type RefObject } from 'react';

export function useZoom(
  svg: RefObject<SVGSVGElement | null>,
  content: RefObject<SVGGElement | null>,
  fitKey: string,
): { reset: () => void } {
  const behaviour = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  useEffect(() => {
    const el = svg.current;
    const g = content.current;
    if (!el || !g) return;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.2, 4])
      .filter((event: Event) =>
        event.type === 'wheel'
          ? (event as WheelEvent).ctrlKey || (event as WheelEvent).metaKey
          : !(event as MouseEvent).button,
      )
      .on('zoom', (event: { transform: { toString(): string } }) => {
        g.setAttribute('transform', event.transform.toString());
      });
    behaviour.current = z;
    select(el).call(z).on('dblclick.zoom', null);
    return () => {
      select(el).on('.zoom', null);
    };
  }, [svg, content]);
  useEffect(() => {
    const el = svg.current;
    if (el && behaviour.current) select(el).call(behaviour.current.transform, zoomIdentity);
  }, [svg, fitKey]);
  return {
    reset: () => {
      const el = svg.current;
      if (el && behaviour.current) select(el).call(behaviour.current.transform, zoomIdentity);
    },
  };
}
