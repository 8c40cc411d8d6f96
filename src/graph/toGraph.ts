/**
 * The graph projection: kernel state → nodes and edges, with stable ids. Pure.
 *
 * Every counted reference (core/refs.ts `holdersOf`) becomes one counted edge from its holder,
 * so a node's `refcnt` equals the counted edges arriving at it. Associations of struct_ops
 * programs (no reference), `ops->priv`, scheduler parents, and what deferred work will act
 * on are drawn as uncounted edges. Freed objects appear only in the state in which they go
 * (`prev` had them alive), as ghosts.
 */
import { holdersOf, splitStolen, type Holder, type HolderKind } from '../core/refs';
import { formatNs } from '../core/time';
import type { KernelState, ObjRef, Prog } from '../core/types';

export type NodeKind =
  | 'process'
  | 'fd'
  | 'prog'
  | 'map'
  | 'link'
  | 'timer'
  | 'sched'
  | 'work'
  | 'registry'
  /** Story view (src/graph/story.ts): the "+N maps" chip standing for an owner's folded maps. */
  | 'fold';
/** The node drawn for references nobody holds any more (a revision's leak). */
export const LEAK_NODE = 'registry.kmemleak';

/** The node a reference without a holding object is drawn from, by the kind of holder. */
export function holderlessNode(kind: HolderKind): string | null {
  return kind === 'inflight'
    ? 'work.syscall'
    : kind === 'pin'
      ? 'registry.bpffs'
      : kind === 'leaked'
        ? LEAK_NODE
        : null;
}

export type Lane = 'user' | 'links' | 'progs' | 'maps' | 'kernel' | 'deferred';

export const LANES: readonly Lane[] = ['user', 'links', 'progs', 'maps', 'kernel', 'deferred'];

export const LANE_TITLES: Readonly<Record<Lane, string>> = {
  user: 'User space',
  links: 'Links',
  progs: 'Programs',
  maps: 'Maps',
  kernel: 'Kernel side',
  deferred: 'Deferred work',
};

export interface Slot {
  readonly member: string;
  readonly prog: string | null;
}

export interface GraphNode {
  /** Stable id: `<kind>.<name>` (e.g. `prog.syscall_prog_a`, `fd.loader:5`). */
  readonly id: string;
  readonly kind: NodeKind;
  readonly name: string;
  readonly lane: Lane;
  /** The kernel object behind it, for the inspector. */
  readonly ref: ObjRef | null;
  readonly refcnt: number | null;
  readonly usercnt: number | null;
  /** `data-state`: maps INIT|READY|INUSE|TOBEFREE|FREED (plain maps LIVE), progs LIVE|FREED, … */
  readonly state: string;
  /** Programs: `none`, the map's name, or `POISON`. */
  readonly assoc: string | null;
  readonly subtitle: string;
  readonly badges: readonly string[];
  /** struct_ops maps: members and the program in each. */
  readonly slots: readonly Slot[];
  /** In the state in which it is freed (shown as a ghost). */
  readonly ghost: boolean;
  /** The process an fd belongs to. */
  readonly parent: string | null;
  /** Story view: a process card's fd table (its fds folded into rows). */
  readonly rows?: readonly FdRow[];
  /** Story view: a "+N maps" chip's maps (node ids), and whether they are drawn (open). */
  readonly folds?: { readonly maps: readonly string[]; readonly open: boolean };
}

/** One row of a process card's fd table in the Story view: `fd N → name`. */
export interface FdRow {
  /** The fd's node id in the full graph (`fd.<process>:<n>`). */
  readonly id: string;
  readonly fd: number;
  /** The node the fd refers to, or null when it is not in the graph. */
  readonly target: string | null;
  /** What the row says after `fd N → `: the target's name, or its kind. */
  readonly name: string;
  /** Its edge is drawn (the step touches this fd, or the selection uses it). */
  readonly drawn: boolean;
}

export type EdgeKind =
  HolderKind | 'assoc_weak' | 'priv' | 'parent' | 'pending' | 'registered' | 'owns';

export interface GraphEdge {
  /** `edge.<kind>.<from name>.<to name>` (the DOM contract's test id). */
  readonly id: string;
  readonly kind: EdgeKind;
  readonly from: string;
  readonly to: string;
  readonly counted: boolean;
  readonly label: string;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

function shown(
  lifecycle: string,
  prevLifecycle: string | undefined,
): { show: boolean; ghost: boolean } {
  if (lifecycle !== 'freed') return { show: true, ghost: false };
  const wasAlive = prevLifecycle !== undefined && prevLifecycle !== 'freed';
  return { show: wasAlive, ghost: wasAlive };
}

/** Names that are unique in the state: a program or map name, suffixed `#id` when reused. */
function namer<T extends { id: number; name: string; lifecycle: string }>(
  all: readonly T[],
): (id: number) => string {
  const counts = new Map<string, number>();
  for (const x of all) counts.set(x.name, (counts.get(x.name) ?? 0) + 1);
  const byId = new Map(all.map((x) => [x.id, x]));
  return (id) => {
    const x = byId.get(id);
    if (!x) return `#${id}`;
    return (counts.get(x.name) ?? 0) > 1 ? `${x.name}#${id}` : x.name;
  };
}

function progSubtitle(p: Prog): string {
  const t = p.type.replace('BPF_PROG_TYPE_', '').toLowerCase();
  if (p.type === 'BPF_PROG_TYPE_STRUCT_OPS') return `struct_ops · ${p.member ?? ''}`;
  if (p.attach_btf_name) return `${t} · ${p.attach_btf_name}`;
  return t;
}

/** Projects `state` to a graph; `prev` (the state before) decides which freed objects are ghosts. */
export function toGraph(
  state: KernelState,
  prev?: KernelState,
  opts: { nodesOnly?: boolean } = {},
): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const progName = namer(Object.values(state.progs));
  const mapName = namer(Object.values(state.maps));
  const idOf = new Map<string, string>();
  const refKey = (r: ObjRef) => `${r.kind}:${r.id}`;
  const nodeName = new Map<string, string>();
  const add = (n: GraphNode) => {
    nodes.push(n);
    nodeName.set(n.id, n.name);
    if (n.ref) idOf.set(refKey(n.ref), n.id);
  };
  const base = {
    usercnt: null,
    assoc: null,
    badges: [],
    slots: [],
    ghost: false,
    parent: null,
  } as const;

  for (const proc of Object.values(state.processes)) {
    if (!proc.alive && !(prev?.processes[proc.pid]?.alive ?? false)) continue;
    const pname = proc.name;
    add({
      ...base,
      id: `process.${pname}`,
      kind: 'process',
      name: pname,
      lane: 'user',
      ref: { kind: 'process', id: proc.pid },
      refcnt: null,
      state: proc.alive ? 'LIVE' : 'FREED',
      subtitle: `pid ${proc.pid}`,
      ghost: !proc.alive,
    });
    for (const [fd, entry] of Object.entries(proc.fds)) {
      add({
        ...base,
        id: `fd.${pname}:${fd}`,
        kind: 'fd',
        name: `${pname}:${fd}`,
        lane: 'user',
        ref: null,
        refcnt: null,
        state: 'LIVE',
        subtitle: `fd ${fd} → ${entry.kind}`,
        parent: `process.${pname}`,
      });
    }
  }
  for (const p of Object.values(state.progs)) {
    const vis = shown(p.lifecycle, prev?.progs[p.id]?.lifecycle);
    if (!vis.show) continue;
    const a = p.aux.st_ops_assoc;
    const assoc = a === null ? 'none' : a === 'POISON' ? 'POISON' : mapName(a.map);
    add({
      ...base,
      id: `prog.${progName(p.id)}`,
      kind: 'prog',
      name: progName(p.id),
      lane: 'progs',
      ref: { kind: 'prog', id: p.id },
      refcnt: p.refcnt,
      state: p.lifecycle === 'live' ? 'LIVE' : p.lifecycle === 'freeing' ? 'FREEING' : 'FREED',
      assoc,
      subtitle: progSubtitle(p),
      badges: p.aux.fixups.length ? ['__prog'] : [],
      ghost: vis.ghost,
    });
  }
  for (const m of Object.values(state.maps)) {
    const vis = shown(m.lifecycle, prev?.maps[m.id]?.lifecycle);
    if (!vis.show) continue;
    const st = m.st;
    const stateText = m.lifecycle === 'freed' ? 'FREED' : (st?.state ?? 'LIVE');
    // Filled function members only: a sched_ext_ops value has dozens of NULL ones.
    const slots: Slot[] = st
      ? Object.entries(st.kdata.funcs)
          .filter(([, prog]) => prog !== null)
          .map(([member, prog]) => ({ member, prog: prog === null ? null : progName(prog) }))
      : [];
    add({
      ...base,
      id: `map.${mapName(m.id)}`,
      kind: 'map',
      name: mapName(m.id),
      lane: 'maps',
      ref: { kind: 'map', id: m.id },
      refcnt: m.refcnt,
      usercnt: m.usercnt,
      state: stateText,
      subtitle: st ? st.st_ops : m.type.replace('BPF_MAP_TYPE_', '').toLowerCase(),
      badges: [
        ...m.map_flags.filter((f) => f === 'BPF_F_LINK'),
        ...(m.lifecycle === 'freeing' ? ['freeing'] : []),
      ],
      slots,
      ghost: vis.ghost,
    });
  }
  for (const l of Object.values(state.links)) {
    const vis = shown(l.lifecycle, prev?.links[l.id]?.lifecycle);
    if (!vis.show) continue;
    add({
      ...base,
      id: `link.link${l.id}`,
      kind: 'link',
      name: `link${l.id}`,
      lane: 'links',
      ref: { kind: 'link', id: l.id },
      refcnt: l.refcnt,
      state:
        l.lifecycle === 'live'
          ? l.type === 'struct_ops' && l.map === null
            ? 'DETACHED'
            : 'LIVE'
          : l.lifecycle.toUpperCase(),
      subtitle:
        l.type === 'struct_ops' ? 'struct_ops link' : `${l.type} · ${l.target ?? 'detached'}`,
      ghost: vis.ghost,
    });
  }
  for (const t of Object.values(state.timers)) {
    const wasLive = prev?.timers[t.id] !== undefined && !prev.timers[t.id]?.freed;
    if (t.freed && !wasLive) continue;
    add({
      ...base,
      id: `timer.timer${t.id}`,
      kind: 'timer',
      name: `timer${t.id}`,
      lane: 'deferred',
      ref: { kind: 'timer', id: t.id },
      refcnt: null,
      state: t.freed ? 'FREED' : t.armed ? 'ARMED' : 'IDLE',
      subtitle: t.armed
        ? `fires at ${formatNs(t.expires)}`
        : t.callback
          ? `callback ${t.callback}`
          : 'initialised',
      ghost: t.freed,
    });
  }
  for (const s of Object.values(state.scx.scheds)) {
    add({
      ...base,
      id: `sched.${s.name}`,
      kind: 'sched',
      name: s.name,
      lane: 'kernel',
      ref: { kind: 'sched', id: s.id },
      refcnt: null,
      state: s.state === 'enabled' ? 'ENABLED' : 'DISABLED',
      subtitle: `${s.parent === null ? 'root' : 'sub-scheduler'}${s.kicks.length ? ` · kicked ${[...new Set(s.kicks.map((k) => k.cpu))].join(',')}` : ''}`,
      badges: s.exit ? [s.exit.kind] : [],
    });
  }
  if (state.testmod.registered.length > 0 || (prev?.testmod.registered.length ?? 0) > 0) {
    add({
      ...base,
      id: 'registry.bpf_testmod',
      kind: 'registry',
      name: 'bpf_testmod',
      lane: 'kernel',
      ref: null,
      refcnt: null,
      state: 'LIVE',
      subtitle: `multi_st_ops ids ${state.testmod.registered.join(', ') || 'none'}`,
    });
  }
  if (state.bpffs.length > 0) {
    add({
      ...base,
      id: 'registry.bpffs',
      kind: 'registry',
      name: 'bpffs',
      lane: 'kernel',
      ref: null,
      refcnt: null,
      state: 'LIVE',
      subtitle: state.bpffs.map((p) => p.path).join(', '),
    });
  }
  for (const p of state.pending) {
    add({
      ...base,
      id: `work.${p.kind}${p.id}`,
      kind: 'work',
      name: `${p.kind}${p.id}`,
      lane: 'deferred',
      ref: { kind: 'pending', id: p.id },
      refcnt: null,
      state: p.kind === 'rcu' ? 'RCU' : p.kind === 'rcu_tasks_trace' ? 'RCU TASKS-TRACE' : 'WORK',
      subtitle: `${p.fn} · due ${formatNs(p.dueAt)}`,
    });
  }
  // References a buggy revision leaked (refs.ts 'leaked') once the program that took them is
  // gone: kmemleak is the only one who knows of them.
  if (holdersOf(state).some((h) => h.kind === 'leaked' && h.from === null)) {
    add({
      ...base,
      id: LEAK_NODE,
      kind: 'registry',
      name: 'kmemleak',
      lane: 'kernel',
      ref: null,
      refcnt: null,
      state: 'LEAKED',
      subtitle: 'references nobody holds',
    });
  }
  if (state.inflight.length > 0) {
    add({
      ...base,
      id: 'work.syscall',
      kind: 'work',
      name: 'syscall',
      lane: 'deferred',
      ref: null,
      refcnt: null,
      state: 'INFLIGHT',
      subtitle: 'temporary references',
    });
  }

  if (opts.nodesOnly) return { nodes, edges };

  const nodeFor = (r: ObjRef | null, h?: Holder): string | null => {
    if (h?.kind === 'fd' && r) {
      const proc = state.processes[r.id];
      return proc ? `fd.${proc.name}:${h.fd}` : null;
    }
    if (!r) return h ? holderlessNode(h.kind) : null;
    return idOf.get(refKey(r)) ?? null;
  };
  const edgeNames = new Map<string, number>();
  const pushEdge = (
    kind: EdgeKind,
    from: string | null,
    to: string | null,
    counted: boolean,
    label: string,
  ) => {
    if (!from || !to) return;
    const f = nodeName.get(from) ?? from;
    const t = nodeName.get(to) ?? to;
    let id = `edge.${kind}.${f}.${t}`;
    const n = edgeNames.get(id) ?? 0;
    edgeNames.set(id, n + 1);
    if (n > 0) id = `${id}#${n + 1}`;
    edges.push({ id, kind, from, to, counted, label });
  };
  const { counted, stolen } = splitStolen(state);
  for (const h of counted) pushEdge(h.kind, nodeFor(h.from, h), nodeFor(h.target), true, h.label);
  // A pointer whose count a buggy revision dropped: still there, no longer counted.
  for (const { holder: h, by } of stolen)
    pushEdge(
      h.kind,
      nodeFor(h.from, h),
      nodeFor(h.target),
      false,
      `${h.label} (count dropped by ${by})`,
    );
  for (const p of Object.values(state.progs)) {
    const a = p.aux.st_ops_assoc;
    if (p.type === 'BPF_PROG_TYPE_STRUCT_OPS' && a !== null && a !== 'POISON') {
      pushEdge(
        'assoc_weak',
        idOf.get(`prog:${p.id}`) ?? null,
        idOf.get(`map:${a.map}`) ?? null,
        false,
        'st_ops_assoc',
      );
    }
  }
  for (const m of Object.values(state.maps)) {
    const priv = m.st?.kdata.priv ?? null;
    if (priv !== null)
      pushEdge(
        'priv',
        idOf.get(`map:${m.id}`) ?? null,
        idOf.get(`sched:${priv}`) ?? null,
        false,
        'ops->priv',
      );
  }
  for (const s of Object.values(state.scx.scheds)) {
    if (s.parent !== null)
      pushEdge(
        'parent',
        idOf.get(`sched:${s.id}`) ?? null,
        idOf.get(`sched:${s.parent}`) ?? null,
        false,
        'parent',
      );
  }
  for (const id of state.testmod.registered)
    pushEdge(
      'registered',
      'registry.bpf_testmod',
      idOf.get(`map:${id}`) ?? null,
      false,
      `id ${id}`,
    );
  for (const p of state.pending)
    pushEdge('pending', `work.${p.kind}${p.id}`, idOf.get(refKey(p.target)) ?? null, false, p.fn);
  for (const n of nodes)
    if (n.kind === 'fd' && n.parent) pushEdge('owns', n.parent, n.id, false, 'owns');
  return { nodes, edges };
}

/** What changed between two graphs: refcount deltas, new and gone nodes and edges. */
export interface GraphChange {
  readonly refDelta: ReadonlyMap<string, number>;
  readonly changedNodes: ReadonlySet<string>;
  readonly addedNodes: ReadonlySet<string>;
  readonly addedEdges: ReadonlySet<string>;
  readonly removedEdges: readonly GraphEdge[];
}

export function diffGraph(prev: Graph | null, next: Graph): GraphChange {
  const before = new Map((prev?.nodes ?? []).map((n) => [n.id, n]));
  const prevEdges = new Map((prev?.edges ?? []).map((e) => [e.id, e]));
  const nextEdges = new Set(next.edges.map((e) => e.id));
  const refDelta = new Map<string, number>();
  const changedNodes = new Set<string>();
  const addedNodes = new Set<string>();
  for (const n of next.nodes) {
    const b = before.get(n.id);
    if (!b) {
      if (prev) addedNodes.add(n.id);
      continue;
    }
    if (b.refcnt !== null && n.refcnt !== null && b.refcnt !== n.refcnt)
      refDelta.set(n.id, n.refcnt - b.refcnt);
    if (
      b.refcnt !== n.refcnt ||
      b.state !== n.state ||
      b.assoc !== n.assoc ||
      b.subtitle !== n.subtitle ||
      b.ghost !== n.ghost ||
      b.usercnt !== n.usercnt
    ) {
      changedNodes.add(n.id);
    }
  }
  const addedEdges = new Set(
    prev ? next.edges.filter((e) => !prevEdges.has(e.id)).map((e) => e.id) : [],
  );
  const removedEdges = [...prevEdges.values()].filter((e) => !nextEdges.has(e.id));
  return { refDelta, changedNodes, addedNodes, addedEdges, removedEdges };
}
