/**
 * The page's run of a large scenario alongside the loader's worker: it runs only steps the
 * worker has run, in slices, gives up on a heavy step or when stopped, and gives the same run
 * as running the scenario in one go.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../scenario/run';
import { generateScenario } from '../../testing/generateScenario';
import { eventCount } from './rerun';
import { HEAVY_STEP_MS, nextTask, runOnPage, WorkerPace } from './runOnPage';

const scenario = generateScenario({ objects: 40, steps: 60 });
const whole = runScenario(scenario);

/** A clock that moves `stepMs` each time it is read. */
function ticking(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

/** Lets pending promise callbacks (the run's slices) go on. */
const settle = () => new Promise<void>((r) => setTimeout(r, 0));

describe('runOnPage', () => {
  it('runs only the steps the worker has run, and then the same run as in one go', async () => {
    const pace = new WorkerPace();
    const p = runOnPage(scenario, {
      stopped: () => false,
      pace,
      yieldToPage: () => Promise.resolve(),
    });
    let finished = false;
    void p.then(() => (finished = true));
    await settle();
    expect(finished).toBe(false);
    pace.ran(5, 1);
    await settle();
    expect(finished).toBe(false);
    pace.finish();
    const run = await p;
    expect(run).not.toBeNull();
    expect(run?.frames.length).toBe(whole.frames.length);
    expect(eventCount(run ?? whole)).toBe(eventCount(whole));
    expect(JSON.stringify(run?.frames.at(-1)?.state)).toBe(
      JSON.stringify(whole.frames.at(-1)?.state),
    );
  });

  it('yields to the page between slices', async () => {
    const pace = new WorkerPace();
    pace.finish();
    let yields = 0;
    // Every read of the clock is 5 ms later: a 12 ms slice holds a couple of steps.
    const run = await runOnPage(scenario, {
      stopped: () => false,
      pace,
      now: ticking(5),
      sliceMs: 12,
      heavyStepMs: 1_000,
      yieldToPage: () => {
        yields++;
        return Promise.resolve();
      },
    });
    expect(run?.frames.length).toBe(scenario.steps.length);
    expect(yields).toBeGreaterThanOrEqual(Math.floor(scenario.steps.length / 3));
  });

  it('gives up once the worker reports a heavy step', async () => {
    const pace = new WorkerPace();
    const p = runOnPage(scenario, { stopped: () => false, pace });
    await settle();
    pace.ran(3, HEAVY_STEP_MS + 1);
    expect(await p).toBeNull();
  });

  it('gives up when the load is over, also while it waits for the worker', async () => {
    const pace = new WorkerPace();
    let stopped = false;
    const p = runOnPage(scenario, { stopped: () => stopped, pace });
    await settle();
    stopped = true;
    pace.wake();
    expect(await p).toBeNull();
  });

  it('a new task is a task: it comes after pending promise callbacks', async () => {
    const order: string[] = [];
    const t = nextTask().then(() => order.push('task'));
    void Promise.resolve().then(() => order.push('microtask'));
    await t;
    expect(order).toEqual(['microtask', 'task']);
  });
});
