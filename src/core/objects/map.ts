/**
 * Map references and map free: `bpf_map_get`, `bpf_map_inc`, `bpf_map_put`,
 * `bpf_map_put_uref`, `bpf_map_put_with_uref`, and the deferred `bpf_map_free_deferred`
 * (kernel/bpf/syscall.c). Type-specific work goes through the map type's `struct bpf_map_ops`
 * (objects/ops.ts): array and hash maps' in objects/mapTypes.ts, the struct_ops map's in
 * structops/mapOps.ts.
 */
import { KernelError } from '../errno';
import { SYSCALL_C } from '../files';
import { mapRef } from '../names';
import type { Recipe, Tx } from '../tx';
import { dMap, mapOf } from './access';
import { queueWork } from './deferral';
import { fdget } from './fd';
import { bpfMapOps, mapFreeHooks } from './ops';

/**
 * `bpf_map_get(fd)` (syscall.c `__bpf_map_get` + `bpf_map_inc`): -EBADF when the fd is not
 * open, -EINVAL when it is not a map fd; otherwise a temporary refcnt (not usercnt) held by `by`.
 */
export function bpf_map_get(tx: Tx, fd: number, by: string): number | KernelError {
  return tx.in('bpf_map_get', SYSCALL_C, () => {
    const entry = fdget(tx, fd);
    if (entry instanceof KernelError) return entry;
    if (entry.kind !== 'map') {
      return new KernelError(
        'EINVAL',
        `fd ${fd} is a ${entry.kind}, not a map (f_op is not bpf_map_fops)`,
      );
    }
    bpf_map_inc(
      tx,
      entry.id,
      `${by} takes a temporary reference on the map behind fd ${fd}.`,
      (d) => {
        d.inflight.push({ target: mapRef(entry.id), by });
      },
    );
    return entry.id;
  });
}

/** `bpf_map_inc`: refcnt+1 (usercnt untouched), `holder` recording the new holder. */
export function bpf_map_inc(tx: Tx, id: number, why: string, holder: Recipe): void {
  tx.in('bpf_map_inc', SYSCALL_C, () => {
    const before = mapOf(tx.state, id).refcnt;
    tx.emit(
      { kind: 'refcnt', target: mapRef(id), field: 'refcnt', before, after: before + 1, why },
      (d) => {
        holder(d);
        dMap(d, id).refcnt++;
      },
    );
  });
}

/**
 * `bpf_map_inc_with_uref` (syscall.c): refcnt+1 and usercnt+1, for a new user-visible holder
 * (a bpffs pin, an fd from BPF_OBJ_GET or BPF_MAP_GET_FD_BY_ID). Two events: the refcnt is
 * parked as in flight until the holder that also counts usercnt is installed.
 */
export function bpf_map_inc_with_uref(tx: Tx, id: number, why: string, holder: Recipe): void {
  tx.in('bpf_map_inc_with_uref', SYSCALL_C, () => {
    const m = mapOf(tx.state, id);
    tx.emit(
      {
        kind: 'refcnt',
        target: mapRef(id),
        field: 'refcnt',
        before: m.refcnt,
        after: m.refcnt + 1,
        why,
      },
      (d) => {
        d.inflight.push({ target: mapRef(id), by: 'bpf_map_inc_with_uref' });
        dMap(d, id).refcnt++;
      },
    );
    tx.emit(
      {
        kind: 'usercnt',
        target: mapRef(id),
        field: 'usercnt',
        before: m.usercnt,
        after: m.usercnt + 1,
        why: 'It is a user reference too: usercnt goes up with refcnt.',
      },
      (d) => {
        const i = d.inflight.findIndex(
          (t) => t.target.kind === 'map' && t.target.id === id && t.by === 'bpf_map_inc_with_uref',
        );
        if (i >= 0) d.inflight.splice(i, 1);
        holder(d);
        dMap(d, id).usercnt++;
      },
    );
  });
}

export function bpf_map_put_temp(tx: Tx, id: number, by: string): void {
  bpf_map_put(tx, id, `${by} drops its temporary reference.`, (d) => {
    const i = d.inflight.findIndex(
      (t) => t.target.kind === 'map' && t.target.id === id && t.by === by,
    );
    if (i >= 0) d.inflight.splice(i, 1);
  });
}

/**
 * `bpf_map_put`: refcnt-1. At zero the map's id is released and its free is queued as
 * `bpf_map_free_deferred` on a workqueue (`bpf_map_free_in_work`). [bg: maps used by
 * sleepable programs or marked free_after_rcu_gp wait for a grace period first; no map in
 * this model is.]
 */
export function bpf_map_put(tx: Tx, id: number, why: string, holder: Recipe): void {
  tx.in('bpf_map_put', SYSCALL_C, () => {
    const before = mapOf(tx.state, id).refcnt;
    const last = before === 1;
    tx.emit(
      {
        kind: 'refcnt',
        target: mapRef(id),
        field: 'refcnt',
        before,
        after: before - 1,
        why: last ? `${why} That was the last reference: the map will be freed.` : why,
      },
      (d) => {
        holder(d);
        const m = dMap(d, id);
        m.refcnt--;
        if (last) m.lifecycle = 'freeing';
      },
    );
    if (last) {
      tx.in('bpf_map_free_in_work', SYSCALL_C, () =>
        queueWork(
          tx,
          'bpf_map_free_deferred',
          mapRef(id),
          'The map is freed from a workqueue, not in the caller.',
        ),
      );
    }
  });
}

/**
 * `bpf_map_put_with_uref` (what closing a map fd does): `bpf_map_put_uref` drops usercnt, and
 * at zero calls `map_release_uref` (array/hash maps cancel and free their timers there);
 * then `bpf_map_put`. Both counts are dropped in one event since one fd holds both.
 */
export function bpf_map_put_with_uref(tx: Tx, id: number, why: string, holder: Recipe): void {
  tx.in('bpf_map_put_with_uref', SYSCALL_C, () => {
    const m = mapOf(tx.state, id);
    const lastUref = m.usercnt === 1;
    const lastRef = m.refcnt === 1;
    tx.in('bpf_map_put_uref', SYSCALL_C, () => {
      tx.emit(
        {
          kind: 'usercnt',
          target: mapRef(id),
          field: 'usercnt',
          before: m.usercnt,
          after: m.usercnt - 1,
          why: lastUref ? `${why} No user reference is left.` : why,
        },
        (d) => {
          holder(d);
          const dm = dMap(d, id);
          dm.usercnt--;
          // The refcnt half of the fd's reference is dropped just below; keep the holder
          // count consistent meanwhile by parking it as an in-flight reference.
          d.inflight.push({ target: mapRef(id), by: 'bpf_map_put_with_uref' });
        },
      );
      if (lastUref) map_release_uref(tx, id);
    });
    bpf_map_put(
      tx,
      id,
      lastRef
        ? 'The fd also held a map reference, the last one.'
        : 'The fd also held a map reference.',
      (d) => {
        const i = d.inflight.findIndex(
          (t) => t.target.kind === 'map' && t.target.id === id && t.by === 'bpf_map_put_with_uref',
        );
        if (i >= 0) d.inflight.splice(i, 1);
      },
    );
  });
}

/** `map->ops->map_release_uref`, when the map type has one (array and hash maps free timers). */
function map_release_uref(tx: Tx, id: number): void {
  bpfMapOps(mapOf(tx.state, id).type).map_release_uref?.(tx, id);
}

/** `bpf_map_free_deferred`: the work item that runs `map->ops->map_free`. */
export function bpf_map_free_deferred(tx: Tx, id: number): void {
  tx.in('bpf_map_free_deferred', SYSCALL_C, () =>
    bpfMapOps(mapOf(tx.state, id).type).map_free(tx, id),
  );
}

/** The map's memory is gone; the memory checkers look at what still names it. */
export function markMapFreed(tx: Tx, id: number, why: string): void {
  tx.emit(
    {
      kind: 'free',
      target: mapRef(id),
      field: 'lifecycle',
      before: 'freeing',
      after: 'freed',
      why,
    },
    (d) => {
      dMap(d, id).lifecycle = 'freed';
    },
  );
  mapFreeHooks().map_freed(tx, id);
}
