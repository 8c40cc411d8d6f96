/**
 * How deeply YAML text nests, measured before it is parsed. The `yaml` library composes
 * documents recursively: text nested thousands deep (`[[[[…`, `- - - -…`) exhausts the stack,
 * and parsing such text again and again (as an editor does on every change) can bring the whole
 * page down, not only throw. Its lexer does not recurse (nor does its parser, which builds the
 * concrete syntax tree on a stack of its own), so the depth is counted from its tokens.
 */
import {
  Composer,
  CST,
  Document,
  Lexer,
  Parser,
  YAMLParseError,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';

/** The lexer's markers that stand for no source text (document start, scalar, flow error end). */
const MARKERS = new Set(['\u0002', '\u001f', '\u0018']);
const INDICATORS = new Set(['seq-item-ind', 'explicit-key-ind', 'map-value-ind']);

/**
 * Counts how deeply text nests, token by token from the `yaml` lexer: at least the real depth,
 * counting block levels (by indentation), block indicators on a line (`- - x`, `a: b`), and
 * open flow collections (brackets in quotes and comments are not tokens, so they do not count).
 */
export class NestingCounter {
  private readonly indents: number[] = [];
  private flow = 0;
  private onLine = 0;
  private lineStart = true;
  /** The source offset of the next token. */
  private offset = 0;

  constructor(
    private readonly text: string,
    private readonly limit: number,
  ) {}

  /** Takes the next token; the offset where it nests deeper than the limit, or null. */
  take(token: string): number | null {
    const at = this.offset;
    if (!MARKERS.has(token)) this.offset += token.length;
    const type = CST.tokenType(token);
    if (type === 'newline') {
      this.lineStart = true;
      this.onLine = 0;
      return null;
    }
    const { indents } = this;
    if (
      this.lineStart &&
      this.flow === 0 &&
      type !== 'space' &&
      type !== 'comment' &&
      type !== 'doc-mode'
    ) {
      // The line's first token: its column is the block level's indentation.
      const lineBegin = this.text.lastIndexOf('\n', at - 1) + 1;
      const indent = at - lineBegin;
      while (indents.length > 0 && (indents.at(-1) ?? 0) >= indent) indents.pop();
      indents.push(indent);
      this.lineStart = false;
    }
    if (type === 'flow-seq-start' || type === 'flow-map-start') this.flow++;
    else if (type === 'flow-seq-end' || type === 'flow-map-end')
      this.flow = Math.max(0, this.flow - 1);
    // In flow collections (JSON), `:` separates a key from its value: brackets count there.
    else if (this.flow === 0 && type !== null && INDICATORS.has(type)) this.onLine++;
    return indents.length + this.onLine + this.flow > this.limit ? at : null;
  }
}

/** Where `text` first nests deeper than `limit` (a source offset), or null if it never does. */
export function tooDeepAt(text: string, limit: number): number | null {
  const counter = new NestingCounter(text, limit);
  for (const token of new Lexer().lex(text)) {
    const deep = counter.take(token);
    if (deep !== null) return deep;
  }
  return null;
}

/**
 * Parses `text` as one YAML document, as the `yaml` library's `parseDocument` does, lexing it
 * once: each token is counted for depth before the parser takes it, and the document is
 * composed (recursively) only if the text never nests deeper than `limit`. Either the
 * document, or the offset where the text goes too deep.
 */
export function parseNested(
  text: string,
  limit: number,
  options: DocumentOptions & ParseOptions & SchemaOptions,
): { readonly doc: Document } | { readonly tooDeepAt: number } {
  const counter = new NestingCounter(text, limit);
  const parser = new Parser();
  const cst: CST.Token[] = [];
  for (const token of new Lexer().lex(text)) {
    const deep = counter.take(token);
    if (deep !== null) return { tooDeepAt: deep };
    for (const t of parser.next(token)) cst.push(t);
  }
  for (const t of parser.end()) cst.push(t);
  let doc: Document | null = null;
  for (const next of new Composer(options).compose(cst, true, text.length)) {
    if (!doc) doc = next;
    else {
      // What parseDocument says of a second document.
      doc.errors.push(
        new YAMLParseError(
          [next.range[0], next.range[1]],
          'MULTIPLE_DOCS',
          'Source contains multiple documents; please use YAML.parseAllDocuments()',
        ),
      );
      break;
    }
  }
  // compose(…, forceDoc) always gives a document.
  return { doc: doc ?? new Document(undefined, options) };
}
