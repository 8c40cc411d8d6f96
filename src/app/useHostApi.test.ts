import { describe, expect, it, vi } from 'vitest';
import { envelop, type HostCommand } from '../embed/protocol';
import { createSimStore } from '../store/createSimStore';
import { libraryScenarioFor } from '../testing/library';
import { applyCommand, stepReport } from './useHostApi';

function setup() {
  const scenario = libraryScenarioFor('teach-ebusy');
  if (scenario?.id !== 'teach-ebusy') throw new Error('teach-ebusy is missing from the library');
  const store = createSimStore(scenario);
  const onTheme = vi.fn();
  const onDetail = vi.fn();
  const onLoadError = vi.fn();
  const run = (c: HostCommand) => applyCommand(c, { store, onTheme, onDetail, onLoadError });
  return { store, steps: scenario.steps.length, run, onTheme, onDetail, onLoadError };
}

describe('applyCommand', () => {
  it('goes to a step, and refuses one past the last', () => {
    const { store, steps, run } = setup();
    expect(run(envelop({ type: 'goto', step: 3 }))).toBeNull();
    expect(stepReport(store.getState()).step).toBe(3);
    expect(run(envelop({ type: 'goto', step: steps + 1 }))).toBe(
      `step ${steps + 1} is past the last step (${steps})`,
    );
    expect(stepReport(store.getState()).step).toBe(3);
    expect(run(envelop({ type: 'goto', step: 0 }))).toBeNull();
    expect(stepReport(store.getState()).step).toBe(0);
  });

  it('steps, jumps to the ends, plays and pauses', () => {
    const { store, steps, run } = setup();
    run(envelop({ type: 'next' }));
    run(envelop({ type: 'next' }));
    expect(stepReport(store.getState()).step).toBe(2);
    run(envelop({ type: 'prev' }));
    expect(stepReport(store.getState()).step).toBe(1);
    run(envelop({ type: 'last' }));
    expect(stepReport(store.getState())).toMatchObject({ step: steps, steps });
    run(envelop({ type: 'first' }));
    expect(stepReport(store.getState()).step).toBe(0);
    run(envelop({ type: 'play' }));
    expect(store.getState().playing).toBe(true);
    expect(stepReport(store.getState()).playing).toBe(true);
    run(envelop({ type: 'pause' }));
    expect(store.getState().playing).toBe(false);
  });

  it('hands theme, detail level and load errors to the page', () => {
    const { run, onTheme, onDetail, onLoadError } = setup();
    expect(run(envelop({ type: 'set-theme', theme: 'dark' }))).toBeNull();
    expect(onTheme).toHaveBeenCalledWith('dark');
    expect(run(envelop({ type: 'set-detail', detail: 'all' }))).toBeNull();
    expect(onDetail).toHaveBeenCalledWith('all');
    run(envelop({ type: 'load-error', name: 'x.yaml', message: 'HTTP 404' }));
    expect(onLoadError).toHaveBeenCalledWith('x.yaml', 'HTTP 404');
  });

  it('refuses stepping while no scenario is on screen', () => {
    const onTheme = vi.fn();
    expect(
      applyCommand(envelop({ type: 'next' }), {
        store: null,
        onTheme,
        onDetail: vi.fn(),
        onLoadError: vi.fn(),
      }),
    ).toBe('no scenario is on screen yet');
    // The theme needs no scenario.
    expect(
      applyCommand(envelop({ type: 'set-theme', theme: 'light' }), {
        store: null,
        onTheme,
        onDetail: vi.fn(),
        onLoadError: vi.fn(),
      }),
    ).toBeNull();
    expect(onTheme).toHaveBeenCalledWith('light');
  });
});

describe('stepReport', () => {
  it("carries the step's narration, and none before the first step", () => {
    const { store, run } = setup();
    expect(stepReport(store.getState()).say).toBe('');
    run(envelop({ type: 'goto', step: 1 }));
    const say = store.getState().timeline.frames[0]?.step.say;
    expect(say).toBeTruthy();
    expect(stepReport(store.getState()).say).toBe(say);
  });
});
