/**
 * `close(fd)`: `fput` drops the fd's file reference. While another fd still refers to the same
 * file (dup, fork, SCM_RIGHTS), nothing else happens; the last fput runs the file's release,
 * which drops what the file held: `bpf_prog_release` → `bpf_prog_put`, `bpf_map_release` →
 * `bpf_map_put_with_uref`, `bpf_link_release` → `bpf_link_put_direct`.
 */
import { KernelError, ok, type SysResult } from '../errno';
import { FILE_TABLE_C, OPEN_C, SYSCALL_C } from '../files';
import { fdget, removeFd } from '../objects/fd';
import { bpf_link_put } from '../objects/link';
import { bpf_map_put_with_uref } from '../objects/map';
import { bpf_prog_put } from '../objects/prog';
import type { Tx } from '../tx';
import { reject } from './common';

/** Another fd (in any process) that refers to open file `file`, if there is one. */
function otherFdOf(
  tx: Tx,
  file: number,
  pid: number,
  fd: number,
): { pid: number; fd: number } | null {
  for (const proc of Object.values(tx.state.processes)) {
    for (const [n, e] of Object.entries(proc.fds)) {
      if (e.file === file && !(proc.pid === pid && Number(n) === fd))
        return { pid: proc.pid, fd: Number(n) };
    }
  }
  return null;
}

export function close_fd(tx: Tx, fd: number): SysResult {
  return tx.in('close', OPEN_C, () => {
    const entry = fdget(tx, fd);
    if (entry instanceof KernelError) return reject(tx, entry.errno, entry.reason);
    const why = `fd ${fd} of pid ${tx.pid} is closed.`;
    const holder = removeFd(tx.pid, fd);
    const other = entry.file === undefined ? null : otherFdOf(tx, entry.file, tx.pid, fd);
    if (other) {
      tx.in('fput', FILE_TABLE_C, () =>
        tx.emit(
          {
            kind: 'fd',
            target: { kind: 'process', id: tx.pid },
            field: `fd ${fd}`,
            before: `${entry.kind}#${entry.id}`,
            after: null,
            why: `${why} The file stays open through fd ${other.fd} of pid ${other.pid}, so its reference on ${entry.kind}#${entry.id} stays.`,
          },
          holder,
        ),
      );
      return ok(0);
    }
    if (entry.kind === 'prog')
      tx.in('bpf_prog_release', SYSCALL_C, () => bpf_prog_put(tx, entry.id, why, holder));
    else if (entry.kind === 'map')
      tx.in('bpf_map_release', SYSCALL_C, () => bpf_map_put_with_uref(tx, entry.id, why, holder));
    else tx.in('bpf_link_release', SYSCALL_C, () => bpf_link_put(tx, entry.id, why, holder));
    return ok(0);
  });
}
