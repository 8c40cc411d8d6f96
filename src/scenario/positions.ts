/** Where a path into a parsed YAML/JSON document sits in the source text (1-based line:column). */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type Path = readonly (string | number)[];

export interface Position {
  readonly line: number;
  readonly column: number;
}

function child(
  node: unknown,
  seg: string | number,
): { key: Node | null; value: Node | null } | null {
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(k) === String(seg)) {
        return {
          key: (pair.key as Node | null) ?? null,
          value: (pair.value as Node | null) ?? null,
        };
      }
    }
    return null;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const v = node.items[seg];
    return v ? { key: null, value: v as Node } : null;
  }
  return null;
}

/** The deepest node on `path` (the value, or the key when `onKey`), and how far it got. */
export function locate(
  doc: Document,
  path: Path,
  onKey = false,
): { node: Node | null; depth: number } {
  let node: Node | null = (doc.contents as Node | null) ?? null;
  let depth = 0;
  for (const [i, seg] of path.entries()) {
    const next = child(node, seg);
    if (!next) break;
    const last = i === path.length - 1;
    node = last && onKey && next.key ? next.key : (next.value ?? next.key);
    depth = i + 1;
    if (!node) break;
  }
  return { node, depth };
}

/** Line and column of `path` (or of the nearest enclosing node that exists). */
export function positionOf(
  doc: Document,
  lc: LineCounter,
  path: Path,
  opts: { onKey?: boolean; column?: number } = {},
): Position {
  const { node } = locate(doc, path, opts.onKey ?? false);
  const range = node?.range;
  if (!range) return { line: 1, column: 1 };
  let offset = range[0];
  if (opts.column !== undefined && isScalar(node)) {
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    offset += (quoted ? 1 : 0) + opts.column;
  }
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}
