/**
 * Every scenario operation and what it does, one entry each: adding an operation means a
 * schema entry (../schema.ts, ../ops/schemas.ts) and a handler in one of the modules below;
 * the type makes a missing one a compile error. Grouped by subject:
 * - ./objects: open, load, autoload, globals;       - ./association: the two ways to associate;
 * - ./links: attach, link_create, update, detach;    - ./calls: test runs, map fds, close, ops;
 * - ./fds: dup, fork, SCM_RIGHTS, pins, ids;         - ./kernel: syscalls, time, tasks.
 */
import type { Step, StepOp } from '../schema';
import { associationSteps } from './association';
import { callSteps } from './calls';
import type { RunContext } from './context';
import { fdSteps } from './fds';
import type { StepHandlers } from './handler';
import { kernelSteps } from './kernel';
import { linkSteps } from './links';
import { objectSteps } from './objects';

export const STEP_HANDLERS: StepHandlers<StepOp> = {
  ...objectSteps,
  ...associationSteps,
  ...linkSteps,
  ...callSteps,
  ...fdSteps,
  ...kernelSteps,
};

/** Performs `step`: what its call returned, or null when it is not a call. */
export function performStep(step: Step, ctx: RunContext, index: number): number | null {
  // The table is keyed by op, so the handler found is the one for this step's op; TypeScript
  // cannot see that correlation through the union, hence the widening.
  const handler = STEP_HANDLERS[step.op] as (s: Step, c: RunContext, i: number) => number | null;
  ctx.retval = undefined;
  return handler(step, ctx, index);
}
