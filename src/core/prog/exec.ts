/**
 * Runs simulated BPF programs: `bpf_prog_run` over the parsed statement set, one `exec` event
 * per statement so a viewer can highlight the line being executed.
 *
 * Semantics kept from BPF: integer arithmetic with division by zero giving 0; NULL is 0;
 * locals start at 0; globals live in the object's `.bss` array map (so programs hold it in
 * `used_maps`); calls go through the verifier-resolved {@link Callable}s, with `__prog`
 * arguments replaced by the aux of the program in effect; a program re-entered through a
 * struct_ops trampoline on the same stack is skipped, as `__bpf_prog_enter_recur` does.
 * A kernel oops (NULL op, freed memory) is recorded in state and ends the run.
 */
import { FILTER_H, STRUCT_OPS_C } from '../files';
import { mapRef, nameOf, progRef } from '../names';
import { mapOf, progOf } from '../objects/access';
import type { ExecPoint, Tx } from '../tx';
import type { Oops, Task, Val } from '../types';
import type { Expr, LValue, Stmt, StmtPath } from './ast';
import type { CallCtx, Resolve } from './kfuncDef';
import { constantValue } from './constants';
import { own } from '../own';

/** Thrown inside a run when the simulated kernel oopses; caught at the run's entry. */
export class ProgAbort {
  constructor(readonly oops: Oops) {}
}

/** A `return` statement ran: the value, handed up through the blocks around it. */
class Return {
  constructor(readonly value: Val) {}
}

/** Programs entered through a struct_ops call and still running, per command (nesting depth). */
const active = new WeakMap<Tx, number[]>();

const MAX_STEPS = 100_000;

/** Nested struct_ops calls allowed before the model declares the kernel stack exhausted. */
const MAX_NESTING = 16;

interface Frame {
  readonly ctx: CallCtx;
  /** The program whose body is running (differs from ctx.prog for callbacks only in name). */
  readonly owner: number;
  readonly where: string;
  readonly locals: Map<string, Val>;
  steps: number;
}

export interface RunResult {
  readonly ret: Val;
  readonly oops: Oops | null;
}

/**
 * Runs `where` (`main` or a callback subprogram) of program `prog` with `ctx.prog`'s aux.
 * Used at the entry points (test run, tracepoint, kprobe, timer); nested struct_ops calls go
 * through {@link callStructOpsMember}. An oops anywhere inside is caught here.
 */
export function runProgram(
  tx: Tx,
  resolve: Resolve,
  prog: number,
  task: Task | null,
  where = 'main',
  auxProg = prog,
): RunResult {
  try {
    const ret = runBody(tx, prog, { tx, resolve, prog: auxProg, task }, where);
    return { ret, oops: null };
  } catch (e) {
    if (e instanceof ProgAbort) return { ret: null, oops: e.oops };
    throw e;
  }
}

function runBody(tx: Tx, owner: number, ctx: CallCtx, where: string): Val {
  const p = progOf(tx.state, owner);
  const body = where === 'main' ? p.body.main : p.body.subprogs[where];
  if (!body) throw new Error(`simulator bug: ${p.name} has no subprogram ${where}`);
  return tx.in('bpf_prog_run', FILTER_H, () => {
    tx.emitUpdate(
      {
        kind: 'exec',
        target: progRef(owner),
        field: 'run_cnt',
        before: p.run_cnt,
        after: p.run_cnt + 1,
        why:
          where === 'main'
            ? `${p.name} runs${ctx.prog !== owner ? ` with the aux of ${nameOf(tx.state, progRef(ctx.prog))}` : ''}.`
            : `Callback ${where} runs with the aux of ${nameOf(tx.state, progRef(ctx.prog))}, the program that set it.`,
        exec: {
          prog: owner,
          where,
          path: [],
          src: where === 'main' ? `${p.name}()` : `${where}()`,
        },
      },
      ['progs', owner, 'run_cnt'],
      (n) => (n as number) + 1,
    );
    const frame: Frame = { ctx, owner, where, locals: new Map(), steps: 0 };
    const r = execBlock(frame, body, []);
    return r ? r.value : 0;
  });
}

/**
 * Where statement `s` runs, as its events carry it: made once per statement and program (a
 * frozen object the events of every run share).
 */
const points = new WeakMap<Stmt, ExecPoint>();

function point(f: Frame, path: StmtPath, s: Stmt): ExecPoint {
  const known = points.get(s);
  if (known && known.prog === f.owner && known.where === f.where && known.path === path)
    return known;
  const p: ExecPoint = Object.freeze({ prog: f.owner, where: f.where, path, src: s.src });
  points.set(s, p);
  return p;
}

/**
 * Each statement's path (`[...base, i]`), made once per statement: programs never change, and
 * the events of every run share the frozen array.
 */
const paths = new WeakMap<Stmt, StmtPath>();

function pathOf(s: Stmt, base: StmtPath, i: number): StmtPath {
  const known = paths.get(s);
  if (known && known.length === base.length + 1 && known[base.length] === i) {
    let same = true;
    for (let j = 0; j < base.length; j++) {
      if (known[j] !== base[j]) {
        same = false;
        break;
      }
    }
    if (same) return known;
  }
  const path = Object.freeze([...base, i]);
  paths.set(s, path);
  return path;
}

/** Runs `stmts` in order; a `return` among them ends the block (and every block around it). */
function execBlock(f: Frame, stmts: readonly Stmt[], base: StmtPath): Return | undefined {
  for (let i = 0; i < stmts.length; i++) {
    const r = execStmt(f, stmts[i] as Stmt, pathOf(stmts[i] as Stmt, base, i));
    if (r) return r;
  }
  return undefined;
}

function execStmt(f: Frame, s: Stmt, path: StmtPath): Return | undefined {
  const tx = f.ctx.tx;
  if (++f.steps > MAX_STEPS)
    throw new Error('simulator bug: verifier let an unbounded program through');
  switch (s.kind) {
    case 'if': {
      const taken = truthy(evalExpr(f, s.cond));
      tx.emit({
        kind: 'exec',
        why: `The condition is ${taken ? 'true' : 'false'}.`,
        exec: point(f, path, s),
      });
      return taken
        ? execBlock(f, s.then, [...path, 'then'])
        : execBlock(f, s.else, [...path, 'else']);
    }
    case 'for': {
      const from = toNum(evalExpr(f, s.from));
      const to = toNum(evalExpr(f, s.to));
      tx.emit({
        kind: 'exec',
        why: `Loop ${s.var} from ${from} to ${to - 1}.`,
        exec: point(f, path, s),
      });
      for (let i = from; i < to; i++) {
        f.locals.set(s.var, i);
        const r = execBlock(f, s.body, [...path, 'do']);
        if (r) return r;
      }
      return undefined;
    }
    case 'return': {
      const value = s.value ? evalExpr(f, s.value) : 0;
      tx.emit({
        kind: 'exec',
        why: `Returns ${show(value)}.`,
        after: show(value),
        exec: point(f, path, s),
      });
      return new Return(value);
    }
    case 'call': {
      tx.emit({ kind: 'exec', why: `Calls ${s.call.callee}.`, exec: point(f, path, s) });
      doCall(f, s.call);
      return;
    }
    case 'assign': {
      tx.emit({ kind: 'exec', why: describeAssign(s), exec: point(f, path, s) });
      const value = s.value.type === 'call' ? doCall(f, s.value) : evalExpr(f, s.value);
      const next = s.op === '=' ? value : combine(s.op, readLValue(f, s.target), value);
      writeLValue(f, s.target, next, s.src);
      return;
    }
    case 'update': {
      tx.emit({ kind: 'exec', why: describeAssign(s), exec: point(f, path, s) });
      const cur = toNum(readLValue(f, s.target));
      writeLValue(f, s.target, s.op === '++' ? cur + 1 : cur - 1, s.src);
      return;
    }
  }
}

/** An assignment's sentence, made once per statement (every run's events share it). */
const assignWhy = new WeakMap<Stmt, string>();

function describeAssign(s: Stmt): string {
  let why = assignWhy.get(s);
  if (why === undefined) {
    why = `Executes \`${s.src}\`.`;
    assignWhy.set(s, why);
  }
  return why;
}

function combine(op: '+=' | '-=' | '|=' | '&=', a: Val, b: Val): number {
  const x = toNum(a);
  const y = toNum(b);
  switch (op) {
    case '+=':
      return x + y;
    case '-=':
      return x - y;
    case '|=':
      return x | y;
    case '&=':
      return x & y;
  }
}

/** The `.bss` map holding this program's globals, if it has one. */
function bssOf(f: Frame): number | null {
  const id = progOf(f.ctx.tx.state, f.owner).aux.map_names['.bss'];
  return id ?? null;
}

function readGlobal(f: Frame, name: string): Val | undefined {
  const bss = bssOf(f);
  if (bss === null) return undefined;
  const entry = mapOf(f.ctx.tx.state, bss).entries['0'];
  return own(entry, name);
}

function readLValue(f: Frame, t: LValue): Val {
  return evalExpr(f, t);
}

function writeLValue(f: Frame, t: LValue, value: Val, src: string): void {
  const tx = f.ctx.tx;
  if (t.type === 'ident') {
    const global = !f.locals.has(t.name) ? readGlobal(f, t.name) : undefined;
    if (global === undefined) {
      f.locals.set(t.name, value);
      return;
    }
    writeGlobal(f, t.name, null, value, src);
    return;
  }
  const index = toNum(evalExpr(f, t.index));
  if (
    t.object.type === 'ident' &&
    !f.locals.has(t.object.name) &&
    readGlobal(f, t.object.name) !== undefined
  ) {
    writeGlobal(f, t.object.name, index, value, src);
    return;
  }
  const arr = evalExpr(f, t.object);
  if (Array.isArray(arr) && t.object.type === 'ident') {
    const copy = [...(arr as readonly number[])];
    copy[index] = toNum(value);
    f.locals.set(t.object.name, copy);
    return;
  }
  tx.emit({
    kind: 'check',
    why: `\`${src}\` writes through something that is not an array; ignored.`,
  });
}

function writeGlobal(f: Frame, name: string, index: number | null, value: Val, src: string): void {
  const tx = f.ctx.tx;
  const bss = bssOf(f);
  if (bss === null) return;
  const cur = readGlobal(f, name);
  let next: Val = value;
  let before: string = show(cur ?? 0);
  let field = name;
  if (index !== null) {
    const arr = Array.isArray(cur) ? [...(cur as readonly number[])] : [];
    before = show(arr[index] ?? 0);
    arr[index] = toNum(value);
    next = arr;
    field = `${name}[${index}]`;
  }
  tx.emitUpdate(
    {
      kind: 'value',
      target: mapRef(bss),
      field,
      before,
      after: show(index === null ? next : value),
      why: `\`${src}\` writes the global ${field} in ${mapOf(tx.state, bss).name}.`,
    },
    ['maps', bss, 'entries', '0'],
    () => ({ ...(mapOf(tx.state, bss).entries['0'] ?? {}), [name]: next }),
  );
}

function doCall(f: Frame, call: Extract<Expr, { type: 'call' }>): Val {
  const tx = f.ctx.tx;
  const callee = f.ctx.resolve(call.callee);
  if (!callee) throw new Error(`simulator bug: verifier let unknown ${call.callee} through`);
  const args = call.args.map((a, i): Val => {
    const param = callee.params[i];
    // fixup_kfunc_call: whatever the program passed, the argument is env->prog->aux.
    if (param?.kind === 'prog') return f.ctx.prog;
    if (param?.kind === 'callback' && a.type === 'ident') return a.name;
    return evalExpr(f, a);
  });
  const ret = tx.in(call.callee, callee.file, () => callee.impl(f.ctx, args));
  tx.emit({ kind: 'return', why: `${call.callee} returns ${show(ret)}.`, after: show(ret) });
  return ret;
}

/**
 * `st->member(args)` from kernel code (a kfunc, or sched_ext calling an op): runs the program
 * in that slot of the map's kdata, with its own aux. A map whose kdata was never filled (INIT)
 * has a NULL function pointer there, and a freed map is freed memory: both oops.
 */
export function callStructOpsMember(ctx: CallCtx, map: number, member: string): Val {
  const tx = ctx.tx;
  const m = mapOf(tx.state, map);
  if (m.lifecycle === 'freed') {
    oops(
      ctx,
      'use-after-free',
      `st->${member}() through a pointer to freed struct_ops map ${m.name}`,
    );
  }
  const prog = own(m.st?.kdata.funcs, member) ?? null;
  if (prog === null) {
    oops(
      ctx,
      'NULL pointer dereference',
      `st->${member}() of ${m.name}: the function pointer is NULL (map state ${m.st?.state ?? 'n/a'}; kdata is filled only by a successful update)`,
    );
  }
  const stack = active.get(tx) ?? [];
  active.set(tx, stack);
  // struct_ops trampolines do not skip a nested run of the same program (bpf_prog_check_recur
  // is false for struct_ops unless the JIT uses a private stack), so unbounded recursion is
  // the program's own bug: the selftests guard with a `recur` global. The model stops it as
  // the kernel would end up: out of stack [inferred; depth limit is the model's].
  if (stack.length >= MAX_NESTING) {
    oops(
      ctx,
      'kernel stack overflow',
      `st->${member}() nested ${stack.length} deep through ${nameOf(tx.state, progRef(prog))}`,
    );
  }
  stack.push(prog);
  try {
    return tx.in(`bpf_struct_ops_${member}`, STRUCT_OPS_C, () =>
      runBody(tx, prog, { tx, resolve: ctx.resolve, prog, task: ctx.task }, 'main'),
    );
  } finally {
    stack.pop();
  }
}

/** Records a kernel oops and ends the current run. Never returns. */
export function oops(ctx: CallCtx, kind: Oops['kind'], msg: string): never {
  const tx = ctx.tx;
  const o: Oops = { at: tx.state.now, kind, msg, prog: ctx.prog };
  tx.emit(
    {
      kind: 'oops',
      target: progRef(ctx.prog),
      field: 'oops',
      before: null,
      after: kind,
      why: `BUG: ${kind}: ${msg}.`,
    },
    (d) => {
      d.oopses.push(o);
      d.dmesg.push({ at: o.at, msg: `BUG: ${kind}: ${msg}` });
    },
  );
  throw new ProgAbort(o);
}

function evalExpr(f: Frame, e: Expr): Val {
  switch (e.type) {
    case 'num':
    case 'str':
      return e.value;
    case 'null':
      return null;
    case 'ident':
      return readIdent(f, e.name);
    case 'member':
      return readMember(f, evalExpr(f, e.object), e.property);
    case 'index': {
      const obj = evalExpr(f, e.object);
      const i = toNum(evalExpr(f, e.index));
      return Array.isArray(obj) ? ((obj as readonly number[])[i] ?? 0) : 0;
    }
    case 'unary': {
      if (e.op === '&') {
        if (e.arg.type === 'ident') {
          const map = own(progOf(f.ctx.tx.state, f.owner).aux.map_names, e.arg.name);
          return map !== undefined ? { ptr: 'map', map } : { ptr: 'stack', name: e.arg.name };
        }
        return evalExpr(f, e.arg);
      }
      const v = evalExpr(f, e.arg);
      if (e.op === '!') return truthy(v) ? 0 : 1;
      if (e.op === '-') return -toNum(v);
      return ~toNum(v);
    }
    case 'binary':
      return binary(f, e.op, e.left, e.right);
    case 'cond':
      return truthy(evalExpr(f, e.test)) ? evalExpr(f, e.then) : evalExpr(f, e.else);
    case 'call':
      throw new Error('simulator bug: nested call reached the interpreter');
  }
}

function binary(f: Frame, op: Extract<Expr, { type: 'binary' }>['op'], l: Expr, r: Expr): Val {
  if (op === '&&') return truthy(evalExpr(f, l)) && truthy(evalExpr(f, r)) ? 1 : 0;
  if (op === '||') return truthy(evalExpr(f, l)) || truthy(evalExpr(f, r)) ? 1 : 0;
  const a = evalExpr(f, l);
  const b = evalExpr(f, r);
  if (op === '==' || op === '!=') {
    const eq = typeof a === 'string' || typeof b === 'string' ? a === b : sameVal(a, b);
    return (op === '==') === eq ? 1 : 0;
  }
  const x = toNum(a);
  const y = toNum(b);
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? 0 : Math.trunc(x / y);
    case '%':
      return y === 0 ? x : x % y;
    case '<':
      return x < y ? 1 : 0;
    case '<=':
      return x <= y ? 1 : 0;
    case '>':
      return x > y ? 1 : 0;
    case '>=':
      return x >= y ? 1 : 0;
    case '&':
      return x & y;
    case '|':
      return x | y;
    case '^':
      return x ^ y;
    case '<<':
      return x * 2 ** y;
    case '>>':
      return Math.floor(x / 2 ** y);
  }
}

function sameVal(a: Val, b: Val): boolean {
  if (a === null || b === null) return toNum(a) === toNum(b);
  if (typeof a === 'object' || typeof b === 'object')
    return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function readIdent(f: Frame, name: string): Val {
  const tx = f.ctx.tx;
  if (f.locals.has(name)) return f.locals.get(name) ?? 0;
  if (name === 'task') return f.ctx.task ? { ptr: 'task', tid: f.ctx.task.tid } : null;
  const g = readGlobal(f, name);
  if (g !== undefined) return g;
  const map = own(progOf(tx.state, f.owner).aux.map_names, name);
  if (map !== undefined) return { ptr: 'map', map };
  const c = constantValue(tx.state, name);
  if (c !== undefined) return c;
  // An undeclared local reads as 0, as a zero-initialised stack slot would.
  return 0;
}

function readMember(f: Frame, obj: Val, prop: string): Val {
  const tx = f.ctx.tx;
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    const p = obj as Exclude<Val, number | string | null | readonly number[]>;
    if (p.ptr === 'task') {
      const t = tx.state.tasks[p.tid] ?? null;
      if (!t) return 0;
      switch (prop) {
        case 'pid':
          return t.tid;
        case 'tgid':
          return t.tgid;
        case 'comm':
          return t.comm;
        case 'parent_tgid':
          return t.parentTgid ?? 0;
        default:
          return 0;
      }
    }
    if (p.ptr === 'map_value') {
      return own(own(mapOf(tx.state, p.map).entries, p.key), prop) ?? 0;
    }
  }
  return 0;
}

/** C truthiness: 0 and NULL are false. */
export function truthy(v: Val): boolean {
  if (v === null) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  return true;
}

export function toNum(v: Val): number {
  if (typeof v === 'number') return v;
  if (v === null) return 0;
  if (typeof v === 'string') return Number(v) || 0;
  return 1;
}

/** A value as it reads in events: numbers, NULL, pointers as `&map[key]`. */
export function show(v: Val): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${(v as readonly number[]).join(', ')}]`;
  const p = v as Exclude<Val, number | string | null | readonly number[]>;
  switch (p.ptr) {
    case 'map_value':
      return `&map${p.map}[${p.key}]`;
    case 'stack':
      return `&${p.name}`;
    case 'map':
      return `&map${p.map}`;
    case 'task':
      return `task ${p.tid}`;
  }
}
