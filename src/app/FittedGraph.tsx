/**
 * The graph drawn to fit its box (embed, presentation, speaker view): the objects on screen at
 * this step, as large as the box allows. Measured, then placed by CSS variables (App.css `.fit`).
 */
import { useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { Layout } from '../graph/layout';
import { fitCamera, useBoxSize, type Rect } from './presentation';

type FitStyle = CSSProperties & Record<`--${string}`, string>;

export function FittedGraph({
  layout,
  bounds,
  maxScale,
  children,
}: {
  layout: Layout;
  bounds: Rect;
  maxScale: number;
  children: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  useBoxSize(box, true, (w, h) => setSize({ w, h }));
  const cam = size
    ? fitCamera(size.w, size.h, bounds, layout.width, layout.height, maxScale)
    : null;
  const style: FitStyle | undefined = cam
    ? {
        '--fit-w': `${cam.width}px`,
        '--fit-h': `${cam.height}px`,
        '--fit-x': `${cam.left}px`,
        '--fit-y': `${cam.top}px`,
      }
    : undefined;
  return (
    <div className="fit" ref={box} style={style}>
      {children}
    </div>
  );
}
