/**
 * BPF links (kernel/bpf/syscall.c): `bpf_link_get_from_fd`, `bpf_link_put`, `bpf_link_free`.
 * struct_ops links are freed by their dealloc (unreg + map put, bpf_struct_ops.c), which the
 * struct_ops layer registers as their `struct bpf_link_ops` (objects/ops.ts); fentry
 * tracing links release their trampoline and put the program at once; raw_tp and
 * kprobe_multi links have `dealloc_deferred`, so their program is put after a grace period [bg].
 */
import { KernelError } from '../errno';
import { SYSCALL_C, TRACE_C } from '../files';
import { linkRef, nameOf, progRef } from '../names';
import type { Recipe, Tx } from '../tx';
import { dLink, linkOf } from './access';
import { queueRcu } from './deferral';
import { fdget } from './fd';
import { bpf_prog_put } from './prog';
import { bpfLinkOps } from './ops';

/** `bpf_link_get_from_fd`: -EBADF, -EINVAL for a non-link fd, else a temporary reference. */
export function bpf_link_get_from_fd(tx: Tx, fd: number, by: string): number | KernelError {
  return tx.in('bpf_link_get_from_fd', SYSCALL_C, () => {
    const entry = fdget(tx, fd);
    if (entry instanceof KernelError) return entry;
    if (entry.kind !== 'link')
      return new KernelError('EINVAL', `fd ${fd} is a ${entry.kind}, not a link`);
    const before = linkOf(tx.state, entry.id).refcnt;
    tx.emit(
      {
        kind: 'refcnt',
        target: linkRef(entry.id),
        field: 'refcnt',
        before,
        after: before + 1,
        why: `${by} takes a temporary reference on link#${entry.id}.`,
      },
      (d) => {
        d.inflight.push({ target: linkRef(entry.id), by });
        dLink(d, entry.id).refcnt++;
      },
    );
    return entry.id;
  });
}

/** `bpf_link_inc`: refcnt+1, `holder` recording the new holder. */
export function bpf_link_inc(tx: Tx, id: number, why: string, holder: Recipe): void {
  tx.in('bpf_link_inc', SYSCALL_C, () => {
    const before = linkOf(tx.state, id).refcnt;
    tx.emit(
      { kind: 'refcnt', target: linkRef(id), field: 'refcnt', before, after: before + 1, why },
      (d) => {
        holder(d);
        dLink(d, id).refcnt++;
      },
    );
  });
}

export function bpf_link_put_temp(tx: Tx, id: number, by: string): void {
  bpf_link_put(tx, id, `${by} drops its temporary reference.`, (d) => {
    const i = d.inflight.findIndex(
      (t) => t.target.kind === 'link' && t.target.id === id && t.by === by,
    );
    if (i >= 0) d.inflight.splice(i, 1);
  });
}

/** `bpf_link_put` / `bpf_link_put_direct`: refcnt-1; at zero, `bpf_link_free`. */
export function bpf_link_put(tx: Tx, id: number, why: string, holder: Recipe): void {
  tx.in('bpf_link_put', SYSCALL_C, () => {
    const before = linkOf(tx.state, id).refcnt;
    const last = before === 1;
    tx.emit(
      {
        kind: 'refcnt',
        target: linkRef(id),
        field: 'refcnt',
        before,
        after: before - 1,
        why: last ? `${why} It was the last reference: the link is freed.` : why,
      },
      (d) => {
        holder(d);
        const l = dLink(d, id);
        l.refcnt--;
        if (last) l.lifecycle = 'freeing';
      },
    );
    if (last) bpf_link_free(tx, id);
  });
}

function bpf_link_free(tx: Tx, id: number): void {
  tx.in('bpf_link_free', SYSCALL_C, () => {
    const l = linkOf(tx.state, id);
    if (l.type === 'struct_ops') {
      bpfLinkOps(l.type).dealloc(tx, id);
      markLinkFreed(tx, id);
      return;
    }
    const releaseFn =
      l.type === 'tracing'
        ? 'bpf_tracing_link_release'
        : l.type === 'raw_tp'
          ? 'bpf_raw_tp_link_release'
          : 'bpf_kprobe_multi_link_release';
    tx.in(releaseFn, l.type === 'kprobe_multi' ? TRACE_C : SYSCALL_C, () =>
      tx.emit(
        {
          kind: 'link',
          target: linkRef(id),
          field: 'target',
          before: l.target,
          after: 'detached',
          why: `The program is unhooked from ${String(l.target)}: it no longer fires.`,
        },
        (d) => {
          dLink(d, id).target = null;
        },
      ),
    );
    if (l.type === 'tracing') {
      bpf_link_dealloc(tx, id);
    } else {
      queueRcu(
        tx,
        'bpf_link_defer_dealloc_rcu_gp',
        linkRef(id),
        'This link type deallocates after an RCU grace period (dealloc_deferred), and only then puts its program.',
      );
    }
  });
}

/**
 * `bpf_link_put_deferred` (syscall.c): the work item a struct_ops map's trampoline link queued
 * when `bpf_struct_ops_map_put_progs` dropped its last reference (`bpf_link_put` →
 * `schedule_work`). It runs `bpf_link_free` → `bpf_link_dealloc`, which puts the program the
 * link owned (`bpf_prog_put`), then `bpf_struct_ops_link_dealloc` frees the link. These links
 * have no fd or id, so the model keeps them as the program they own.
 */
export function bpf_link_put_deferred(tx: Tx, prog: number): void {
  tx.in('bpf_link_put_deferred', SYSCALL_C, () =>
    tx.in('bpf_link_free', SYSCALL_C, () =>
      tx.in('bpf_link_dealloc', SYSCALL_C, () =>
        bpf_prog_put(
          tx,
          prog,
          `The trampoline link is freed and drops its reference on ${nameOf(tx.state, progRef(prog))} (bpf_struct_ops_link_dealloc frees the link).`,
          (d) => {
            const i = d.inflight.findIndex(
              (t) =>
                t.target.kind === 'prog' &&
                t.target.id === prog &&
                t.by === 'bpf_link_put_deferred',
            );
            if (i >= 0) d.inflight.splice(i, 1);
          },
        ),
      ),
    ),
  );
}

/** `bpf_link_dealloc`: puts the link's program, then the link is gone. */
export function bpf_link_dealloc(tx: Tx, id: number): void {
  tx.in('bpf_link_dealloc', SYSCALL_C, () => {
    const prog = linkOf(tx.state, id).prog;
    if (prog !== null) {
      bpf_prog_put(
        tx,
        prog,
        `The link drops its reference on ${nameOf(tx.state, progRef(prog))}.`,
        (d) => {
          dLink(d, id).prog = null;
        },
      );
    }
    markLinkFreed(tx, id);
  });
}

function markLinkFreed(tx: Tx, id: number): void {
  tx.emit(
    {
      kind: 'free',
      target: linkRef(id),
      field: 'lifecycle',
      before: 'freeing',
      after: 'freed',
      why: `link#${id} is freed.`,
    },
    (d) => {
      dLink(d, id).lifecycle = 'freed';
    },
  );
}
