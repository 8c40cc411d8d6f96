/**
 * How deeply YAML text nests, measured before it is parsed. The `yaml` library composes
 * documents recursively: text nested thousands deep (`[[[[…`, `- - - -…`) exhausts the stack,
 * and parsing such text again and again (as an editor does on every change) can bring the whole
 * page down, not only throw. Its lexer does not recurse, so the depth is counted from its tokens.
 */
import { CST, Lexer } from 'yaml';

/** The lexer's markers that stand for no source text (document start, scalar, flow error end). */
const MARKERS = new Set(['\u0002', '\u001f', '\u0018']);
const INDICATORS = new Set(['seq-item-ind', 'explicit-key-ind', 'map-value-ind']);

/**
 * Where `text` first nests deeper than `limit` (a source offset), or null if it never does.
 * The depth counted is at least the real one: block levels (by indentation), block indicators
 * on a line (`- - x`, `a: b`), and open flow collections (brackets in quotes and comments are
 * not tokens, so they do not count).
 */
export function tooDeepAt(text: string, limit: number): number | null {
  const indents: number[] = [];
  let flow = 0;
  let onLine = 0;
  let lineStart = true;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    const at = offset;
    if (!MARKERS.has(token)) offset += token.length;
    const type = CST.tokenType(token);
    if (type === 'newline') {
      lineStart = true;
      onLine = 0;
      continue;
    }
    if (lineStart && flow === 0 && type !== 'space' && type !== 'comment' && type !== 'doc-mode') {
      // The line's first token: its column is the block level's indentation.
      const lineBegin = text.lastIndexOf('\n', at - 1) + 1;
      const indent = at - lineBegin;
      while (indents.length > 0 && (indents.at(-1) ?? 0) >= indent) indents.pop();
      indents.push(indent);
      lineStart = false;
    }
    if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    else if (type === 'flow-seq-end' || type === 'flow-map-end') flow = Math.max(0, flow - 1);
    // In flow collections (JSON), `:` separates a key from its value: brackets count there.
    else if (flow === 0 && type !== null && INDICATORS.has(type)) onLine++;
    if (indents.length + onLine + flow > limit) return at;
  }
  return null;
}
