/**
 * The lookup path of a kfunc that resolves its struct_ops instance, read from a step's events:
 * program → `st_ops_assoc` → map → kdata → `ops->priv` → the scheduler (sched_ext), or
 * program → `st_ops_assoc` → map → kdata → `st_ops->test_1` → the program in that slot
 * (bpf_testmod), ending on what it acts on (the CPUs kicked, the value returned). When the
 * association is NULL or BPF_PTR_POISON the path stops at `st_ops_assoc`, with the no-op or
 * the `-1` the kfunc gives back. Pure: the view draws and animates the hops.
 */
import { isAssocLookup } from '../core/keyEvent';
import type { KEvent } from '../core/tx';
import type { ObjRef } from '../core/types';
import { nodeByRef } from './nodeByRef';
import type { Graph } from './toGraph';

export type HopWhat =
  'program' | 'st_ops_assoc' | 'map' | 'kdata' | 'ops->priv' | 'scx_root' | 'instance' | 'slot';

export interface LookupHop {
  /** 0-based position on the path (`data-hop`). */
  readonly n: number;
  readonly what: HopWhat;
  /** The graph node the hop sits on. */
  readonly node: string;
  /** The text drawn at the hop. */
  readonly label: string;
  /** Index, in the step's events, of the event that made this hop. */
  readonly event: number;
}

export type LookupStop = 'NULL' | 'POISON';

export interface LookupPath {
  /** Stable within a step: the program node and the nodes the path visits. */
  readonly key: string;
  readonly kfunc: string;
  readonly hops: readonly LookupHop[];
  /** What the path's last hop found instead of an instance (NULL, BPF_PTR_POISON); null when it reached one. */
  readonly stop: LookupStop | null;
  /** What it acted on: `kicked CPU 0, 1`, `no-op: CPU 3 not kicked`, `returns -1`. */
  readonly result: string;
}

/** The events of the kfunc call a lookup belongs to, and the kfunc's name. */
function kfuncCall(
  events: readonly KEvent[],
  at: number,
): { kfunc: string; inside: number[]; ret: KEvent | null } {
  const stack = events[at]?.stack ?? [];
  const run = stack.lastIndexOf('bpf_prog_run');
  const depth = run + 1;
  const kfunc = stack[depth] ?? stack[stack.length - 1] ?? '';
  const inside: number[] = [];
  let ret: KEvent | null = null;
  for (let i = at + 1; i < events.length; i++) {
    const e = events[i];
    if (!e) break;
    if (e.stack.length > depth && e.stack[depth] === kfunc) {
      inside.push(i);
      continue;
    }
    if (e.kind === 'return') ret = e;
    break;
  }
  return { kfunc, inside, ret };
}

function cpuOf(text: string | null): number | null {
  const m = /(?:CPU )?(\d+)/.exec(text ?? '');
  return m?.[1] !== undefined ? Number(m[1]) : null;
}

interface Draft {
  key: string;
  kfunc: string;
  hops: LookupHop[];
  stop: LookupStop | null;
  kicked: number[];
  noop: number[];
  value: string | null;
}

function resultText(d: Draft): string {
  if (d.kicked.length) return `kicked CPU ${d.kicked.join(', ')}`;
  if (d.noop.length) return `no-op: CPU ${d.noop.join(', ')} not kicked`;
  return d.value !== null ? `returns ${d.value}` : 'returns';
}

/**
 * Every association lookup (`bpf_prog_get_assoc_struct_ops`) among `events` (one step's, or
 * the part of it seen so far), as paths over `graph`'s nodes. Lookups that visit the same
 * nodes and stop at the same place are one path (a loop kicking CPUs 0 and 1 draws once,
 * `kicked CPU 0, 1`). Models kernel/bpf/bpf_struct_ops.c `bpf_prog_get_assoc_struct_ops`,
 * kernel/sched/ext_internal.h `scx_prog_sched` and bpf_testmod's `_impl` kfunc.
 */
export function lookupPaths(events: readonly KEvent[], graph: Graph): LookupPath[] {
  const byRef = nodeByRef(graph);
  const nodeOf = (r: ObjRef | null) => byRef(r)?.id ?? null;
  const drafts = new Map<string, Draft>();
  events.forEach((e, i) => {
    if (!isAssocLookup(e) || e.target?.kind !== 'prog') return;
    const prog = nodeOf(e.target);
    const p = e.state.progs[e.target.id];
    if (!prog || !p) return;
    const { kfunc, inside, ret } = kfuncCall(events, i);
    const hops: LookupHop[] = [];
    const hop = (what: HopWhat, node: string, label: string, event: number) =>
      hops.push({ n: hops.length, what, node, label, event });
    hop('program', prog, p.name, i);
    const assoc = p.aux.st_ops_assoc;
    let stop: LookupStop | null = null;
    if (assoc === null || assoc === 'POISON') {
      stop = assoc === null ? 'NULL' : 'POISON';
      hop('st_ops_assoc', prog, `st_ops_assoc = ${assoc === null ? 'NULL' : 'BPF_PTR_POISON'}`, i);
    } else {
      const map = nodeOf({ kind: 'map', id: assoc.map });
      hop('st_ops_assoc', prog, 'st_ops_assoc', i);
      if (map) {
        hop('map', map, e.state.maps[assoc.map]?.name ?? map, i);
        hop('kdata', map, 'kdata', i);
      }
    }
    const d: Draft = { key: '', kfunc, hops, stop, kicked: [], noop: [], value: null };
    for (const j of inside) {
      const x = events[j];
      if (!x) continue;
      if (x.kind === 'check' && x.fn === 'scx_prog_sched' && x.target?.kind === 'map') {
        const sched = x.state.maps[x.target.id]?.st?.kdata.priv ?? null;
        const node = sched === null ? null : nodeOf({ kind: 'sched', id: sched });
        const map = nodeOf(x.target);
        if (node) {
          hop('ops->priv', node, 'ops->priv', j);
          hop('instance', node, x.after ?? node, j);
        } else if (map && sched === null) {
          // The map was never attached: no scheduler behind its kdata.
          hop('ops->priv', map, 'ops->priv = NULL', j);
          d.stop = 'NULL';
        }
      } else if (x.kind === 'check' && x.fn === 'scx_prog_sched' && x.target?.kind === 'sched') {
        // No association, but a root without sub_attach acts (the compat fallback).
        const node = nodeOf(x.target);
        if (node) {
          hop('scx_root', node, 'scx_root', j);
          hop('instance', node, x.after ?? node, j);
          d.stop = null;
        }
      } else if (x.kind === 'exec' && x.target?.kind === 'prog' && x.field === 'run_cnt') {
        // The kfunc calls the program in the instance's slot (st_ops->test_1(args)).
        const node = nodeOf(x.target);
        const member = x.stack.find((f) => f.startsWith('bpf_struct_ops_'))?.slice(15);
        if (node && !hops.some((h) => h.what === 'slot')) {
          hop('slot', node, `st_ops->${member ?? 'op'}`, j);
        }
      } else if (x.kind === 'kick') {
        const cpu = cpuOf(x.after);
        if (cpu !== null) (x.field === 'kicks' ? d.kicked : d.noop).push(cpu);
      }
    }
    d.value = ret?.after ?? null;
    d.key = `${hops.map((h) => `${h.what}@${h.node}`).join('>')}|${d.stop ?? ''}`;
    const same = drafts.get(d.key);
    if (same) {
      for (const c of d.kicked) if (!same.kicked.includes(c)) same.kicked.push(c);
      for (const c of d.noop) if (!same.noop.includes(c)) same.noop.push(c);
      same.value ??= d.value;
    } else drafts.set(d.key, d);
  });
  return [...drafts.values()].map((d) => ({
    key: d.key,
    kfunc: d.kfunc,
    hops: d.hops,
    stop: d.stop,
    result: resultText(d),
  }));
}
