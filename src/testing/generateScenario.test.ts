import { describe, expect, it } from 'vitest';
import { runScenario } from '../scenario/run';
import { parseScenario } from '../scenario/parse';
import {
  OBJECTS_PER_GROUP,
  generateForEvents,
  generateScenario,
  generateScenarioYaml,
} from './generateScenario';

describe('generated scenarios', () => {
  it('create the asked number of kernel objects, and every step succeeds', () => {
    const run = runScenario(generateScenario({ objects: 40, steps: 60 }));
    const last = run.frames[run.frames.length - 1]?.state;
    if (!last) throw new Error('no frames');
    const objects =
      Object.keys(last.progs).length +
      Object.keys(last.maps).length +
      Object.keys(last.links).length;
    expect(objects).toBe(40);
    expect(run.frames.flatMap((f) => f.failures)).toEqual([]);
    expect(run.frames.filter((f) => f.result && f.result.ret < 0).map((f) => f.label)).toEqual([]);
    expect(run.frames.length).toBe((40 / OBJECTS_PER_GROUP) * 5 + 60 + 1);
  });

  it('as YAML, parse as a valid scenario', () => {
    const p = parseScenario(generateScenarioYaml({ objects: 16, steps: 10 }));
    expect(p.ok).toBe(true);
  });

  it('can be sized by events', () => {
    const opts = generateForEvents(24, 2000);
    const run = runScenario(generateScenario(opts));
    const events = run.frames.reduce((n, f) => n + f.events.length, 0);
    expect(opts.steps).toBeGreaterThan(0);
    expect(Math.abs(events - 2000)).toBeLessThan(200);
  });
});
