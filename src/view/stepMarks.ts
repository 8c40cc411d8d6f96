/**
 * The marks of the step under the cursor (components/StepMarks.tsx): the refused attempt once
 * the event that refused it is on screen, and the lookup paths of the events seen so far.
 */
import { lookupPaths, type LookupPath } from '../graph/lookupPath';
import { refusedEdge, type RefusedEdge } from '../graph/refused';
import type { Graph } from '../graph/toGraph';
import type { Timeline } from '../store/timeline';

export interface StepMarksData {
  readonly refused: RefusedEdge | null;
  readonly lookups: readonly LookupPath[];
}

export const NO_MARKS: StepMarksData = { refused: null, lookups: [] };

export function stepMarksAt(t: Timeline, point: number, graph: Graph): StepMarksData {
  const p = t.points[point];
  const frame = p && p.step >= 0 ? t.frames[p.step] : undefined;
  if (!p || !frame || p.event < 0) return NO_MARKS;
  const seen = frame.events.slice(0, p.event + 1);
  const keyAt = (t.stepKey[p.step] ?? 0) - (t.stepStart[p.step] ?? 0);
  const ret = frame.result?.ret ?? null;
  return {
    refused: p.event >= keyAt ? refusedEdge(seen, ret, graph) : null,
    lookups: lookupPaths(seen, graph),
  };
}
