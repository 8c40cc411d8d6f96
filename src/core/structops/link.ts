/**
 * struct_ops links (kernel/bpf/bpf_struct_ops.c): `bpf_struct_ops_link_create`,
 * `bpf_struct_ops_map_link_update`, `bpf_struct_ops_map_link_detach` and `_dealloc`.
 * A struct_ops link holds a map reference (not program references) while attached.
 * Detaching never touches `st_ops_assoc`.
 */
import { fail, KernelError, ok, type Errno, type SysResult } from '../errno';
import { STRUCT_OPS_C } from '../files';
import { linkRef, mapRef, nameOf } from '../names';
import { dLink, dMap, linkOf, mapOf, must } from '../objects/access';
import { installFd, nextFd } from '../objects/fd';
import { bpf_map_get, bpf_map_inc, bpf_map_put, bpf_map_put_temp } from '../objects/map';
import type { BpfLinkOps } from '../objects/ops';
import { findStructOps } from '../subsys/registry';
import type { Tx } from '../tx';

const BY = 'bpf_struct_ops_link_create';

/** `bpf_struct_ops_valid_to_reg`: a struct_ops map with BPF_F_LINK in state READY. */
function validToReg(tx: Tx, map: number): string | null {
  const m = mapOf(tx.state, map);
  if (m.type !== 'BPF_MAP_TYPE_STRUCT_OPS') return `${m.name} is not a struct_ops map.`;
  if (!m.map_flags.includes('BPF_F_LINK')) return `${m.name} was created without BPF_F_LINK.`;
  if (m.st?.state !== 'READY')
    return `${m.name} is ${m.st?.state ?? '?'}, not READY: update it first.`;
  return null;
}

/** `bpf_struct_ops_link_create(attr)`: reg the map's kdata under `update_mutex`; returns a link fd. */
export function bpf_struct_ops_link_create(tx: Tx, mapFd: number): SysResult {
  return tx.in(BY, STRUCT_OPS_C, () => {
    const map = bpf_map_get(tx, mapFd, BY);
    if (map instanceof KernelError) return reject(tx, fail(map.errno, map.reason));
    const bad = validToReg(tx, map);
    if (bad) {
      bpf_map_put_temp(tx, map, BY);
      return reject(tx, fail('EINVAL', bad));
    }
    const id = tx.state.ids.link + 1;
    const fd = nextFd(tx);
    tx.emit(
      {
        kind: 'alloc',
        target: linkRef(id),
        field: 'link',
        before: null,
        after: `link#${id}`,
        why: `bpf_link_prime: a struct_ops link for ${nameOf(tx.state, mapRef(map))} is allocated (not yet visible).`,
      },
      (d) => {
        d.ids.link = id;
        d.links[id] = {
          id,
          type: 'struct_ops',
          refcnt: 0,
          lifecycle: 'freeing',
          prog: null,
          map: null,
          target: null,
        };
      },
    );
    const type = findStructOps(must(mapOf(tx.state, map).st, 'st').st_ops);
    if (!type) throw new Error('simulator bug: unknown struct_ops type');
    const r = tx.in(`${type.name}.reg`, type.file, () => type.reg(tx, map, id));
    if (r.ret !== 0) {
      tx.emit(
        {
          kind: 'free',
          target: linkRef(id),
          field: 'lifecycle',
          before: 'freeing',
          after: 'freed',
          why: 'bpf_link_cleanup: reg failed, the link is dropped.',
        },
        (d) => {
          dLink(d, id).lifecycle = 'freed';
        },
      );
      bpf_map_put_temp(tx, map, BY);
      const reason = r.reason ?? `${type.name}.reg failed`;
      return reject(tx, { ret: r.ret, errno: errnoOf(r.ret), reason });
    }
    tx.emit(
      {
        kind: 'link',
        target: linkRef(id),
        field: 'map',
        before: 'NULL',
        after: nameOf(tx.state, mapRef(map)),
        why: `The link is published as fd ${fd}; the map reference taken by bpf_map_get is now the link's.`,
      },
      (d) => {
        const i = d.inflight.findIndex(
          (t) => t.target.kind === 'map' && t.target.id === map && t.by === BY,
        );
        if (i >= 0) d.inflight.splice(i, 1);
        const l = dLink(d, id);
        l.map = map;
        l.refcnt = 1;
        l.lifecycle = 'live';
        const st = dMap(d, map).st;
        if (st) st.link = id;
        installFd(tx.pid, fd, { kind: 'link', id })(d);
      },
    );
    return { ret: fd };
  });
}

function errnoOf(ret: number): Errno {
  return ret === -17
    ? 'EEXIST'
    : ret === -16
      ? 'EBUSY'
      : ret === -95
        ? 'EOPNOTSUPP'
        : ret === -2
          ? 'ENOENT'
          : 'EINVAL';
}

/** `bpf_struct_ops_map_link_detach`: unreg, `link->map = NULL`, drop the map reference. */
export function bpf_struct_ops_map_link_detach(tx: Tx, link: number): SysResult {
  return tx.in('bpf_struct_ops_map_link_detach', STRUCT_OPS_C, () => {
    const map = linkOf(tx.state, link).map;
    if (map === null) {
      tx.emit({
        kind: 'check',
        target: linkRef(link),
        why: 'The link is already detached: nothing to do.',
      });
      return ok(0);
    }
    unregAndPut(
      tx,
      link,
      map,
      "Detaching drops the link's map reference; the associations stay as they are.",
    );
    return ok(0);
  });
}

/** `bpf_struct_ops_map_link_dealloc`: on last close, unreg and drop the map if still attached. */
export function bpf_struct_ops_map_link_dealloc(tx: Tx, link: number): void {
  tx.in('bpf_struct_ops_map_link_dealloc', STRUCT_OPS_C, () => {
    const map = linkOf(tx.state, link).map;
    if (map !== null)
      unregAndPut(
        tx,
        link,
        map,
        'The last link fd is closed: the link unregisters and drops its map reference.',
      );
  });
}

function unregAndPut(tx: Tx, link: number, map: number, why: string): void {
  const type = findStructOps(must(mapOf(tx.state, map).st, 'st').st_ops);
  if (type) tx.in(`${type.name}.unreg`, type.file, () => type.unreg(tx, map, link));
  bpf_map_put(tx, map, why, (d) => {
    dLink(d, link).map = null;
    const st = dMap(d, map).st;
    if (st && st.link === link) st.link = null;
  });
}

/**
 * `bpf_struct_ops_map_link_update(link, new_map, expected_old)`, checks in the kernel's order:
 * new map not valid_to_reg -EINVAL; no `update` op -EOPNOTSUPP; detached -ENOLINK;
 * expected_old mismatch -EPERM; another struct_ops type -EINVAL; update's error; else swap.
 */
export function bpf_struct_ops_map_link_update(
  tx: Tx,
  link: number,
  newMap: number,
  expectedOld: number | null,
): SysResult {
  return tx.in('bpf_struct_ops_map_link_update', STRUCT_OPS_C, () => {
    const bad = validToReg(tx, newMap);
    if (bad) return reject(tx, fail('EINVAL', bad));
    const newSt = must(mapOf(tx.state, newMap).st, 'st');
    const type = findStructOps(newSt.st_ops);
    if (!type?.update)
      return reject(tx, fail('EOPNOTSUPP', `${newSt.st_ops} has no update operation.`));
    const old = linkOf(tx.state, link).map;
    if (old === null) return reject(tx, fail('ENOLINK', `link#${link} is detached.`));
    if (expectedOld !== null && old !== expectedOld) {
      return reject(
        tx,
        fail('EPERM', `link#${link} holds ${nameOf(tx.state, mapRef(old))}, not the expected map.`),
      );
    }
    if (mapOf(tx.state, old).st?.st_ops !== newSt.st_ops)
      return reject(tx, fail('EINVAL', 'The maps are of different struct_ops types.'));
    const r = type.update(tx, newMap, old, link);
    if (r.ret !== 0)
      return reject(tx, { ret: r.ret, errno: errnoOf(r.ret), reason: r.reason ?? 'update failed' });
    bpf_map_inc(tx, newMap, 'The link now holds the new map.', (d) => {
      dLink(d, link).map = newMap;
      const st = dMap(d, newMap).st;
      if (st) st.link = link;
      d.inflight.push({ target: mapRef(old), by: 'bpf_struct_ops_map_link_update' });
    });
    bpf_map_put(tx, old, 'The link lets go of the old map.', (d) => {
      const i = d.inflight.findIndex(
        (t) =>
          t.target.kind === 'map' &&
          t.target.id === old &&
          t.by === 'bpf_struct_ops_map_link_update',
      );
      if (i >= 0) d.inflight.splice(i, 1);
      const st = dMap(d, old).st;
      if (st && st.link === link) st.link = null;
    });
    return ok(0);
  });
}

function reject(tx: Tx, r: SysResult): SysResult {
  tx.emit({ kind: 'return', why: r.reason ?? '', after: r.errno ? `-${r.errno}` : String(r.ret) });
  return r;
}

/**
 * `bpf_struct_ops_map_lops`: the `struct bpf_link_ops` of struct_ops links, through which
 * `bpf_link_free` (objects/link.ts) reaches {@link bpf_struct_ops_map_link_dealloc}.
 */
export const bpf_struct_ops_map_lops: BpfLinkOps = {
  dealloc: bpf_struct_ops_map_link_dealloc,
};
