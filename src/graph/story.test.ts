/**
 * The Story view against every point of every library scenario: nothing is lost (every full
 * node is drawn, a row of a process card, or in one chip), a badge still counts every holder
 * (drawn counted edges plus folded fd rows), and the folding rules on chosen steps.
 */
import { describe, expect, it } from 'vitest';
import { LIBRARY_SCENARIOS, libraryScenarioFor } from '../testing/library';
import { timelineStory } from '../view/stepGraph';
import { runScenario } from '../scenario/run';
import { buildTimeline, pointForStep, stepBase, type Timeline } from '../store/timeline';
import {
  foldId,
  hostOf,
  internalMapName,
  parseDetail,
  stepSubject,
  storyGraph,
  storyLayout,
  type Cast,
} from './story';
import { diffGraph, toGraph, type Graph } from './toGraph';

const timelines = new Map<string, Timeline>();
function timelineOf(id: string): Timeline {
  let t = timelines.get(id);
  if (!t) {
    const scenario = libraryScenarioFor(id);
    if (!scenario) throw new Error(`no scenario ${id}`);
    t = buildTimeline(runScenario(scenario));
    timelines.set(id, t);
  }
  return t;
}

/** The full graph, the step's marks and the Story graph at the end of step `step`. */
function at(id: string, step: number, cast: Cast, selection: string | null = null) {
  const t = timelineOf(id);
  const p = pointForStep(t, step);
  const point = t.points[p];
  if (!point) throw new Error('no point');
  const full = toGraph(point.state, stepBase(t, p));
  const before = toGraph(point.prev, stepBase(t, p));
  const change = diffGraph(before, full);
  const subject = stepSubject(t.frames[point.step]?.step, full);
  return { full, subject, story: storyGraph(full, cast, { change, subject }, selection) };
}

/** Problems with a Story graph against its full graph; empty when it accounts for everything. */
function storyProblems(full: Graph, story: Graph): string[] {
  const out: string[] = [];
  const drawn = new Set(story.nodes.map((n) => n.id));
  const inChips = story.nodes.flatMap((n) => (n.folds && !n.folds.open ? n.folds.maps : []));
  const rows = story.nodes.flatMap((n) => n.rows ?? []);
  const rowIds = new Set(rows.map((r) => r.id));
  for (const n of full.nodes) {
    const places =
      Number(drawn.has(n.id)) +
      inChips.filter((id) => id === n.id).length +
      Number(rowIds.has(n.id));
    if (places !== 1) out.push(`${n.id} is shown ${places} times`);
  }
  for (const n of story.nodes) {
    if (n.refcnt === null) continue;
    const edges = story.edges.filter((e) => e.counted && e.to === n.id).length;
    const folded = rows.filter((r) => !r.drawn && r.target === n.id).length;
    if (edges + folded !== n.refcnt)
      out.push(`${n.id}: refcnt ${n.refcnt} but ${edges} edges + ${folded} folded fds`);
  }
  for (const e of story.edges) {
    const from = drawn.has(e.from) || rowIds.has(e.from);
    if (!from || !drawn.has(e.to)) out.push(`${e.id} has an end that is not drawn`);
  }
  return out;
}

describe('storyGraph on every point of the library', () => {
  it.each(LIBRARY_SCENARIOS.map((e) => e.id))(
    '%s: every object accounted for, badges = drawn edges + folded holders',
    (id) => {
      const t = timelineOf(id);
      const { cast } = timelineStory(t);
      let prev: Graph | null = null;
      t.points.forEach((point, i) => {
        const full = toGraph(point.state, stepBase(t, i));
        const change = diffGraph(prev, full);
        const subject = stepSubject(t.frames[point.step]?.step, full);
        const story = storyGraph(full, cast, { change, subject }, null);
        expect(storyProblems(full, story), `point ${i}`).toEqual([]);
        expect(story.nodes.some((n) => n.kind === 'fd')).toBe(false);
        prev = full;
      });
    },
    120_000,
  );

  it('the checks catch a folded holder that is not counted', () => {
    const { cast } = timelineStory(timelineOf('teach-ebusy'));
    const { full, story } = at('teach-ebusy', 2, cast);
    const dropped: Graph = {
      ...story,
      nodes: story.nodes.map((n) => (n.rows ? { ...n, rows: n.rows.slice(1) } : n)),
    };
    expect(storyProblems(full, dropped).join('\n')).toMatch(/refcnt \d but|shown 0 times/);
  });
});

describe('the default scenario in the Story view', () => {
  const id = 'scx-layered-refresh';
  const { cast, layout } = timelineStory(timelineOf(id));

  it("folds the hash maps the story never ties to struct_ops, keeps the objects' .bss", () => {
    const { story } = at(id, 2, cast);
    const ids = story.nodes.map((n) => n.id);
    expect(ids).toContain('map.layered');
    expect(ids).toContain('map.scx_layered.bss');
    expect(ids).not.toContain('map.gpu_tid');
    const chip = story.nodes.find((n) => n.id === foldId('scx_layered'));
    expect(chip?.folds).toEqual({
      maps: ['map.gpu_tid', 'map.gpu_tgid', 'map.task_ctxs', 'map.task_layer'],
      open: false,
    });
    expect(chip?.subtitle).toBe('+4 maps');
  });

  it('folds the fds into rows and draws only the edges of the fds the step uses', () => {
    const { story, subject } = at(id, 2, cast);
    expect(subject).toEqual(['prog.refresh_layer_cpumasks', 'map.layered']);
    const proc = story.nodes.find((n) => n.id === 'process.scx_layered');
    const drawn = proc?.rows?.filter((r) => r.drawn).map((r) => `fd ${r.fd} → ${r.name}`);
    expect(drawn).toEqual(['fd 4 → layered', 'fd 14 → refresh_layer_cpumasks']);
    expect(proc?.rows?.length).toBe(13);
    const fdEdges = story.edges.filter((e) => e.kind === 'fd').map((e) => e.from);
    expect(fdEdges.sort()).toEqual(['fd.scx_layered:14', 'fd.scx_layered:4']);
    expect(story.edges.some((e) => e.kind === 'owns')).toBe(false);
  });

  it('a selected process shows all its fd edges; a selected fd its own', () => {
    const all = at(id, 2, cast, 'process.scx_layered').story;
    const rows = all.nodes.find((n) => n.id === 'process.scx_layered')?.rows ?? [];
    // Every fd whose object is drawn (not the folded hash maps).
    expect(rows.filter((r) => r.drawn).length).toBe(9);
    const one = at(id, 5, cast, 'fd.scx_layered:9').story;
    const drawn = one.nodes
      .find((n) => n.id === 'process.scx_layered')
      ?.rows?.filter((r) => r.drawn);
    expect(drawn?.map((r) => r.id)).toContain('fd.scx_layered:9');
  });

  it('selecting the chip opens it: its maps are drawn, and the chip stays to close it', () => {
    const { story } = at(id, 2, cast, foldId('scx_layered'));
    const ids = story.nodes.map((n) => n.id);
    expect(ids).toContain('map.gpu_tid');
    expect(ids).toContain('map.task_layer');
    expect(story.nodes.find((n) => n.id === foldId('scx_layered'))?.folds?.open).toBe(true);
    // The opened maps get boxes below the lane, without overlapping what is laid out.
    const placed = storyLayout(layout, story);
    const b = placed.boxes.get('map.gpu_tid');
    const chip = placed.boxes.get(foldId('scx_layered'));
    expect(b && chip && b.y > chip.y).toBe(true);
  });

  it('the unassociated trigger (step 24) is the subject, drawn in full', () => {
    const { story, subject } = at(id, 24, cast);
    expect(subject).toEqual(['prog.refresh_layer_cpumasks_3']);
    expect(story.nodes.some((n) => n.id === 'prog.refresh_layer_cpumasks_3')).toBe(true);
  });

  it('lays out process cards tall enough for their fd tables, with a box per fd row', () => {
    const { story } = at(id, 20, cast);
    const placed = storyLayout(layout, story);
    const card = placed.boxes.get('process.scx_layered');
    const rows = story.nodes.find((n) => n.id === 'process.scx_layered')?.rows ?? [];
    const last = placed.boxes.get(rows.at(-1)?.id ?? '');
    expect(card && last && last.y + last.h <= card.y + card.h).toBe(true);
  });
});

describe('the cast', () => {
  it("a scenario's focus list replaces the names its steps give", () => {
    const t = timelineOf('scx-layered-refresh');
    const { cast } = timelineStory(t, ['gpu_tid']);
    expect(cast.maps.has('map.gpu_tid')).toBe(true);
    expect(cast.maps.has('map.scx_layered.bss')).toBe(false);
  }, 60_000);

  it('a map holding a BPF timer is in the story', () => {
    const t = timelineOf('teach-timer-after-map');
    const { cast } = timelineStory(t);
    const timerMaps = t.points.flatMap((p) =>
      Object.values(p.state.timers).map((x) => p.state.maps[x.map]?.name),
    );
    expect(timerMaps.length).toBeGreaterThan(0);
    for (const name of new Set(timerMaps)) expect(cast.maps.has(`map.${name}`)).toBe(true);
  });
});

describe('helpers', () => {
  it('reads internal map names as their object', () => {
    expect(internalMapName('scx_layered_sub_2.bss')).toEqual({
      object: 'scx_layered_sub_2',
      section: '.bss',
    });
    expect(internalMapName('layered_2')).toBeNull();
  });

  it('finds the process of an fd, and parses the detail level', () => {
    expect(hostOf('fd.scx_layered:14')).toBe('process.scx_layered');
    expect(hostOf('prog.x')).toBeNull();
    expect(parseDetail(' ALL ')).toBe('all');
    expect(parseDetail('story')).toBe('story');
    expect(parseDetail('most')).toBeNull();
  });
});
