/**
 * Every helper and kfunc the simulated kernel offers, by name: the helpers' protos and the kfunc
 * sets the subsystems register (`register_btf_kfunc_id_set`). It sits above the program layer
 * and the subsystems: the verifier and the interpreter are handed {@link findCallable} by
 * their callers (program load, test runs, hooks, timers), so the program layer imports no
 * subsystem, as the kernel's verifier finds kfuncs through BTF rather than by name.
 */
import { helpers } from './prog/helpers';
import type { Callable } from './prog/kfuncDef';
import { scxKfuncs } from './subsys/schedExt';
import { testmodKfuncs } from './subsys/testmod';

let table: ReadonlyMap<string, Callable> | null = null;

function all(): ReadonlyMap<string, Callable> {
  table ??= new Map([...helpers, ...testmodKfuncs, ...scxKfuncs].map((c) => [c.name, c]));
  return table;
}

/** The helper or kfunc called `name`, if the kernel has one. */
export function findCallable(name: string): Callable | undefined {
  return all().get(name);
}

/** Every helper and kfunc name. */
export function callableNames(): string[] {
  return [...all().keys()];
}
