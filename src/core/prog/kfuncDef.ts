/**
 * What the verifier and the interpreter know about a callable: a kfunc (BTF id set registered
 * for some program types, `register_btf_kfunc_id_set`) or a helper (`bpf_func_proto`).
 */
import type { Tx } from '../tx';
import type { ProgType, Task, Val } from '../types';

/**
 * - `scalar`: an integer; `ptr`: a pointer the model does not look into (`&args`);
 * - `prog`: a `__prog`-suffixed argument the verifier overwrites with `env->prog->aux`;
 * - `map`: a map the program references by name; `map_value`: a pointer into a map value;
 * - `callback`: a static subprogram of the object, by name; `str`: a format string.
 */
export type ParamKind =
  'scalar' | 'ptr' | 'prog' | 'map' | 'map_value' | 'callback' | 'str' | 'any';

export interface Param {
  readonly name: string;
  readonly kind: ParamKind;
}

/** Where a call runs: the program whose aux is in effect, and the current task. */
/** Finds a helper or kfunc by name (the kernel's table: src/core/callables.ts). */
export type Resolve = (name: string) => Callable | undefined;

export interface CallCtx {
  readonly tx: Tx;
  /** How calls in the program find their helper or kfunc. */
  readonly resolve: Resolve;
  /** The program whose `aux` this code runs with (a timer callback runs with its setter's). */
  readonly prog: number;
  readonly task: Task | null;
}

export interface Callable {
  readonly name: string;
  readonly kind: 'kfunc' | 'helper';
  readonly file: string;
  readonly params: readonly Param[];
  /** Program types allowed to call it; `all` for helpers every modelled type has. */
  readonly allowed: readonly ProgType[] | 'all';
  /** One line for the inspector. */
  readonly doc: string;
  readonly impl: (ctx: CallCtx, args: readonly Val[]) => Val;
}

/** A parameter list from `name: kind` pairs, in the order written: `params({ map: 'map' })`. */
export function params(spec: Readonly<Record<string, ParamKind>>): readonly Param[] {
  return Object.entries(spec).map(([name, kind]) => ({ name, kind }));
}

/** A helper every modelled program type may call (its `bpf_func_proto`, in `file`). */
export function helper(
  name: string,
  file: string,
  ps: readonly Param[],
  doc: string,
  impl: Callable['impl'],
): Callable {
  return { name, kind: 'helper', file, params: ps, allowed: 'all', doc, impl };
}

/** A kfunc of a BTF id set registered for the program types `allowed` (`register_btf_kfunc_id_set`). */
export function kfunc(
  name: string,
  file: string,
  allowed: readonly ProgType[],
  ps: readonly Param[],
  doc: string,
  impl: Callable['impl'],
): Callable {
  return { name, kind: 'kfunc', file, params: ps, allowed, doc, impl };
}
