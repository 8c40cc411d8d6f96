/**
 * `close(fd)`: the file's release drops what the fd held: `bpf_prog_release` → `bpf_prog_put`,
 * `bpf_map_release` → `bpf_map_put_with_uref`, `bpf_link_release` → `bpf_link_put_direct`.
 */
import { KernelError, ok, type SysResult } from '../errno';
import { SYSCALL_C } from '../files';
import { fdget, removeFd } from '../objects/fd';
import { bpf_link_put } from '../objects/link';
import { bpf_map_put_with_uref } from '../objects/map';
import { bpf_prog_put } from '../objects/prog';
import type { Tx } from '../tx';
import { reject } from './common';

export function close_fd(tx: Tx, fd: number): SysResult {
  return tx.in('close', 'fs/open.c', () => {
    const entry = fdget(tx, fd);
    if (entry instanceof KernelError) return reject(tx, entry.errno, entry.reason);
    const why = `fd ${fd} of pid ${tx.pid} is closed.`;
    const holder = removeFd(tx.pid, fd);
    if (entry.kind === 'prog')
      tx.in('bpf_prog_release', SYSCALL_C, () => bpf_prog_put(tx, entry.id, why, holder));
    else if (entry.kind === 'map')
      tx.in('bpf_map_release', SYSCALL_C, () => bpf_map_put_with_uref(tx, entry.id, why, holder));
    else tx.in('bpf_link_release', SYSCALL_C, () => bpf_link_put(tx, entry.id, why, holder));
    return ok(0);
  });
}
