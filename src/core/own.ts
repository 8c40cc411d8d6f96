/**
 * Lookups by names that come from input (scenario files, the console, a host page): only a
 * record's own properties count, so `constructor`, `toString` or `__proto__` never find what
 * every object inherits. Records that store input keys start with a null prototype, so writing
 * `__proto__` stores an entry instead of replacing the prototype.
 */

/** `record[key]` if `key` is the record's own property, else undefined. */
export function own<T>(
  record: Readonly<Record<string, T>> | null | undefined,
  key: string,
): T | undefined {
  return record !== null && record !== undefined && Object.hasOwn(record, key)
    ? record[key]
    : undefined;
}

/** An empty record with no prototype (every key, `__proto__` too, is an ordinary entry). */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
