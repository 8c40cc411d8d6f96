/**
 * A video frame's caption: which step it is, the call and what it returned, why it failed,
 * and the narration, laid out in lines for a band under the graph. Pure: text widths come from
 * a `measure` function (canvas `measureText` in the page, a fixed width per character in
 * tests). Narration is plain text in which `backticked` words are code (as on screen); the
 * drawing puts code in a monospace font. Everything is text, never markup.
 */

/** A run of text in one font: code (monospace) or prose. */
export interface Segment {
  readonly text: string;
  readonly code: boolean;
}

export type CaptionLine = readonly Segment[];

/** The parts of a caption, top to bottom. */
export type CaptionRole = 'kicker' | 'call' | 'reason' | 'say';

export interface FontSpec {
  readonly size: number;
  readonly bold: boolean;
  readonly code: boolean;
}

/** The width in px of `text` drawn in `font`. */
export type Measure = (text: string, font: FontSpec) => number;

/** What one step's caption says. */
export interface StepCaption {
  /** "Step 3 of 9 · chapter". */
  readonly kicker: string;
  /** The call and what it returned (all code), or null. */
  readonly call: string | null;
  /** Why the call failed (prose), or null. */
  readonly reason: string | null;
  /** The narration (prose). */
  readonly say: string;
}

export interface CaptionBlock {
  readonly role: CaptionRole;
  readonly lines: readonly CaptionLine[];
}

export interface CaptionLayout {
  /** The base font size, px (the narration's). */
  readonly size: number;
  readonly blocks: readonly CaptionBlock[];
  /** The band height these lines need, px. */
  readonly height: number;
}

/** Each role's size (× the base size), weight and line height (× its own size). */
export const ROLE_STYLE: Readonly<
  Record<CaptionRole, { readonly scale: number; readonly bold: boolean; readonly leading: number }>
> = {
  kicker: { scale: 0.72, bold: true, leading: 1.3 },
  call: { scale: 0.9, bold: true, leading: 1.3 },
  reason: { scale: 1, bold: false, leading: 1.3 },
  say: { scale: 1, bold: false, leading: 1.3 },
};

/** Space above and below the text, and between blocks, × the base size. */
export const PAD_Y = 0.6;
export const BLOCK_GAP = 0.3;

/** Code within prose, × the prose size: monospace letters run wide and tall beside prose. */
export const CODE_IN_PROSE = 0.9;

/** The font of a role's text at base size `size`. */
export function fontOf(role: CaptionRole, size: number, code: boolean): FontSpec {
  const s = ROLE_STYLE[role];
  const k = code && role !== 'call' ? CODE_IN_PROSE : 1;
  return { size: Math.round(size * s.scale * k * 10) / 10, bold: s.bold, code };
}

/** A role's line height at base size `size`, px. */
export function lineHeightOf(role: CaptionRole, size: number): number {
  return fontOf(role, size, false).size * ROLE_STYLE[role].leading;
}

/** Prose with `backticked` code, as segments (an unclosed backtick runs to the end). */
export function proseSegments(text: string): Segment[] {
  return text
    .split('`')
    .map((t, i) => ({ text: t, code: i % 2 === 1 }))
    .filter((s) => s.text !== '');
}

/** The text between whitespace, each word possibly of several segments ("`fd`,"). */
function wordsOf(segments: readonly Segment[]): Segment[][] {
  const words: Segment[][] = [];
  let word: Segment[] = [];
  for (const seg of segments) {
    for (const part of seg.text.split(/(\s+)/)) {
      if (part === '') continue;
      if (/^\s+$/.test(part)) {
        if (word.length > 0) words.push(word);
        word = [];
      } else word.push({ text: part, code: seg.code });
    }
  }
  if (word.length > 0) words.push(word);
  return words;
}

/** Adjacent segments in the same font joined. */
function merged(line: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of line) {
    const last = out.at(-1);
    if (last && last.code === s.code)
      out[out.length - 1] = { text: last.text + s.text, code: s.code };
    else out.push(s);
  }
  return out;
}

/** The width of a line of segments. */
export function lineWidth(
  line: readonly Segment[],
  fontFor: (code: boolean) => FontSpec,
  measure: Measure,
): number {
  return line.reduce((w, s) => w + measure(s.text, fontFor(s.code)), 0);
}

/** A word too wide for a line, cut into pieces that fit (by characters). */
function splitWord(
  word: readonly Segment[],
  maxWidth: number,
  fontFor: (code: boolean) => FontSpec,
  measure: Measure,
): Segment[][] {
  const pieces: Segment[][] = [];
  let cur: Segment[] = [];
  let width = 0;
  for (const seg of word) {
    for (const ch of Array.from(seg.text)) {
      const w = measure(ch, fontFor(seg.code));
      if (width + w > maxWidth && cur.length > 0) {
        pieces.push(merged(cur));
        cur = [];
        width = 0;
      }
      cur.push({ text: ch, code: seg.code });
      width += w;
    }
  }
  if (cur.length > 0) pieces.push(merged(cur));
  return pieces;
}

/**
 * Segments wrapped into lines no wider than `maxWidth`: greedily, at whitespace (one space
 * between words), a word wider than a line cut by characters.
 */
export function wrapSegments(
  segments: readonly Segment[],
  maxWidth: number,
  fontFor: (code: boolean) => FontSpec,
  measure: Measure,
): CaptionLine[] {
  const lines: CaptionLine[] = [];
  const space = measure(' ', fontFor(false));
  let line: Segment[] = [];
  let width = 0;
  const flush = () => {
    if (line.length > 0) lines.push(merged(line));
    line = [];
    width = 0;
  };
  for (const word of wordsOf(segments)) {
    const w = lineWidth(word, fontFor, measure);
    if (line.length > 0 && width + space + w <= maxWidth) {
      line.push({ text: ' ', code: false }, ...word);
      width += space + w;
      continue;
    }
    flush();
    if (w <= maxWidth) {
      line.push(...word);
      width = w;
      continue;
    }
    const pieces = splitWord(word, maxWidth, fontFor, measure);
    pieces.slice(0, -1).forEach((p) => lines.push(p));
    const last = pieces.at(-1) ?? [];
    line.push(...last);
    width = lineWidth(last, fontFor, measure);
  }
  flush();
  return lines;
}

/** `line` ending in "…", shortened by characters until it fits `maxWidth`. */
export function withEllipsis(
  line: CaptionLine,
  maxWidth: number,
  fontFor: (code: boolean) => FontSpec,
  measure: Measure,
): CaptionLine {
  const chars = line.flatMap((s) => Array.from(s.text).map((c) => ({ text: c, code: s.code })));
  const lastCode = chars.at(-1)?.code ?? false;
  for (let n = chars.length; n >= 0; n--) {
    const head = chars.slice(0, n);
    while (head.length > 0 && /\s/.test(head.at(-1)?.text ?? '')) head.pop();
    const out = merged([...head, { text: '…', code: head.at(-1)?.code ?? lastCode }]);
    if (lineWidth(out, fontFor, measure) <= maxWidth || head.length === 0) return out;
  }
  return [{ text: '…', code: false }];
}

function heightOf(blocks: readonly CaptionBlock[], size: number): number {
  const text = blocks.reduce((h, b) => h + b.lines.length * lineHeightOf(b.role, size), 0);
  return Math.ceil(2 * PAD_Y * size + text + Math.max(0, blocks.length - 1) * BLOCK_GAP * size);
}

/** A caption in lines for text `width` px wide at base size `size` (the kicker on one line). */
export function layoutCaption(
  caption: StepCaption,
  width: number,
  size: number,
  measure: Measure,
): CaptionLayout {
  const parts: [CaptionRole, Segment[]][] = [['kicker', [{ text: caption.kicker, code: false }]]];
  if (caption.call) parts.push(['call', [{ text: caption.call, code: true }]]);
  if (caption.reason) parts.push(['reason', proseSegments(caption.reason)]);
  if (caption.say.trim() !== '') parts.push(['say', proseSegments(caption.say)]);
  const blocks = parts.map(([role, segs]): CaptionBlock => {
    const fontFor = (code: boolean) => fontOf(role, size, code);
    const lines = wrapSegments(segs, width, fontFor, measure);
    const kept =
      role === 'kicker' && lines.length > 1
        ? [withEllipsis(lines[0] ?? [], width, fontFor, measure)]
        : lines;
    return { role, lines: kept };
  });
  return { size, blocks, height: heightOf(blocks, size) };
}

/**
 * `layout` cut to `maxHeight`: lines dropped from the end (the narration first, then the
 * reason, then the call; the kicker stays), the last line kept ending in "…".
 */
export function truncateCaption(
  layout: CaptionLayout,
  maxHeight: number,
  width: number,
  measure: Measure,
): CaptionLayout {
  let blocks = layout.blocks.map((b) => ({ role: b.role, lines: [...b.lines] }));
  let cut: number | null = null;
  while (heightOf(blocks, layout.size) > maxHeight) {
    const i = blocks.findLastIndex((b) => b.role !== 'kicker');
    const b = blocks[i];
    if (i < 0 || !b) break;
    if (b.lines.length > 1) {
      b.lines.pop();
      cut = i;
    } else {
      blocks = blocks.filter((_, k) => k !== i);
      cut = i - 1;
    }
  }
  const last = cut !== null ? blocks[cut] : undefined;
  if (last && last.role !== 'kicker') {
    const fontFor = (code: boolean) => fontOf(last.role, layout.size, code);
    const n = last.lines.length - 1;
    last.lines[n] = withEllipsis(last.lines[n] ?? [], width, fontFor, measure);
  }
  return { size: layout.size, blocks, height: heightOf(blocks, layout.size) };
}

export interface FittedCaptions {
  /** The base font size every caption of the video uses. */
  readonly size: number;
  /** The caption band's height (the same on every frame, so the graph holds still). */
  readonly height: number;
  readonly layouts: readonly CaptionLayout[];
}

/**
 * The captions of a whole video in one size: the largest of `sizes` (largest first) at which
 * every caption fits `maxHeight`; else the smallest, with the captions that do not fit cut
 * (`truncateCaption`). The band is as tall as the tallest caption.
 */
export function fitCaptions(
  captions: readonly StepCaption[],
  width: number,
  maxHeight: number,
  sizes: readonly number[],
  measure: Measure,
): FittedCaptions {
  const smallest = sizes.at(-1) ?? 16;
  for (const size of sizes) {
    const layouts = captions.map((c) => layoutCaption(c, width, size, measure));
    const height = Math.max(0, ...layouts.map((l) => l.height));
    if (height <= maxHeight || size === smallest) {
      const fitted =
        height <= maxHeight
          ? layouts
          : layouts.map((l) =>
              l.height > maxHeight ? truncateCaption(l, maxHeight, width, measure) : l,
            );
      return { size, height: Math.max(0, ...fitted.map((l) => l.height)), layouts: fitted };
    }
  }
  return { size: smallest, height: 0, layouts: [] };
}

/** The base sizes to try for a frame `frameHeight` px high: 30 px down to 20 px at 720p. */
export function captionSizes(frameHeight: number): number[] {
  const k = frameHeight / 720;
  return [30, 28, 26, 24, 22, 20].map((s) => Math.round(s * k));
}

/**
 * A step's caption (`n` as the counter numbers it, of `count`; `entry` null for step 0): the
 * scenario's short `caption` when the step has one, else its reason and full narration.
 */
export function stepCaption(
  n: number,
  count: number,
  entry: {
    readonly chapter: string | null;
    readonly label: string;
    readonly ret: string | null;
    readonly reason: string | null;
    readonly say: string;
    /** The step's short caption: said instead of the narration and the reason. */
    readonly caption?: string | null;
  } | null,
): StepCaption {
  if (!entry || n <= 0)
    return {
      kicker: `Initial state (step 0 of ${count})`,
      call: null,
      reason: null,
      say: 'The kernel has just booted: nothing is loaded.',
    };
  return {
    kicker: `Step ${n} of ${count}${entry.chapter ? ` · ${entry.chapter}` : ''}`,
    call: `${entry.label}${entry.ret !== null ? ` = ${entry.ret}` : ''}`,
    reason: entry.caption ? null : entry.reason,
    say: entry.caption ?? entry.say,
  };
}
