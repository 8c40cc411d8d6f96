/**
 * Where the cursor is in a scenario's YAML, for completion: typing a key of some mapping, or
 * the value of some key, and that mapping's path (`steps.3.expect`). Half-typed text rarely
 * parses as meant, so a marker takes the place of the word at the cursor (`mar: 0` in key
 * position, `mar` in value position) and the `yaml` parser says where the marker sits, as
 * language servers for YAML do. Nothing is evaluated; aliases are not followed.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document } from 'yaml';
import { MAX_SCENARIO_BYTES, MAX_SCENARIO_NESTING } from '../scenario/limits';
import { tooDeepAt } from '../scenario/nesting';
import type { Path } from '../scenario/positions';

/** Stands for the word being typed; no scenario has a key or value like it. */
export const CURSOR_MARK = '__structops_lab_cursor__';

/** The characters of a key or plain value the completion replaces. */
export const WORD_CHARS = /^[\w.\-/]*$/;
const WORD_BEFORE = /[\w.\-/]*$/;
const WORD_AFTER = /^[\w.\-/]*/;

/** Only blanks and sequence dashes before the word: a block mapping's key goes there. */
const KEY_LEAD = /^[ \t]*(?:-[ \t]+)*$/;
/** After `{` or `,` in a flow mapping. */
const FLOW_KEY_LEAD = /[{,][ \t]*$/;
/** After `key: ` (not in a comment): that key's value. */
const VALUE_LEAD = /^[^#]*:[ \t]+$/;

export type ScalarEntries = ReadonlyMap<string, unknown>;

export interface YamlCursor {
  /** Typing a key of the mapping at `path`, or the value of the key at `path`. */
  readonly kind: 'key' | 'value';
  readonly path: Path;
  /** The word at the cursor, as offsets of the text: what a completion replaces. */
  readonly from: number;
  readonly to: number;
  /** What is typed of the word, up to the cursor. */
  readonly prefix: string;
  /** Key position: a `:` already follows the word (a key being renamed). */
  readonly keyHasColon: boolean;
  /**
   * The entries of each mapping on the way, scalar values as they are (`op: assoc`), others
   * (and the value being typed) as undefined: `levels[i]` is the node at `path.slice(0, i)`,
   * empty when it is not a mapping. The marker is left out.
   */
  readonly levels: readonly ScalarEntries[];
  /** Key position: the keys the mapping already has. */
  readonly present: ReadonlySet<string>;
  /** The document as parsed with the marker in (for the names it defines). */
  readonly doc: Document;
}

const EMPTY: ScalarEntries = new Map();

function keyText(key: unknown): string | null {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : null;
}

function scalarEntries(map: unknown): ScalarEntries {
  const out = new Map<string, unknown>();
  if (!isMap(map)) return out;
  for (const pair of map.items) {
    const k = keyText(pair.key);
    if (k === null || k === CURSOR_MARK || out.has(k)) continue;
    const v = isScalar(pair.value) ? pair.value.value : undefined;
    out.set(k, v === CURSOR_MARK ? undefined : v);
  }
  return out;
}

function keysOf(map: unknown): Set<string> {
  const out = new Set<string>();
  if (!isMap(map)) return out;
  for (const pair of map.items) {
    const k = keyText(pair.key);
    if (k !== null && k !== CURSOR_MARK) out.add(k);
  }
  return out;
}

/**
 * Where the marker ended up: the path to it, the collections on the way, and whether it is a
 * key. Null when the parser put it somewhere no completion applies (inside a quoted string
 * that runs on, say).
 */
function findMark(
  doc: Document,
): { path: (string | number)[]; levels: ScalarEntries[]; onKey: boolean; map: unknown } | null {
  let found: {
    path: (string | number)[];
    levels: ScalarEntries[];
    onKey: boolean;
    map: unknown;
  } | null = null;
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (node.value !== CURSOR_MARK) return undefined;
      const chain: unknown[] = [...ancestors, node];
      const path: (string | number)[] = [];
      const levels: ScalarEntries[] = [];
      let map: unknown = null;
      for (let i = 0; i < chain.length; i++) {
        const a = chain[i];
        const next = chain[i + 1];
        if (isMap(a)) {
          levels[path.length] = scalarEntries(a);
          map = a;
        } else if (isSeq(a)) {
          levels[path.length] = EMPTY;
          path.push(a.items.indexOf(next as never));
        } else if (isPair(a)) {
          if (next === a.key) break;
          const k = keyText(a.key);
          if (k === null) return visit.BREAK;
          path.push(k);
        }
      }
      found = { path, levels, onKey: key === 'key', map };
      return visit.BREAK;
    },
  });
  return found;
}

/** The completion context at offset `pos` of `text`, or null where none applies. */
export function yamlCursorAt(text: string, pos: number): YamlCursor | null {
  if (text.length > MAX_SCENARIO_BYTES || pos < 0 || pos > text.length) return null;
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const nl = text.indexOf('\n', pos);
  const lineEnd = nl < 0 ? text.length : nl;
  const prefix = WORD_BEFORE.exec(text.slice(lineStart, pos))?.[0] ?? '';
  const from = pos - prefix.length;
  const to = pos + (WORD_AFTER.exec(text.slice(pos, lineEnd))?.[0].length ?? 0);
  const lead = text.slice(lineStart, from);
  const rest = text.slice(to, lineEnd);
  const keyHasColon = /^[ \t]*:/.test(rest);
  let kind: 'key' | 'value';
  if (KEY_LEAD.test(lead) || FLOW_KEY_LEAD.test(lead)) kind = 'key';
  else if (VALUE_LEAD.test(lead)) kind = 'value';
  else return null;
  const mark = kind === 'key' && !keyHasColon ? `${CURSOR_MARK}: 0` : CURSOR_MARK;
  const marked = `${text.slice(0, from)}${mark}${text.slice(to)}`;
  if (tooDeepAt(marked, MAX_SCENARIO_NESTING) !== null) return null;
  let doc: Document;
  let where: ReturnType<typeof findMark>;
  try {
    doc = parseDocument(marked, { uniqueKeys: false, prettyErrors: false });
    where = findMark(doc);
  } catch {
    // Deeply nested input can exhaust the stack: no completion then.
    return null;
  }
  if (!where || where.onKey !== (kind === 'key')) return null;
  return {
    kind,
    path: where.path,
    from,
    to,
    prefix,
    keyHasColon,
    levels: where.levels,
    present: kind === 'key' ? keysOf(where.map) : new Set(),
    doc,
  };
}
