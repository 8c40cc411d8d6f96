/** The graph of a timeline point, the one layout, and what the camera shows. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssues, parseScenario } from '../scenario/parse';
import { runScenario } from '../scenario/run';
import { buildTimeline, pointForStep } from '../store/timeline';
import { focusBounds, graphAt, timelineLayout } from './stepGraph';

const file = fileURLToPath(new URL('../scenario/library/teach-ebusy.yaml', import.meta.url));
const parsed = parseScenario(readFileSync(file, 'utf8'));
if (!parsed.ok) throw new Error(formatIssues(parsed.issues, file));
const timeline = buildTimeline(runScenario(parsed.scenario));
const layout = timelineLayout(timeline);

describe('stepGraph', () => {
  it('lays out every object of the timeline once, wherever the cursor is', () => {
    for (const p of [0, pointForStep(timeline, 3), timeline.points.length - 1])
      for (const n of graphAt(timeline, p).nodes) expect(layout.boxes.has(n.id), n.id).toBe(true);
  });

  it('draws the state at a point, and the first point when out of range', () => {
    const at2 = graphAt(timeline, pointForStep(timeline, 2));
    expect(at2.nodes.find((n) => n.id === 'prog.helper')?.assoc).toBe('map_a');
    expect(graphAt(timeline, 10_000)).toEqual(graphAt(timeline, 0));
  });

  it('frames the objects on screen, not a process with no fd', () => {
    const start = graphAt(timeline, 0);
    expect(start.nodes.map((n) => n.kind)).toEqual(['process']);
    // Only the loader, with no fd: the camera shows the top of the layout.
    expect(focusBounds(start, layout)).toEqual({
      x: 0,
      y: 0,
      w: layout.width,
      h: Math.min(layout.height, layout.width / 2),
    });
    const later = graphAt(timeline, pointForStep(timeline, 2));
    const b = focusBounds(later, layout);
    const helper = layout.boxes.get('prog.helper');
    if (!helper) throw new Error('no box for helper');
    expect(b.x).toBeLessThanOrEqual(helper.x);
    expect(b.x + b.w).toBeGreaterThanOrEqual(helper.x + helper.w);
    expect(b.y + b.h).toBeGreaterThanOrEqual(helper.y + helper.h);
  });
});
