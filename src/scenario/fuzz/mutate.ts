/**
 * Hostile variants of scenario text, for fuzzing the parser and the runner: each mutation
 * starts from a real scenario and breaks it the way a stranger's file might (cut short,
 * flipped bytes, values of the wrong type, huge numbers, deep nesting, alias bombs and chains,
 * names every object inherits, odd unicode, binary). Seeded, so a failure can be replayed.
 */

export const MUTATION_KINDS = [
  'truncate',
  'byte-flip',
  'wrong-type',
  'huge-number',
  'deep-nesting',
  'alias-bomb',
  'alias-chain',
  'proto-key',
  'unicode',
  'binary',
  'splice',
] as const;

export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutant {
  readonly kind: MutationKind;
  readonly text: string;
}

/** A small seeded generator (mulberry32): the same seed gives the same mutants. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PROTO_KEYS = [
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__proto__',
  'isPrototypeOf',
  '__defineGetter__',
  'prototype',
] as const;

const WRONG_VALUES = [
  '[]',
  '{}',
  'null',
  '~',
  'true',
  '-1',
  '0.5',
  '"7"',
  '[1, [2]]',
  "''",
  '.nan',
];
const HUGE = ['1e309', '-1e309', '99999999999999999999999', '0x7fffffffffffffff', '1e-400'];
const UNICODE = ['\u0000', '\ufeff', '\u202e', '\ud800', 'é', '\u{1f600}', '\u2028', '\u0085', 'ﬃ'];
const NAME_KEY =
  /^(\s*-?\s*)(object|prog|map|link|member|func|task|name|sched|process|as|old_map|prog_fd|map_fd|struct|section)(:\s*)\S.*$/;

type Rand = () => number;

const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

/** A random line's start and end offsets (without its line break). */
function someLine(r: Rand, text: string): { start: number; end: number } {
  const at = int(r, Math.max(text.length, 1));
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const nl = text.indexOf('\n', at);
  return { start, end: nl < 0 ? text.length : nl };
}

/** Replaces the value after the first `key: ` on a random line (or the line's end). */
function replaceValue(r: Rand, text: string, value: string): string {
  const { start, end } = someLine(r, text);
  const line = text.slice(start, end);
  const colon = line.indexOf(': ');
  const cut = colon < 0 ? line.length : colon + 2;
  return `${text.slice(0, start)}${line.slice(0, cut)}${colon < 0 ? ' ' : ''}${value}${text.slice(end)}`;
}

function protoKey(r: Rand, text: string): string {
  const lines = text.split('\n');
  const named = lines.flatMap((l, i) => (NAME_KEY.test(l) ? [i] : []));
  const key = pick(r, PROTO_KEYS);
  if (named.length > 0 && r() < 0.7) {
    const i = pick(r, named);
    lines[i] = (lines[i] ?? '').replace(NAME_KEY, `$1$2$3${key}`);
    return lines.join('\n');
  }
  // As a mapping key: a new object, program, map, global or step field.
  const { start } = someLine(r, text);
  const indent = /^\s*/.exec(text.slice(start))?.[0] ?? '';
  return `${text.slice(0, start)}${indent}${key}: ${pick(r, ['1', '{}', '[]', 'x'])}\n${text.slice(start)}`;
}

function aliasBomb(r: Rand, text: string): string {
  const rows = ['b0: &b0 [x, x, x, x, x, x, x, x, x]'];
  const levels = 3 + int(r, 8);
  for (let i = 1; i < levels; i++)
    rows.push(
      `b${i}: &b${i} [${Array(9)
        .fill(`*b${i - 1}`)
        .join(', ')}]`,
    );
  return r() < 0.5 ? `${rows.join('\n')}\n${text}` : `${text}\n${rows.join('\n')}\n`;
}

function aliasChain(r: Rand, text: string): string {
  const n = 10 + int(r, 2000);
  const self = r() < 0.5;
  const rows = ['chain:', '  - &a [1]'];
  for (let i = 0; i < n; i++)
    rows.push(self ? '  - &a [*a]' : `  - &a${i + 1} [*a${i === 0 ? '' : i}]`);
  if (r() < 0.3) rows.push('then: *a');
  return `${text}\n${rows.join('\n')}\n`;
}

function deepNesting(r: Rand, text: string): string {
  const depth = 20 + int(r, 3000);
  const flow = r() < 0.5;
  const deep = flow
    ? `${'['.repeat(depth)}1${']'.repeat(r() < 0.8 ? depth : int(r, depth))}`
    : Array.from({ length: Math.min(depth, 400) }, (_, i) => `${' '.repeat(i)}- `).join('\n');
  return replaceValue(r, text, deep);
}

function byteFlip(r: Rand, text: string): string {
  const chars = [...text];
  const n = 1 + int(r, 8);
  for (let k = 0; k < n && chars.length > 0; k++) {
    const i = int(r, chars.length);
    const c = (chars[i] ?? ' ').charCodeAt(0) ^ (1 << int(r, 7));
    chars[i] = String.fromCharCode(c);
  }
  return chars.join('');
}

function binary(r: Rand, text: string): string {
  const n = 16 + int(r, 2048);
  let junk = '';
  for (let i = 0; i < n; i++) junk += String.fromCharCode(int(r, 256));
  if (r() < 0.3) return `\u0089PNG\r\n\u001a\n${junk}`;
  const at = int(r, text.length + 1);
  return `${text.slice(0, at)}${junk}${text.slice(at)}`;
}

function unicode(r: Rand, text: string): string {
  const n = 1 + int(r, 6);
  let out = text;
  for (let k = 0; k < n; k++) {
    const at = int(r, out.length + 1);
    out = `${out.slice(0, at)}${pick(r, UNICODE)}${out.slice(at)}`;
  }
  return out;
}

function splice(r: Rand, text: string, other: string): string {
  const a = someLine(r, text);
  const b = someLine(r, other);
  return `${text.slice(0, a.start)}${other.slice(b.start, b.end)}\n${text.slice(a.start)}`;
}

/** One mutant of `text` (`others`: more scenarios, for splicing lines across files). */
export function mutate(
  r: Rand,
  text: string,
  others: readonly string[] = [],
  kind: MutationKind = pick(r, MUTATION_KINDS),
): Mutant {
  const out = ((): string => {
    switch (kind) {
      case 'truncate':
        return text.slice(0, int(r, text.length + 1));
      case 'byte-flip':
        return byteFlip(r, text);
      case 'wrong-type':
        return replaceValue(r, text, pick(r, WRONG_VALUES));
      case 'huge-number':
        return replaceValue(r, text, pick(r, HUGE));
      case 'deep-nesting':
        return deepNesting(r, text);
      case 'alias-bomb':
        return aliasBomb(r, text);
      case 'alias-chain':
        return aliasChain(r, text);
      case 'proto-key':
        return protoKey(r, text);
      case 'unicode':
        return unicode(r, text);
      case 'binary':
        return binary(r, text);
      case 'splice':
        return splice(r, text, others.length > 0 ? pick(r, others) : text);
    }
  })();
  return { kind, text: out };
}
