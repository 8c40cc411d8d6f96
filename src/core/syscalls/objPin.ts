/**
 * bpffs and ids (kernel/bpf/inode.c, kernel/bpf/syscall.c): ways to reach a BPF object other
 * than holding its fd, each with the references the kernel takes.
 * - `BPF_OBJ_PIN` (`bpf_obj_pin_user`): the new inode keeps the reference `bpf_fd_probe_obj`
 *   took (`bpf_prog_get` / `bpf_map_get_with_uref` / `bpf_link_get_from_fd`): refcnt+1, and
 *   usercnt+1 for a map, so a pinned map keeps its timers.
 * - `BPF_OBJ_GET` (`bpf_obj_get_user`): `bpf_any_get` takes another such reference for a new
 *   fd on a new file.
 * - `unlink` of a pin (`bpf_free_inode` → `bpf_any_put`): drops the pin's reference.
 * - `BPF_PROG_GET_FD_BY_ID`, `BPF_MAP_GET_FD_BY_ID`, `BPF_LINK_GET_FD_BY_ID`: look the id up
 *   in the idr and take a reference if the count is not already zero (`bpf_prog_inc_not_zero`,
 *   `__bpf_map_inc_not_zero(map, true)` with usercnt, `bpf_link_inc_not_zero`); -ENOENT when
 *   the id is gone (its last reference dropped: the id was freed with it).
 */
import { KernelError, ok, type SysResult } from '../errno';
import { INODE_C, SYSCALL_C } from '../files';
import { linkRef, mapRef, nameOf, progRef } from '../names';
import { must } from '../objects/access';
import { fdget, installFd, nextFd } from '../objects/fd';
import { bpf_link_inc, bpf_link_put } from '../objects/link';
import { bpf_map_inc_with_uref, bpf_map_put_with_uref } from '../objects/map';
import { bpf_prog_inc, bpf_prog_put } from '../objects/prog';
import type { Recipe, Tx } from '../tx';
import type { FdEntry, KernelState, ObjRef } from '../types';
import type { ByIdCmd, GetFdByIdAttr, ObjGetAttr, ObjPinAttr } from './attrs';
import { reject } from './common';

export type { ByIdCmd, GetFdByIdAttr, ObjGetAttr, ObjPinAttr } from './attrs';

function refOf(e: { kind: FdEntry['kind']; id: number }): ObjRef {
  return e.kind === 'prog' ? progRef(e.id) : e.kind === 'map' ? mapRef(e.id) : linkRef(e.id);
}

/** `bpf_any_get`: the reference a new user-visible holder of this kind takes. */
function anyGet(
  tx: Tx,
  e: { kind: FdEntry['kind']; id: number },
  why: string,
  holder: Recipe,
): void {
  if (e.kind === 'prog') bpf_prog_inc(tx, e.id, why, holder);
  else if (e.kind === 'map') bpf_map_inc_with_uref(tx, e.id, why, holder);
  else bpf_link_inc(tx, e.id, why, holder);
}

/** `bpf_any_put`. */
function anyPut(
  tx: Tx,
  e: { kind: FdEntry['kind']; id: number },
  why: string,
  holder: Recipe,
): void {
  if (e.kind === 'prog') bpf_prog_put(tx, e.id, why, holder);
  else if (e.kind === 'map') bpf_map_put_with_uref(tx, e.id, why, holder);
  else bpf_link_put(tx, e.id, why, holder);
}

function validPath(path: string): boolean {
  return path.startsWith('/sys/fs/bpf/') && path.length > '/sys/fs/bpf/'.length;
}

export function bpf_obj_pin(tx: Tx, attr: ObjPinAttr): SysResult {
  return tx.in('bpf_obj_pin_user', INODE_C, () => {
    const entry = fdget(tx, attr.bpf_fd);
    if (entry instanceof KernelError) return reject(tx, entry.errno, entry.reason);
    // bpf_obj_do_pin: the parent directory must be a bpffs one (`dir->i_op != &bpf_dir_iops`).
    if (!validPath(attr.pathname))
      return reject(
        tx,
        'EPERM',
        `${attr.pathname} is not in a bpffs mount (/sys/fs/bpf/...): its directory is not bpffs.`,
      );
    if (tx.state.bpffs.some((p) => p.path === attr.pathname))
      return reject(tx, 'EEXIST', `${attr.pathname} already exists.`);
    const pin = { path: attr.pathname, kind: entry.kind, id: entry.id };
    anyGet(
      tx,
      entry,
      `${attr.pathname} is created in bpffs; its inode holds a reference on ${nameOf(tx.state, refOf(entry))}.`,
      (d) => {
        d.bpffs.push(pin);
      },
    );
    return ok(0);
  });
}

export function bpf_obj_get(tx: Tx, attr: ObjGetAttr): SysResult {
  return tx.in('bpf_obj_get_user', INODE_C, () => {
    const pin = tx.state.bpffs.find((p) => p.path === attr.pathname);
    if (!pin) return reject(tx, 'ENOENT', `Nothing is pinned at ${attr.pathname}.`);
    const fd = nextFd(tx);
    anyGet(
      tx,
      pin,
      `BPF_OBJ_GET opens ${attr.pathname} as fd ${fd}, a new file with its own reference on ${nameOf(tx.state, refOf(pin))}.`,
      installFd(tx.pid, fd, { kind: pin.kind, id: pin.id }),
    );
    return ok(fd);
  });
}

/** `unlink(path)` in bpffs: the inode goes, and with it the pin's reference. */
export function bpffs_unlink(tx: Tx, path: string): SysResult {
  return tx.in('bpf_free_inode', INODE_C, () => {
    const pin = tx.state.bpffs.find((p) => p.path === path);
    if (!pin) return reject(tx, 'ENOENT', `Nothing is pinned at ${path}.`);
    anyPut(tx, pin, `${path} is unlinked: the pin's reference goes.`, (d) => {
      d.bpffs = d.bpffs.filter((p) => p.path !== path);
    });
    return ok(0);
  });
}

const BY_ID: Readonly<Record<ByIdCmd, readonly [FdEntry['kind'], string]>> = {
  BPF_PROG_GET_FD_BY_ID: ['prog', 'bpf_prog_get_fd_by_id'],
  BPF_MAP_GET_FD_BY_ID: ['map', 'bpf_map_get_fd_by_id'],
  BPF_LINK_GET_FD_BY_ID: ['link', 'bpf_link_get_fd_by_id'],
};

function liveRefcnt(s: KernelState, kind: FdEntry['kind'], id: number): number {
  const o = kind === 'prog' ? s.progs[id] : kind === 'map' ? s.maps[id] : s.links[id];
  return o && o.lifecycle === 'live' ? o.refcnt : 0;
}

export function bpf_get_fd_by_id(tx: Tx, cmd: ByIdCmd, attr: GetFdByIdAttr): SysResult {
  const [kind, fn] = must(BY_ID[cmd], cmd);
  return tx.in(fn, SYSCALL_C, () => {
    if (liveRefcnt(tx.state, kind, attr.id) === 0)
      return reject(tx, 'ENOENT', `No live ${kind} has id ${attr.id}.`);
    const fd = nextFd(tx);
    const entry = { kind, id: attr.id };
    anyGet(
      tx,
      entry,
      `The ${kind} with id ${attr.id} is found in the idr and gets a new fd ${fd}, with a reference of its own.`,
      installFd(tx.pid, fd, entry),
    );
    return ok(fd);
  });
}
