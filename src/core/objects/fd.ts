/** File descriptors: the per-process fd table (`fdget`, `anon_inode_getfd`, `close_fd`). */
import { KernelError } from '../errno';
import type { Recipe, Tx } from '../tx';
import type { FdEntry } from '../types';
import { must } from './access';

/** The lowest free fd ≥ 3 in the calling process (0-2 are stdio), as `get_unused_fd_flags`. */
export function nextFd(tx: Tx, pid = tx.pid): number {
  const fds = must(tx.state.processes[pid], `process ${pid}`).fds;
  let fd = 3;
  while (fds[fd] !== undefined) fd++;
  return fd;
}

/** `fdget(fd)`: what fd refers to in the calling process, or -EBADF. */
export function fdget(tx: Tx, fd: number): FdEntry | KernelError {
  const proc = tx.state.processes[tx.pid];
  const entry = proc?.alive ? proc.fds[fd] : undefined;
  if (!entry || !Number.isInteger(fd))
    return new KernelError('EBADF', `fd ${fd} is not open in pid ${tx.pid}`);
  return entry;
}

/** Recipe that installs `entry` at `fd` in the calling process. */
export function installFd(pid: number, fd: number, entry: FdEntry): Recipe {
  return (d) => {
    must(d.processes[pid], `process ${pid}`).fds[fd] = entry;
  };
}

export function removeFd(pid: number, fd: number): Recipe {
  return (d) => {
    delete must(d.processes[pid], `process ${pid}`).fds[fd];
  };
}
