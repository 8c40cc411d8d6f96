/** The shape of a step handler: what one scenario operation does (./table.ts lists them all). */
import type { Step, StepOp } from '../schema';
import type { RunContext } from './context';

/**
 * Performs a step of operation `K`: returns what the call returned (negative errno on
 * failure), or null for a step that is not a call (`advance`, `drain`, `settle`, ...).
 * `index` is the step's place in the scenario.
 */
export type StepHandler<K extends StepOp> = (
  step: Extract<Step, { op: K }>,
  ctx: RunContext,
  index: number,
) => number | null;

/** Handlers for some operations, each under its own name. */
export type StepHandlers<K extends StepOp> = { readonly [P in K]: StepHandler<P> };
