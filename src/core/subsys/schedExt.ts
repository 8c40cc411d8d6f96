/**
 * Enough of sched_ext (kernel/sched/ext.c) for scx_layered's use of struct_ops association:
 * `sched_ext_ops` maps that enable a scheduler instance on link create (`ops->priv` = sch),
 * root vs. sub-scheduler, and kfuncs that find their scheduler through `scx_prog_sched(aux)`.
 *
 * Modelled from kernel-semantics and scx-use-cases [EXTI][EXTA][SUB2]:
 * - `scx_prog_sched(aux)`: association → map → kdata → `ops->priv`. Unassociated: the root,
 *   when the root has no `ops.sub_attach` (COMPAT-v6.19); otherwise NULL and the warning
 *   "sched_ext: Unassociated program %s (id %d)" printed once per root [inferred: a
 *   per-root `warned_unassoc_progs` flag].
 * - A scheduler that has exited resolves to NULL (dev-tree `sch->dead`) [inferred].
 * - A second root fails with -EBUSY (sched_ext is already enabled) [bg]. A sub-scheduler
 *   (`ops.sub_cgroup_id` greater than 1, the cgroup's id, i.e. its inode number, as
 *   `scx_enable` reads it in the sub-scheduler tree) needs a cgroup with that id (-ENOENT)
 *   and an enabled root implementing `sub_attach`, else -EOPNOTSUPP [inferred from SUB2].
 *   The model shows the cgroup's path beside the id.
 * - `scx_bpf_error` exits the scheduler at once (the kernel finishes the disable from a work
 *   item; the model does it in place) [inferred]. Exiting a root exits its sub-schedulers.
 * - The member list is a subset of `struct sched_ext_ops`, in kernel order.
 */
import { castDraft } from 'immer';
import { EXT_C, EXT_INTERNAL_H } from '../files';
import { mapRef, nameOf, progRef } from '../names';
import { mapOf, must, progOf } from '../objects/access';
import { KICK_FLAG_NAMES } from '../prog/constants';
import { callStructOpsMember, oops, show, toNum } from '../prog/exec';
import { kfunc, params, type Callable, type CallCtx } from '../prog/kfuncDef';
import { currentAssoc } from '../revisions/assocCode';
import type { Tx } from '../tx';
import type { Sched } from '../types';
import type { StructOpsType } from './structOpsType';

const FUNCS = [
  'select_cpu',
  'enqueue',
  'dequeue',
  'dispatch',
  'tick',
  'runnable',
  'running',
  'stopping',
  'quiescent',
  'init_task',
  'exit_task',
  'enable',
  'disable',
  'cgroup_init',
  'cgroup_move',
  'init',
  'exit',
  'sub_attach',
  'sub_detach',
] as const;

const DATA = [
  'dispatch_max_batch',
  'flags',
  'timeout_ms',
  'exit_dump_len',
  'hotplug_seq',
  'sub_cgroup_id',
  'name',
] as const;

/**
 * `bpf_scx_init_member`: sched_ext copies its own data members (dispatch_max_batch, flags,
 * name, timeout_ms, exit_dump_len, hotplug_seq and, in the sub-scheduler tree,
 * sub_cgroup_id) and returns 1 for them; 0 for everything else.
 */
function bpf_scx_init_member(member: string): number {
  return (DATA as readonly string[]).includes(member) ? 1 : 0;
}

const schedRef = (id: number) => ({ kind: 'sched' as const, id });

function exitSched(tx: Tx, id: number, kind: string, msg: string): void {
  const sch = must(tx.state.scx.scheds[id], `sched ${id}`);
  if (sch.state === 'disabled') return;
  tx.in('scx_disable', EXT_C, () => {
    for (const child of Object.values(tx.state.scx.scheds)) {
      if (child.parent === id) exitSched(tx, child.id, kind, `parent ${sch.name} exited`);
    }
    tx.emit(
      {
        kind: 'sched',
        target: schedRef(id),
        field: 'state',
        before: 'enabled',
        after: `disabled (${kind})`,
        why: `${sch.name} exits: ${msg}.`,
      },
      (d) => {
        const s = must(d.scx.scheds[id], `sched ${id}`);
        s.state = 'disabled';
        s.exit = { kind, msg };
        if (d.scx.root === id) d.scx.root = null;
        d.dmesg.push({
          at: d.now,
          msg: `sched_ext: BPF scheduler "${sch.name}" disabled (${kind}): ${msg}`,
        });
      },
    );
  });
}

/** `bpf_scx_reg` → `scx_enable`: allocate the scheduler, `ops->priv = sch`. */
function reg(tx: Tx, map: number, link: number | null): { ret: number; reason?: string } {
  return tx.in('bpf_scx_reg', EXT_C, () => {
    const m = mapOf(tx.state, map);
    const kdata = must(m.st, 'struct_ops part').kdata;
    const cgid = kdata.fields['sub_cgroup_id'];
    const isSub = typeof cgid === 'number' && cgid > 1;
    const cgPath = isSub ? tx.state.cgroups[cgid] : undefined;
    const sub = isSub ? `${cgPath ?? '?'} (cgroup id ${cgid})` : '';
    if (isSub && cgPath === undefined) {
      const reason = `No cgroup has id ${cgid}: ${m.name} has nowhere to attach.`;
      tx.emit({ kind: 'sched', target: mapRef(map), why: reason });
      return { ret: -2, reason };
    }
    const root =
      tx.state.scx.root === null ? null : (tx.state.scx.scheds[tx.state.scx.root] ?? null);
    let parent: number | null = null;
    if (isSub) {
      if (!root) {
        const reason = `No root scheduler is enabled for ${m.name} to attach under ${sub}.`;
        tx.emit({ kind: 'sched', target: mapRef(map), why: reason });
        return { ret: -2, reason };
      }
      const rootMap = mapOf(tx.state, root.map);
      if ((rootMap.st?.kdata.funcs['sub_attach'] ?? null) === null) {
        const reason = `The root scheduler ${root.name} does not implement ops.sub_attach, so it takes no sub-schedulers.`;
        tx.emit({ kind: 'sched', target: mapRef(map), why: reason });
        return { ret: -95, reason };
      }
      parent = root.id;
    } else if (root) {
      const reason = `sched_ext is already enabled (${root.name}); a second root scheduler is refused.`;
      tx.emit({ kind: 'sched', target: mapRef(map), why: reason });
      return { ret: -16, reason };
    }
    const id = tx.state.ids.sched + 1;
    const name = `sch${id}`;
    const sched: Sched = {
      id,
      name,
      map,
      parent,
      state: 'enabled',
      exit: null,
      warnedUnassoc: false,
      kicks: [],
      dsqs: {},
    };
    tx.emit(
      {
        kind: 'sched',
        target: schedRef(id),
        field: 'state',
        before: null,
        after: isSub
          ? `enabled (sub-scheduler of ${root?.name ?? '?'} at ${String(sub)})`
          : 'enabled (root)',
        why: `scx_alloc_and_add_sched creates ${name} for ${m.name}${link !== null ? ` through link#${link}` : ''}.`,
      },
      (d) => {
        d.ids.sched = id;
        d.scx.scheds[id] = castDraft(sched);
        if (!isSub) d.scx.root = id;
        d.dmesg.push({
          at: d.now,
          msg: `sched_ext: BPF scheduler "${String(kdata.fields['name'] ?? m.name)}" enabled as ${name}`,
        });
      },
    );
    tx.emit(
      {
        kind: 'sched',
        target: mapRef(map),
        field: 'ops->priv',
        before: kdata.priv === null ? 'NULL' : nameOf(tx.state, schedRef(kdata.priv)),
        after: name,
        why: `rcu_assign_pointer(ops->priv, ${name}): the map's kdata now leads to its scheduler.`,
      },
      (d) => {
        const st = d.maps[map]?.st;
        if (st) st.kdata.priv = id;
      },
    );
    return { ret: 0 };
  });
}

/** `bpf_scx_unreg` → `scx_disable`. `ops->priv` keeps pointing at the dead scheduler. */
function unreg(tx: Tx, map: number): void {
  tx.in('bpf_scx_unreg', EXT_C, () => {
    const priv = mapOf(tx.state, map).st?.kdata.priv ?? null;
    if (priv !== null) exitSched(tx, priv, 'SCX_EXIT_UNREG', 'the struct_ops link was detached');
  });
}

/**
 * `bpf_scx_update` (kernel/sched/ext.c): sched_ext does not support updating a scheduler in
 * place ("sched_ext does not support updating the BPF scheduler"), so it returns -EOPNOTSUPP.
 * It is only reached after `bpf_struct_ops_map_link_update`'s own checks (a detached link
 * gives -ENOLINK, a wrong `old_map` -EPERM), because `bpf_sched_ext_ops` does set `.update`.
 */
function bpf_scx_update(tx: Tx, newMap: number): { ret: number; reason: string } {
  return tx.in('bpf_scx_update', EXT_C, () => {
    const reason = 'sched_ext does not support updating the BPF scheduler in place.';
    tx.emit({ kind: 'check', target: mapRef(newMap), why: reason });
    return { ret: -95, reason };
  });
}

export const schedExtOps: StructOpsType = {
  name: 'sched_ext_ops',
  file: EXT_C,
  members: [
    ...FUNCS.map((name) => ({ name, kind: 'func' as const })),
    ...DATA.map((name) => ({ name, kind: 'data' as const })),
  ],
  init_member: (member) => bpf_scx_init_member(member),
  reg,
  unreg: (tx, map) => unreg(tx, map),
  update: (tx, newMap) => bpf_scx_update(tx, newMap),
};

/**
 * `scx_prog_sched(aux)` (kernel/sched/ext_internal.h): the scheduler a kfunc acts for.
 * Returns null when there is none; the reason is in the events.
 */
export function scx_prog_sched(ctx: CallCtx): Sched | null {
  const tx = ctx.tx;
  return tx.in('scx_prog_sched', EXT_INTERNAL_H, () => {
    const map = currentAssoc(tx).bpf_prog_get_assoc_struct_ops(tx, ctx.prog);
    if (map !== null) {
      const m = mapOf(tx.state, map);
      if (m.lifecycle === 'freed')
        oops(ctx, 'use-after-free', `ops->priv read from freed struct_ops map ${m.name}`);
      if (m.st?.st_ops !== 'sched_ext_ops') {
        oops(
          ctx,
          'type confusion',
          `the associated map ${m.name} holds a ${m.st?.st_ops ?? 'non-struct_ops'} struct, read as sched_ext_ops`,
        );
      }
      const priv = m.st.kdata.priv;
      // v4 of the series: the getter's reference is the caller's to put (core/revisions).
      currentAssoc(tx).bpf_struct_ops_put(tx, map);
      const sch = priv === null ? null : (tx.state.scx.scheds[priv] ?? null);
      const result = sch && sch.state === 'enabled' ? sch : null;
      tx.emit({
        kind: 'check',
        target: mapRef(map),
        field: 'ops->priv',
        after: result ? result.name : 'NULL',
        why: !sch
          ? `${m.name} has no scheduler yet (ops->priv is NULL: the map was never attached), so the kfunc acts for nobody.`
          : result
            ? `Association → ${m.name} → kdata → ops->priv → ${sch.name}.`
            : `${m.name}'s scheduler ${sch.name} has exited, so the kfunc acts for nobody.`,
      });
      return result;
    }
    const rootId = tx.state.scx.root;
    const root = rootId === null ? null : (tx.state.scx.scheds[rootId] ?? null);
    if (!root) {
      tx.emit({
        kind: 'check',
        why: 'The program is not associated and no root scheduler is enabled: NULL.',
      });
      return null;
    }
    const rootHasSubAttach =
      (mapOf(tx.state, root.map).st?.kdata.funcs['sub_attach'] ?? null) !== null;
    if (!rootHasSubAttach) {
      tx.emit({
        kind: 'check',
        target: schedRef(root.id),
        after: root.name,
        why: `The program is not associated; the root ${root.name} has no ops.sub_attach, so the compat fallback picks the root.`,
      });
      return root;
    }
    const p = progOf(tx.state, ctx.prog);
    if (!root.warnedUnassoc) {
      const msg = `sched_ext: Unassociated program ${p.name} (id ${p.id})`;
      tx.emit(
        {
          kind: 'warn',
          target: progRef(p.id),
          field: 'dmesg',
          after: msg,
          why: `The root implements sub_attach, so an unassociated program is ambiguous: warn once and return NULL.`,
        },
        (d) => {
          d.dmesg.push({ at: d.now, msg });
          const r = d.scx.scheds[root.id];
          if (r) r.warnedUnassoc = true;
        },
      );
    } else {
      tx.emit({
        kind: 'check',
        why: `${p.name} is not associated and the root implements sub_attach: NULL (already warned).`,
      });
    }
    return null;
  });
}

function kickFlags(flags: number): string {
  const names = KICK_FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, n]) => n);
  return names.length ? names.join('|') : '0';
}

const SCX_ANY = [
  'BPF_PROG_TYPE_STRUCT_OPS',
  'BPF_PROG_TYPE_TRACING',
  'BPF_PROG_TYPE_SYSCALL',
] as const;

export const scxKfuncs: readonly Callable[] = [
  kfunc(
    'scx_bpf_kick_cpu',
    EXT_C,
    SCX_ANY,
    params({ cpu: 'scalar', flags: 'scalar' }),
    'Kicks a CPU into the scheduler found by scx_prog_sched(aux); a no-op when there is none.',
    (ctx, [cpuV, flagsV]) => {
      const sch = scx_prog_sched(ctx);
      const cpu = toNum(cpuV ?? 0);
      const flags = kickFlags(toNum(flagsV ?? 0));
      if (!sch) {
        ctx.tx.emit({
          kind: 'kick',
          field: 'cpu',
          after: cpu,
          why: `No scheduler: the kick of CPU ${cpu} does nothing.`,
        });
        return 0;
      }
      if (cpu < 0 || cpu >= ctx.tx.state.nrCpus) {
        exitSched(ctx.tx, sch.id, 'SCX_EXIT_ERROR', `invalid CPU ${cpu}`);
        return 0;
      }
      ctx.tx.emit(
        {
          kind: 'kick',
          target: schedRef(sch.id),
          field: 'kicks',
          after: `CPU ${cpu} ${flags}`,
          why: `${sch.name} kicks CPU ${cpu} (${flags}).`,
        },
        (d) => {
          d.scx.scheds[sch.id]?.kicks.push({ cpu, flags, prog: ctx.prog, at: d.now });
        },
      );
      return 0;
    },
  ),
  kfunc(
    'scx_bpf_error',
    EXT_C,
    SCX_ANY,
    params({ fmt: 'str' }),
    'scx_bpf_error_bstr: aborts the scheduler found by scx_prog_sched(aux) with an error.',
    (ctx, [fmt, ...rest]) => {
      const sch = scx_prog_sched(ctx);
      let i = 0;
      const msg = String(fmt ?? '').replace(/%(ll|l)?[dus]/g, () => show(rest[i++] ?? 0));
      if (!sch) {
        ctx.tx.emit({ kind: 'check', why: `No scheduler: scx_bpf_error("${msg}") does nothing.` });
        return 0;
      }
      exitSched(ctx.tx, sch.id, 'SCX_EXIT_ERROR_BPF', `scx_bpf_error (${msg})`);
      return 0;
    },
  ),
  kfunc(
    'scx_bpf_dsq_nr_queued',
    EXT_C,
    SCX_ANY,
    params({ dsq_id: 'scalar' }),
    'Number of tasks queued on a DSQ of the scheduler found by scx_prog_sched(aux).',
    (ctx, [dsq]) => {
      const sch = scx_prog_sched(ctx);
      if (!sch) return -19;
      return sch.dsqs[String(toNum(dsq ?? 0))] ?? -2;
    },
  ),
];

/** Calls a `sched_ext_ops` member of a scheduler's map for `tid` (what the core scheduler does). */
export function scxCallOp(
  ctx: CallCtx,
  sched: number,
  member: string,
): ReturnType<typeof callStructOpsMember> {
  const sch = must(ctx.tx.state.scx.scheds[sched], `sched ${sched}`);
  return callStructOpsMember(ctx, sch.map, member);
}
