/**
 * The graph drawn to fit its box (embed, presentation, speaker view): the objects on screen at
 * this step, as large as the box allows (or, with `focus`, the part this step changed). Measured, then placed by CSS variables (App.css `.fit`).
 */
import { useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { Layout } from '../graph/layout';
import { fitCamera, focusCamera, useBoxSize, type Rect } from './presentation';

type FitStyle = CSSProperties & Record<`--${string}`, string>;

export function FittedGraph({
  layout,
  bounds,
  maxScale,
  focus,
  children,
}: {
  layout: Layout;
  bounds: Rect;
  maxScale: number;
  /** Presentation: follow this part of the drawing when the whole is too small to read. */
  focus?: Rect | null;
  children: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  useBoxSize(box, true, (w, h) => setSize({ w, h }));
  const cam = !size
    ? null
    : focus !== undefined
      ? focusCamera(size.w, size.h, bounds, focus, layout.width, layout.height, maxScale)
      : fitCamera(size.w, size.h, bounds, layout.width, layout.height, maxScale);
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
