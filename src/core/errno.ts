/**
 * Kernel errno values, by name, as the simulated `bpf()` returns them (negated).
 *
 * Numbers are Linux's (include/uapi/asm-generic/errno-base.h and errno.h; ENOTSUPP is the
 * kernel-internal 524 from include/linux/errno.h that BPF_PROG_TEST_RUN leaks to user space).
 */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  E2BIG: 7,
  EBADF: 9,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ENOSPC: 28,
  ENOLINK: 67,
  EOPNOTSUPP: 95,
  ECONNREFUSED: 111,
  EINPROGRESS: 115,
  ENOTSUPP: 524,
} as const;

export type Errno = keyof typeof ERRNO;

const BY_NUMBER: ReadonlyMap<number, Errno> = new Map(
  (Object.entries(ERRNO) as [Errno, number][]).map(([name, n]) => [n, name]),
);

/** The errno name for a (positive or negative) errno number, or undefined. */
export function errnoName(n: number): Errno | undefined {
  return BY_NUMBER.get(Math.abs(n));
}

/** Formats `-16` as `-EBUSY (16)`, and non-negative values as themselves. */
export function formatRet(ret: number): string {
  if (ret >= 0) return String(ret);
  const name = errnoName(ret);
  return name ? `-${name} (${-ret})` : String(ret);
}

/**
 * What a command returned: the raw value exactly as `bpf()` would (`0`, an fd, or `-errno`),
 * plus the errno name and a one-line reason when it failed, and any output fields the kernel
 * writes back into `attr` (e.g. `test.retval` of BPF_PROG_TEST_RUN).
 */
export interface SysResult {
  readonly ret: number;
  readonly errno?: Errno;
  readonly reason?: string;
  readonly out?: Readonly<Record<string, unknown>>;
  /** Set when the simulated kernel oopsed while serving the command (see `state.oopses`). */
  readonly oops?: string;
}

export function ok(ret = 0, out?: Record<string, unknown>): SysResult {
  return out ? { ret, out } : { ret };
}

export function fail(errno: Errno, reason: string): SysResult {
  return { ret: -ERRNO[errno], errno, reason };
}

/** A failed internal call: the negative errno and why, to be passed up unchanged. */
export class KernelError {
  constructor(
    readonly errno: Errno,
    readonly reason: string,
  ) {}
  get ret(): number {
    return -ERRNO[this.errno];
  }
}
