/**
 * A simulated BPF program body as readable C-like lines, each carrying the statement path it
 * shows, so a viewer can highlight the statement an `exec` event points at. Pure: no React.
 *
 * Static subprograms (timer callbacks) come first, as in the BPF source, then the program.
 * `text` has no leading whitespace; `indent` is the nesting depth (0 for a function's header
 * and closing brace, 1 for its top-level statements).
 */
import type { Stmt, StmtPath } from '../core/prog/ast';
import type { ExecPoint } from '../core/tx';
import type { ProgBody } from '../core/types';

export interface ProgramLine {
  readonly text: string;
  /** `main` or the subprogram's name. */
  readonly where: string;
  /** The statement this line shows; `[]` for the function header; null for braces and blanks. */
  readonly path: StmtPath | null;
  readonly indent: number;
}

/** The context argument a program type's entry point receives, as the C function sees it. */
function ctxParam(type: string): string {
  switch (type) {
    case 'BPF_PROG_TYPE_STRUCT_OPS':
    case 'BPF_PROG_TYPE_TRACING':
      return 'unsigned long long *ctx'; // what BPF_PROG(...) expands to
    case 'BPF_PROG_TYPE_KPROBE':
      return 'struct pt_regs *ctx';
    default:
      return 'void *ctx';
  }
}

/** `for (i in 0..n)` (the statement's source) as `for (i = 0; i < n; i++)`. */
function forHeader(s: Extract<Stmt, { kind: 'for' }>): string {
  const m = /^for \(([A-Za-z_]\w*) in (.+)\)$/.exec(s.src);
  const inner = m?.[2];
  const dots = inner?.indexOf('..') ?? -1;
  if (!m || inner === undefined || dots < 0) return s.src;
  const v = m[1] ?? s.var;
  const from = inner.slice(0, dots).trim();
  const to = inner.slice(dots + 2).trim();
  return `for (${v} = ${from}; ${v} < ${to}; ${v}++)`;
}

/** A simple statement's source as a C statement: trailing semicolons normalised to one. */
function simple(src: string): string {
  return `${src.replace(/[\s;]+$/, '')};`;
}

function block(
  out: ProgramLine[],
  stmts: readonly Stmt[],
  base: StmtPath,
  where: string,
  indent: number,
): void {
  stmts.forEach((s, i) => {
    const path: StmtPath = [...base, i];
    switch (s.kind) {
      case 'if': {
        out.push({ text: `${s.src} {`, where, path, indent });
        block(out, s.then, [...path, 'then'], where, indent + 1);
        if (s.else.length > 0) {
          out.push({ text: '} else {', where, path: null, indent });
          block(out, s.else, [...path, 'else'], where, indent + 1);
        }
        out.push({ text: '}', where, path: null, indent });
        return;
      }
      case 'for':
        out.push({ text: `${forHeader(s)} {`, where, path, indent });
        block(out, s.body, [...path, 'do'], where, indent + 1);
        out.push({ text: '}', where, path: null, indent });
        return;
      default:
        out.push({ text: simple(s.src), where, path, indent });
    }
  });
}

function fn(out: ProgramLine[], header: string, where: string, stmts: readonly Stmt[]): void {
  out.push({ text: `${header} {`, where, path: [], indent: 0 });
  block(out, stmts, [], where, 1);
  out.push({ text: '}', where, path: null, indent: 0 });
}

/** The program `name` of type `type` (e.g. `BPF_PROG_TYPE_SYSCALL`) as C-like lines. */
export function programLines(name: string, type: string, body: ProgBody): ProgramLine[] {
  const out: ProgramLine[] = [];
  for (const [sub, stmts] of Object.entries(body.subprogs)) {
    fn(out, `static int ${sub}(void *map, int *key, void *value)`, sub, stmts);
    out.push({ text: '', where: sub, path: null, indent: 0 });
  }
  fn(out, `int ${name}(${ctxParam(type)})`, 'main', body.main);
  return out;
}

function samePath(a: StmtPath, b: StmtPath): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The index of the line showing `exec` (its `where` and statement path; the function header for
 * path `[]`), or -1 when the lines do not contain it.
 */
export function currentLine(lines: readonly ProgramLine[], exec: ExecPoint): number {
  return lines.findIndex(
    (l) => l.where === exec.where && l.path !== null && samePath(l.path, exec.path),
  );
}

/** The lines as one text, `tab` per indent level (for plain-text views and tests). */
export function programText(lines: readonly ProgramLine[], tab = '    '): string {
  return lines.map((l) => (l.text === '' ? '' : `${tab.repeat(l.indent)}${l.text}`)).join('\n');
}
