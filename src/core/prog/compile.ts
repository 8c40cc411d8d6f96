/**
 * Turns the source form of a program body ({@link SrcStmt}) into the parsed form ({@link Stmt}).
 *
 * Expressions are parsed by jsep (with the assignment plugin) and the jsep tree is converted
 * into our small {@link Expr} union; anything outside the C-like subset we model is rejected
 * with a message that says why. Nothing is ever evaluated as JavaScript.
 *
 * Calls (BPF helpers and kfuncs) must stand alone, as a statement or as the value of an
 * assignment, so that the interpreter can step through them one at a time.
 */
import assignmentPlugin from '@jsep-plugin/assignment';
import type { AssignmentExpression, UpdateExpression } from '@jsep-plugin/assignment';
import jsep from 'jsep';
import {
  subExprs,
  type BinaryOp,
  type Expr,
  type LValue,
  type SrcStmt,
  type Stmt,
  type StmtPath,
  type UnaryOp,
} from './ast';

/**
 * Why a statement did not compile.
 *
 * `path` locates the statement (`[2, 'then', 0]`; a `for` body is `'do'`). `column`, when the
 * parser knows it, is a 0-based offset into the source string the error came from: the
 * statement string itself, the `if` condition string, or the `for` header string.
 */
export type CompileError = { path: StmtPath; message: string; column?: number };

/** A call expression. */
export type CallExpr = Extract<Expr, { type: 'call' }>;

/** A call found in a body, and the statement that makes it. */
export interface CallSite {
  readonly call: CallExpr;
  readonly path: StmtPath;
}

/** The outcome of {@link compileBody}. */
export type CompileResult = { ok: true; stmts: Stmt[] } | { ok: false; errors: CompileError[] };

// ---------------------------------------------------------------------------------------------
// jsep configuration. jsep's configuration is process-wide: do it once, at module load, and only
// in ways that are idempotent (plugins are registered by name, `&` is added only if missing).

const INT_RE = /^(0[xX][0-9a-fA-F]+|0|[1-9][0-9]*)([uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?$/;

/**
 * A `gobble-token` hook that reads every token starting with a digit as a C integer literal:
 * decimal or hex, with an optional `u`/`l`/`ll` suffix. Floats, octal and malformed numbers are
 * rejected here, where the position is still known.
 */
function gobbleIntegerLiteral(this: jsep.HookScope, env: { node?: jsep.Expression }): void {
  const start = this.index;
  const code = this.expr.charCodeAt(start);
  if (!(code >= 48 && code <= 57)) return; // not a digit (NaN at the end of input)
  const run = /^[0-9A-Za-z_$.]*/.exec(this.expr.slice(start))?.[0] ?? '';
  const m = INT_RE.exec(run);
  if (!m) {
    const isHex = /^0[xX]/.test(run);
    let message: string;
    if (run.includes('.') || (!isHex && /^[0-9]+[eE]/.test(run))) {
      message = `floating-point literals are not supported (BPF has no floats): ${run}`;
    } else if (/^0[0-9]+$/.test(run)) {
      message = `octal literals are not supported; write ${run} in decimal or hex`;
    } else {
      message = `invalid number literal ${run}`;
    }
    this.throwError(message);
  }
  const digits = m[1] ?? run;
  const value = isHexDigits(digits) ? Number.parseInt(digits.slice(2), 16) : Number(digits);
  if (!Number.isSafeInteger(value)) {
    this.throwError(`integer literal ${run} is too large (the limit is 2^53 - 1)`);
  }
  this.index = start + run.length;
  env.node = { type: 'Literal', value, raw: run };
}

function isHexDigits(digits: string): boolean {
  return digits.startsWith('0x') || digits.startsWith('0X');
}

const intLiteralPlugin: jsep.IPlugin = {
  name: 'structops-int-literal',
  init(): void {
    jsep.hooks.add('gobble-token', gobbleIntegerLiteral);
  },
};

jsep.plugins.register(assignmentPlugin, intLiteralPlugin);
if (!Object.hasOwn(jsep.unary_ops, '&')) jsep.addUnaryOp('&');

// ---------------------------------------------------------------------------------------------
// jsep tree → Expr.

/** A conversion failure inside one expression; caught at the statement boundary. */
class ConvertError extends Error {
  readonly column: number | undefined;
  constructor(message: string, column?: number) {
    super(message);
    this.column = column;
  }
}

const BINARY_OPS: ReadonlySet<string> = new Set<BinaryOp>([
  '+',
  '-',
  '*',
  '/',
  '%',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '&&',
  '||',
  '&',
  '|',
  '^',
  '<<',
  '>>',
]);

const UNARY_OPS: ReadonlySet<string> = new Set<UnaryOp>(['-', '!', '~', '&']);

const ASSIGN_OPS = ['=', '+=', '-=', '|=', '&='] as const;
type AssignOp = (typeof ASSIGN_OPS)[number];

const BINARY_HINTS: Readonly<Record<string, string>> = {
  '===': "use '=='",
  '!==': "use '!='",
  '>>>': "use '>>'",
  '**': 'there is no power operator in C',
  '??': 'there is no nullish operator in C',
};

const NESTED_CALL = 'calls must stand alone as a statement or as the value of an assignment';

const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether calls may appear at this point of an expression. */
type CallMode = 'any' | 'none';

function isBinaryOp(op: string): op is BinaryOp {
  return BINARY_OPS.has(op);
}

function isUnaryOp(op: string): op is UnaryOp {
  return UNARY_OPS.has(op);
}

function isAssignOp(op: string): op is AssignOp {
  return (ASSIGN_OPS as readonly string[]).includes(op);
}

/** A few words naming what a jsep node is, for messages. */
function describe(node: jsep.Expression): string {
  switch (node.type) {
    case 'Identifier':
      return `'${(node as jsep.Identifier).name}'`;
    case 'Literal':
      return 'a constant';
    case 'MemberExpression':
      return (node as jsep.MemberExpression).computed ? 'an array element' : 'a field';
    case 'CallExpression':
      return 'a call';
    case 'UnaryExpression':
    case 'BinaryExpression':
      return `a '${String((node as jsep.BinaryExpression).operator)}' expression`;
    case 'ConditionalExpression':
      return 'a ?: expression';
    default:
      return 'that expression';
  }
}

/** Parses `text` with jsep; errors carry `offset + index` as their column. */
function parseJsep(text: string, offset: number): jsep.Expression {
  let node: jsep.Expression;
  try {
    node = jsep(text);
  } catch (e: unknown) {
    const description =
      e instanceof Error && 'description' in e && typeof e.description === 'string'
        ? e.description
        : e instanceof Error
          ? e.message
          : String(e);
    const index = e instanceof Error && 'index' in e && typeof e.index === 'number' ? e.index : -1;
    const hint = text.includes('->') ? " (use '.' for fields, not '->')" : '';
    throw new ConvertError(`${description}${hint}`, index >= 0 ? offset + index : undefined);
  }
  if (node.type === 'Compound') {
    const body = (node as jsep.Compound).body;
    if (body.length === 0) throw new ConvertError('empty expression');
    const first = body[0];
    if (first?.type === 'Identifier' && (first as jsep.Identifier).name === 'new') {
      throw new ConvertError("'new' is not supported");
    }
    throw new ConvertError(
      `expected one expression, found ${body.length} (a missing operator, or ',' or ';'?)`,
    );
  }
  return node;
}

function checkIdent(name: string): string {
  if (!IDENT_RE.test(name)) {
    throw new ConvertError(`'${name}' is not a C identifier`);
  }
  return name;
}

function convertCall(node: jsep.CallExpression, mode: CallMode): CallExpr {
  const callee = node.callee;
  if (callee.type !== 'Identifier') {
    throw new ConvertError(`only a named function can be called, not ${describe(callee)}`);
  }
  const name = checkIdent((callee as jsep.Identifier).name);
  if (name === 'NULL') throw new ConvertError('NULL cannot be called');
  return { type: 'call', callee: name, args: node.arguments.map((a) => convertExpr(a, mode)) };
}

/** Whether `&` can take the address of this node. */
function isAddressable(node: jsep.Expression): boolean {
  if (node.type === 'MemberExpression') return true;
  return node.type === 'Identifier' && (node as jsep.Identifier).name !== 'NULL';
}

function convertExpr(node: jsep.Expression, mode: CallMode): Expr {
  switch (node.type) {
    case 'Literal': {
      const lit = node as jsep.Literal;
      if (typeof lit.value === 'string') return { type: 'str', value: lit.value };
      if (typeof lit.value === 'number') {
        if (!Number.isSafeInteger(lit.value) || !/^[0-9]/.test(lit.raw)) {
          throw new ConvertError(
            `floating-point literals are not supported (BPF has no floats): ${lit.raw}`,
          );
        }
        return { type: 'num', value: lit.value };
      }
      if (lit.value === null) throw new ConvertError("'null' is not C: use NULL");
      if (typeof lit.value === 'boolean') {
        throw new ConvertError(`'${lit.raw}' is not supported: use 1 or 0`);
      }
      throw new ConvertError(`unsupported literal ${lit.raw}`);
    }
    case 'Identifier': {
      const name = checkIdent((node as jsep.Identifier).name);
      return name === 'NULL' ? { type: 'null' } : { type: 'ident', name };
    }
    case 'MemberExpression': {
      const mem = node as jsep.MemberExpression;
      if (mem.optional === true) throw new ConvertError("'?.' is not supported");
      const object = convertExpr(mem.object, mode);
      if (mem.computed) return { type: 'index', object, index: convertExpr(mem.property, mode) };
      if (mem.property.type !== 'Identifier') {
        throw new ConvertError('a field name must be an identifier');
      }
      return {
        type: 'member',
        object,
        property: checkIdent((mem.property as jsep.Identifier).name),
      };
    }
    case 'UnaryExpression': {
      const un = node as jsep.UnaryExpression;
      if (!isUnaryOp(un.operator)) {
        throw new ConvertError(`unary '${un.operator}' is not supported`);
      }
      if (un.operator === '&' && !isAddressable(un.argument)) {
        throw new ConvertError(
          `'&' needs a variable, a field or an array element, not ${describe(un.argument)}`,
        );
      }
      return { type: 'unary', op: un.operator, arg: convertExpr(un.argument, mode) };
    }
    case 'BinaryExpression': {
      const bin = node as jsep.BinaryExpression;
      if (!isBinaryOp(bin.operator)) {
        const hint = BINARY_HINTS[bin.operator];
        throw new ConvertError(
          `operator '${bin.operator}' is not supported${hint === undefined ? '' : `: ${hint}`}`,
        );
      }
      return {
        type: 'binary',
        op: bin.operator,
        left: convertExpr(bin.left, mode),
        right: convertExpr(bin.right, mode),
      };
    }
    case 'ConditionalExpression': {
      const c = node as jsep.ConditionalExpression;
      return {
        type: 'cond',
        test: convertExpr(c.test, mode),
        then: convertExpr(c.consequent, mode),
        else: convertExpr(c.alternate, mode),
      };
    }
    case 'CallExpression': {
      if (mode === 'none') {
        const callee = (node as jsep.CallExpression).callee;
        const name = callee.type === 'Identifier' ? `${(callee as jsep.Identifier).name}(...)` : '';
        throw new ConvertError(`${NESTED_CALL}${name === '' ? '' : ` (${name} is nested)`}`);
      }
      return convertCall(node as jsep.CallExpression, mode);
    }
    case 'AssignmentExpression':
      throw new ConvertError(
        `assignment ('${String((node as AssignmentExpression).operator)}') must be a whole statement; use '==' to compare`,
      );
    case 'UpdateExpression':
      throw new ConvertError(
        `'${String((node as UpdateExpression).operator)}' must be a whole statement`,
      );
    case 'ThisExpression':
      throw new ConvertError("'this' is not supported");
    case 'ArrayExpression':
      throw new ConvertError('array literals are not supported');
    case 'SequenceExpression':
    case 'Compound':
      throw new ConvertError('the comma operator is not supported');
    default:
      throw new ConvertError(`unsupported expression (${node.type})`);
  }
}

function toLValue(node: jsep.Expression): LValue {
  if (node.type === 'Identifier') {
    const name = checkIdent((node as jsep.Identifier).name);
    if (name === 'NULL') throw new ConvertError('cannot assign to NULL');
    return { type: 'ident', name };
  }
  if (node.type === 'MemberExpression') {
    const mem = node as jsep.MemberExpression;
    if (mem.computed && mem.optional !== true) {
      return {
        type: 'index',
        object: convertExpr(mem.object, 'none'),
        index: convertExpr(mem.property, 'none'),
      };
    }
    throw new ConvertError(
      'cannot assign to a field: the target must be a variable or an array element a[i]',
    );
  }
  throw new ConvertError(
    `cannot assign to ${describe(node)}: the target must be a variable or an array element a[i]`,
  );
}

/** Runs `f`, turning a {@link ConvertError} into a {@link CompileError} at `path`. */
function attempt<T>(path: StmtPath, errors: CompileError[], f: () => T): T | null {
  try {
    return f();
  } catch (e: unknown) {
    if (!(e instanceof ConvertError)) throw e;
    errors.push(
      e.column === undefined
        ? { path, message: e.message }
        : { path, message: e.message, column: e.column },
    );
    return null;
  }
}

/**
 * Parses one C-like expression into an {@link Expr}.
 *
 * Supports integer literals (decimal, hex, with `u`/`l` suffixes), string literals, `NULL`,
 * identifiers, `a.b`, `a[i]`, unary `- ! ~ &`, the C binary operators, `?:` and calls of named
 * functions (anywhere: the stand-alone rule for calls is a statement rule, see
 * {@link compileBody}). Anything else is a {@link CompileError} with an empty path.
 */
export function parseExpr(text: string): Expr | CompileError {
  const errors: CompileError[] = [];
  const expr = attempt([], errors, () => convertExpr(parseJsep(text, 0), 'any'));
  return expr ?? errors[0] ?? { path: [], message: 'cannot parse expression' };
}

/** Whether a {@link parseExpr} result is an error. */
export function isCompileError(r: Expr | CompileError): r is CompileError {
  return !('type' in r);
}

// ---------------------------------------------------------------------------------------------
// Statements.

const RETURN_RE = /^return(?![A-Za-z0-9_$])/;

function compileString(text: string, path: StmtPath, errors: CompileError[]): Stmt | null {
  const src = text.trim();
  if (src === '') {
    errors.push({ path, message: 'empty statement' });
    return null;
  }
  const lead = text.length - text.trimStart().length;
  if (RETURN_RE.test(text.slice(lead))) {
    const at = lead + 'return'.length;
    const rest = text.slice(at);
    if (/^[\s;]*$/.test(rest)) return { kind: 'return', value: null, src };
    return attempt(path, errors, () => ({
      kind: 'return',
      value: convertExpr(parseJsep(rest, at), 'none'),
      src,
    }));
  }
  return attempt(path, errors, (): Stmt => {
    const node = parseJsep(text, 0);
    switch (node.type) {
      case 'AssignmentExpression': {
        const a = node as AssignmentExpression;
        if (!isAssignOp(a.operator)) {
          throw new ConvertError(
            `operator '${a.operator}' is not supported (use ${ASSIGN_OPS.join(' ')})`,
          );
        }
        const target = toLValue(a.left);
        const value =
          a.right.type === 'CallExpression'
            ? convertCall(a.right as jsep.CallExpression, 'none')
            : convertExpr(a.right, 'none');
        return { kind: 'assign', target, op: a.operator, value, src };
      }
      case 'UpdateExpression': {
        const u = node as UpdateExpression;
        return { kind: 'update', target: toLValue(u.argument), op: u.operator, src };
      }
      case 'CallExpression':
        return { kind: 'call', call: convertCall(node as jsep.CallExpression, 'none'), src };
      default: {
        // Convert first so that an unsupported operator is reported as such.
        convertExpr(node, 'none');
        const eq =
          node.type === 'BinaryExpression' && (node as jsep.BinaryExpression).operator === '==';
        throw new ConvertError(
          `a statement must be an assignment, ++/--, a call or return; this one computes a value and drops it${eq ? " (did you mean '='?)" : ''}`,
        );
      }
    }
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/** Reports keys of `obj` outside `allowed`; returns whether there were none. */
function checkKeys(
  obj: Record<string, unknown>,
  allowed: readonly string[],
  what: string,
  path: StmtPath,
  errors: CompileError[],
): boolean {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  for (const k of unknown) {
    errors.push({
      path,
      message: `unknown key '${k}' in ${what} statement (allowed: ${allowed.join(', ')})`,
    });
  }
  return unknown.length === 0;
}

/** Compiles a nested block held under `key`; reports a missing or non-array value. */
function compileBlock(
  obj: Record<string, unknown>,
  key: 'then' | 'else' | 'do',
  required: boolean,
  path: StmtPath,
  errors: CompileError[],
): Stmt[] | null {
  const block = obj[key];
  if (block === undefined && !required) return [];
  if (!Array.isArray(block)) {
    errors.push({
      path,
      message:
        block === undefined
          ? `missing '${key}': an array of statements`
          : `'${key}' must be an array of statements, not ${typeName(block)}`,
    });
    return null;
  }
  return compileList(block, [...path, key], errors);
}

function compileIf(
  obj: Record<string, unknown>,
  path: StmtPath,
  errors: CompileError[],
): Stmt | null {
  const keysOk = checkKeys(obj, ['if', 'then', 'else'], "an 'if'", path, errors);
  const condText = obj['if'];
  let cond: Expr | null = null;
  if (typeof condText !== 'string') {
    errors.push({ path, message: `'if' must be a condition string, not ${typeName(condText)}` });
  } else if (condText.trim() === '') {
    errors.push({ path, message: "empty 'if' condition" });
  } else {
    cond = attempt(path, errors, () => convertExpr(parseJsep(condText, 0), 'none'));
  }
  const then = compileBlock(obj, 'then', true, path, errors);
  const els = compileBlock(obj, 'else', false, path, errors);
  if (!keysOk || cond === null || then === null || els === null || typeof condText !== 'string') {
    return null;
  }
  return { kind: 'if', cond, then, else: els, src: `if (${condText.trim()})` };
}

const FOR_HEAD_RE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+in(?![A-Za-z0-9_$])/;

function compileFor(
  obj: Record<string, unknown>,
  path: StmtPath,
  errors: CompileError[],
): Stmt | null {
  const keysOk = checkKeys(obj, ['for', 'do'], "a 'for'", path, errors);
  const head = obj['for'];
  let parsed: { var: string; from: Expr; to: Expr; src: string } | null = null;
  if (typeof head !== 'string') {
    errors.push({
      path,
      message: `'for' must be a string like "i in 0..4", not ${typeName(head)}`,
    });
  } else {
    parsed = attempt(path, errors, () => {
      const m = FOR_HEAD_RE.exec(head);
      const dots = m ? head.indexOf('..', m[0].length) : -1;
      if (!m || dots < 0 || m[1] === undefined) {
        throw new ConvertError(`a 'for' is written "<var> in <from>..<to>", e.g. "i in 0..4"`);
      }
      const name = m[1];
      if (name === 'NULL') throw new ConvertError('NULL cannot be a loop variable');
      const fromText = head.slice(m[0].length, dots);
      const toText = head.slice(dots + 2);
      if (fromText.trim() === '') throw new ConvertError("missing 'from' before '..'", dots);
      if (toText.trim() === '') throw new ConvertError("missing 'to' after '..'", dots + 2);
      return {
        var: name,
        from: convertExpr(parseJsep(fromText, m[0].length), 'none'),
        to: convertExpr(parseJsep(toText, dots + 2), 'none'),
        src: `for (${name} in ${fromText.trim()}..${toText.trim()})`,
      };
    });
  }
  const body = compileBlock(obj, 'do', true, path, errors);
  if (!keysOk || parsed === null || body === null) return null;
  return { kind: 'for', var: parsed.var, from: parsed.from, to: parsed.to, body, src: parsed.src };
}

function compileStmt(raw: unknown, path: StmtPath, errors: CompileError[]): Stmt | null {
  if (typeof raw === 'string') return compileString(raw, path, errors);
  if (isRecord(raw)) {
    const hasIf = Object.hasOwn(raw, 'if');
    const hasFor = Object.hasOwn(raw, 'for');
    if (hasIf && hasFor) {
      errors.push({ path, message: "a statement object cannot be both an 'if' and a 'for'" });
      return null;
    }
    if (hasIf) return compileIf(raw, path, errors);
    if (hasFor) return compileFor(raw, path, errors);
    const keys = Object.keys(raw);
    errors.push({
      path,
      message: `unknown statement object${keys.length > 0 ? ` with keys ${keys.join(', ')}` : ''}: expected {if, then, else?} or {for, do}`,
    });
    return null;
  }
  errors.push({
    path,
    message: `a statement must be a string or an {if}/{for} object, not ${typeName(raw)}`,
  });
  return null;
}

function compileList(list: readonly unknown[], base: StmtPath, errors: CompileError[]): Stmt[] {
  const out: Stmt[] = [];
  list.forEach((raw, i) => {
    const stmt = compileStmt(raw, [...base, i], errors);
    if (stmt !== null) out.push(stmt);
  });
  return out;
}

/**
 * Compiles a program body. Every statement is checked, and every error is reported (with the
 * path of the statement it is in), not just the first.
 *
 * Statements: `return`, `return <expr>`; `x = e`, `a[i] = e` (also `+= -= |= &=`); `x++`, `x--`,
 * `++x`, `--x`; a bare call `f(a, b)`; `{ if, then, else? }`; `{ for: "i in 0..n", do }`. A call
 * may stand alone or be the whole value of an assignment (`ret = f(x)`); anywhere else it is an
 * error, since the interpreter steps through calls one at a time.
 */
export function compileBody(src: readonly SrcStmt[]): CompileResult {
  const errors: CompileError[] = [];
  if (!Array.isArray(src)) {
    return {
      ok: false,
      errors: [{ path: [], message: 'a program body must be an array of statements' }],
    };
  }
  const stmts = compileList(src, [], errors);
  return errors.length === 0 ? { ok: true, stmts } : { ok: false, errors };
}

// ---------------------------------------------------------------------------------------------
// Walking.

function exprCalls(e: Expr, path: StmtPath, out: CallSite[]): void {
  if (e.type === 'call') out.push({ call: e, path });
  for (const sub of subExprs(e)) exprCalls(sub, path, out);
}

function lvalueCalls(t: LValue, path: StmtPath, out: CallSite[]): void {
  if (t.type === 'index') {
    exprCalls(t.object, path, out);
    exprCalls(t.index, path, out);
  }
}

function walkList(stmts: readonly Stmt[], base: StmtPath, out: CallSite[]): void {
  stmts.forEach((s, i) => {
    const path: StmtPath = [...base, i];
    switch (s.kind) {
      case 'call':
        exprCalls(s.call, path, out);
        return;
      case 'assign':
        lvalueCalls(s.target, path, out);
        exprCalls(s.value, path, out);
        return;
      case 'update':
        lvalueCalls(s.target, path, out);
        return;
      case 'return':
        if (s.value !== null) exprCalls(s.value, path, out);
        return;
      case 'if':
        exprCalls(s.cond, path, out);
        walkList(s.then, [...path, 'then'], out);
        walkList(s.else, [...path, 'else'], out);
        return;
      case 'for':
        exprCalls(s.from, path, out);
        exprCalls(s.to, path, out);
        walkList(s.body, [...path, 'do'], out);
        return;
    }
  });
}

/** Every call in a body, in source order, with the path of the statement that makes it. */
export function walkCalls(stmts: readonly Stmt[]): CallSite[] {
  const out: CallSite[] = [];
  walkList(stmts, [], out);
  return out;
}
