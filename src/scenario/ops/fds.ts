/**
 * Symbolic fds: wherever a scenario takes an fd it may write a name instead, and the runner
 * finds the number. A name is, in this order: an fd named by an earlier step's `as:` (dup,
 * obj_get, get_fd_by_id, send_fd), a link, a program or map (its fd in the process that loaded
 * its object), or `<object>.bss` (the map libbpf made for the object's globals).
 */

/** Where a named fd lives. */
export interface FdPlace {
  readonly pid: number;
  readonly fd: number;
}

export class FdNames {
  private readonly named = new Map<string, FdPlace>();

  constructor(private readonly objectFd: (name: string) => FdPlace | undefined) {}

  /** Records the fd an `as:` names. */
  define(name: string, place: FdPlace): void {
    this.named.set(name, place);
  }

  /** The fd and its process for a name, or undefined. */
  place(name: string): FdPlace | undefined {
    return this.named.get(name) ?? this.objectFd(name);
  }

  /** The fd number for `ref` (a number is itself); -1 (EBADF in the kernel) when unknown. */
  resolve(ref: string | number): number {
    if (typeof ref === 'number') return ref;
    return this.place(ref)?.fd ?? -1;
  }
}

/** `{ fd: name }` members of a map value become fd numbers; everything else is kept. */
export function resolveValueFds(value: unknown, fds: FdNames): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const rec = value as Readonly<Record<string, unknown>>;
  const keys = Object.keys(rec);
  if (keys.length === 1 && keys[0] === 'fd') {
    const ref = rec['fd'];
    if (typeof ref === 'string' || typeof ref === 'number') return fds.resolve(ref);
  }
  const out = new Map<string, unknown>();
  for (const k of keys) out.set(k, resolveValueFds(rec[k], fds));
  return Object.fromEntries(out);
}
