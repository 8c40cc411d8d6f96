/**
 * Runs a validated scenario on the simulated kernel through the libbpf facade, step by step,
 * and checks each step's `expect`. The same runner feeds the command line and the app, so what
 * verifies headless is what the page shows. What each operation does is in ./perform/table.ts.
 */
import { errnoName, ERRNO, type SysResult } from '../core/errno';
import { checkInvariants } from '../core/invariants';
import type { Op } from '../core/machine';
import type { KEvent } from '../core/tx';
import { retargetKfuncName } from '../core/revisions/kfuncs';
import type { KernelReport, KernelState, Revision, Val } from '../core/types';
import { Sim } from '../libbpf/sim';
import { readPath, sameValue, type ExpectContext } from './expect';
import { buildNames, processesOf } from './names';
import type { Scenario, Step } from './schema';
import { checkDone } from './ops/expect';
import { RunContext } from './perform/context';
import { performStep } from './perform/table';

export interface StepFrame {
  readonly index: number;
  readonly step: Step;
  /** The call as a person would write it. */
  readonly label: string;
  /** What the step returned (null for steps that are not a call, such as `settle`). */
  readonly result: SysResult | null;
  /** For BPF_PROG_TEST_RUN: the program's return value. */
  readonly retval: Val | undefined;
  /** Every kernel event the step produced, in order, each with the state after it. */
  readonly events: readonly KEvent[];
  /** The kernel operations the step made (for replay). */
  readonly ops: readonly Op[];
  readonly state: KernelState;
  /** Unmet expectations of this step; empty when all hold. */
  readonly failures: readonly string[];
}

export interface ScenarioRun {
  readonly scenario: Scenario;
  /** The revision the kernel ran: the run option's, else the scenario's `kernel.revision`. */
  readonly revision: Revision;
  readonly initial: KernelState;
  readonly frames: readonly StepFrame[];
  /** Link names → link ids, and objects' .bss maps, for reading expectation paths. */
  readonly context: ExpectContext;
}

export interface RunOptions {
  /** Check the invariants after every event (tests); violations become step failures. */
  readonly checkInvariants?: boolean;
  /**
   * Called before each step with its index and the number of steps (progress, or a time
   * budget: what it throws ends the run and reaches the caller).
   */
  readonly onStep?: (index: number, steps: number) => void;
  /** Run on this revision instead of the scenario's `kernel.revision`. */
  readonly revision?: Revision;
}

/**
 * A run in progress, one step at a time: what {@link runScenario} does in one go, for a caller
 * that spreads a long run over several tasks (the page, which must keep answering its reader).
 */
export interface StepwiseRun {
  /** The number of steps, and how many have run. */
  readonly steps: number;
  readonly done: number;
  /** Runs the next step (`opts.onStep` first); false once every step has run. */
  next(): boolean;
  /** The run so far: every step once `next` has returned false. */
  result(): ScenarioRun;
}

/** Runs `scenario` from a fresh kernel. Never throws for kernel behaviour. */
export function runScenario(scenario: Scenario, opts: RunOptions = {}): ScenarioRun {
  const run = startRun(scenario, opts);
  while (run.next());
  return run.result();
}

/** Starts a run of `scenario` from a fresh kernel, to be taken step by step (`next`). */
export function startRun(scenario: Scenario, opts: RunOptions = {}): StepwiseRun {
  const violations: string[] = [];
  const revision = opts.revision ?? scenario.kernel.revision;
  const sim = new Sim(
    {
      revision,
      nrCpus: scenario.kernel.cpus,
      processes: processesOf(scenario),
    },
    opts.checkInvariants
      ? (e) => {
          const r = checkInvariants(e.state);
          if (r.violations.length) violations.push(`after ${e.fn}: ${r.violations.join('; ')}`);
        }
      : undefined,
  );
  const initial = sim.state;
  const ctx = new RunContext(scenario, sim, buildNames(scenario));
  const { linkIds, bss } = ctx;
  const frames: StepFrame[] = [];
  const steps = scenario.steps;

  const runStep = (step: Step, i: number): void => {
    opts.onStep?.(i, steps.length);
    const before = sim.frames.length;
    const logBefore = sim.log.length;
    violations.length = 0;
    const value = performStep(step, ctx, i);
    const retval = ctx.retval;
    const made = sim.frames.slice(before);
    const events = made.flatMap((f) => f.events);
    // The failing call, preferring one that is not a clean-up close.
    const failed =
      made.find((f) => f.result.ret < 0 && f.op.op !== 'close') ??
      made.find((f) => f.result.ret < 0);
    let result: SysResult | null;
    if (value === null) result = null;
    else if (value < 0) {
      const errno = errnoName(value);
      const reason =
        failed?.result.reason ?? (sim.log.slice(logBefore).join(' ') || 'libbpf refused the call');
      result = {
        ret: value,
        ...(errno ? { errno } : {}),
        reason,
        ...(failed?.result.oops ? { oops: failed.result.oops } : {}),
      };
    } else {
      const last = made.at(-1)?.result;
      result = {
        ret: value,
        ...(last?.out ? { out: last.out } : {}),
        ...(last?.oops ? { oops: last.oops } : {}),
      };
    }
    const label = made.length === 1 && made[0] ? made[0].label : labelOf(step);
    const context: ExpectContext = { links: linkIds, bss };
    const reportsBefore = frames.at(-1)?.state.reports?.length ?? initial.reports?.length ?? 0;
    const newReports = (sim.state.reports ?? []).slice(reportsBefore);
    const outcome = outcomeOn(step.expect, revision);
    const failures = [
      ...violations.map((v) => `invariant violated ${v}`),
      ...checkExpect(outcome, result, retval, sim.state, context, newReports),
      ...(outcome
        ? checkDone(outcome, { events, ops: made.map((f) => f.op), result, state: sim.state })
        : []),
    ];
    frames.push({
      index: i,
      step,
      label,
      result,
      retval,
      events,
      ops: made.map((f) => f.op),
      state: sim.state,
      failures,
    });
  };

  return {
    steps: steps.length,
    get done() {
      return frames.length;
    },
    next() {
      const i = frames.length;
      const step = steps[i];
      if (step === undefined) return false;
      runStep(step, i);
      return frames.length < steps.length;
    },
    result: () => ({ scenario, revision, initial, frames, context: { links: linkIds, bss } }),
  };
}

type Outcome = Omit<NonNullable<Step['expect']>, 'on'>;

/**
 * A step's expectation on revision `rev`: the common one, with that revision's `on` entry
 * laid over it (`state` paths merged, the rest replaced).
 */
export function outcomeOn(ex: Step['expect'], rev: Revision): Outcome | undefined {
  if (!ex) return undefined;
  const { on, ...base } = ex;
  const over = on ? new Map(Object.entries(on)).get(rev) : undefined;
  const merged: Outcome = over
    ? { ...base, ...over, state: { ...(base.state ?? {}), ...(over.state ?? {}) } }
    : base;
  // Kernel function names are written against v8, like the programs: spell the testmod kfunc
  // as this revision does.
  const fn = (names: readonly string[] | undefined) => names?.map((n) => retargetKfuncName(n, rev));
  const called = fn(merged.called);
  const notCalled = fn(merged.not_called);
  const oopsFn = merged.oops_at?.function;
  return {
    ...merged,
    ...(called ? { called } : {}),
    ...(notCalled ? { not_called: notCalled } : {}),
    ...(merged.oops_at && oopsFn !== undefined
      ? { oops_at: { ...merged.oops_at, function: retargetKfuncName(oopsFn, rev) } }
      : {}),
  };
}

/** A readable call for a step that made several kernel operations (or none). */
export function labelOf(step: Step): string {
  const args = Object.entries(step)
    .filter(([k]) => !['op', 'say', 'caption', 'notes', 'chapter', 'expect'].includes(k))
    .map(([, v]) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
  return `${step.op}(${args.join(', ')})`;
}

function checkExpect(
  ex: Outcome | undefined,
  result: SysResult | null,
  retval: Val | undefined,
  state: KernelState,
  ctx: ExpectContext,
  reports: readonly KernelReport[],
): string[] {
  if (!ex) return [];
  const out: string[] = [];
  if (ex.reports !== undefined) {
    const got = reports.map((r) => r.kind);
    if (ex.reports === 'none') {
      if (got.length)
        out.push(`expected no kernel report, got ${reports.map((r) => r.title).join('; ')}`);
    } else {
      for (const kind of ex.reports)
        if (!got.includes(kind))
          out.push(`expected a ${kind} report, got ${got.length ? got.join(', ') : 'none'}`);
    }
  }
  if (ex.ret !== undefined) {
    const want =
      typeof ex.ret === 'number'
        ? ex.ret
        : -(ERRNO[ex.ret.replace(/^-/, '') as keyof typeof ERRNO] ?? NaN);
    const got = result?.ret;
    const gotText =
      got === undefined ? 'nothing' : got < 0 ? `-${errnoName(got) ?? got}` : String(got);
    if (got !== want)
      out.push(
        `expected ret ${String(ex.ret)}, got ${gotText}${result?.reason ? ` (${result.reason})` : ''}`,
      );
  }
  if (ex.retval !== undefined && !sameValue(ex.retval, retval))
    out.push(`expected retval ${JSON.stringify(ex.retval)}, got ${JSON.stringify(retval ?? null)}`);
  for (const [path, want] of Object.entries(ex.state ?? {})) {
    const got = readPath(state, path, ctx);
    if (!sameValue(want, got))
      out.push(
        `expected ${path} = ${JSON.stringify(want)}, got ${got === undefined ? 'nothing (no such object)' : JSON.stringify(got)}`,
      );
  }
  return out;
}
