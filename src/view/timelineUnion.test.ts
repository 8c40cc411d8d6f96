/**
 * The one-pass union (timelineUnion.ts) against the reference: a graph per point and per step
 * end (timelineGraphs), laid out and cast as before. Layouts (boxes, lanes, size) and the
 * Story view's cast are the same on every library scenario and on generated ones, with and
 * without lane orders; and the pass projects no graph at all.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Cast } from '../graph/story';
import type { Layout } from '../graph/layout';
import type { LaneOrder } from '../graph/laneOrder';
import type * as ToGraphModule from '../graph/toGraph';
import { runScenario } from '../scenario/run';
import type { Scenario } from '../scenario/schema';
import { buildTimeline, type Timeline } from '../store/timeline';
import { generateScenario } from '../testing/generateScenario';
import { LIBRARY_SCENARIOS } from '../testing/library';
import { timelineGraphs, timelineLayout, timelineStory } from './stepGraph';

const projections = vi.hoisted(() => ({ count: 0 }));
vi.mock('../graph/toGraph', async (importOriginal) => {
  const mod = await importOriginal<typeof ToGraphModule>();
  return {
    ...mod,
    toGraph: (...args: Parameters<typeof mod.toGraph>) => {
      projections.count++;
      return mod.toGraph(...args);
    },
  };
});

/** A layout as plain data, so two layouts compare field by field. */
function plain(l: Layout) {
  return { boxes: [...l.boxes], lanes: l.lanes, width: l.width, height: l.height };
}

function plainCast(c: Cast) {
  return { maps: [...c.maps].sort(), owner: [...c.owner].sort() };
}

/** An order that differs from first appearance: each lane reversed, every other card lowered. */
function reversed(l: Layout): LaneOrder {
  const order: Record<string, string[]> = {};
  const top: Record<string, number[]> = {};
  for (const { lane, x } of l.lanes) {
    const ids = [...l.boxes]
      .filter(([, b]) => b.x === x)
      .map(([id]) => id)
      .reverse();
    order[lane] = ids;
    top[lane] = ids.map((_, i) => i * 40);
  }
  return { ...order, top };
}

function compare(t: Timeline, focus?: readonly string[]) {
  const graphs = timelineGraphs(t, focus);
  const all = timelineLayout(t, undefined, graphs);
  expect(plain(timelineLayout(t))).toEqual(plain(all));
  const order = reversed(all);
  expect(plain(timelineLayout(t, order))).toEqual(plain(timelineLayout(t, order, graphs)));
  const before = timelineStory(t, focus, undefined, graphs);
  const after = timelineStory(t, focus);
  expect(plainCast(after.cast)).toEqual(plainCast(before.cast));
  expect(plain(after.layout)).toEqual(plain(before.layout));
  const storyOrder = reversed(before.layout);
  expect(plain(timelineStory(t, focus, storyOrder).layout)).toEqual(
    plain(timelineStory(t, focus, storyOrder, graphs).layout),
  );
}

// The reference projects a graph per point: slow on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const timelineOf = (s: Scenario) => buildTimeline(runScenario(s));

describe('the one-pass union of a timeline', () => {
  it.each(LIBRARY_SCENARIOS.map((s) => [s.id, s] as const))(
    'lays out and casts %s as a graph per point does',
    (_, s) => {
      compare(timelineOf(s), s.focus);
    },
  );

  it('lays out and casts a generated scenario as a graph per point does', () => {
    const t = timelineOf(generateScenario({ objects: 40, steps: 60 }));
    expect(t.points.length).toBeGreaterThan(300);
    compare(t);
    compare(t, ['data_1', 'g2.bss']);
  });

  it('projects no graph per point: neither layout calls toGraph', () => {
    const t = timelineOf(generateScenario({ objects: 24, steps: 40 }));
    projections.count = 0;
    timelineGraphs(t);
    // The reference projects every point and every step end: the counter sees it.
    expect(projections.count).toBeGreaterThanOrEqual(t.points.length + t.stepEnd.length);
    projections.count = 0;
    timelineLayout(t);
    timelineStory(t);
    expect(projections.count).toBe(0);
  });
});
