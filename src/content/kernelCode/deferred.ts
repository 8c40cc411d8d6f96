/** Kernel pseudo-code: deferred frees: RCU grace periods and work items. Our own paraphrase of the kernel's code, not its source. */
import {
  KMEMLEAK_C,
  CGROUP_C,
  FORK_C,
  HRTIMER_C,
  L,
  LIBBPF_C,
  RCU_C,
  RCU_TASKS_H,
  WORKQUEUE_C,
  WORKQUEUE_H,
  calls,
  code,
  ev,
  on,
  type KernelFunctionCode,
} from './dsl';

export const DEFERRED: readonly KernelFunctionCode[] = [
  code('kmemleak_scan', KMEMLEAK_C, [
    L('static void kmemleak_scan(void)              /* the kmemleak thread, every scan period */'),
    L('  /* mark every object reachable from the roots: fds, pins, links, live programs */'),
    L('  kmemleak_scan_gray();'),
    L('  list_for_each_entry_rcu(object, &object_list, object_list) {'),
    L('    if (!unreferenced(object)) continue;    /* something still points at it */'),
    L(
      '    new_leaks++;  print_unreferenced(NULL, object);   /* "unreferenced object 0x..." */',
      on(ev('oops', { field: 'kmemleak' })),
    ),
    L('  }'),
  ]),
  code('call_rcu', RCU_C, [
    L('void call_rcu(struct rcu_head *head, rcu_callback_t func)   /* → __call_rcu_common() */'),
    L('  head->func = func;'),
    L('  head->next = NULL;'),
    L('  local_irq_save(flags);  rdp = this_cpu_ptr(&rcu_data);'),
    L(
      '  rcu_segcblist_enqueue(&rdp->cblist, head);   /* invoked after a grace period */',
      on(ev('defer')),
    ),
    L('  local_irq_restore(flags);'),
  ]),

  code('call_rcu_tasks_trace', RCU_TASKS_H, [
    L('void call_rcu_tasks_trace(struct rcu_head *rhp, rcu_callback_t func)'),
    L('  /* → call_rcu_tasks_generic(rhp, func, &rcu_tasks_trace) */'),
    L('  /* waits for every rcu_read_lock_trace() section: sleepable BPF programs */'),
    L(
      '  rcu_segcblist_enqueue(&rtpcp->cblist, rhp);  /* invoked after a tasks-trace GP */',
      on(ev('defer')),
    ),
  ]),

  code('rcu_tasks_invoke_cbs', RCU_TASKS_H, [
    L('static void rcu_tasks_invoke_cbs(struct rcu_tasks *rtp, struct rcu_tasks_percpu *rtpcp)'),
    L('  /* a tasks-trace grace period ended: no sleepable program is still running */'),
    L('  rcu_segcblist_extract_done_cbs(&rtpcp->cblist, &rcl);', on(ev('defer'))),
    L('  for (rhp = rcu_cblist_dequeue(&rcl); rhp; rhp = rcu_cblist_dequeue(&rcl))'),
    L('    rhp->func(rhp);                            /* __bpf_prog_put_rcu, ... */', calls(/./)),
  ]),

  code('cgroup_mkdir', CGROUP_C, [
    L('int cgroup_mkdir(struct kernfs_node *parent_kn, const char *name, umode_t mode)'),
    L('  cgrp = cgroup_create(parent, name, mode);'),
    L('  /* cgrp->kn->id: the id cgroup_id() returns and stat() reports as st_ino */'),
    L('  kernfs_activate(cgrp->kn);', on(ev('alloc'))),
  ]),

  code('queue_work', WORKQUEUE_H, [
    L('static inline bool queue_work(struct workqueue_struct *wq, struct work_struct *work)'),
    L('  /* → queue_work_on(WORK_CPU_UNBOUND, wq, work) (kernel/workqueue.c) */'),
    L('  local_irq_save(irq_flags);'),
    L('  if (!test_and_set_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(work)))'),
    L(
      '    __queue_work(cpu, wq, work);                /* a kworker will run work->func */',
      on(ev('defer')),
    ),
    L('  local_irq_restore(irq_flags);'),
  ]),

  code('rcu_do_batch', RCU_C, [
    L('static void rcu_do_batch(struct rcu_data *rdp)   /* RCU softirq: a grace period ended */'),
    L('  rcu_segcblist_extract_done_cbs(&rdp->cblist, &rcl);'),
    L('  for (rhp = rcu_cblist_dequeue(&rcl); rhp; rhp = rcu_cblist_dequeue(&rcl)) {'),
    L('    f = rhp->func;', on(ev('defer'))),
    L('    WRITE_ONCE(rhp->func, (rcu_callback_t)0L);'),
    L(
      '    f(rhp);                 /* __bpf_prog_put_rcu, the rest of a struct_ops map free, ... */',
      calls(/./),
    ),
    L('  }'),
  ]),

  code('process_one_work', WORKQUEUE_C, [
    L('static void process_one_work(struct worker *worker, struct work_struct *work)'),
    L('  worker->current_work = work;'),
    L('  worker->current_func = work->func;'),
    L('  set_work_pool_and_clear_pending(work, pool->id, ...);', on(ev('defer'))),
    L('  raw_spin_unlock_irq(&pool->lock);'),
    L(
      '  worker->current_func(work);   /* bpf_map_free_deferred, bpf_prog_free_deferred, ... */',
      calls(/./),
    ),
    L('  raw_spin_lock_irq(&pool->lock);'),
  ]),

  code('hrtimer_interrupt', HRTIMER_C, [
    L('void hrtimer_interrupt(struct clock_event_device *dev)   /* the clock moves on */'),
    L('  now = hrtimer_update_base(cpu_base);', on(ev('clock'))),
    L('  __hrtimer_run_queues(cpu_base, now, flags, HRTIMER_ACTIVE_HARD);'),
    L('  raise_softirq_irqoff(HRTIMER_SOFTIRQ);   /* expired soft timers: bpf_timer_cb */'),
    L('  /* meanwhile RCU grace periods end (rcu_do_batch) and kworkers run (process_one_work) */'),
  ]),

  code('kernel_clone', FORK_C, [
    L('pid_t kernel_clone(struct kernel_clone_args *args)   /* a new process or thread */'),
    L(
      '  p = copy_process(NULL, trace, NUMA_NO_NODE, args);   /* a fresh task, no bpf fds */',
      on(ev('alloc')),
    ),
    L('  pid = get_task_pid(p, PIDTYPE_PID);'),
    L('  wake_up_new_task(p);'),
    L('  return pid_vnr(pid);'),
  ]),

  code('user space (mmap)', LIBBPF_C, [
    L('/* user space, through the skeleton (bpf_object__load_skeleton) */'),
    L(
      '*mmaped = mmap(map->mmaped, mmap_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);',
    ),
    L(
      'skel->bss->field = value;        /* a plain store into the .bss map: no system call */',
      on(ev('value')),
    ),
    L('/* BPF programs read the new value the next time they load the global */'),
  ]),
];
