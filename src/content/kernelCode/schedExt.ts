/** Kernel pseudo-code: sched_ext: the scheduler, its struct_ops and kfuncs (kernel/sched/ext.c). Our own paraphrase of the kernel's code, not its source. */
import {
  EXT_C,
  EXT_INTERNAL_H,
  L,
  calls,
  code,
  ev,
  on,
  weak,
  type KernelFunctionCode,
} from './dsl';

export const SCHED_EXT: readonly KernelFunctionCode[] = [
  code('scx_prog_sched', EXT_INTERNAL_H, [
    L('static inline struct scx_sched *scx_prog_sched(const struct bpf_prog_aux *aux)'),
    L(
      '  struct sched_ext_ops *ops = bpf_prog_get_assoc_struct_ops(aux);',
      calls('bpf_prog_get_assoc_struct_ops'),
    ),
    L('  if (ops) {'),
    L(
      '    sch = rcu_dereference(ops->priv);            /* association → map → kdata → priv */',
      on(ev('oops')),
    ),
    L('    return sch && !sch->exited ? sch : NULL;', on(ev('check', { field: 'ops->priv' }))),
    L('  }'),
    L('  root = rcu_dereference(scx_root);'),
    L('  if (!root) return NULL;', on(ev('check', { target: null, why: /no root/ }))),
    L(
      '  if (!root->ops.sub_attach) return root;      /* compat: no sub-scheds, the root acts */',
      on(ev('check', { target: 'sched' })),
    ),
    L('  if (!root->warned_unassoc_progs) {           /* warn once per root */'),
    L(
      '    pr_warn("sched_ext: Unassociated program %s (id %d)\\n", aux->name, aux->id);',
      on(ev('warn')),
    ),
    L('    root->warned_unassoc_progs = true;'),
    L('  }'),
    L('  return NULL;', weak(on(ev('check')))),
  ]),

  code('scx_bpf_kick_cpu', EXT_C, [
    L('__bpf_kfunc void scx_bpf_kick_cpu(s32 cpu, u64 flags, const struct bpf_prog_aux *aux)'),
    L('  guard(rcu)();'),
    L(
      '  sch = scx_prog_sched(aux);              /* which scheduler does this program act for? */',
      calls('scx_prog_sched'),
    ),
    L(
      '  if (unlikely(!sch)) return;             /* none: the kick does nothing */',
      on(ev('kick', { field: 'cpu' })),
    ),
    L(
      '  if (!ops_cpu_valid(sch, cpu, NULL)) return;      /* scx_error(): sch exits */',
      calls('scx_disable'),
    ),
    L(
      '  scx_kick_cpu(sch, cpu, flags);          /* set the kick bit, irq_work_queue() */',
      on(ev('kick')),
    ),
  ]),

  code('scx_bpf_error', EXT_C, [
    L('__bpf_kfunc void scx_bpf_error_bstr(char *fmt, u64 *data, u32 data__sz, ... *aux)'),
    L('  sch = scx_prog_sched(aux);', calls('scx_prog_sched')),
    L('  if (unlikely(!sch)) return;', on(ev('check'))),
    L('  bstr_format(&scx_exit_bstr_buf, fmt, data, data__sz);'),
    L(
      '  scx_exit(sch, SCX_EXIT_ERROR_BPF, 0, "%s", scx_exit_bstr_buf.line);',
      calls('scx_disable'),
    ),
  ]),

  code('scx_bpf_dsq_nr_queued', EXT_C, [
    L('__bpf_kfunc s32 scx_bpf_dsq_nr_queued(u64 dsq_id, const struct bpf_prog_aux *aux)'),
    L('  sch = scx_prog_sched(aux);  if (unlikely(!sch)) return -ENODEV;', calls('scx_prog_sched')),
    L('  dsq = find_user_dsq(sch, dsq_id);'),
    L('  if (dsq) return READ_ONCE(dsq->nr);'),
    L('  return -ENOENT;'),
  ]),

  code('bpf_scx_update', EXT_C, [
    L('static int bpf_scx_update(void *kdata, void *old_kdata, struct bpf_link *link)'),
    L('  /*'),
    L('   * sched_ext does not support updating the actively-loaded BPF'),
    L('   * scheduler, as registering a BPF scheduler can always fail if the'),
    L('   * scheduler returns an error code for e.g. ops.init(), ops.init_task(),'),
    L('   * etc. Similarly, we can always race with unregistration happening'),
    L('   * elsewhere, such as with sysrq.'),
    L('   */'),
    L('  return -EOPNOTSUPP;', on(ev('check'))),
  ]),

  code('bpf_scx_reg', EXT_C, [
    L('static int bpf_scx_reg(void *kdata, struct bpf_link *link)   /* → scx_enable(ops, link) */'),
    L('  mutex_lock(&scx_enable_mutex);'),
    L('  if (ops->sub_cgroup_id > 1) {               /* a sub-scheduler: cgroup id (inode) */'),
    L(
      '    cgrp = cgroup_get_from_id(ops->sub_cgroup_id);  if (IS_ERR(cgrp)) { ret = -ENOENT; ... }',
      on(ev('sched', { field: null, why: /No cgroup has id/ })),
    ),
    L(
      '    if (!root) { ret = -ENOENT; goto err_unlock; }',
      on(ev('sched', { field: null, why: /No root/ })),
    ),
    L(
      '    if (!root->ops.sub_attach) { ret = -EOPNOTSUPP; goto err_unlock; }',
      on(ev('sched', { field: null, why: /sub_attach/ })),
    ),
    L(
      '  } else if (scx_enabled()) { ret = -EBUSY; goto err_unlock; }   /* one root only */',
      on(ev('sched', { field: null })),
    ),
    L('  sch = scx_alloc_and_add_sched(ops, parent);', on(ev('sched', { field: 'state' }))),
    L(
      '  rcu_assign_pointer(ops->priv, sch);          /* kdata → its scheduler */',
      on(ev('sched', { field: 'ops->priv' })),
    ),
    L('  /* ops.init(), then tasks are switched to the new scheduler */'),
    L('  mutex_unlock(&scx_enable_mutex);  return 0;'),
  ]),

  code('bpf_scx_unreg', EXT_C, [
    L('static void bpf_scx_unreg(void *kdata, struct bpf_link *link)'),
    L('  struct sched_ext_ops *ops = kdata;  struct scx_sched *sch = ops->priv;'),
    L('  scx_disable(sch, SCX_EXIT_UNREG);', calls('scx_disable')),
    L('  kthread_flush_work(&sch->disable_work);'),
    L('  kobject_put(&sch->kobj);             /* ops->priv still points at the exited sch */'),
  ]),

  code('scx_disable', EXT_C, [
    L('static void scx_disable(struct scx_sched *sch, enum scx_exit_kind kind)'),
    L('  if (!atomic_try_cmpxchg(&sch->exit_kind, &none, kind)) return;   /* already exiting */'),
    L(
      '  for_each_child(child, sch) scx_disable(child, kind);   /* sub-schedulers go first */',
      calls('scx_disable'),
    ),
    L('  kthread_queue_work(sch->helper, &sch->disable_work);   /* scx_disable_workfn */'),
    L('  /* tasks go back to the fair class; ops.exit(ei) */'),
    L('  pr_info("sched_ext: BPF scheduler \\"%s\\" disabled (%s)", ...);', on(ev('sched'))),
  ]),
];
