/**
 * The graph as a standalone SVG file that looks like the screen: a deep copy of the live
 * `svg[data-testid="graph"]` with the computed styles inlined (CSS variables resolved), the
 * pan/zoom transform reset, an explicit size and viewBox, a background in the theme's colour,
 * a `<title>`, and a `<metadata>` holding the scenario id and step as JSON. All text goes in
 * through DOM text nodes (escaped by the serializer), never through concatenated markup.
 */
import { downloadBlob } from './download';
import { exportFileName } from './fileName';
import { inlineStyles, type StyleLookup } from './inlineStyles';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface GraphExportInfo {
  readonly scenarioId: string;
  readonly step: number;
  /** The scenario's title, for the file's `<title>`. */
  readonly title?: string;
}

export interface SerializedGraph {
  readonly text: string;
  readonly width: number;
  readonly height: number;
}

/** What goes into `<metadata>` (as JSON). */
export function exportMetadata(info: GraphExportInfo): string {
  return JSON.stringify({
    generator: 'structops-lab',
    scenario: info.scenarioId,
    step: info.step,
    ...(info.title !== undefined ? { title: info.title } : {}),
  });
}

/** The file's `<title>`: `structops-lab: <title>, step <n>`. */
export function exportTitle(info: GraphExportInfo): string {
  return `structops-lab: ${info.title ?? info.scenarioId}, step ${info.step}`;
}

/** `[x, y, w, h]` from a viewBox attribute, or null if it is not four finite numbers. */
export function parseViewBox(value: string | null): [number, number, number, number] | null {
  if (value === null) return null;
  const n = value
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  const [x, y, w, h] = n;
  return n.length === 4 &&
    x !== undefined &&
    y !== undefined &&
    w !== undefined &&
    h !== undefined &&
    n.every(Number.isFinite) &&
    w > 0 &&
    h > 0
    ? [x, y, w, h]
    : null;
}

function lookupOf(el: Element): StyleLookup {
  const cs = getComputedStyle(el);
  return (p) => cs.getPropertyValue(p);
}

/** The theme's background: `--bg` where the graph is, else the page's background, else white. */
function backgroundOf(svg: SVGSVGElement): string {
  const bg = getComputedStyle(svg).getPropertyValue('--bg').trim();
  if (bg !== '') return bg;
  for (let el: Element | null = svg; el; el = el.parentElement) {
    const c = getComputedStyle(el).backgroundColor;
    if (c !== '' && c !== 'transparent' && c !== 'rgba(0, 0, 0, 0)') return c;
  }
  return '#ffffff';
}

export interface GraphClone {
  /** The detached copy, ready to serialize (see the module comment). */
  readonly svg: SVGSVGElement;
  /** Its viewBox: the whole drawing, `[x, y, w, h]`. */
  readonly box: readonly [number, number, number, number];
}

/** The standalone copy of the live graph SVG that the SVG file is made of (module comment). */
export function graphClone(svg: SVGSVGElement, info: GraphExportInfo): GraphClone {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles<Element>(svg, clone, lookupOf);

  // Pan/zoom lives on the root's direct <g> children (the zoom layer): the file shows it all.
  for (const child of Array.from(clone.children)) {
    if (child.tagName.toLowerCase() === 'g') child.removeAttribute('transform');
  }
  // The lanes' titles are drawn where the lanes begin (the view shows it all): what rules
  // them off from the cards passing under them at the top of a view down the lanes goes.
  for (const el of Array.from(clone.querySelectorAll('.lane-head-cover, .lane-head-rule')))
    el.remove();
  // Nor do they follow a view across.
  for (const el of Array.from(clone.querySelectorAll<SVGElement>('.lane-head'))) {
    el.style.removeProperty('--lane-title-dx');
    if (!el.getAttribute('style')) el.removeAttribute('style');
  }
  // Interaction belongs to the page, not to a picture.
  for (const el of Array.from(
    clone.querySelectorAll('[tabindex], [aria-pressed], [role="button"]'),
  )) {
    el.removeAttribute('tabindex');
    el.removeAttribute('aria-pressed');
    if (el.getAttribute('role') === 'button') el.removeAttribute('role');
  }

  let box = parseViewBox(svg.getAttribute('viewBox'));
  if (!box) {
    const b = svg.getBBox();
    box = [b.x, b.y, Math.max(1, b.width), Math.max(1, b.height)];
  }
  clone.setAttribute('role', 'img');
  clone.removeAttribute('aria-label');

  const doc = svg.ownerDocument;
  const bg = doc.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('fill', backgroundOf(svg));
  bg.setAttribute('data-export', 'background');
  const title = doc.createElementNS(SVG_NS, 'title');
  title.append(doc.createTextNode(exportTitle(info)));
  const metadata = doc.createElementNS(SVG_NS, 'metadata');
  metadata.setAttribute('id', 'structops-lab-export');
  metadata.append(doc.createTextNode(exportMetadata(info)));
  clone.prepend(title, metadata, bg);
  const [x, y, w, h] = box;
  setGraphView(clone, { x, y, w, h }, w, h);
  return { svg: clone, box };
}

/**
 * Shows the `view` rectangle (drawing units) of a graph copy at `width` × `height` (its size as
 * an image), the background covering it. `view` and the size should have the same proportions.
 */
export function setGraphView(
  clone: SVGSVGElement,
  view: { readonly x: number; readonly y: number; readonly w: number; readonly h: number },
  width: number,
  height: number,
): void {
  clone.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const bg = clone.querySelector('[data-export="background"]');
  if (!bg) return;
  bg.setAttribute('x', String(view.x));
  bg.setAttribute('y', String(view.y));
  bg.setAttribute('width', String(view.w));
  bg.setAttribute('height', String(view.h));
}

/** A graph copy (./graphClone) as the text of an SVG file. */
export function cloneText(clone: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}

/** Serializes the live graph SVG as a standalone file (see the module comment). */
export function serializeGraph(svg: SVGSVGElement, info: GraphExportInfo): SerializedGraph {
  const { svg: clone, box } = graphClone(svg, info);
  return { text: cloneText(clone), width: box[2], height: box[3] };
}

/** The graph as an SVG Blob and its file name. */
export function graphSvgBlob(
  svg: SVGSVGElement,
  info: GraphExportInfo,
): { blob: Blob; fileName: string } {
  const { text } = serializeGraph(svg, info);
  return {
    blob: new Blob([text], { type: 'image/svg+xml;charset=utf-8' }),
    fileName: exportFileName(info.scenarioId, info.step, 'svg'),
  };
}

/** Saves the graph as `structops-lab_<id>_step-<n>.svg`; returns the file name. */
export function downloadGraphSvg(svg: SVGSVGElement, info: GraphExportInfo): string {
  const { blob, fileName } = graphSvgBlob(svg, info);
  downloadBlob(blob, fileName);
  return fileName;
}
