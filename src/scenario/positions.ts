/** Where a path into a parsed YAML/JSON document sits in the source text (1-based line:column). */
import { isMap, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';

/** What turns a source offset into a 1-based line and column (LineIndex, or yaml's LineCounter). */
export interface LinePositions {
  linePos(offset: number): { line: number; col: number };
}

/**
 * Lines and columns straight from the text: a line starts after each line feed, and any offset
 * (even one past the end, or negative) lands on a place that exists. The parser's own counter
 * only knows the line breaks its lexer saw, which drifts on binary or broken input.
 */
export class LineIndex implements LinePositions {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  linePos(offset: number): { line: number; col: number } {
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: at - (this.starts[lo] ?? 0) + 1 };
  }
}

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

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r';
const isWhite = (c: string | undefined): boolean => isSpace(c) || isBreak(c);

/** How many source characters a double-quoted escape (`\n`, `\x41`, `\u00e9`, ...) takes. */
function escapeLength(letter: string | undefined): number {
  return letter === 'x' ? 4 : letter === 'u' ? 6 : letter === 'U' ? 10 : 2;
}

/**
 * The source offset of character `index` of a string scalar's value. The value differs from
 * the source text by quotes, escapes (`\"`, `\\`, `\t`), doubled single quotes, block scalar
 * headers and indentation, and line folding (a line break and the indentation after it become
 * one space or newline): walk both in step, one value character at a time.
 */
export function scalarOffset(source: string, node: Scalar, index: number): number {
  const [start, end] = node.range ?? [0, 0];
  const value = typeof node.value === 'string' ? node.value : String(node.value);
  const double = node.type === Scalar.QUOTE_DOUBLE;
  const single = node.type === Scalar.QUOTE_SINGLE;
  let s = start;
  if (double || single) s += 1;
  else if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    const header = source.indexOf('\n', start);
    s = header < 0 ? end : header + 1;
  }
  const skipVoid = (c: string | undefined) => {
    for (;;) {
      if (double && source[s] === '\\' && isBreak(source[s + 1])) {
        // An escaped line break joins the lines and gives nothing.
        s += 1;
        while (isWhite(source[s]) && s < end) s++;
      } else if (c !== undefined && !isWhite(c) && isWhite(source[s]) && s < end) {
        // Indentation, or what is left of a folded line break.
        while (isWhite(source[s]) && s < end) s++;
      } else return;
    }
  };
  const last = Math.min(index, value.length);
  for (let v = 0; v < last && s < end; v++) {
    const c = value[v];
    skipVoid(c);
    if (double && source[s] === '\\') s += escapeLength(source[s + 1]);
    else if (single && source[s] === "'" && source[s + 1] === "'") s += 2;
    else if (isWhite(c) && isWhite(source[s])) {
      let e = s;
      while (isWhite(source[e]) && e < end) e++;
      // A run with a line break folds into this one character; spaces on a line are literal.
      s = /[\r\n]/.test(source.slice(s, e)) ? e : s + 1;
    } else if (!isWhite(c)) s += 1;
    // Otherwise a value space has no space in the source (folding is ambiguous): stay put.
  }
  skipVoid(value[last]);
  return Math.min(s, Math.max(start, end));
}

/** Line and column of `path` (or of the nearest enclosing node that exists). */
export function positionOf(
  doc: Document,
  lc: LinePositions,
  path: Path,
  opts: { onKey?: boolean; column?: number; source?: string } = {},
): Position {
  const { node } = locate(doc, path, opts.onKey ?? false);
  const range = node?.range;
  if (!range) return { line: 1, column: 1 };
  let offset = range[0];
  if (opts.column !== undefined && isScalar(node)) {
    if (opts.source !== undefined) offset = scalarOffset(opts.source, node, opts.column);
    else {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      offset += (quoted ? 1 : 0) + opts.column;
    }
  }
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}
