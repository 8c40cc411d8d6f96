/**
 * The graph drawn to fit its box (main view, embed, presentation, speaker view): the objects on
 * screen at this step, as large as the box allows; with `focus`, a camera that follows the
 * step's subject and changes whenever the whole graph would be drawn below `legible` scale
 * (presentation.ts `followCamera`). Measured, then placed by CSS variables (App.css `.fit`).
 */
import { useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { Layout } from '../graph/layout';
import {
  fitCamera,
  followCamera,
  useBoxSize,
  type Rect,
  type StepFocus,
} from '../view/presentation';

type FitStyle = CSSProperties & Record<`--${string}`, string>;

export function FittedGraph({
  layout,
  bounds,
  maxScale,
  legible = 0,
  focus,
  toolbar,
  inset = 0,
  children,
}: {
  layout: Layout;
  bounds: Rect;
  maxScale: number;
  /** The smallest scale at which node titles reach the view's font-size floor. */
  legible?: number;
  /** Follow this step (the whole graph when it is legible); undefined: always the whole graph. */
  focus?: StepFocus | null | undefined;
  /** Controls drawn over the graph's corner (detail level, whole graph). */
  toolbar?: ReactNode;
  /** Px at the top of the box the camera leaves to the toolbar. */
  inset?: number;
  children: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  useBoxSize(box, true, (w, h) => setSize({ w, h }));
  const h = size ? Math.max(size.h - inset, size.h / 2) : 0;
  const placed = !size
    ? null
    : focus !== undefined
      ? followCamera(size.w, h, bounds, focus, layout.width, layout.height, legible, maxScale)
      : fitCamera(size.w, h, bounds, layout.width, layout.height, maxScale);
  const cam = placed && size ? { ...placed, top: placed.top + (size.h - h) } : null;
  const style: FitStyle | undefined = cam
    ? {
        '--fit-w': `${cam.width}px`,
        '--fit-h': `${cam.height}px`,
        '--fit-x': `${cam.left}px`,
        '--fit-y': `${cam.top}px`,
      }
    : undefined;
  return (
    <div
      className="fit"
      ref={box}
      style={style}
      data-scale={cam ? (cam.width / layout.width).toFixed(3) : undefined}
    >
      {children}
      {toolbar}
    </div>
  );
}
