/**
 * A small verifier (kernel/bpf/verifier.c) run at BPF_PROG_LOAD: resolves every call against
 * the helper/kfunc registry, refuses calls the program type may not make
 * (`check_kfunc_call`: "calling kernel function %s is not allowed", -EACCES), checks
 * argument counts, callbacks and map references, refuses unknown names, and performs the
 * `__prog` fix-up (`fixup_kfunc_call` loads `env->prog->aux` into the argument register,
 * whatever the program passed), recording each one.
 */
import type { ProgFixup, ProgType, ProgBody } from '../types';
import { subExprs, type Expr, type Stmt, type StmtPath } from './ast';
import type { Callable } from './kfuncDef';
import { walkCalls } from './compile';
import { isConstant } from './constants';

export interface VerifyInput {
  readonly type: ProgType;
  readonly body: ProgBody;
  /** Map names the program references (fd_array), e.g. `array_map`, `.bss`. */
  readonly mapNames: readonly string[];
  /** Global variable names (fields of the `.bss` value). */
  readonly globals: readonly string[];
  /** The kernel's callables (BTF kfunc sets and helper protos): src/core/callables.ts. */
  readonly resolve: (name: string) => Callable | undefined;
}

export type VerifyResult =
  | { readonly ok: true; readonly fixups: readonly ProgFixup[]; readonly log: readonly string[] }
  | {
      readonly ok: false;
      readonly errno: 'EINVAL' | 'EACCES' | 'EFAULT';
      readonly reason: string;
      readonly log: readonly string[];
    };

function assignedNames(stmts: readonly Stmt[], out: Set<string>): void {
  for (const s of stmts) {
    if ((s.kind === 'assign' || s.kind === 'update') && s.target.type === 'ident')
      out.add(s.target.name);
    if (s.kind === 'if') {
      assignedNames(s.then, out);
      assignedNames(s.else, out);
    }
    if (s.kind === 'for') {
      out.add(s.var);
      assignedNames(s.body, out);
    }
  }
}

function identsOf(e: Expr, out: string[]): void {
  if (e.type === 'ident') out.push(e.name);
  // `&args`: the address of a stack slot names a local, declared by taking its address.
  if (e.type === 'unary' && e.op === '&') return;
  for (const sub of subExprs(e)) identsOf(sub, out);
}

function exprsOf(stmts: readonly Stmt[], out: Expr[]): void {
  for (const s of stmts) {
    switch (s.kind) {
      case 'call':
        out.push(s.call);
        break;
      case 'assign':
        out.push(s.value, s.target);
        break;
      case 'update':
        out.push(s.target);
        break;
      case 'if':
        out.push(s.cond);
        exprsOf(s.then, out);
        exprsOf(s.else, out);
        break;
      case 'for':
        out.push(s.from, s.to);
        exprsOf(s.body, out);
        break;
      case 'return':
        if (s.value) out.push(s.value);
        break;
    }
  }
}

/** `x = bpf_map_lookup_elem(M, …)`: x points into a value of map M (the verifier's map_ptr). */
function valuePointerOrigins(stmts: readonly Stmt[], out: Map<string, string>): void {
  for (const s of stmts) {
    if (
      s.kind === 'assign' &&
      s.op === '=' &&
      s.target.type === 'ident' &&
      s.value.type === 'call' &&
      s.value.callee === 'bpf_map_lookup_elem'
    ) {
      const m = s.value.args[0];
      const name =
        m?.type === 'ident'
          ? m.name
          : m?.type === 'unary' && m.arg.type === 'ident'
            ? m.arg.name
            : null;
      if (name) out.set(s.target.name, name);
    }
    if (s.kind === 'if') {
      valuePointerOrigins(s.then, out);
      valuePointerOrigins(s.else, out);
    }
    if (s.kind === 'for') valuePointerOrigins(s.body, out);
  }
}

function pathText(where: string, path: StmtPath): string {
  return `${where}:${path.join('.')}`;
}

/** Verifies a program body for its type; pure. */
export function verifyProgram(input: VerifyInput): VerifyResult {
  const log: string[] = [];
  const fixups: ProgFixup[] = [];
  const bodies: [string, readonly Stmt[]][] = [
    ['main', input.body.main],
    ...Object.entries(input.body.subprogs),
  ];
  for (const [where, stmts] of bodies) {
    const locals = new Set<string>();
    assignedNames(stmts, locals);
    const exprs: Expr[] = [];
    exprsOf(stmts, exprs);
    const names: string[] = [];
    exprs.forEach((e) => identsOf(e, names));
    const callees = new Set(walkCalls(stmts).map((c) => c.call.callee));
    const origins = new Map<string, string>();
    valuePointerOrigins(stmts, origins);
    for (const n of names) {
      if (callees.has(n) && !locals.has(n)) continue;
      const known =
        locals.has(n) ||
        n === 'task' ||
        input.globals.includes(n) ||
        input.mapNames.includes(n) ||
        isConstant(n) ||
        n in input.body.subprogs;
      if (!known) {
        return {
          ok: false,
          errno: 'EINVAL',
          reason: `${where}: unknown identifier '${n}' (not a local, global, map, constant or callback)`,
          log,
        };
      }
    }
    for (const { call, path } of walkCalls(stmts)) {
      const c = input.resolve(call.callee);
      if (!c) {
        return {
          ok: false,
          errno: 'EINVAL',
          reason: `${pathText(where, path)}: unknown function ${call.callee} (not a helper or kfunc of this kernel)`,
          log,
        };
      }
      if (c.allowed !== 'all' && !c.allowed.includes(input.type)) {
        log.push(`calling kernel function ${c.name} is not allowed`);
        return {
          ok: false,
          errno: 'EACCES',
          reason: `calling kernel function ${c.name} is not allowed: its kfunc set is registered for ${c.allowed.join(', ')}, not ${input.type}`,
          log,
        };
      }
      if (call.args.length !== c.params.length) {
        return {
          ok: false,
          errno: 'EINVAL',
          reason: `${pathText(where, path)}: ${c.name} takes ${c.params.length} argument(s), got ${call.args.length}`,
          log,
        };
      }
      let progArgs = 0;
      for (const [i, param] of c.params.entries()) {
        const arg = call.args[i];
        if (param.kind === 'prog') {
          // check_kfunc_args: a second __prog argument is a verifier_bug(), which is -EFAULT.
          if (++progArgs > 1) {
            log.push('verifier bug: Only 1 prog->aux argument supported per-kfunc');
            return {
              ok: false,
              errno: 'EFAULT',
              reason: 'verifier bug: Only 1 prog->aux argument supported per-kfunc',
              log,
            };
          }
          fixups.push({ kfunc: c.name, arg: i, param: param.name, where });
          log.push(`fixup_kfunc_call: ${c.name} arg${i} (${param.name}) <- env->prog->aux`);
        }
        if (
          param.kind === 'callback' &&
          !(arg?.type === 'ident' && arg.name in input.body.subprogs)
        ) {
          return {
            ok: false,
            errno: 'EINVAL',
            reason: `${pathText(where, path)}: ${c.name} needs a callback subprogram as argument ${i + 1}`,
            log,
          };
        }
        const mapName =
          arg?.type === 'ident'
            ? arg.name
            : arg?.type === 'unary' && arg.arg.type === 'ident'
              ? arg.arg.name
              : null;
        if (param.kind === 'map' && (mapName === null || !input.mapNames.includes(mapName))) {
          return {
            ok: false,
            errno: 'EINVAL',
            reason: `${pathText(where, path)}: ${c.name} argument ${i + 1} must name a map the program uses`,
            log,
          };
        }
        // check_func_arg (ARG_CONST_MAP_PTR after a map value pointer, as bpf_timer_init has):
        // the pointer must point into the map passed with it.
        const first = call.args[0];
        const from = first?.type === 'ident' ? origins.get(first.name) : undefined;
        if (param.kind === 'map' && i > 0 && c.params[0]?.kind === 'map_value' && from) {
          if (from !== mapName) {
            const msg = `timer pointer in R1 map_uid=0 doesn't match map pointer in R2 map_uid=0 (${from} vs ${String(mapName)})`;
            log.push(msg);
            return { ok: false, errno: 'EINVAL', reason: `${pathText(where, path)}: ${msg}`, log };
          }
        }
      }
    }
  }
  log.push('processed: verification passed');
  return { ok: true, fixups, log };
}
