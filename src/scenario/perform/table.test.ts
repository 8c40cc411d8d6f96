import { describe, expect, it } from 'vitest';
import { STEP_OPS } from '../schema';
import { STEP_HANDLERS } from './table';

describe('the table of step handlers', () => {
  it('has one handler for every operation the schema accepts, and no other', () => {
    const handled = Object.keys(STEP_HANDLERS).sort();
    expect(handled).toEqual([...STEP_OPS].sort());
    for (const op of STEP_OPS)
      expect(typeof Object.getOwnPropertyDescriptor(STEP_HANDLERS, op)?.value).toBe('function');
  });

  it('does not answer to names every object inherits', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(Object.hasOwn(STEP_HANDLERS, name)).toBe(false);
  });
});
