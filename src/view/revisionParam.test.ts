import { describe, expect, it } from 'vitest';
import { readRevision, withRevision } from './revisionParam';
import type { Scenario } from '../scenario/schema';

describe('?rev= and ?compare=', () => {
  it('reads a revision, case-insensitively, and ignores anything else', () => {
    expect(readRevision(new URLSearchParams('rev=v3'), 'rev')).toBe('v3');
    expect(readRevision(new URLSearchParams('rev=MAINLINE'), 'rev')).toBe('mainline');
    expect(readRevision(new URLSearchParams('compare=v2'), 'compare')).toBe('v2');
    expect(readRevision(new URLSearchParams('rev=v9'), 'rev')).toBeNull();
    expect(readRevision(new URLSearchParams('rev=__proto__'), 'rev')).toBeNull();
    expect(readRevision(new URLSearchParams(''), 'rev')).toBeNull();
  });

  it('runs a scenario on another revision without touching the rest', () => {
    const s = { id: 'x', kernel: { revision: 'v8', cpus: 2 } } as unknown as Scenario;
    expect(withRevision(s, null)).toBe(s);
    expect(withRevision(s, 'v8')).toBe(s);
    expect(withRevision(s, 'v3').kernel).toEqual({ revision: 'v3', cpus: 2 });
    expect(s.kernel.revision).toBe('v8');
  });
});
