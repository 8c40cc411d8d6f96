/** Every helper and kfunc the simulated kernel offers, by name (built lazily: no import cycles). */
import { scxKfuncs } from '../subsys/schedExt';
import { testmodKfuncs } from '../subsys/testmod';
import { helpers } from './helpers';
import type { Callable } from './kfuncDef';

let table: ReadonlyMap<string, Callable> | null = null;

function all(): ReadonlyMap<string, Callable> {
  table ??= new Map([...helpers, ...testmodKfuncs, ...scxKfuncs].map((c) => [c.name, c]));
  return table;
}

export function findCallable(name: string): Callable | undefined {
  return all().get(name);
}

export function callableNames(): string[] {
  return [...all().keys()];
}
