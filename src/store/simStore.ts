/**
 * The one bridge between the simulated kernel and the UI: a zustand store holding a run's
 * timeline and a cursor over it, plus view state. Actions only move the cursor or ask the
 * scenario runner for a new run (console branch); no kernel rule lives here.
 *
 * The store starts from a run made elsewhere (the page's scenario loader simulates in a Web
 * Worker, see src/app/loader); the runner itself loads on the console's first command, so
 * the page starts without the simulated kernel. `createSimStore` (./createSimStore.ts) runs a
 * scenario here and then makes its store, for tests, the CLI and the speaker view.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { formatRet } from '../core/errno';
import type { runScenario, ScenarioRun } from '../scenario/run';
import type { Scenario, Step } from '../scenario/schema';
import { parseCommand, HELP_TEXT } from './consoleCommand';
import { buildTimeline, nextStepPoint, pointForStep, type Timeline } from './timeline';

export interface ConsoleEntry {
  readonly input: string;
  readonly output: string;
  readonly ok: boolean;
}

export interface Branch {
  /** The base step after which the console's steps run (0-based; -1 = before step 1). */
  readonly after: number;
  readonly steps: readonly Step[];
}

/** What →, ← and Play move by: a whole scenario step (the default) or one kernel event. */
export type Granularity = 'step' | 'event';

export interface SimState {
  readonly scenario: Scenario;
  readonly base: ScenarioRun;
  readonly run: ScenarioRun;
  readonly timeline: Timeline;
  readonly cursor: number;
  readonly playing: boolean;
  readonly speed: number;
  readonly granularity: Granularity;
  readonly selected: string | null;
  readonly branch: Branch | null;
  readonly consoleLog: readonly ConsoleEntry[];

  goto(point: number): void;
  nextEvent(): void;
  prevEvent(): void;
  nextStep(): void;
  prevStep(): void;
  first(): void;
  last(): void;
  gotoStep(step: number): void;
  /** One step or one event forward: by `granularity`, or by the other unit when `other`. */
  forward(other?: boolean): void;
  back(other?: boolean): void;
  setGranularity(granularity: Granularity): void;
  setPlaying(playing: boolean): void;
  setSpeed(speed: number): void;
  select(id: string | null): void;
  /** Runs a console command; resolves once the (possibly branched) run is in place. */
  runCommand(text: string): Promise<void>;
  undoBranch(): void;
}

export const SPEEDS: readonly number[] = [0.5, 1, 2, 4];

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

type Runner = typeof runScenario;

/** The scenario runner (and the simulated kernel with it), loaded on first use. */
let runnerLoad: Promise<Runner> | null = null;
function loadRunner(): Promise<Runner> {
  if (runnerLoad) return runnerLoad;
  const p = import('../scenario/run').then((m) => m.runScenario);
  // A failed load (the network) is tried again next time.
  p.catch(() => {
    if (runnerLoad === p) runnerLoad = null;
  });
  runnerLoad = p;
  return p;
}

/**
 * Creates a store for one scenario from its run `base` (each embed or test gets its own),
 * standing at step `startStep`.
 */
export function simStoreFromRun(
  scenario: Scenario,
  base: ScenarioRun,
  startStep = 0,
): StoreApi<SimState> {
  const timeline = buildTimeline(base);
  // Set by the console's first command: a branch exists only after one.
  let runner: Runner | null = null;
  return createStore<SimState>()((set, get) => {
    const stepOf = (point: number) => get().timeline.points[point]?.step ?? -1;
    const rerun = (
      branch: Branch | null,
      run: Runner | null,
    ): { run: ScenarioRun; timeline: Timeline } | null => {
      const s = get();
      if (!branch) return { run: s.base, timeline: buildTimeline(s.base) };
      if (!run) return null;
      const steps = [...s.scenario.steps.slice(0, branch.after + 1), ...branch.steps];
      const r = run({ ...s.scenario, steps });
      return { run: r, timeline: buildTimeline(r) };
    };
    return {
      scenario,
      base,
      run: base,
      timeline,
      cursor: pointForStep(timeline, startStep),
      playing: false,
      speed: 1,
      granularity: 'step',
      selected: null,
      branch: null,
      consoleLog: [],

      goto: (point) => set({ cursor: clamp(point, 0, get().timeline.points.length - 1) }),
      nextEvent: () => get().goto(get().cursor + 1),
      prevEvent: () => get().goto(get().cursor - 1),
      nextStep: () => {
        const { timeline: t, cursor } = get();
        // Mid-step: finish this step; at its end: go to the end of the next one.
        get().goto(nextStepPoint(t, cursor) ?? cursor);
      },
      prevStep: () => {
        const { timeline: t, cursor } = get();
        const step = stepOf(cursor);
        if (step < 0) return;
        // From anywhere in a step, back to the end of the step before it (or the start).
        get().goto(step === 0 ? 0 : (t.stepEnd[step - 1] ?? 0));
      },
      first: () => get().goto(0),
      last: () => get().goto(get().timeline.points.length - 1),
      gotoStep: (step) => get().goto(pointForStep(get().timeline, step)),
      forward: (other = false) => {
        const s = get();
        if ((s.granularity === 'event') !== other) s.nextEvent();
        else s.nextStep();
      },
      back: (other = false) => {
        const s = get();
        if ((s.granularity === 'event') !== other) s.prevEvent();
        else s.prevStep();
      },
      setGranularity: (granularity) => set({ granularity }),
      setPlaying: (playing) => set({ playing }),
      setSpeed: (speed) => set({ speed }),
      select: (selected) => set({ selected }),

      runCommand: async (text) => {
        const s = get();
        const cmd = parseCommand(text, s.scenario);
        const log = (output: string, ok: boolean) =>
          set({ consoleLog: [...get().consoleLog, { input: text, output, ok }] });
        if (cmd.kind === 'help') return log(HELP_TEXT, true);
        if (cmd.kind === 'error') return log(cmd.message, false);
        // Branch from the end of the step the cursor is in (or extend the branch).
        const here = stepOf(s.cursor);
        const prior = s.branch;
        const branch: Branch =
          prior && here >= prior.after + 1
            ? { after: prior.after, steps: [...prior.steps.slice(0, here - prior.after), cmd.step] }
            : { after: here, steps: [cmd.step] };
        const candidate: Scenario = {
          ...s.scenario,
          steps: [...s.scenario.steps.slice(0, branch.after + 1), ...branch.steps],
        };
        // The validator and the runner load on first use: the page starts without them.
        const [{ parseScenario }, loaded] = await Promise.all([
          import('../scenario/parse'),
          loadRunner(),
        ]);
        runner = loaded;
        const check = parseScenario(JSON.stringify(candidate));
        if (!check.ok) return log(check.issues.map((i) => i.message).join('; '), false);
        const again = rerun(branch, runner);
        if (!again) return;
        const { run, timeline: t } = again;
        const frame = run.frames.at(-1);
        const r = frame?.result;
        const out = r
          ? `${formatRet(r.ret)}${r.reason && r.ret < 0 ? `: ${r.reason}` : ''}${frame.retval !== undefined && frame.retval !== null ? ` (retval ${String(frame.retval)})` : ''}${r.oops ? ` — kernel oops: ${r.oops}` : ''}`
          : 'done';
        set({ branch, run, timeline: t, cursor: t.points.length - 1, playing: false });
        log(out, !r || r.ret >= 0);
      },
      undoBranch: () => {
        const s = get();
        if (!s.branch) return;
        const steps = s.branch.steps.slice(0, -1);
        const branch = steps.length ? { after: s.branch.after, steps } : null;
        const again = rerun(branch, runner);
        if (!again) return;
        const { run, timeline: t } = again;
        const cursor = branch ? t.points.length - 1 : pointForStep(t, s.branch.after + 1);
        set({
          branch,
          run,
          timeline: t,
          cursor,
          consoleLog: [
            ...s.consoleLog,
            {
              input: 'undo',
              output: branch ? 'removed the last console step' : 'back on the scenario',
              ok: true,
            },
          ],
        });
      },
    };
  });
}
