/**
 * Draws one frame of a video on a canvas: the theme's background, the graph of a step (its
 * copy from the SVG export, shown at the frame's view and rasterized by the browser at the
 * size it is drawn), and the caption band under it, written with canvas text (never markup).
 */
import { loadImage } from './exportPng';
import { cloneText, setGraphView } from './exportSvg';
import {
  BLOCK_GAP,
  PAD_Y,
  fontOf,
  lineHeightOf,
  type CaptionLayout,
  type CaptionRole,
  type FontSpec,
  type Measure,
} from './videoCaption';
import type { FrameLayout } from './videoGeometry';

/** The page's colours and fonts, read once per video. */
export interface FrameTheme {
  readonly background: string;
  readonly band: string;
  readonly rule: string;
  readonly text: string;
  readonly muted: string;
  readonly error: string;
  readonly sans: string;
  readonly mono: string;
}

/** The monospace stack code uses on the page (App.css `code`). */
const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace";

/** The theme on the page now (CSS custom properties of <html>; see App.css). */
export function readFrameTheme(): FrameTheme {
  const root = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => root.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--bg', '#ffffff'),
    band: v('--panel', '#f5f7fa'),
    rule: v('--border', '#c9d1da'),
    text: v('--fg', '#1b1f24'),
    muted: v('--muted', '#4a5360'),
    error: v('--err', '#a1111b'),
    sans: root.fontFamily || 'sans-serif',
    mono: MONO,
  };
}

/** A CSS font for canvas text. */
export function canvasFont(font: FontSpec, theme: FrameTheme): string {
  return `${font.bold ? 700 : 400} ${font.size}px ${font.code ? theme.mono : theme.sans}`;
}

/** A `Measure` backed by a canvas's `measureText` (cached: captions repeat their words). */
export function canvasMeasure(ctx: CanvasRenderingContext2D, theme: FrameTheme): Measure {
  const cache = new Map<string, number>();
  return (text, font) => {
    const css = canvasFont(font, theme);
    const key = `${css}\u0000${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      ctx.font = css;
      w = ctx.measureText(text).width;
      cache.set(key, w);
    }
    return w;
  };
}

const ROLE_COLOUR: Readonly<Record<CaptionRole, keyof FrameTheme>> = {
  kicker: 'muted',
  call: 'text',
  reason: 'error',
  say: 'text',
};

/** The caption's horizontal padding on a frame `width` px wide. */
export function captionPadX(width: number): number {
  return Math.round(width * 0.035);
}

/** Writes a caption in its band. */
export function drawCaption(
  ctx: CanvasRenderingContext2D,
  caption: CaptionLayout,
  band: { readonly x: number; readonly y: number; readonly w: number; readonly h: number },
  theme: FrameTheme,
  measure: Measure,
): void {
  ctx.fillStyle = theme.band;
  ctx.fillRect(band.x, band.y, band.w, band.h);
  ctx.fillStyle = theme.rule;
  ctx.fillRect(band.x, band.y, band.w, Math.max(1, Math.round(band.h / 160)));
  const size = caption.size;
  const left = band.x + captionPadX(band.w);
  let y = band.y + PAD_Y * size;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  caption.blocks.forEach((block, i) => {
    if (i > 0) y += BLOCK_GAP * size;
    const lh = lineHeightOf(block.role, size);
    ctx.fillStyle = theme[ROLE_COLOUR[block.role]];
    for (const line of block.lines) {
      let x = left;
      for (const seg of line) {
        const font = fontOf(block.role, size, seg.code);
        ctx.font = canvasFont(font, theme);
        ctx.fillText(seg.text, x, y + lh / 2);
        x += measure(seg.text, font);
      }
      y += lh;
    }
  });
}

/** The graph copy as an image of exactly its size on the frame. */
export async function graphImage(
  svg: SVGSVGElement,
  layout: FrameLayout,
): Promise<HTMLImageElement> {
  setGraphView(svg, layout.view, layout.graph.w, layout.graph.h);
  const url = URL.createObjectURL(
    new Blob([cloneText(svg)], { type: 'image/svg+xml;charset=utf-8' }),
  );
  try {
    const img = await loadImage(url);
    await img.decode().catch(() => undefined);
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * A whole frame on a new `width` × `height` canvas: background, the step's graph where the
 * layout puts it, and its caption (null: none).
 */
export async function composeFrame(
  svg: SVGSVGElement,
  caption: CaptionLayout | null,
  layout: FrameLayout,
  width: number,
  height: number,
  theme: FrameTheme,
  measure: Measure,
): Promise<HTMLCanvasElement> {
  const img = await graphImage(svg, layout);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas in this browser');
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, width, height);
  const g = layout.graph;
  ctx.drawImage(img, g.x, g.y, g.w, g.h);
  if (caption && layout.band) drawCaption(ctx, caption, layout.band, theme, measure);
  return canvas;
}
