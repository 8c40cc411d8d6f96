/**
 * What "every object of a kernel state is settled" means (src/core/cow.ts): frozen, or one of
 * the dense id-keyed tables the copy-on-write leaves unfrozen so that the next change copies
 * it fast. Tests use it where they used to ask for every object to be frozen.
 */

/** A canonical array index (what V8 keeps among an object's elements). */
function isIndexKey(k: string | symbol): boolean {
  if (typeof k !== 'string') return false;
  const n = Number(k);
  return Number.isInteger(n) && n >= 0 && n < 4294967295 && String(n) === k;
}

/**
 * Whether `v` is an unfrozen table the copy-on-write may leave in a state: a plain object
 * keyed by array indices only (kernel ids, fd numbers), dense (largest key under four times
 * its size, plus 16).
 */
export function isDenseTable(v: object): boolean {
  if (Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) return false;
  const keys = Reflect.ownKeys(v);
  if (!keys.every(isIndexKey)) return false;
  const max = keys.length === 0 ? -1 : Number(keys[keys.length - 1]);
  return max < 4 * keys.length + 16;
}

/** Whether `v` (an object) is settled: frozen, or a dense table. */
export function isSettled(v: object): boolean {
  return Object.isFrozen(v) || isDenseTable(v);
}

/** The first path under `v` to an object that is not settled, or null. */
export function unsettledPath(v: unknown, path = 'state', seen = new Set<object>()): string | null {
  if (typeof v !== 'object' || v === null || seen.has(v)) return null;
  seen.add(v);
  if (!isSettled(v)) return path;
  for (const [k, child] of Object.entries(v)) {
    const bad = unsettledPath(child, `${path}.${k}`, seen);
    if (bad) return bad;
  }
  return null;
}
