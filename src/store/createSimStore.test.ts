/**
 * The store: moving the cursor by event and by step (with clamping), opening at a step, and
 * the console, which branches the run from the step on screen, extends or replaces that
 * branch, refuses what does not validate, and undoes back to the scenario.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssues, parseScenario } from '../scenario/parse';
import type { Scenario } from '../scenario/schema';
import { HELP_TEXT } from './consoleCommand';
import { createSimStore } from './createSimStore';
import { pointForStep } from './timeline';

function library(id: string): Scenario {
  const file = fileURLToPath(new URL(`../scenario/library/${id}.yaml`, import.meta.url));
  const r = parseScenario(readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(formatIssues(r.issues, file));
  return r.scenario;
}

// 15 steps; step 2 (index 1) makes no kernel event, the others make several.
const scenario = library('selftest-st-ops-assoc');
const STEPS = scenario.steps.length;

function fresh(startStep = 0) {
  const store = createSimStore(scenario, startStep);
  const s = () => store.getState();
  const end = (i: number) => {
    const e = s().timeline.stepEnd[i];
    if (e === undefined) throw new Error(`no step ${i}`);
    return e;
  };
  const start = (i: number) => {
    const e = s().timeline.stepStart[i];
    if (e === undefined) throw new Error(`no step ${i}`);
    return e;
  };
  const last = () => s().timeline.points.length - 1;
  return { store, s, end, start, last };
}

describe('navigation', () => {
  it('the timeline has what the navigation tests rely on', () => {
    const { s, start, end } = fresh();
    expect(s().timeline.stepEnd).toHaveLength(STEPS);
    expect(end(0) - start(0)).toBeGreaterThan(2);
    expect(end(1)).toBe(start(1));
    expect(end(2) - start(2)).toBeGreaterThan(1);
  });

  it('starts at the initial state, or at the end of the requested step', () => {
    expect(fresh().s().cursor).toBe(0);
    const { s, end } = fresh(3);
    expect(s().cursor).toBe(end(2));
    expect(fresh(-4).s().cursor).toBe(0);
    const over = fresh(STEPS + 10);
    expect(over.s().cursor).toBe(over.last());
    expect(s()).toMatchObject({ branch: null, consoleLog: [], playing: false, selected: null });
    expect(s().run).toBe(s().base);
  });

  it('nextEvent and prevEvent move one point and clamp', () => {
    const { s, last } = fresh();
    s().prevEvent();
    expect(s().cursor).toBe(0);
    s().nextEvent();
    s().nextEvent();
    expect(s().cursor).toBe(2);
    s().prevEvent();
    expect(s().cursor).toBe(1);
    s().last();
    expect(s().cursor).toBe(last());
    s().nextEvent();
    expect(s().cursor).toBe(last());
    s().first();
    expect(s().cursor).toBe(0);
  });

  it('nextStep goes to the end of a step, finishing the current one first', () => {
    const { s, end, start, last } = fresh();
    s().nextStep();
    expect(s().cursor).toBe(end(0));
    s().nextStep();
    expect(s().cursor).toBe(end(1));
    s().nextStep();
    expect(s().cursor).toBe(end(2));
    // Mid-step: finish that step, not the next one.
    s().goto(start(2));
    s().nextStep();
    expect(s().cursor).toBe(end(2));
    s().goto(start(0) + 1);
    s().nextStep();
    expect(s().cursor).toBe(end(0));
    s().last();
    s().nextStep();
    expect(s().cursor).toBe(last());
    s().gotoStep(STEPS - 1);
    s().nextStep();
    expect(s().cursor).toBe(last());
  });

  it('prevStep goes from anywhere in a step to the end of the step before', () => {
    const { s, end, start, last } = fresh();
    s().prevStep();
    expect(s().cursor).toBe(0);
    for (const p of [start(3), start(3) + 1, end(3)]) {
      s().goto(p);
      s().prevStep();
      expect(s().cursor, `from ${p}`).toBe(end(2));
    }
    s().goto(end(2));
    s().prevStep();
    expect(s().cursor).toBe(end(1));
    s().prevStep();
    expect(s().cursor).toBe(end(0));
    // From step 1, back to the initial state.
    s().prevStep();
    expect(s().cursor).toBe(0);
    s().goto(start(0) + 1);
    s().prevStep();
    expect(s().cursor).toBe(0);
    s().last();
    s().prevStep();
    expect(s().cursor).toBe(end(STEPS - 2));
    expect(last()).toBe(end(STEPS - 1));
  });

  it('gotoStep and goto clamp', () => {
    const { s, end, last } = fresh();
    s().gotoStep(5);
    expect(s().cursor).toBe(end(4));
    s().gotoStep(0);
    expect(s().cursor).toBe(0);
    s().gotoStep(-1);
    expect(s().cursor).toBe(0);
    s().gotoStep(STEPS);
    expect(s().cursor).toBe(last());
    s().gotoStep(STEPS + 3);
    expect(s().cursor).toBe(last());
    s().goto(-10);
    expect(s().cursor).toBe(0);
    s().goto(1e6);
    expect(s().cursor).toBe(last());
  });

  it('forward and back go by whole steps by default, by events with the other unit', () => {
    const { s, end, start } = fresh();
    expect(s().granularity).toBe('step');
    s().forward();
    expect(s().cursor).toBe(end(0));
    s().forward(true);
    expect(s().cursor).toBe(start(1));
    s().forward();
    expect(s().cursor).toBe(end(2));
    s().back(true);
    expect(s().cursor).toBe(end(2) - 1);
    s().back();
    expect(s().cursor).toBe(end(1));
    s().setGranularity('event');
    s().forward();
    expect(s().cursor).toBe(start(2));
    s().forward(true);
    expect(s().cursor).toBe(end(2));
    s().back();
    expect(s().cursor).toBe(end(2) - 1);
    s().back(true);
    expect(s().cursor).toBe(end(1));
  });

  it('view state: playing, speed, selection', () => {
    const { s } = fresh();
    s().setPlaying(true);
    s().setSpeed(2);
    s().select('prog.syscall_prog_a');
    expect(s()).toMatchObject({ playing: true, speed: 2, selected: 'prog.syscall_prog_a' });
    s().select(null);
    expect(s().selected).toBeNull();
  });
});

describe('the console', () => {
  const BUSY = 'assoc syscall_prog_a st_ops_map_b';

  it('branches from the step on screen and reports the kernel return', async () => {
    const { s, store } = fresh(3);
    const base = s().base;
    s().setPlaying(true);
    await s().runCommand(BUSY);
    const st = store.getState();
    expect(st.branch).toEqual({
      after: 2,
      steps: [
        {
          op: 'bpf_prog_assoc_struct_ops',
          prog_fd: 'syscall_prog_a',
          map_fd: 'st_ops_map_b',
          say: `console: ${BUSY}`,
        },
      ],
    });
    expect(st.base).toBe(base);
    expect(st.run.frames.map((f) => f.step)).toEqual([
      ...scenario.steps.slice(0, 3),
      ...(st.branch?.steps ?? []),
    ]);
    expect(st.run.frames.at(-1)?.result?.ret).toBe(-16);
    expect(st.timeline.frames).toBe(st.run.frames);
    expect(st.cursor).toBe(st.timeline.points.length - 1);
    expect(st.playing).toBe(false);
    expect(st.consoleLog).toHaveLength(1);
    const entry = st.consoleLog[0];
    expect(entry?.input).toBe(BUSY);
    expect(entry?.ok).toBe(false);
    expect(entry?.output).toMatch(/^-EBUSY \(16\): \S/);
    expect(entry?.output).toContain('syscall_prog_a');
    // The base run is untouched.
    expect(base.frames).toHaveLength(STEPS);
  });

  it('a successful command logs its return and ok', async () => {
    const { s } = fresh(1);
    await s().runCommand('assoc syscall_prog_a st_ops_map_b');
    expect(s().branch?.after).toBe(0);
    expect(s().consoleLog.at(-1)).toEqual({
      input: 'assoc syscall_prog_a st_ops_map_b',
      output: '0',
      ok: true,
    });
    await s().runCommand('settle');
    expect(s().consoleLog.at(-1)).toMatchObject({ output: 'done', ok: true });
  });

  it('a second command extends the branch', async () => {
    const { s } = fresh(3);
    await s().runCommand(BUSY);
    await s().runCommand('libbpf-assoc sys_enter_prog_a st_ops_map_b');
    const st = s();
    expect(st.branch?.after).toBe(2);
    expect(st.branch?.steps.map((x) => x.op)).toEqual(['bpf_prog_assoc_struct_ops', 'assoc']);
    expect(st.run.frames).toHaveLength(5);
    expect(st.run.frames.at(-1)?.result?.ret).toBe(0);
    expect(st.cursor).toBe(st.timeline.points.length - 1);
    expect(st.consoleLog.map((e) => e.ok)).toEqual([false, true]);
  });

  it('a command from inside the branch drops the console steps after it', async () => {
    const { s } = fresh(3);
    await s().runCommand(BUSY);
    await s().runCommand('libbpf-assoc sys_enter_prog_a st_ops_map_b');
    // Back to the end of the first console step (step 4), then a different command.
    s().gotoStep(4);
    await s().runCommand('libbpf-assoc syscall_prog_b st_ops_map_b');
    expect(s().branch?.after).toBe(2);
    expect(s().branch?.steps.map((x) => x.say)).toEqual([
      `console: ${BUSY}`,
      'console: libbpf-assoc syscall_prog_b st_ops_map_b',
    ]);
    expect(s().run.frames).toHaveLength(5);
  });

  it('a command at an earlier step replaces the branch', async () => {
    const { s } = fresh(3);
    await s().runCommand(BUSY);
    await s().runCommand('settle');
    s().gotoStep(2);
    await s().runCommand('libbpf-assoc syscall_prog_a st_ops_map_b');
    const st = s();
    expect(st.branch).toEqual({
      after: 1,
      steps: [
        {
          op: 'assoc',
          prog: 'syscall_prog_a',
          map: 'st_ops_map_b',
          say: 'console: libbpf-assoc syscall_prog_a st_ops_map_b',
        },
      ],
    });
    expect(st.run.frames.map((f) => f.step.op)).toEqual(['open_and_load', 'assoc', 'assoc']);
    // At step 2, syscall_prog_a was not associated yet: map B takes it.
    expect(st.consoleLog.at(-1)).toMatchObject({ output: '0', ok: true });
  });

  it('a command at the initial state branches before step 1', async () => {
    const { s } = fresh();
    await s().runCommand('settle');
    expect(s().branch).toMatchObject({ after: -1 });
    expect(s().run.frames.map((f) => f.step.op)).toEqual(['settle']);
  });

  it('an invalid command logs the validation message and does not branch', async () => {
    const { s } = fresh(3);
    const before = s();
    await s().runCommand('assoc nope st_ops_map_a');
    const st = s();
    expect(st.branch).toBeNull();
    expect(st.run).toBe(before.run);
    expect(st.timeline).toBe(before.timeline);
    expect(st.cursor).toBe(before.cursor);
    expect(st.consoleLog).toEqual([
      { input: 'assoc nope st_ops_map_a', output: expect.stringMatching(/'nope'/), ok: false },
    ]);
    expect(st.consoleLog[0]?.output).toMatch(/program/);
  });

  it('an invalid command inside a branch leaves the branch as it was', async () => {
    const { s } = fresh(3);
    await s().runCommand(BUSY);
    const branch = s().branch;
    const run = s().run;
    await s().runCommand('run nope');
    expect(s().branch).toBe(branch);
    expect(s().run).toBe(run);
    expect(s().consoleLog.at(-1)?.ok).toBe(false);
  });

  it('usage errors, unknown verbs and help are logged without running anything', async () => {
    const { s } = fresh(3);
    const run = s().run;
    await s().runCommand('assoc syscall_prog_a');
    await s().runCommand('frob');
    await s().runCommand('');
    await s().runCommand('help');
    expect(s().consoleLog).toEqual([
      {
        input: 'assoc syscall_prog_a',
        output: 'usage: assoc <prog> <map> [flags]',
        ok: false,
      },
      { input: 'frob', output: "unknown command 'frob'; type help", ok: false },
      { input: '', output: 'type a command, or help', ok: false },
      { input: 'help', output: HELP_TEXT, ok: true },
    ]);
    expect(s().branch).toBeNull();
    expect(s().run).toBe(run);
  });

  it('undoBranch removes the last command, then returns to the base run', async () => {
    const { s, store } = fresh(3);
    const base = s().base;
    const baseTimeline = s().timeline;
    await s().runCommand(BUSY);
    await s().runCommand('libbpf-assoc sys_enter_prog_a st_ops_map_b');
    s().undoBranch();
    let st = store.getState();
    expect(st.branch?.steps).toHaveLength(1);
    expect(st.branch?.steps[0]?.op).toBe('bpf_prog_assoc_struct_ops');
    expect(st.run.frames).toHaveLength(4);
    expect(st.cursor).toBe(st.timeline.points.length - 1);
    expect(st.consoleLog.at(-1)).toEqual({
      input: 'undo',
      output: 'removed the last console step',
      ok: true,
    });
    s().undoBranch();
    st = store.getState();
    expect(st.branch).toBeNull();
    expect(st.run).toBe(base);
    expect(st.timeline.stepEnd).toEqual(baseTimeline.stepEnd);
    expect(st.timeline.points).toHaveLength(baseTimeline.points.length);
    // Back where the branch started: the end of step 3.
    expect(st.cursor).toBe(pointForStep(st.timeline, 3));
    expect(st.consoleLog.at(-1)).toEqual({
      input: 'undo',
      output: 'back on the scenario',
      ok: true,
    });
    // Nothing left to undo: no change, no log line.
    const log = st.consoleLog;
    s().undoBranch();
    expect(store.getState().consoleLog).toBe(log);
    expect(store.getState().run).toBe(base);
  });
});
