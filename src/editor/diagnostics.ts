/**
 * The parser's problems (1-based line and column) as ranges of the editor's text: where the
 * underline starts and where the token it marks ends.
 */
import type { ScenarioIssue } from '../scenario/parse';

export interface TextDiagnostic {
  readonly from: number;
  readonly to: number;
  readonly severity: 'error';
  readonly message: string;
  /** The issue's place as the problem list shows it (`12:7`). */
  readonly place: string;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r';

/** Offset of the start of each line (`starts[0]` is line 1). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The end of a quoted scalar starting at `from` (after its closing quote), or `end`. */
function quotedEnd(text: string, from: number, end: number): number {
  const q = text[from];
  for (let i = from + 1; i < end; i++) {
    if (q === '"' && text[i] === '\\') i++;
    else if (text[i] === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return end;
}

/**
 * The end of the token at `from`: a quoted scalar up to its closing quote, otherwise up to a
 * blank, a `key:` colon, a flow indicator or a comment. When nothing is there (the column
 * points at blanks), the rest of the line without its trailing blanks.
 */
export function tokenEnd(text: string, from: number, lineEnd: number): number {
  const c = text[from];
  if (c === '"' || c === "'") return quotedEnd(text, from, lineEnd);
  let i = from;
  while (i < lineEnd) {
    const ch = text[i];
    if (isBlank(ch) || ch === ',' || ch === ']' || ch === '}') break;
    if (ch === ':' && (i + 1 >= lineEnd || isBlank(text[i + 1]))) break;
    i++;
  }
  if (i > from) return i;
  let end = lineEnd;
  while (end > from && isBlank(text[end - 1])) end--;
  return end;
}

/** The text range an issue at `line:column` (1-based) marks, clamped to the text. */
export function issueRange(
  text: string,
  starts: readonly number[],
  line: number,
  column: number,
): { from: number; to: number } {
  const li = Math.min(Math.max(1, Math.trunc(line) || 1), starts.length) - 1;
  const start = starts[li] ?? 0;
  const next = starts[li + 1];
  const lineEnd = next === undefined ? text.length : next - 1;
  const from = Math.min(start + Math.max(0, (Math.trunc(column) || 1) - 1), lineEnd);
  return { from, to: tokenEnd(text, from, lineEnd) };
}

/** Every issue as a diagnostic on `text`, in the parser's order. */
export function issuesToDiagnostics(
  text: string,
  issues: readonly ScenarioIssue[],
): TextDiagnostic[] {
  const starts = lineStarts(text);
  return issues.map((i) => ({
    ...issueRange(text, starts, i.line, i.column),
    severity: 'error',
    message: i.message,
    place: `${i.line}:${i.column}`,
  }));
}

/** "No problems", "1 problem", "3 problems". */
export function countProblems(n: number): string {
  return n === 0 ? 'No problems' : n === 1 ? '1 problem' : `${n} problems`;
}
