/**
 * Sharing an fd's open file between fds and processes. None of these touch the BPF object's
 * own counts: the reference belongs to the `struct file`, and each new fd only takes a file
 * reference (`get_file`, f_count), so `refcnt`/`usercnt` stay as they are until the last fd
 * of the file is closed (close.ts).
 * - `dup(fd)` (fs/file.c `ksys_dup`): the lowest free fd, same file.
 * - `fork()` (kernel/fork.c `dup_fd` via `copy_files`): the child gets a copy of the fd table,
 *   every fd at the same number, each on the same file.
 * - `SCM_RIGHTS` over a unix socket (net/core/scm.c `scm_fp_copy`, then `receive_fd` on
 *   recvmsg): the receiver gets the lowest free fd of its own on the same file.
 */
import { castDraft } from 'immer';
import { KernelError, ok, type SysResult } from '../errno';
import { must } from '../objects/access';
import { fdget, nextFd } from '../objects/fd';
import type { Recipe, Tx } from '../tx';
import type { FdEntry } from '../types';
import { reject } from './common';
import { FILE_C, FORK_C, SCM_H } from '../files';

/** The highest open-file id any fd carries (0 when none is shared yet). */
function lastFileId(tx: Tx): number {
  let max = 0;
  for (const p of Object.values(tx.state.processes))
    for (const e of Object.values(p.fds)) max = Math.max(max, e.file ?? 0);
  return max;
}

/**
 * The file `entry` is on, naming one (`fresh()`, recorded on `fd` by `mark`) if it had none
 * yet.
 */
function shareFile(
  pid: number,
  fd: number,
  entry: FdEntry,
  fresh: () => number,
): { file: number; mark: Recipe } {
  if (entry.file !== undefined) return { file: entry.file, mark: () => undefined };
  const file = fresh();
  return {
    file,
    mark: (d) => {
      must(d.processes[pid], `process ${pid}`).fds[fd] = { ...entry, file };
    },
  };
}

/** A counter of new open-file ids for one operation. */
function fileIds(tx: Tx): () => number {
  let last = lastFileId(tx);
  return () => ++last;
}

function what(e: FdEntry): string {
  return `${e.kind}#${e.id}`;
}

/** `dup(fd)`: a new fd on the same file; the object's counts do not change. */
export function sys_dup(tx: Tx, fd: number): SysResult {
  return tx.in('ksys_dup', FILE_C, () => {
    const entry = fdget(tx, fd);
    if (entry instanceof KernelError) return reject(tx, entry.errno, entry.reason);
    const { file, mark } = shareFile(tx.pid, fd, entry, fileIds(tx));
    const nfd = nextFd(tx);
    tx.emit(
      {
        kind: 'fd',
        target: { kind: 'process', id: tx.pid },
        field: `fd ${nfd}`,
        before: null,
        after: what(entry),
        why: `dup(${fd}) gives fd ${nfd} on the same open file: the file's count goes up, ${what(entry)}'s does not.`,
      },
      (d) => {
        mark(d);
        must(d.processes[tx.pid], 'process').fds[nfd] = { ...entry, file };
      },
    );
    return ok(nfd);
  });
}

/** `fork()`: a child process whose fd table is a copy of the parent's (same files). */
export function sys_fork(tx: Tx, child: number, name: string): SysResult {
  return tx.in('copy_process', FORK_C, () => {
    const parent = tx.state.processes[tx.pid];
    if (!parent?.alive) return reject(tx, 'ESRCH', `No live process ${tx.pid} to fork.`);
    if (tx.state.processes[child]?.alive || tx.state.tasks[child])
      return reject(tx, 'EEXIST', `pid ${child} is already in use.`);
    const marks: Recipe[] = [];
    const fds: Record<number, FdEntry> = {};
    const fresh = fileIds(tx);
    for (const [n, e] of Object.entries(parent.fds)) {
      const { file, mark } = shareFile(tx.pid, Number(n), e, fresh);
      marks.push(mark);
      fds[Number(n)] = { ...e, file };
    }
    const count = Object.keys(fds).length;
    tx.in('dup_fd', FILE_C, () =>
      tx.emit(
        {
          kind: 'alloc',
          target: { kind: 'process', id: child },
          field: 'alive',
          after: 'yes',
          why: `${parent.name} forks ${name} (pid ${child}); the child's fd table is a copy: ${count} fd(s) on the same files, so no BPF object's count changes.`,
        },
        (d) => {
          for (const m of marks) m(d);
          d.processes[child] = castDraft({ pid: child, name, alive: true, fds });
          d.tasks[child] = { tid: child, tgid: child, comm: name, parentTgid: tx.pid };
        },
      ),
    );
    return ok(child);
  });
}

/** `sendmsg(SCM_RIGHTS)` + `recvmsg`: the receiver gets its own fd on the sender's file. */
export function sys_scm_rights(tx: Tx, fd: number, to: number): SysResult {
  return tx.in('scm_send', SCM_H, () => {
    const entry = fdget(tx, fd);
    if (entry instanceof KernelError) return reject(tx, entry.errno, entry.reason);
    const peer = tx.state.processes[to];
    if (!peer?.alive) return reject(tx, 'ECONNREFUSED', `No live process ${to} on the socket.`);
    const { file, mark } = shareFile(tx.pid, fd, entry, fileIds(tx));
    const nfd = nextFd(tx, to);
    tx.in('receive_fd', FILE_C, () =>
      tx.emit(
        {
          kind: 'fd',
          target: { kind: 'process', id: to },
          field: `fd ${nfd}`,
          before: null,
          after: what(entry),
          why: `fd ${fd} of pid ${tx.pid} crosses the unix socket (SCM_RIGHTS) and arrives as fd ${nfd} of pid ${to}, on the same file: ${what(entry)}'s counts do not change.`,
        },
        (d) => {
          mark(d);
          must(d.processes[to], 'process').fds[nfd] = { ...entry, file };
        },
      ),
    );
    return ok(nfd);
  });
}
