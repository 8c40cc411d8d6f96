/**
 * The graph as a PNG at twice its size: the exported SVG (./exportSvg) drawn into a canvas
 * through an image loaded from a Blob URL, then `canvas.toBlob`.
 */
import { downloadBlob } from './download';
import { serializeGraph, type GraphExportInfo } from './exportSvg';
import { exportFileName } from './fileName';

/** Canvas limits browsers share: 16,384 px a side, 268 M pixels in all (Chrome, Firefox). */
const MAX_SIDE = 16_384;
const MAX_AREA = 268_000_000;

/** The scale to draw at: `wanted`, reduced if the canvas would pass the browsers' limits. */
export function pngScale(width: number, height: number, wanted = 2): number {
  const side = Math.min(MAX_SIDE / width, MAX_SIDE / height);
  const area = Math.sqrt(MAX_AREA / (width * height));
  return Math.max(0.1, Math.min(wanted, side, area));
}

/** An image loaded from `url` (an SVG Blob URL here), rejected if the browser cannot draw it. */
export function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the browser could not draw the SVG'));
    img.src = url;
  });
}

/** Rasterizes SVG text of `width` × `height` at `scale` into a PNG Blob. */
export async function svgToPng(
  text: string,
  width: number,
  height: number,
  wanted = 2,
): Promise<Blob> {
  const scale = pngScale(width, height, wanted);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = await loadImage(url);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas in this browser');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('the canvas made no PNG'))),
        'image/png',
      );
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The graph as a PNG Blob (2×) and its file name. */
export async function graphPngBlob(
  svg: SVGSVGElement,
  info: GraphExportInfo,
  scale = 2,
): Promise<{ blob: Blob; fileName: string }> {
  const { text, width, height } = serializeGraph(svg, info);
  return {
    blob: await svgToPng(text, width, height, scale),
    fileName: exportFileName(info.scenarioId, info.step, 'png'),
  };
}

/** Saves the graph as `structops-lab_<id>_step-<n>.png`; resolves to the file name. */
export async function downloadGraphPng(svg: SVGSVGElement, info: GraphExportInfo): Promise<string> {
  const { blob, fileName } = await graphPngBlob(svg, info);
  downloadBlob(blob, fileName);
  return fileName;
}
