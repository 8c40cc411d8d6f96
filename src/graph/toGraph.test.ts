/**
 * The graph projection against every state every library scenario passes through: a node's
 * `refcnt` badge equals its counted edges, each counted edge is one holder from core/refs.ts,
 * ids are unique, `data-assoc` has its three shapes, and freed objects show once, as ghosts.
 * Then a few hand-picked states and the diff between consecutive graphs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { refKey, splitStolen } from '../core/refs';
import type { KernelState, ObjRef } from '../core/types';
import { formatIssues, parseScenario } from '../scenario/parse';
import { runScenario, type ScenarioRun } from '../scenario/run';
import type { Scenario } from '../scenario/schema';
import { diffGraph, toGraph, type Graph, type GraphEdge, type GraphNode } from './toGraph';

const LIBRARY = fileURLToPath(new URL('../scenario/library', import.meta.url));

function loadScenario(file: string): Scenario {
  const r = parseScenario(readFileSync(join(LIBRARY, file), 'utf8'));
  if (!r.ok) throw new Error(formatIssues(r.issues, file));
  return r.scenario;
}

const FILES = readdirSync(LIBRARY)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

const runs = new Map<string, ScenarioRun>();
function runOf(id: string): ScenarioRun {
  let run = runs.get(id);
  if (!run) {
    run = runScenario(loadScenario(`${id}.yaml`));
    runs.set(id, run);
  }
  return run;
}

/** Every event state of a run, each with the state before it. */
function eventStates(run: ScenarioRun): { state: KernelState; prev: KernelState; at: string }[] {
  const out: { state: KernelState; prev: KernelState; at: string }[] = [];
  let prev = run.initial;
  run.frames.forEach((f, i) => {
    f.events.forEach((e, j) => {
      out.push({ state: e.state, prev, at: `step ${i + 1} (${f.step.op}) event ${j} ${e.fn}` });
      prev = e.state;
    });
  });
  return out;
}

/** The state after the first step matching `pred`, and the state before that step. */
function afterStep(
  run: ScenarioRun,
  pred: (step: Scenario['steps'][number]) => boolean,
): { state: KernelState; prev: KernelState } {
  const i = run.frames.findIndex((f) => pred(f.step));
  const frame = run.frames[i];
  if (!frame) throw new Error('no such step');
  return { state: frame.state, prev: run.frames[i - 1]?.state ?? run.initial };
}

function count<T>(items: readonly T[], keyOf: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(keyOf(x), (m.get(keyOf(x)) ?? 0) + 1);
  return m;
}

function sorted(m: Map<string, number>): [string, number][] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Objects the graph may draw, with whether they are freed, by ref key. */
function objects(state: KernelState): Map<string, { ref: ObjRef; freed: boolean }> {
  const m = new Map<string, { ref: ObjRef; freed: boolean }>();
  const put = (ref: ObjRef, freed: boolean) => m.set(refKey(ref), { ref, freed });
  for (const p of Object.values(state.processes)) put({ kind: 'process', id: p.pid }, !p.alive);
  for (const p of Object.values(state.progs))
    put({ kind: 'prog', id: p.id }, p.lifecycle === 'freed');
  for (const x of Object.values(state.maps))
    put({ kind: 'map', id: x.id }, x.lifecycle === 'freed');
  for (const l of Object.values(state.links))
    put({ kind: 'link', id: l.id }, l.lifecycle === 'freed');
  for (const t of Object.values(state.timers)) put({ kind: 'timer', id: t.id }, t.freed);
  return m;
}

/** Checks one graph against its state; returns readable problems (empty when it is right). */
function problems(g: Graph, state: KernelState, prev: KernelState): string[] {
  const out: string[] = [];
  const byId = new Map<string, GraphNode>();
  for (const n of g.nodes) {
    if (byId.has(n.id)) out.push(`duplicate node id ${n.id}`);
    byId.set(n.id, n);
  }
  const edgeIds = new Set<string>();
  for (const e of g.edges) {
    if (edgeIds.has(e.id)) out.push(`duplicate edge id ${e.id}`);
    edgeIds.add(e.id);
    if (!byId.has(e.from) || !byId.has(e.to)) out.push(`edge ${e.id} has a missing end`);
  }
  const counted = g.edges.filter((e) => e.counted);

  // refcnt badge = counted edges arriving.
  const arriving = count(counted, (e) => e.to);
  for (const n of g.nodes) {
    if (n.kind !== 'prog' && n.kind !== 'map' && n.kind !== 'link') continue;
    const got = arriving.get(n.id) ?? 0;
    if (n.refcnt !== got) out.push(`${n.id}: refcnt ${String(n.refcnt)} but ${got} counted edges`);
  }

  // Counted edges and refcnt holders are the same multiset (kind, holder, target, label).
  const procName = (pid: number) => state.processes[pid]?.name ?? `pid${pid}`;
  const holderKeys = count(splitStolen(state).counted, (h) => {
    const from =
      h.kind === 'fd' && h.from
        ? `fd.${procName(h.from.id)}:${String(h.fd)}`
        : h.from
          ? refKey(h.from)
          : h.kind === 'pin'
            ? 'registry.bpffs'
            : h.kind === 'leaked'
              ? 'registry.kmemleak'
              : 'syscall';
    return `${h.kind} ${from} -> ${refKey(h.target)} [${h.label}]`;
  });
  const endKey = (id: string): string => {
    const n = byId.get(id);
    if (!n) return `missing:${id}`;
    if (n.kind === 'fd') return n.id;
    if (n.id === 'work.syscall') return 'syscall';
    return n.ref ? refKey(n.ref) : n.id;
  };
  const edgeKeys = count(
    counted,
    (e) => `${e.kind} ${endKey(e.from)} -> ${endKey(e.to)} [${e.label}]`,
  );
  if (!sameCounts(holderKeys, edgeKeys))
    out.push(
      `counted edges ${JSON.stringify(sorted(edgeKeys))} != holders ${JSON.stringify(sorted(holderKeys))}`,
    );

  // data-assoc: none, POISON, or the name of the map st_ops_assoc points at (as that map's
  // node is named when it is drawn; a dangling pointer to a freed map keeps the freed name).
  const mapNodeName = new Map<number, string>();
  for (const n of g.nodes) if (n.kind === 'map' && n.ref) mapNodeName.set(n.ref.id, n.name);
  for (const n of g.nodes) {
    if (n.kind !== 'prog') {
      if (n.assoc !== null) out.push(`${n.id}: assoc on a ${n.kind}`);
      continue;
    }
    const a = n.ref ? state.progs[n.ref.id]?.aux.st_ops_assoc : undefined;
    const target = a && a !== 'POISON' ? state.maps[a.map] : undefined;
    const want =
      a === null
        ? ['none']
        : a === 'POISON'
          ? ['POISON']
          : target
            ? [mapNodeName.get(target.id) ?? target.name, `${target.name}#${target.id}`]
            : [];
    if (n.assoc === null || !want.includes(n.assoc))
      out.push(`${n.id}: data-assoc ${String(n.assoc)}, st_ops_assoc ${JSON.stringify(a)}`);
  }

  // Freed objects: a ghost in the state that frees them, absent afterwards.
  const now = objects(state);
  const before = objects(prev);
  const drawn = new Map<string, GraphNode>();
  for (const n of g.nodes) if (n.ref) drawn.set(refKey(n.ref), n);
  for (const [k, o] of now) {
    const node = drawn.get(k);
    const wasAlive = before.get(k)?.freed === false;
    if (!o.freed) {
      if (!node) out.push(`${k} is alive but not drawn`);
      else if (node.ghost) out.push(`${k} is alive but drawn as a ghost`);
    } else if (wasAlive) {
      if (!node) out.push(`${k} freed here but not drawn as a ghost`);
      else if (!node.ghost || node.state !== 'FREED')
        out.push(`${k} freed here: ghost ${String(node.ghost)}, state ${node.state}`);
    } else if (node) {
      out.push(`${k} was already freed but is still drawn`);
    }
  }
  for (const n of g.nodes)
    if (n.ghost && !(n.ref && now.get(refKey(n.ref))?.freed))
      out.push(`${n.id} is a ghost of something not freed`);
  return out;
}

describe('toGraph on every event state of the library', () => {
  it('finds the library', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(10);
  });

  it.each(FILES)('%s: badges, edges, ids, assoc and ghosts agree with the state', (file) => {
    const run = runOf(file.replace(/\.yaml$/, ''));
    const states = eventStates(run);
    expect(states.length).toBeGreaterThan(0);
    const ghostsSeen = new Map<string, number>();
    const everFreed = new Set<string>();
    for (const { state, prev, at } of states) {
      const g = toGraph(state, prev);
      expect(problems(g, state, prev), at).toEqual([]);
      for (const n of g.nodes)
        if (n.ghost && n.ref)
          ghostsSeen.set(refKey(n.ref), (ghostsSeen.get(refKey(n.ref)) ?? 0) + 1);
      for (const [k, o] of objects(state)) if (o.freed) everFreed.add(k);
    }
    // Each object that goes is a ghost in exactly one state: the one that frees it.
    expect(sorted(ghostsSeen)).toEqual([...everFreed].sort().map((k) => [k, 1]));
  });
});

describe('the checks catch a wrong graph', () => {
  const run = runOf('selftest-st-ops-assoc');
  const { state, prev } = afterStep(run, (s) => s.op === 'skel_attach');
  const good = toGraph(state, prev);

  it('a correct graph has no problems', () => {
    expect(problems(good, state, prev)).toEqual([]);
  });

  it('a dropped counted edge, a wrong badge, a duplicate id and a bad assoc are reported', () => {
    const dropped: Graph = { ...good, edges: good.edges.filter((e) => e.kind !== 'assoc') };
    expect(problems(dropped, state, prev).join('\n')).toMatch(/refcnt 4 but 2 counted edges/);
    const badge: Graph = {
      ...good,
      nodes: good.nodes.map((n) => (n.id === 'prog.test_1_a' ? { ...n, refcnt: 9 } : n)),
    };
    expect(problems(badge, state, prev).join('\n')).toMatch(/prog\.test_1_a: refcnt 9/);
    const dup: Graph = { ...good, edges: [...good.edges, good.edges[0] as GraphEdge] };
    expect(problems(dup, state, prev).join('\n')).toMatch(/duplicate edge id/);
    const assoc: Graph = {
      ...good,
      nodes: good.nodes.map((n) => (n.id === 'prog.test_1_a' ? { ...n, assoc: 'nosuch' } : n)),
    };
    expect(problems(assoc, state, prev).join('\n')).toMatch(/data-assoc nosuch/);
  });

  it('a freed object drawn after the state that frees it is reported', () => {
    const end = run.frames.at(-1)?.state;
    if (!end) throw new Error('no frames');
    // Passing the end state as its own prev: everything freed was freed earlier.
    const late = toGraph(end, prev);
    expect(problems(late, end, end).join('\n')).toMatch(/already freed but is still drawn/);
  });
});

function node(g: Graph, id: string): GraphNode {
  const n = g.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id} in ${g.nodes.map((x) => x.id).join(', ')}`);
  return n;
}

function edge(g: Graph, id: string): GraphEdge {
  const e = g.edges.find((x) => x.id === id);
  if (!e) throw new Error(`no edge ${id} in ${g.edges.map((x) => x.id).join(', ')}`);
  return e;
}

describe('specific states', () => {
  it('selftest-st-ops-assoc-reuse: after attach, test_1_a is POISON and has no assoc edge', () => {
    const run = runOf('selftest-st-ops-assoc-reuse');
    const { state, prev } = afterStep(run, (s) => s.op === 'skel_attach');
    const g = toGraph(state, prev);
    const prog = node(g, 'prog.test_1_a');
    expect(prog.assoc).toBe('POISON');
    expect(prog.refcnt).toBe(3);
    // POISON holds nothing and points nowhere: no association edge of either kind.
    expect(g.edges.filter((e) => e.from === 'prog.test_1_a' && e.kind.startsWith('assoc'))).toEqual(
      [],
    );
    // One counted links[] edge from each map's slot.
    expect(
      g.edges
        .filter((e) => e.to === 'prog.test_1_a' && e.kind === 'st_ops_slot')
        .map((e) => e.id)
        .sort(),
    ).toEqual(['edge.st_ops_slot.st_ops_map_a.test_1_a', 'edge.st_ops_slot.st_ops_map_b.test_1_a']);
    // Before attach it was not associated.
    const before = toGraph(prev);
    expect(node(before, 'prog.test_1_a').assoc).toBe('none');
  });

  it('selftest-st-ops-assoc: the explicit association is a counted edge', () => {
    const run = runOf('selftest-st-ops-assoc');
    const { state, prev } = afterStep(
      run,
      (s) => s.op === 'assoc' && s.prog === 'syscall_prog_a' && s.map === 'st_ops_map_a',
    );
    const g = toGraph(state, prev);
    const e = edge(g, 'edge.assoc.syscall_prog_a.st_ops_map_a');
    expect(e).toMatchObject({
      kind: 'assoc',
      from: 'prog.syscall_prog_a',
      to: 'map.st_ops_map_a',
      counted: true,
      label: 'st_ops_assoc',
    });
    expect(node(g, 'prog.syscall_prog_a').assoc).toBe('st_ops_map_a');
    expect(node(g, 'map.st_ops_map_a').refcnt).toBe(2);
    expect(toGraph(prev).edges.some((x) => x.kind === 'assoc')).toBe(false);
  });

  it('selftest-st-ops-assoc: after attach, the struct_ops association is an uncounted edge', () => {
    const run = runOf('selftest-st-ops-assoc');
    const { state, prev } = afterStep(run, (s) => s.op === 'skel_attach');
    const g = toGraph(state, prev);
    expect(edge(g, 'edge.assoc_weak.test_1_a.st_ops_map_a')).toMatchObject({
      from: 'prog.test_1_a',
      to: 'map.st_ops_map_a',
      counted: false,
    });
    expect(edge(g, 'edge.assoc_weak.test_1_b.st_ops_map_b').counted).toBe(false);
    expect(node(g, 'prog.test_1_a').assoc).toBe('st_ops_map_a');
    expect(node(g, 'map.st_ops_map_a')).toMatchObject({ state: 'READY', refcnt: 4 });
    expect(g.edges.some((e) => e.id === 'edge.assoc.test_1_a.st_ops_map_a')).toBe(false);
  });

  it('history-reassoc-leak (v3): the leaked reference is drawn from kmemleak once its taker is freed', () => {
    const run = runOf('history-reassoc-leak');
    const last = run.frames.at(-1)?.state;
    expect(last).toBeDefined();
    if (!last) return;
    const g = toGraph(last, run.frames.at(-2)?.state);
    expect(node(g, 'registry.kmemleak')).toMatchObject({ name: 'kmemleak', state: 'LEAKED' });
    const e = edge(g, 'edge.leaked.kmemleak.st_map');
    expect(e).toMatchObject({ from: 'registry.kmemleak', to: 'map.st_map', counted: true });
    expect(node(g, 'map.st_map').refcnt).toBe(1);
  });

  it('history-getter-stray-put (v5): the association whose count the getter dropped is not counted', () => {
    const run = runOf('history-getter-stray-put');
    const { state, prev } = afterStep(run, (s) => s.op === 'test_run');
    const g = toGraph(state, prev);
    const e = edge(g, 'edge.assoc.refresh.st_map');
    expect(e.counted).toBe(false);
    expect(e.label).toMatch(/count dropped by bpf_prog_get_assoc_struct_ops/);
    expect(node(g, 'map.st_map').refcnt).toBe(1);
  });

  it('nodesOnly gives the same nodes and no edges', () => {
    const run = runOf('selftest-st-ops-assoc');
    const { state, prev } = afterStep(run, (s) => s.op === 'skel_attach');
    const full = toGraph(state, prev);
    const bare = toGraph(state, prev, { nodesOnly: true });
    expect(bare.nodes).toEqual(full.nodes);
    expect(bare.edges).toEqual([]);
    expect(full.edges.length).toBeGreaterThan(0);
  });
});

describe('diffGraph', () => {
  const run = runOf('selftest-st-ops-assoc');
  const graphAfter = (pred: (s: Scenario['steps'][number]) => boolean) => {
    const { state, prev } = afterStep(run, pred);
    return { before: toGraph(prev), after: toGraph(state, prev) };
  };

  it('an association: +1 on the map, a new counted edge, the program changes', () => {
    const { before, after } = graphAfter(
      (s) => s.op === 'assoc' && s.prog === 'syscall_prog_a' && s.map === 'st_ops_map_a',
    );
    const d = diffGraph(before, after);
    expect([...d.refDelta]).toEqual([['map.st_ops_map_a', 1]]);
    expect([...d.addedEdges]).toEqual(['edge.assoc.syscall_prog_a.st_ops_map_a']);
    expect(d.removedEdges).toEqual([]);
    expect([...d.changedNodes].sort()).toEqual(['map.st_ops_map_a', 'prog.syscall_prog_a']);
    expect([...d.addedNodes]).toEqual([]);
  });

  it('a refused association (-EBUSY) changes nothing', () => {
    const { before, after } = graphAfter(
      (s) => s.op === 'assoc' && s.prog === 'sys_enter_prog_a' && s.map === 'st_ops_map_b',
    );
    const d = diffGraph(before, after);
    expect(d.refDelta.size).toBe(0);
    expect(d.changedNodes.size).toBe(0);
    expect(d.addedEdges.size).toBe(0);
    expect(d.addedNodes.size).toBe(0);
    expect(d.removedEdges).toEqual([]);
  });

  it('closing an fd: -1 on its object and the fd edge goes', () => {
    const small = runOf('teach-who-keeps-the-map-alive');
    const i = small.frames.findIndex((f) => f.step.op === 'close');
    const frame = small.frames[i];
    const prevState = small.frames[i - 1]?.state;
    if (!frame || !prevState) throw new Error('no close step');
    const before = toGraph(prevState);
    const after = toGraph(frame.state, prevState);
    const d = diffGraph(before, after);
    const deltas = [...d.refDelta.values()];
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.every((v) => v === -1)).toBe(true);
    const gone = d.removedEdges.filter((e) => e.kind === 'fd');
    expect(gone).toHaveLength(1);
    const target = gone[0]?.to ?? '';
    expect(d.refDelta.get(target)).toBe(-1);
    expect(d.changedNodes.has(target)).toBe(true);
    expect(d.addedEdges.size).toBe(0);
    // Every removed edge really is absent afterwards, and was there before.
    for (const e of d.removedEdges) {
      expect(after.edges.some((x) => x.id === e.id)).toBe(false);
      expect(before.edges.some((x) => x.id === e.id)).toBe(true);
    }
  });

  it('loading adds nodes; with no previous graph nothing counts as added', () => {
    const first = run.frames[0];
    if (!first) throw new Error('no frames');
    const before = toGraph(run.initial);
    const after = toGraph(first.state, run.initial);
    const d = diffGraph(before, after);
    expect(d.addedNodes.has('prog.syscall_prog_a')).toBe(true);
    expect(d.addedNodes.has('map.st_ops_map_a')).toBe(true);
    expect(d.addedEdges.size).toBeGreaterThan(0);
    const fresh = diffGraph(null, after);
    expect(fresh.addedNodes.size).toBe(0);
    expect(fresh.addedEdges.size).toBe(0);
    expect(fresh.refDelta.size).toBe(0);
    expect(fresh.removedEdges).toEqual([]);
  });

  it('the same graph twice has no changes', () => {
    const { after } = graphAfter((s) => s.op === 'skel_attach');
    const d = diffGraph(after, after);
    expect([d.refDelta.size, d.changedNodes.size, d.addedNodes.size, d.addedEdges.size]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(d.removedEdges).toEqual([]);
  });
});
