import { describe, expect, it } from 'vitest';
import { pointForStep } from '../store/timeline';
import { libraryTimeline } from '../testing/libraryRun';
import { graphAt } from './stepGraph';
import { stepMarksAt } from './stepMarks';

const t = libraryTimeline('scx-layered-refresh');
const marksAt = (point: number) => stepMarksAt(t, point, graphAt(t, point));

describe('stepMarksAt', () => {
  it('shows the refused attempt at the end of the -EBUSY step', () => {
    expect(marksAt(pointForStep(t, 19)).refused?.errno).toBe('EBUSY');
  });

  it('shows it only once the refusing event is on screen', () => {
    const start = t.stepStart[18] ?? 0;
    const key = t.stepKey[18] ?? 0;
    expect(marksAt(start).refused).toBeNull();
    expect(marksAt(key).refused?.id).toBe('edge.refused.refresh_layer_cpumasks.layered_2');
  });

  it('shows the lookups seen so far in a step', () => {
    expect(marksAt(t.stepStart[11] ?? 0).lookups).toEqual([]);
    expect(marksAt(pointForStep(t, 12)).lookups[0]?.result).toBe('kicked CPU 0, 1');
  });

  it('shows nothing before the first step', () => {
    expect(marksAt(0)).toEqual({ refused: null, lookups: [] });
  });
});
