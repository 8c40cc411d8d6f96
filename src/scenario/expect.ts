/**
 * State assertions by path, as scenarios write them under `expect.state`:
 *
 * | path | value |
 * |---|---|
 * | `prog.<name>.assoc` | `NULL`, a map name, or `POISON` |
 * | `prog.<name>.refcnt` / `.run_cnt` | number |
 * | `prog.<name>.state` | `LIVE`, `FREEING`, `FREED` |
 * | `map.<name>.refcnt` / `.usercnt` / `.links` (how many) | number |
 * | `map.<name>.state` | `INIT`, `READY`, `INUSE`, `TOBEFREE`, `FREEING`, `FREED` |
 * | `map.<name>.priv` | scheduler name or `NULL` |
 * | `link.<name>.refcnt`, `link.<name>.map`, `link.<name>.state` | number, map name or `NULL`, `LIVE`/`FREED` |
 * | `global.<name>`, `global.<object>.<name>`, `global.<name>[i]` | value |
 * | `sched.<schN or map>.state` / `.kicks` / `.exit` / `.parent` | `enabled`/`disabled`, CPU list, exit kind, name |
 * | `oops` | `none` or how many |
 * | `leaks` | `none`, how many objects outlive every fd and all deferred work, or `not quiescent` |
 * | `dmesg.last` | the last kernel log line |
 * | `timers.armed`, `pending`, `testmod.registered`, `clock` | numbers |
 */
import { findLeaks, isQuiescent } from '../core/invariants';
import type { KernelState, Val } from '../core/types';
import type { NameTable } from './names';
import type { Scenario } from './schema';
import { didYouMean } from './suggest';
import { own } from '../core/own';

const PROG_FIELDS = ['assoc', 'refcnt', 'run_cnt', 'state'];
const MAP_FIELDS = ['refcnt', 'usercnt', 'links', 'state', 'priv'];
const LINK_FIELDS = ['refcnt', 'map', 'state'];
const SCHED_FIELDS = ['state', 'kicks', 'exit', 'parent'];
const SINGLE = [
  'oops',
  'leaks',
  'dmesg.last',
  'timers.armed',
  'pending',
  'testmod.registered',
  'clock',
];
const KINDS = ['prog', 'map', 'link', 'global', 'sched', ...SINGLE];

function split(path: string): { kind: string; name: string; field: string } | null {
  const first = path.indexOf('.');
  const last = path.lastIndexOf('.');
  if (first < 0 || first === last) return null;
  return {
    kind: path.slice(0, first),
    name: path.slice(first + 1, last),
    field: path.slice(last + 1),
  };
}

/** Whether an expectation path names something the scenario has; a message if not. */
export function checkExpectPath(path: string, names: NameTable, s: Scenario): string | null {
  if (SINGLE.includes(path)) return null;
  if (path.startsWith('global.')) {
    const rest = path.slice('global.'.length).replace(/\[\d+\]$/, '');
    const [a, b] = rest.split('.', 2) as [string, string | undefined];
    if (b !== undefined) {
      const g = own(s.objects, a)?.globals;
      if (!g) return `no object '${a}'${didYouMean(a, Object.keys(s.objects))}`;
      return Object.hasOwn(g, b)
        ? null
        : `object '${a}' has no global '${b}'${didYouMean(b, Object.keys(g))}`;
    }
    const all = Object.values(s.objects).flatMap((o) => Object.keys(o.globals ?? {}));
    return all.includes(a) ? null : `no global '${a}'${didYouMean(a, all)}`;
  }
  const p = split(path);
  if (!p || !KINDS.includes(p.kind))
    // The suggestion comes first: a long message is cut at its end.
    return `'${path.length > 60 ? `${path.slice(0, 59)}…` : path}' is not an expectation path${p ? didYouMean(p.kind, KINDS) : ''}: use prog.<name>.<field>, map.<name>.<field>, link.<name>.<field>, global.<name>, sched.<name>.<field>, or ${SINGLE.join(', ')}`;
  const check = (fields: string[], known: Iterable<string> | null, what: string): string | null => {
    if (known && ![...known].includes(p.name))
      return `no ${what} '${p.name}'${didYouMean(p.name, known)}`;
    return fields.includes(p.field)
      ? null
      : `a ${what} has no field '${p.field}' here; use ${fields.join(', ')}${didYouMean(p.field, fields)}`;
  };
  switch (p.kind) {
    case 'prog':
      return check(PROG_FIELDS, names.progs.keys(), 'program');
    case 'map':
      return check(MAP_FIELDS, names.maps.keys(), 'map');
    case 'link':
      return check(LINK_FIELDS, [...names.linksAt.values()].flat(), 'link');
    case 'sched':
      return /^sch\d+$/.test(p.name)
        ? check(SCHED_FIELDS, null, 'scheduler')
        : check(SCHED_FIELDS, names.maps.keys(), 'map');
    default:
      return null;
  }
}

/** What the run knows that the kernel state does not: link names, and objects' .bss maps. */
export interface ExpectContext {
  readonly links: ReadonlyMap<string, number>;
  /** object name → its .bss map id. */
  readonly bss: ReadonlyMap<string, number>;
}

function live<T extends { lifecycle: string; name?: string }>(
  all: readonly T[],
  name: string,
): T | undefined {
  const matching = all.filter((x) => x.name === name);
  return matching.filter((x) => x.lifecycle !== 'freed').pop() ?? matching.pop();
}

function lifeState(l: string): string {
  return l === 'live' ? 'LIVE' : l === 'freeing' ? 'FREEING' : 'FREED';
}

/** The current value at an expectation path. */
export function readPath(state: KernelState, path: string, ctx: ExpectContext): Val | undefined {
  switch (path) {
    case 'oops':
      return state.oopses.length === 0 ? 'none' : state.oopses.length;
    case 'leaks': {
      // Only meaningful once nothing is pending and no fd is open (core/invariants.ts).
      const leaks = findLeaks(state);
      return isQuiescent(state) ? (leaks.length === 0 ? 'none' : leaks.length) : 'not quiescent';
    }
    case 'dmesg.last':
      return state.dmesg.at(-1)?.msg ?? null;
    case 'timers.armed':
      return Object.values(state.timers).filter((t) => t.armed && !t.freed).length;
    case 'pending':
      return state.pending.length;
    case 'testmod.registered':
      return state.testmod.registered.length;
    case 'clock':
      return state.now;
  }
  if (path.startsWith('global.')) {
    const m = /^global\.(?:([^.[\]]+)\.)?([^.[\]]+)(?:\[(\d+)\])?$/.exec(path);
    if (!m) return undefined;
    const [, obj, name = '', idx] = m;
    const ids = obj ? [ctx.bss.get(obj)] : [...ctx.bss.values()];
    for (const id of ids) {
      const entry = id === undefined ? undefined : state.maps[id]?.entries['0'];
      const v = own(entry, name);
      if (v === undefined) continue;
      return idx !== undefined && Array.isArray(v)
        ? ((v as readonly number[])[Number(idx)] ?? 0)
        : v;
    }
    return undefined;
  }
  const p = split(path);
  if (!p) return undefined;
  if (p.kind === 'prog') {
    const prog = live(Object.values(state.progs), p.name);
    if (!prog) return undefined;
    switch (p.field) {
      case 'assoc': {
        const a = prog.aux.st_ops_assoc;
        return a === null ? 'NULL' : a === 'POISON' ? 'POISON' : (state.maps[a.map]?.name ?? null);
      }
      case 'refcnt':
        return prog.refcnt;
      case 'run_cnt':
        return prog.run_cnt;
      case 'state':
        return lifeState(prog.lifecycle);
    }
  }
  if (p.kind === 'map') {
    const map = live(Object.values(state.maps), p.name);
    if (!map) return undefined;
    switch (p.field) {
      case 'refcnt':
        return map.refcnt;
      case 'usercnt':
        return map.usercnt;
      case 'links':
        return map.st?.links.length ?? 0;
      case 'state':
        return map.lifecycle !== 'live' ? lifeState(map.lifecycle) : (map.st?.state ?? 'LIVE');
      case 'priv': {
        const priv = map.st?.kdata.priv ?? null;
        return priv === null ? 'NULL' : (state.scx.scheds[priv]?.name ?? null);
      }
    }
  }
  if (p.kind === 'link') {
    const id = ctx.links.get(p.name);
    const link = id === undefined ? undefined : state.links[id];
    if (!link) return undefined;
    switch (p.field) {
      case 'refcnt':
        return link.refcnt;
      case 'map':
        return link.map === null ? 'NULL' : (state.maps[link.map]?.name ?? null);
      case 'state':
        return lifeState(link.lifecycle);
    }
  }
  if (p.kind === 'sched') {
    const scheds = Object.values(state.scx.scheds);
    const priv = live(Object.values(state.maps), p.name)?.st?.kdata.priv ?? null;
    const sch = /^sch\d+$/.test(p.name)
      ? scheds.find((s) => s.name === p.name)
      : priv !== null
        ? state.scx.scheds[priv]
        : undefined;
    if (!sch) return p.field === 'state' ? 'none' : undefined;
    switch (p.field) {
      case 'state':
        return sch.state;
      case 'kicks':
        return sch.kicks.map((k) => k.cpu);
      case 'exit':
        return sch.exit?.kind ?? 'NULL';
      case 'parent':
        return sch.parent === null ? 'NULL' : (state.scx.scheds[sch.parent]?.name ?? null);
    }
  }
  return undefined;
}

const ALIASES: Readonly<Record<string, string>> = {
  none: 'NULL',
  null: 'NULL',
  BPF_PTR_POISON: 'POISON',
};

/** Compares an expected value (as written) with an actual one; assoc and NULL spellings agree. */
export function sameValue(expected: Val, actual: Val | undefined): boolean {
  const norm = (v: Val | undefined): string => {
    if (v === null || v === undefined) return v === null ? 'NULL' : 'undefined';
    if (typeof v === 'string') return Object.hasOwn(ALIASES, v) ? (ALIASES[v] ?? v) : v;
    return JSON.stringify(v);
  };
  return norm(expected) === norm(actual);
}
