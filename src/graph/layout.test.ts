/**
 * The layout holds still: computed once over a whole timeline, it gives every node one box
 * that fits it at every step, never lets two boxes in a lane overlap, puts fds under their
 * process, spends no room on unused lanes, and comes out the same every time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssues, parseScenario } from '../scenario/parse';
import { runScenario } from '../scenario/run';
import { buildTimeline } from '../store/timeline';
import { LANE_WIDTH, layoutTimeline, nodeHeight, type Box, type Layout } from './layout';
import { graph, mk } from '../testing/graphFixtures';
import { libraryLaneOrders, loadLibraryScenario } from '../view/library';
import { LANES, toGraph, type Graph, type GraphNode, type Lane } from './toGraph';

const LIBRARY = fileURLToPath(new URL('../scenario/library', import.meta.url));
const FILES = readdirSync(LIBRARY)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Per point of a scenario's timeline: the graph the page draws and the one it lays out. */
function graphsOf(file: string): { id: string; full: Graph[]; bare: Graph[] } {
  const r = parseScenario(readFileSync(join(LIBRARY, file), 'utf8'));
  if (!r.ok) throw new Error(formatIssues(r.issues, file));
  const t = buildTimeline(runScenario(r.scenario));
  return {
    id: r.scenario.id,
    full: t.points.map((p) => toGraph(p.state, p.prev)),
    bare: t.points.map((p) => toGraph(p.state, p.prev, { nodesOnly: true })),
  };
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function laneOf(layout: Layout, box: Box): Lane | undefined {
  return layout.lanes.find((l) => box.x >= l.x && box.x + box.w <= l.x + l.w)?.lane;
}

/** Problems with a layout of `graphs` (empty when it holds still). */
function problems(layout: Layout, graphs: readonly Graph[]): string[] {
  const out: string[] = [];
  const nodes = new Map<string, GraphNode>();
  for (const [i, g] of graphs.entries()) {
    for (const n of g.nodes) {
      const box = layout.boxes.get(n.id);
      if (!box) {
        out.push(`point ${i}: ${n.id} has no box`);
        continue;
      }
      // The box is big enough for the node as it is at this point (slots included).
      if (box.h < nodeHeight(n)) out.push(`point ${i}: ${n.id} outgrows its box`);
      if (laneOf(layout, box) !== n.lane) out.push(`${n.id} is outside its lane ${n.lane}`);
      if (!nodes.has(n.id)) nodes.set(n.id, n);
    }
  }
  for (const id of layout.boxes.keys())
    if (!nodes.has(id)) out.push(`${id} has a box but is in no graph`);
  const boxes = [...layout.boxes.entries()];
  for (const [i, [a, ba]] of boxes.entries())
    for (const [b, bb] of boxes.slice(i + 1))
      if (overlaps(ba, bb)) out.push(`${a} and ${b} overlap`);
  // fds sit under their process, before anything else in the lane.
  for (const n of nodes.values()) {
    if (n.kind !== 'fd' || !n.parent) continue;
    const fd = layout.boxes.get(n.id);
    const proc = layout.boxes.get(n.parent);
    if (!fd || !proc) {
      out.push(`${n.id} or its process ${n.parent} has no box`);
      continue;
    }
    if (fd.x <= proc.x || fd.x + fd.w > proc.x + proc.w || fd.y < proc.y + proc.h)
      out.push(`${n.id} is not under ${n.parent}`);
    for (const [id, other] of layout.boxes) {
      const o = nodes.get(id);
      if (!o || id === n.parent || (o.kind === 'fd' && o.parent === n.parent)) continue;
      if (other.x === proc.x && other.y > proc.y && other.y < fd.y)
        out.push(`${id} sits between ${n.parent} and its ${n.id}`);
    }
  }
  // Only used lanes take room, in the canonical order, side by side.
  const used = new Set([...nodes.values()].map((n) => n.lane));
  const want = LANES.filter((l) => used.has(l));
  if (layout.lanes.map((l) => l.lane).join() !== want.join())
    out.push(`lanes ${layout.lanes.map((l) => l.lane).join()} but used ${want.join()}`);
  for (const l of layout.lanes) if (l.w !== LANE_WIDTH[l.lane]) out.push(`${l.lane} width`);
  const gaps = layout.lanes.slice(1).map((l, i) => {
    const before = layout.lanes[i];
    return before ? l.x - before.x - before.w : -1;
  });
  if (new Set(gaps).size > 1 || gaps.some((g) => g <= 0))
    out.push(`uneven lane gaps ${gaps.join()}`);
  const last = layout.lanes.at(-1);
  if (last && layout.width < last.x + last.w) out.push('width does not cover the last lane');
  for (const b of layout.boxes.values())
    if (b.y + b.h > layout.height) out.push('height does not cover every box');
  return out;
}

describe('layoutTimeline on every library scenario', () => {
  // Whole scx scenarios: a few seconds each on a busy two-core machine.
  it.each(FILES)(
    '%s: one still box per node, no overlaps, fds under processes',
    (file) => {
      const { full, bare } = graphsOf(file);
      const layout = layoutTimeline(bare);
      expect(layout.boxes.size).toBeGreaterThan(0);
      // The page lays out node-only graphs and draws full ones: same nodes, same boxes.
      expect(problems(layout, full)).toEqual([]);
      expect(layoutTimeline(full)).toEqual(layout);
      // Deterministic: a second layout of the same timeline is deep-equal.
      expect(layoutTimeline(bare)).toEqual(layout);
      // Computed once: whichever point is displayed, a node's box is the very same object.
      const firstSeen = new Map<string, Box | undefined>();
      const moved: string[] = [];
      full.forEach((g, i) => {
        for (const n of g.nodes) {
          const box = layout.boxes.get(n.id);
          if (!firstSeen.has(n.id)) firstSeen.set(n.id, box);
          else if (box !== firstSeen.get(n.id)) moved.push(`${n.id} at point ${i}`);
        }
      });
      expect(moved).toEqual([]);
    },
    30_000,
  );
});

describe('layoutTimeline with the lane orders the build ships', () => {
  it.each(FILES)(
    '%s: the same checks hold, and each lane stacks in the shipped order',
    async (file) => {
      const { id, full, bare } = graphsOf(file);
      const scenario = await loadLibraryScenario(id);
      const order = libraryLaneOrders(scenario)?.all;
      expect(order).toBeDefined();
      const layout = layoutTimeline(bare, {}, order);
      expect(problems(layout, full)).toEqual([]);
      for (const lane of LANES) {
        const ys = (order?.[lane] ?? []).map((n) => layout.boxes.get(n)?.y ?? -1);
        expect(ys.every((y, i) => y >= 0 && (i === 0 || y > (ys[i - 1] ?? 0)))).toBe(true);
      }
    },
    30_000,
  );
});

describe('layoutTimeline on hand-made timelines', () => {
  it('a lane nothing uses takes no room', () => {
    const onlyMaps = layoutTimeline([graph(mk('map.a', 'map', 'maps'))]);
    expect(onlyMaps.lanes.map((l) => l.lane)).toEqual(['maps']);
    expect(onlyMaps.lanes[0]?.x).toBe(20);
    expect(onlyMaps.width).toBe(20 + LANE_WIDTH.maps + 20);
    const two = layoutTimeline([
      graph(mk('map.a', 'map', 'maps'), mk('work.w', 'work', 'deferred')),
    ]);
    expect(two.lanes.map((l) => l.lane)).toEqual(['maps', 'deferred']);
    // deferred comes straight after maps: the kernel lane in between is not there.
    expect(two.boxes.get('work.w')?.x).toBe(two.lanes[1]?.x);
    expect(two.width).toBeLessThan(LANES.reduce((sum, l) => sum + LANE_WIDTH[l], 0) + 20);
    expect(layoutTimeline([])).toMatchObject({ lanes: [] });
  });

  it('objects stack in first-appearance order and keep their place when others go', () => {
    const a = mk('prog.a', 'prog', 'progs');
    const b = mk('prog.b', 'prog', 'progs');
    const c = mk('prog.c', 'prog', 'progs');
    const layout = layoutTimeline([graph(b), graph(b, a), graph(a), graph(c, a)]);
    const y = (id: string) => layout.boxes.get(id)?.y ?? -1;
    expect(y('prog.b')).toBeLessThan(y('prog.a'));
    expect(y('prog.a')).toBeLessThan(y('prog.c'));
    expect(problems(layout, [graph(b), graph(b, a), graph(a), graph(c, a)])).toEqual([]);
  });

  it('a lane order puts what it lists first, in its order, and the rest below as they came', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => mk(`prog.${n}`, 'prog', 'progs'));
    if (!a || !b || !c || !d) throw new Error('fixture');
    const timeline = [graph(a, b), graph(c, d)];
    const layout = layoutTimeline(timeline, {}, { progs: ['prog.c', 'prog.a'] });
    const y = (id: string) => layout.boxes.get(id)?.y ?? -1;
    expect(y('prog.c')).toBeLessThan(y('prog.a'));
    expect(y('prog.a')).toBeLessThan(y('prog.b'));
    expect(y('prog.b')).toBeLessThan(y('prog.d'));
    expect(problems(layout, timeline)).toEqual([]);
    // An order that names nothing present changes nothing.
    expect(layoutTimeline(timeline, {}, { progs: ['prog.zz'] })).toEqual(layoutTimeline(timeline));
  });

  it('a struct_ops map gets room for the most slots it ever has', () => {
    const empty = mk('map.ops', 'map', 'maps');
    const full = mk('map.ops', 'map', 'maps', {
      slots: [
        { member: 'test_1', prog: 'p' },
        { member: 'test_2', prog: 'q' },
      ],
    });
    const below = mk('map.next', 'map', 'maps');
    const timeline = [graph(empty, below), graph(full, below), graph(empty, below)];
    const layout = layoutTimeline(timeline);
    expect(layout.boxes.get('map.ops')?.h).toBe(nodeHeight(full));
    expect(nodeHeight(full)).toBeGreaterThan(nodeHeight(empty));
    expect(problems(layout, timeline)).toEqual([]);
  });

  it('fds go under their own process even when they appear late', () => {
    const p1 = mk('process.one', 'process', 'user');
    const p2 = mk('process.two', 'process', 'user');
    const fd = mk('fd.one:3', 'fd', 'user', { parent: 'process.one' });
    const timeline = [graph(p1, p2), graph(p1, p2, fd)];
    const layout = layoutTimeline(timeline);
    const one = layout.boxes.get('process.one');
    const three = layout.boxes.get('fd.one:3');
    const two = layout.boxes.get('process.two');
    if (!one || !three || !two) throw new Error('missing boxes');
    expect(three.y).toBeGreaterThanOrEqual(one.y + one.h);
    expect(two.y).toBeGreaterThanOrEqual(three.y + three.h);
    expect(problems(layout, timeline)).toEqual([]);
  });

  it('the checks catch a layout that moves or overlaps', () => {
    const a = mk('prog.a', 'prog', 'progs');
    const b = mk('prog.b', 'prog', 'progs');
    const good = layoutTimeline([graph(a, b)]);
    const boxA = good.boxes.get('prog.a');
    if (!boxA) throw new Error('no box');
    const bad: Layout = { ...good, boxes: new Map([...good.boxes, ['prog.b', boxA]]) };
    expect(problems(bad, [graph(a, b)]).join('\n')).toMatch(/overlap/);
    const missing: Layout = { ...good, boxes: new Map([['prog.a', boxA]]) };
    expect(problems(missing, [graph(a, b)]).join('\n')).toMatch(/prog\.b has no box/);
  });
});
