/**
 * `produceFrozen`: a recipe's changes give a new frozen state that shares every object the
 * recipe did not change; reading copies nothing; the base is never changed.
 */
import { describe, expect, it } from 'vitest';
import { produceFrozen, shallowCopy, updateIn } from './cow';
import { unsettledPath } from '../testing/settled';

interface S {
  readonly a: { readonly n: number; readonly inner: { readonly x: number } };
  readonly b: { readonly n: number };
  readonly rec: Readonly<Record<number, { readonly id: number; readonly tag?: string }>>;
  readonly list: readonly { readonly id: number }[];
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const base: S = deepFreeze({
  a: { n: 1, inner: { x: 1 } },
  b: { n: 1 },
  rec: { 1: { id: 1 }, 2: { id: 2 }, 3: { id: 3 } },
  list: [{ id: 1 }, { id: 2 }, { id: 3 }],
});
const snapshot = JSON.stringify(base);

/** Every object frozen, but for dense id tables (which the copy-on-write leaves unfrozen). */
function everyObjectSettled(v: unknown): boolean {
  return unsettledPath(v) === null;
}

describe('produceFrozen', () => {
  it('returns the base itself when the recipe only reads', () => {
    const next = produceFrozen(base, (d) => {
      expect(d.a.inner.x + (d.rec[2]?.id ?? 0) + d.list.length).toBe(6);
    });
    expect(next).toBe(base);
  });

  it('copies the path to a change and shares everything else', () => {
    const next = produceFrozen(base, (d) => {
      const r = d.rec[2];
      if (r) r.tag = 'x';
    });
    expect(next).not.toBe(base);
    expect(next.rec).not.toBe(base.rec);
    expect(next.rec[2]).toEqual({ id: 2, tag: 'x' });
    expect(next.rec[1]).toBe(base.rec[1]);
    expect(next.rec[3]).toBe(base.rec[3]);
    expect(next.a).toBe(base.a);
    expect(next.list).toBe(base.list);
    expect(everyObjectSettled(next)).toBe(true);
    // The id table's copy is left unfrozen (its next copy is a spread); the record is frozen.
    expect(Object.isFrozen(next.rec)).toBe(false);
    expect(Object.isFrozen(next.rec[2])).toBe(true);
    expect(JSON.stringify(base)).toBe(snapshot);
  });

  it('handles array methods, deletes and new objects holding drafts', () => {
    const next = produceFrozen(base, (d) => {
      d.list.push({ id: 4 });
      d.list.splice(0, 1);
      delete d.rec[3];
      d.rec[9] = { id: 9 };
      (d as { b: unknown }).b = { n: 2, was: d.a.inner };
    });
    expect(next.list.map((x) => x.id)).toEqual([2, 3, 4]);
    expect(next.list[0]).toBe(base.list[1]);
    expect(Object.keys(next.rec)).toEqual(['1', '2', '9']);
    expect(next.b).toEqual({ n: 2, was: { x: 1 } });
    expect((next.b as unknown as { was: unknown }).was).toBe(base.a.inner);
    expect(everyObjectSettled(next)).toBe(true);
    expect(JSON.stringify(base)).toBe(snapshot);
  });

  it('a draft placed in two places ends as the same final object in both', () => {
    const next = produceFrozen(base, (d) => {
      d.a.inner.x = 5;
      (d as { b: unknown }).b = d.a.inner;
    });
    expect(next.a.inner).toEqual({ x: 5 });
    expect(next.b).toBe(next.a.inner);
    expect(everyObjectSettled(next)).toBe(true);
  });

  it('drafts look like what they stand for', () => {
    produceFrozen(base, (d) => {
      expect(Array.isArray(d.list)).toBe(true);
      expect(Object.keys(d.rec)).toEqual(['1', '2', '3']);
      expect({ ...d.b }).toEqual({ n: 1 });
      expect(JSON.parse(JSON.stringify(d))).toEqual(JSON.parse(snapshot));
      expect(2 in d.rec).toBe(true);
    });
  });
});

describe('shallowCopy', () => {
  it('copies own keys of objects and arrays into new, unfrozen containers', () => {
    const o = shallowCopy(base.rec);
    expect(o).toEqual(base.rec);
    expect(Object.isFrozen(o)).toBe(false);
    const a = shallowCopy(base.list);
    expect(Array.isArray(a)).toBe(true);
    expect(a).toEqual(base.list);
  });
});

describe('records with no prototype (names from input)', () => {
  it('keep no prototype, and `__proto__` or `constructor` stay own entries', () => {
    const entries = Object.create(null) as Record<string, number>;
    entries['a'] = 1;
    const state = Object.freeze({ entries: Object.freeze(entries) });
    const next = produceFrozen(state, (d) => {
      d.entries['__proto__'] = 2;
      d.entries['constructor'] = 3;
    });
    expect(Object.getPrototypeOf(next.entries)).toBeNull();
    expect(Object.keys(next.entries).sort()).toEqual(['__proto__', 'a', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(next.entries, '__proto__')?.value).toBe(2);
    expect(Object.getPrototypeOf(shallowCopy(entries))).toBeNull();
  });
});

describe('updateIn', () => {
  it('reads only own properties: a name such as constructor is a new key, not the prototype', () => {
    const base = Object.freeze({ globals: Object.freeze({ counter: 1 }) });
    const seen: unknown[] = [];
    const next = updateIn(base, ['globals', 'constructor'], (old) => {
      seen.push(old);
      return 7;
    });
    expect(seen).toEqual([undefined]);
    expect(Object.hasOwn(next.globals, 'constructor')).toBe(true);
    expect((next.globals as Record<string, unknown>)['constructor']).toBe(7);
    expect(next.globals.counter).toBe(1);
  });

  /** Own keys in order, all the way down: what JSON shows, key order included. */
  const json = (v: unknown) => JSON.stringify(v);

  it('makes the state the recipe assigning the same value makes, frozen and shared', () => {
    const viaDraft = produceFrozen(base, (d) => {
      const r = d.rec[2];
      if (r) r.id = 20;
    });
    const direct = updateIn(base, ['rec', 2, 'id'], (old) => (old as number) * 10);
    expect(json(direct)).toBe(json(viaDraft));
    expect(direct.rec[1]).toBe(base.rec[1]);
    expect(direct.a).toBe(base.a);
    expect(direct.list).toBe(base.list);
    expect(everyObjectSettled(direct)).toBe(true);
    expect(JSON.stringify(base)).toBe(snapshot);
  });

  it('adds a key where there was none, freezing new objects in the value', () => {
    const direct = updateIn(base, ['rec', 7], () => ({ id: 7, tag: 'new' }));
    const viaDraft = produceFrozen(base, (d) => {
      d.rec[7] = { id: 7, tag: 'new' };
    });
    expect(json(direct)).toBe(json(viaDraft));
    expect(Object.keys(direct.rec)).toEqual(['1', '2', '3', '7']);
    expect(everyObjectSettled(direct)).toBe(true);
  });

  it('returns the base itself when the value is the same, and copies with a given root copy', () => {
    expect(updateIn(base, ['a', 'n'], () => 1)).toBe(base);
    let rootCopies = 0;
    const next = updateIn(
      base,
      ['b', 'n'],
      () => 2,
      (s) => {
        rootCopies++;
        return { ...s };
      },
    );
    expect(rootCopies).toBe(1);
    expect(next.b.n).toBe(2);
    expect(Object.isFrozen(next)).toBe(true);
  });

  it('refuses a path through something that is not there', () => {
    expect(() => updateIn(base, ['rec', 9, 'id'], () => 1)).toThrow('simulator bug');
  });
});

describe('sparse id-keyed records', () => {
  it('copy with the same keys, order and values, frozen', () => {
    const procs: Readonly<Record<number, { readonly pid: number }>> = Object.freeze({
      100: Object.freeze({ pid: 100 }),
      1000: Object.freeze({ pid: 1000 }),
      2000: Object.freeze({ pid: 2000 }),
    });
    const state = Object.freeze({ procs });
    const next = produceFrozen(state, (d) => {
      d.procs[3000] = { pid: 3000 };
    });
    expect(Object.keys(next.procs)).toEqual(['100', '1000', '2000', '3000']);
    expect(next.procs[1000]).toBe(procs[1000]);
    expect(Object.isFrozen(next.procs)).toBe(true);
    const again = updateIn(next, ['procs', 2000, 'pid'], () => 2001);
    expect(JSON.stringify(again.procs)).toBe(
      '{"100":{"pid":100},"1000":{"pid":1000},"2000":{"pid":2001},"3000":{"pid":3000}}',
    );
    expect(Object.getOwnPropertyDescriptor(again.procs, '4294967294')).toBeUndefined();
    expect(Object.isFrozen(again.procs)).toBe(true);
  });
});

describe('dense id tables, left unfrozen', () => {
  type WithOther = S & { other?: Record<number, { readonly id: number }> };
  /** A state whose `rec` is a table the copy-on-write made (so unfrozen). */
  const made = () =>
    produceFrozen(base, (d) => {
      const r = d.rec[2];
      if (r) r.tag = 'a';
    });

  it('are copied, never written, by the changes after them', () => {
    const s1 = made();
    expect(Object.isFrozen(s1.rec)).toBe(false);
    const json1 = JSON.stringify(s1);
    const s2 = produceFrozen(s1, (d) => {
      const r = d.rec[1];
      if (r) r.tag = 'b';
      d.rec[5] = { id: 5 };
      delete d.rec[3];
    });
    const s3 = updateIn(s2, ['rec', 2, 'id'], () => 22);
    expect(JSON.stringify(s1)).toBe(json1);
    expect(Object.keys(s2.rec)).toEqual(['1', '2', '5']);
    expect(s2.rec[2]).toBe(s1.rec[2]);
    expect(s3.rec[2]).toEqual({ id: 22, tag: 'a' });
    expect(s2.rec[2]?.id).toBe(2);
    expect(Object.isFrozen(s2.rec)).toBe(false);
    expect(Object.isFrozen(s3.rec)).toBe(false);
    expect(everyObjectSettled(s2)).toBe(true);
    expect(everyObjectSettled(s3)).toBe(true);
  });

  it('a table read from a state (not through the draft) and placed elsewhere is copied when written', () => {
    const s1 = made();
    const json1 = JSON.stringify(s1);
    const s2 = produceFrozen(s1 as WithOther, (d) => {
      d.other = s1.rec;
      d.other[1] = { id: 10 };
    });
    expect(JSON.stringify(s1)).toBe(json1);
    expect(s2.other?.[1]).toEqual({ id: 10 });
    expect(s2.other?.[2]).toBe(s1.rec[2]);
    expect(everyObjectSettled(s2)).toBe(true);
  });

  it('one whose largest key outgrows it is frozen (V8 would keep its elements as a dictionary)', () => {
    const s1 = made();
    const s2 = produceFrozen(s1, (d) => {
      d.rec[1000] = { id: 1000 };
    });
    expect(Object.isFrozen(s2.rec)).toBe(true);
    expect(Object.keys(s2.rec)).toEqual(['1', '2', '3', '1000']);
    const s3 = updateIn(s1, ['rec', 2000], () => ({ id: 2000 }));
    expect(Object.isFrozen(s3.rec)).toBe(true);
  });

  it('a new object the recipe reads back and writes is written through a draft, and ends frozen', () => {
    const inner = { b: 1 };
    const next = produceFrozen(base as S & { x?: { a: { b: number }; c?: number } }, (d) => {
      d.x = { a: inner };
      d.x.c = 2;
      d.x.a.b = 3;
    });
    expect(next.x).toEqual({ a: { b: 3 }, c: 2 });
    expect(everyObjectSettled(next)).toBe(true);
    expect(Object.isFrozen(next.x?.a)).toBe(true);
  });
});
