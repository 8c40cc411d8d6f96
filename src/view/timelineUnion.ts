/**
 * The union of a timeline's graphs without a graph per point: one pass over the points that,
 * thanks to the structural sharing of kernel states (a record that is the same object as at
 * the point before did not change), projects only the records that changed, with the same
 * ids, lanes and row counts as `toGraph` (src/graph/toGraph.ts) gives them. It feeds the
 * stable layout (src/graph/layout.ts `LayoutUnion`) of the All and the Story views, and the
 * Story view's cast (src/graph/story.ts `storyCast`), read after each step as before.
 */
import { LayoutUnion, type UnionNode } from '../graph/layout';
import { foldId, internalMapName, stepNames, type Cast } from '../graph/story';
import { LEAK_NODE } from '../graph/toGraph';
import type { KernelState } from '../core/types';
import { stepBase, type Timeline } from '../store/timeline';

/** A record collection of a kernel state, keyed by id. */
type Records<T> = Readonly<Record<number, T>>;

/** What the union keeps of a program or map node (maps: what the Story view folds on). */
export interface Named {
  readonly id: string;
  readonly name: string;
  readonly slots: number;
  readonly structOps: boolean;
}

/** Whether a freed object is still drawn (as a ghost): it was alive before the step. */
function shownBy(lifecycle: string, before: string | undefined): boolean {
  return lifecycle !== 'freed' || (before !== undefined && before !== 'freed');
}

/** Names counted over a collection (`toGraph` suffixes `#id` to a name two records share). */
class NameCounts {
  private readonly counts = new Map<string, number>();
  private readonly keys = new Map<string, Set<number>>();

  /** Moves record `key` from name `before` to `after` (either undefined: added, removed). */
  move(key: number, before: string | undefined, after: string | undefined, flipped: Set<string>) {
    if (before === after) return;
    if (before !== undefined) this.bump(before, key, -1, flipped);
    if (after !== undefined) this.bump(after, key, 1, flipped);
  }

  private bump(name: string, key: number, by: number, flipped: Set<string>) {
    const was = this.counts.get(name) ?? 0;
    const now = was + by;
    this.counts.set(name, now);
    const set = this.keys.get(name) ?? new Set<number>();
    if (by > 0) set.add(key);
    else set.delete(key);
    this.keys.set(name, set);
    if (was > 1 !== now > 1) flipped.add(name);
  }

  /** The node name of record `id` named `name`. */
  nameOf(name: string, id: number): string {
    return (this.counts.get(name) ?? 0) > 1 ? `${name}#${id}` : name;
  }

  /** The records named `name`. */
  named(name: string): ReadonlySet<number> {
    return this.keys.get(name) ?? new Set();
  }
}

/**
 * The keys of `now` whose record differs from `was` (or whose record in `base` differs from
 * `wasBase`), in the order `toGraph` visits them; `removed` gets keys `was` had and `now` has
 * not. Nothing when neither collection changed.
 */
function changedKeys<T, B>(
  now: Records<T>,
  was: Records<T> | undefined,
  base: Records<B>,
  wasBase: Records<B> | undefined,
  removed: number[],
): number[] {
  if (now === was && base === wasBase) return [];
  const out: number[] = [];
  let kept = 0;
  const wasSize = was === undefined ? 0 : sizeOf(was);
  const keys = Object.keys(now);
  const baseMoved = base !== wasBase;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const key = Number(k);
    const record = now[key];
    // A kernel id from the state's own keys, read as an array index: records are keyed by
    // ids and hold objects, so an entry `was` has reads as one (no prototype has indexed
    // properties). Reading by index spares `Object.hasOwn`'s string key, half this pass's time
    // at 1,000 objects. (An entry that read as undefined would only count as changed.)
    const before = was === undefined ? undefined : was[key];
    const had = before !== undefined;
    if (had) kept++;
    if (!had || before !== record || (baseMoved && base[key] !== wasBase?.[key])) out.push(key);
  }
  sizes.set(now, keys.length);
  if (was && was !== now && kept < wasSize)
    for (const k in was) if (!Object.hasOwn(now, k)) removed.push(Number(k));
  return out;
}

/** Key counts of the collections {@link changedKeys} went through. */
const sizes = new WeakMap<object, number>();

function sizeOf(o: object): number {
  const known = sizes.get(o);
  if (known !== undefined) return known;
  const n = Object.keys(o).length;
  sizes.set(o, n);
  return n;
}

/** Adds `extra` keys to `keys` (ascending, as `toGraph` visits integer keys). */
function withKeys(keys: number[], extra: Iterable<number>): number[] {
  const all = new Set(keys);
  let grew = false;
  for (const k of extra)
    if (!all.has(k)) {
      all.add(k);
      grew = true;
    }
  return grew ? [...all].sort((a, b) => a - b) : keys;
}

/**
 * The programs or maps (records with a name and a lifecycle) whose node changed from `was` to
 * `now`, in `toGraph`'s order, each with its node name (`name#id` while two records share a
 * name). Keeps `names` counted, also renaming the records whose name just became shared or
 * unshared, and drops from `drawn` the records that went or are no longer shown.
 */
function namedChanges<
  T extends { readonly name: string; readonly lifecycle: string; readonly id: number },
>(
  now: Records<T>,
  was: Records<T> | undefined,
  base: Records<T>,
  wasBase: Records<T> | undefined,
  names: NameCounts,
  drawn: Map<number, Named>,
): Map<number, { readonly record: T; readonly name: string }> {
  const removed: number[] = [];
  let keys = changedKeys(now, was, base, wasBase, removed);
  const flipped = new Set<string>();
  for (const k of removed) {
    names.move(k, was?.[k]?.name, undefined, flipped);
    drawn.delete(k);
  }
  for (const k of keys) names.move(k, was?.[k]?.name, now[k]?.name, flipped);
  for (const name of flipped) keys = withKeys(keys, names.named(name));
  const shown = new Map<number, { readonly record: T; readonly name: string }>();
  for (const k of keys) {
    const r = now[k];
    if (!r || !shownBy(r.lifecycle, base[k]?.lifecycle)) drawn.delete(k);
    else shown.set(k, { record: r, name: names.nameOf(r.name, r.id) });
  }
  return shown;
}

const NO_BUGS: NonNullable<KernelState['refBugs']> = [];

/** Where the union is told about nodes (with what it keeps of a map, for a map). */
export type NodeSink = (n: UnionNode, map?: Named) => void;

/**
 * Follows a timeline from state to state and tells `sink` about every node of the new state
 * (projected as `toGraph(state, base)` would) whose record changed, in `toGraph`'s order; the
 * nodes it does not tell about are the same as in the state before. Its maps, programs and
 * processes as they are drawn in the current state are there to read (the cast needs them).
 */
export class NodeTracker {
  private state: KernelState | undefined;
  private base: KernelState | undefined;
  private readonly progNames = new NameCounts();
  private readonly mapNames = new NameCounts();
  /** Drawn programs and maps by kernel id; absent: not drawn. */
  readonly progs = new Map<number, Named>();
  readonly maps = new Map<number, Named>();
  /** Drawn processes by pid: their name and how many fds they have. */
  readonly processes = new Map<
    number,
    { readonly name: string; readonly fds: number; readonly table: object }
  >();
  /** The maps told about in the last {@link advance} (new, changed or renamed). */
  readonly touchedMaps: number[] = [];
  /** Drawn processes per name (two processes may share one, and one node), with fd counts. */
  private readonly fdsByName = new Map<string, Map<number, number>>();

  constructor(
    private readonly sink: NodeSink,
    /** Story view: processes are cards with fd tables, fds are not nodes of their own. */
    private readonly cards = false,
  ) {}

  /** Moves to `state` (with `base`, the state before its step) and tells what changed. */
  advance(state: KernelState, base: KernelState): void {
    const was = this.state;
    const wasBase = this.base;
    this.state = state;
    this.base = base;
    this.touchedMaps.length = 0;
    this.processesOf(state, base, was, wasBase);
    this.progsOf(state, base, was, wasBase);
    this.mapsOf(state, base, was, wasBase);
    this.linksOf(state, base, was, wasBase);
    this.timersOf(state, base, was, wasBase);
    this.restOf(state, base, was);
  }

  private processesOf(s: KernelState, b: KernelState, was?: KernelState, wasB?: KernelState) {
    const removed: number[] = [];
    const keys = changedKeys(s.processes, was?.processes, b.processes, wasB?.processes, removed);
    for (const pid of removed) this.dropProcess(pid);
    for (const pid of keys) {
      const proc = s.processes[pid];
      if (!proc) continue;
      if (!proc.alive && !(b.processes[pid]?.alive ?? false)) {
        this.dropProcess(pid);
        continue;
      }
      const name = proc.name;
      const known = this.processes.get(pid);
      // The same fd table under the same name: the same fd nodes as before.
      const sameFds = known !== undefined && known.name === name && known.table === proc.fds;
      const fdKeys = sameFds ? [] : Object.keys(proc.fds);
      const fds = sameFds ? known.fds : fdKeys.length;
      // Under the same name, an fd the table had before is the same node as before.
      const before = known !== undefined && known.name === name ? known.table : null;
      this.dropProcess(pid);
      this.processes.set(pid, { name, fds, table: proc.fds });
      const byName = this.fdsByName.get(name) ?? new Map<number, number>();
      byName.set(pid, fds);
      this.fdsByName.set(name, byName);
      const id = `process.${name}`;
      let rows = 0;
      if (this.cards) for (const n of byName.values()) rows += n;
      this.sink({ id, kind: 'process', lane: 'user', parent: null, rows, card: this.cards });
      if (this.cards) continue;
      for (const fd of fdKeys) {
        if (before !== null && Object.hasOwn(before, fd)) continue;
        this.sink({
          id: `fd.${name}:${fd}`,
          kind: 'fd',
          lane: 'user',
          parent: id,
          rows: 0,
          card: false,
        });
      }
    }
  }

  private dropProcess(pid: number) {
    const p = this.processes.get(pid);
    if (!p) return;
    this.processes.delete(pid);
    this.fdsByName.get(p.name)?.delete(pid);
  }

  private progsOf(s: KernelState, b: KernelState, was?: KernelState, wasB?: KernelState) {
    const shown = namedChanges(
      s.progs,
      was?.progs,
      b.progs,
      wasB?.progs,
      this.progNames,
      this.progs,
    );
    for (const [k, { name }] of shown) {
      const id = `prog.${name}`;
      this.progs.set(k, { id, name, slots: 0, structOps: false });
      this.sink({ id, kind: 'prog', lane: 'progs', parent: null, rows: 0, card: false });
    }
  }

  private mapsOf(s: KernelState, b: KernelState, was?: KernelState, wasB?: KernelState) {
    const shown = namedChanges(s.maps, was?.maps, b.maps, wasB?.maps, this.mapNames, this.maps);
    for (const [k, { record: m, name }] of shown) {
      const id = `map.${name}`;
      let slots = 0;
      if (m.st) for (const prog of Object.values(m.st.kdata.funcs)) if (prog !== null) slots++;
      const subtitle = m.st ? m.st.st_ops : m.type.replace('BPF_MAP_TYPE_', '').toLowerCase();
      const structOps = slots > 0 || /_ops$/.test(subtitle);
      const named = { id, name, slots, structOps };
      this.maps.set(k, named);
      this.touchedMaps.push(k);
      this.sink({ id, kind: 'map', lane: 'maps', parent: null, rows: slots, card: false }, named);
    }
  }

  private linksOf(s: KernelState, b: KernelState, was?: KernelState, wasB?: KernelState) {
    for (const k of changedKeys(s.links, was?.links, b.links, wasB?.links, [])) {
      const l = s.links[k];
      if (!l || !shownBy(l.lifecycle, b.links[k]?.lifecycle)) continue;
      const id = `link.link${l.id}`;
      this.sink({ id, kind: 'link', lane: 'links', parent: null, rows: 0, card: false });
    }
  }

  private timersOf(s: KernelState, b: KernelState, was?: KernelState, wasB?: KernelState) {
    for (const k of changedKeys(s.timers, was?.timers, b.timers, wasB?.timers, [])) {
      const t = s.timers[k];
      const before = b.timers[k];
      if (!t || (t.freed && !(before !== undefined && !before.freed))) continue;
      const id = `timer.timer${t.id}`;
      this.sink({ id, kind: 'timer', lane: 'deferred', parent: null, rows: 0, card: false });
    }
  }

  /** Schedulers, registries and deferred work: few, told about whenever they change. */
  private restOf(s: KernelState, b: KernelState, was?: KernelState) {
    const node = (id: string, kind: UnionNode['kind'], lane: UnionNode['lane']) =>
      this.sink({ id, kind, lane, parent: null, rows: 0, card: false });
    if (s.scx.scheds !== was?.scx.scheds)
      for (const sched of Object.values(s.scx.scheds))
        node(`sched.${sched.name}`, 'sched', 'kernel');
    if (s.testmod.registered.length > 0 || b.testmod.registered.length > 0)
      node('registry.bpf_testmod', 'registry', 'kernel');
    if (s.bpffs.length > 0) node('registry.bpffs', 'registry', 'kernel');
    if (s.pending !== was?.pending)
      for (const p of s.pending) node(`work.${p.kind}${p.id}`, 'work', 'deferred');
    const leaked = (s.refBugs ?? NO_BUGS).some((bug) => {
      if (bug.kind !== 'leaked') return false;
      const holder = s.progs[bug.prog];
      return !(holder && holder.lifecycle !== 'freed');
    });
    if (leaked) node(LEAK_NODE, 'registry', 'kernel');
    if (s.inflight.length > 0) node('work.syscall', 'work', 'deferred');
  }
}

/** The points after each step, and before the first (where the Story view reads its cast). */
function stepEnds(timeline: Timeline): number[] {
  return [0, ...timeline.stepEnd].filter((i) => timeline.points[i] !== undefined);
}

/**
 * The Story view's cast (src/graph/story.ts `storyCast`, with the maps holding a timer),
 * read from the state after each step as drawn, without drawing it: only what changed since
 * the step before is looked at again.
 */
export function timelineCast(timeline: Timeline, focus?: readonly string[]): Cast {
  const steps = timeline.frames.map((f) => f.step);
  const names = new Set<string>(focus ?? steps.flatMap(stepNames));
  const objects = new Set<string>();
  if (!focus) for (const s of steps) if (s.op === 'write_global' && s.object) objects.add(s.object);
  const isInstance = (mapObject: string) =>
    [...objects].some(
      (o) =>
        mapObject === o ||
        (mapObject.startsWith(`${o}_`) && !mapObject.slice(o.length + 1).includes('_')),
    );
  const held = new Set<string>();
  const maps = new Set<string>();
  const owner = new Map<string, string>();
  const tracker = new NodeTracker(() => {});
  let was: KernelState | undefined;
  let wasBase: KernelState | undefined;
  for (const i of stepEnds(timeline)) {
    const point = timeline.points[i];
    const base = stepBase(timeline, i);
    if (!point || !base) continue;
    const s = point.state;
    tracker.advance(s, base);
    const mapsMoved = tracker.touchedMaps.length > 0;
    const drawnMap = (id: number) => tracker.maps.get(id)?.id;
    // Timer maps: every timer's map, when drawn.
    if (mapsMoved || s.timers !== was?.timers)
      for (const t of Object.values(s.timers)) {
        const m = drawnMap(t.map);
        if (m) held.add(m);
      }
    // Plain maps the steps or the focus list name.
    for (const k of tracker.touchedMaps) {
      const m = tracker.maps.get(k);
      if (!m || m.structOps) continue;
      if (names.has(m.name)) maps.add(m.id);
      const internal = internalMapName(m.name);
      if (internal && isInstance(internal.object)) maps.add(m.id);
    }
    // Associations (counted or not) from a drawn program to a drawn map.
    if (mapsMoved || s.progs !== was?.progs || base.progs !== wasBase?.progs)
      for (const [k] of tracker.progs) {
        const a = s.progs[k]?.aux.st_ops_assoc;
        if (a === null || a === undefined || a === 'POISON') continue;
        const m = drawnMap(a.map);
        if (m) maps.add(m);
      }
    if (mapsMoved || s.testmod !== was?.testmod)
      for (const id of s.testmod.registered) {
        const m = drawnMap(id);
        if (m) maps.add(m);
      }
    // The owner of a map: the first drawn process holding an fd to it (a file shared by
    // several fds counts once, for the lowest pid, then fd).
    if (mapsMoved || s.processes !== was?.processes || base.processes !== wasBase?.processes) {
      const files = new Set<number>();
      // Processes by pid and fds by number are records keyed by array indices, which an
      // object lists in ascending order: lowest pid first, then lowest fd.
      for (const proc of Object.values(s.processes)) {
        const drawn = tracker.processes.has(proc.pid);
        for (const entry of Object.values(proc.fds)) {
          if (entry.file !== undefined) {
            if (files.has(entry.file)) continue;
            files.add(entry.file);
          }
          if (entry.kind !== 'map' || !drawn) continue;
          const m = drawnMap(entry.id);
          if (m && !owner.has(m)) owner.set(m, proc.name);
        }
      }
    }
    was = s;
    wasBase = base;
  }
  return { maps: new Set([...held, ...maps]), owner };
}

/** The union's layout and the Story view's chips, in the order they first appear. */
export interface TimelineUnion {
  readonly union: LayoutUnion;
  /** Story view: the "+N maps" chips' node ids, laid out last in the maps lane. */
  readonly chips: readonly string[];
}

/**
 * One pass over every point of `timeline`: the union of its All view (no `cast`) or of its
 * Story view (with `cast`: fds folded into their process card, plain maps outside the cast
 * into one chip per owner), as `layoutTimeline` over every point's graph would see it.
 */
export function timelineUnion(timeline: Timeline, cast?: Cast): TimelineUnion {
  const union = new LayoutUnion();
  const chips: string[] = [];
  const seenChips = new Set<string>();
  const fresh: string[] = [];
  const sink: NodeSink = (n, map) => {
    if (!cast || !map || map.structOps || cast.maps.has(n.id)) return union.add(n);
    const chip = foldId(cast.owner.get(n.id) ?? 'kernel');
    if (!seenChips.has(chip)) {
      seenChips.add(chip);
      fresh.push(chip);
    }
  };
  const tracker = new NodeTracker(sink, cast !== undefined);
  timeline.points.forEach((p, i) => {
    const base = stepBase(timeline, i);
    if (!base) return;
    tracker.advance(p.state, base);
    if (fresh.length > 0) {
      chips.push(...fresh.sort());
      fresh.length = 0;
    }
  });
  return { union, chips };
}
