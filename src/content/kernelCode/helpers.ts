/** Kernel pseudo-code: BPF helpers: timers and friends (kernel/bpf/helpers.c). Our own paraphrase of the kernel's code, not its source. */
import {
  HELPERS_C,
  L,
  TRACE_C,
  any,
  calls,
  code,
  ev,
  on,
  weak,
  type KernelFunctionCode,
} from './dsl';

export const HELPERS: readonly KernelFunctionCode[] = [
  code('bpf_map_lookup_elem', HELPERS_C, [
    L('BPF_CALL_2(bpf_map_lookup_elem, struct bpf_map *, map, void *, key)'),
    L('  WARN_ON_ONCE(!rcu_read_lock_held() && !rcu_read_lock_trace_held() && ...);'),
    L('  return (unsigned long) map->ops->map_lookup_elem(map, key);', weak(on(any))),
    L('  /* a pointer into the map value, or NULL */'),
  ]),

  code('bpf_map_update_elem', HELPERS_C, [
    L(
      'BPF_CALL_4(bpf_map_update_elem, struct bpf_map *, map, void *, key, void *, value, u64, flags)',
    ),
    L('  WARN_ON_ONCE(!rcu_read_lock_held() && !rcu_read_lock_trace_held() && ...);'),
    L(
      '  return map->ops->map_update_elem(map, key, value, flags);',
      on(ev('value')),
      weak(on(any)),
    ),
    L('  /* array: in place; hash: BPF_NOEXIST / BPF_EXIST are checked */'),
  ]),

  code('bpf_map_delete_elem', HELPERS_C, [
    L('BPF_CALL_2(bpf_map_delete_elem, struct bpf_map *, map, void *, key)'),
    L('  WARN_ON_ONCE(!rcu_read_lock_held() && !rcu_read_lock_trace_held() && ...);'),
    L(
      '  return map->ops->map_delete_elem(map, key);   /* hash: its bpf_timer is freed */',
      on(ev('value')),
      calls('bpf_timer_cancel_and_free'),
      weak(on(any)),
    ),
    L('  /* array maps cannot delete: -EINVAL */'),
  ]),

  code('bpf_get_current_pid_tgid', HELPERS_C, [
    L('BPF_CALL_0(bpf_get_current_pid_tgid)'),
    L('  struct task_struct *task = current;'),
    L('  if (unlikely(!task)) return -EINVAL;'),
    L('  return (u64) task->tgid << 32 | task->pid;', weak(on(any))),
  ]),

  code('bpf_ktime_get_ns', HELPERS_C, [
    L('BPF_CALL_0(bpf_ktime_get_ns)'),
    L('  /* NMI safe access to clock monotonic */'),
    L('  return ktime_get_mono_fast_ns();', weak(on(any))),
    L('const struct bpf_func_proto bpf_ktime_get_ns_proto = { .ret_type = RET_INTEGER, ... };'),
  ]),

  code('bpf_printk', TRACE_C, [
    L('BPF_CALL_5(bpf_trace_printk, char *, fmt, u32, fmt_size, u64, arg1, u64, arg2, u64, arg3)'),
    L('  /* bpf_printk() in bpf_helpers.h is this helper */'),
    L('  ret = bpf_bprintf_prepare(fmt, fmt_size, args, MAX_TRACE_PRINTK_VARARGS, &data);'),
    L('  ret = bstr_printf(data.buf, MAX_BPRINTF_BUF, fmt, data.bin_args);'),
    L(
      '  trace_bpf_trace_printk(data.buf);             /* → /sys/kernel/tracing/trace_pipe */',
      on(ev('warn')),
      weak(on(any)),
    ),
    L('  bpf_bprintf_cleanup(&data);  return ret;'),
  ]),

  code('bpf_timer_init', HELPERS_C, [
    L(
      'BPF_CALL_3(bpf_timer_init, struct bpf_async_kern *, timer, struct bpf_map *, map, u64, flags)',
    ),
    L('  /* → __bpf_async_init(timer, map, flags, BPF_ASYNC_TYPE_TIMER) */'),
    L('  __bpf_spin_lock_irqsave(&async->lock);'),
    L('  if (async->timer) { ret = -EBUSY; goto out; }              /* already initialised */'),
    L('  t = bpf_map_kmalloc_node(map, sizeof(struct bpf_hrtimer), GFP_ATOMIC, map->numa_node);'),
    L('  hrtimer_setup(&t->timer, bpf_timer_cb, clockid, HRTIMER_MODE_REL_SOFT);'),
    L('  t->cb.map = map;  t->cb.prog = NULL;  rcu_assign_pointer(t->cb.callback_fn, NULL);'),
    L('  WRITE_ONCE(async->cb, &t->cb);', on(ev('timer'))),
    L(
      '  if (!atomic64_read(&map->usercnt)) { WRITE_ONCE(async->cb, NULL); kfree(t); ret = -EPERM; }',
    ),
    L('out: __bpf_spin_unlock_irqrestore(&async->lock);  return ret;'),
  ]),

  code('bpf_timer_set_callback', HELPERS_C, [
    L('BPF_CALL_3(bpf_timer_set_callback, timer, void *, callback_fn, struct bpf_prog_aux *, aux)'),
    L('  cb = async->cb;  if (!cb) { ret = -EINVAL; goto out; }'),
    L('  if (!atomic64_read(&cb->map->usercnt)) { ret = -EPERM; goto out; }'),
    L('  prev = cb->prog;'),
    L('  if (prev != prog) {                         /* Bump prog refcnt once */'),
    L(
      '    prog = bpf_prog_inc_not_zero(prog);       /* the timer holds the program */',
      calls('bpf_prog_inc'),
    ),
    L(
      '    if (prev) bpf_prog_put(prev);             /* drop prev prog refcnt */',
      calls('bpf_prog_put'),
    ),
    L('    cb->prog = prog;'),
    L('  }'),
    L('  rcu_assign_pointer(cb->callback_fn, callback_fn);', on(ev('timer'))),
    L('out: __bpf_spin_unlock_irqrestore(&async->lock);  return ret;'),
  ]),

  code('bpf_timer_start', HELPERS_C, [
    L('BPF_CALL_3(bpf_timer_start, struct bpf_async_kern *, timer, u64, nsecs, u64, flags)'),
    L('  if (flags & ~(BPF_F_TIMER_ABS | BPF_F_TIMER_CPU_PIN)) return -EINVAL;'),
    L('  __bpf_spin_lock_irqsave(&timer->lock);'),
    L('  t = timer->timer;'),
    L('  if (!t || !t->cb.prog) { ret = -EINVAL; goto out; }     /* set_callback first */'),
    L('  mode = flags & BPF_F_TIMER_ABS ? HRTIMER_MODE_ABS_SOFT : HRTIMER_MODE_REL_SOFT;'),
    L('  hrtimer_start(&t->timer, ns_to_ktime(nsecs), mode);', on(ev('timer'))),
    L('out: __bpf_spin_unlock_irqrestore(&timer->lock);  return ret;'),
  ]),

  code('bpf_timer_cancel', HELPERS_C, [
    L('BPF_CALL_1(bpf_timer_cancel, struct bpf_async_kern *, timer)'),
    L('  __bpf_spin_lock_irqsave(&timer->lock);'),
    L('  t = timer->timer;  if (!t) { ret = -EINVAL; goto out; }'),
    L('  if (this_cpu_read(hrtimer_running) == t) { ret = -EDEADLK; goto out; }  /* own cb */'),
    L(
      '  drop_prog_refcnt(&t->cb);       /* bpf_prog_put(cb->prog); cb->prog = NULL */',
      calls('bpf_prog_put'),
    ),
    L('out: __bpf_spin_unlock_irqrestore(&timer->lock);'),
    L('  ret = ret ?: hrtimer_cancel(&t->timer);     /* waits for a running callback */'),
    L('  return ret;'),
  ]),

  code('bpf_timer_cancel_and_free', HELPERS_C, [
    L('void bpf_timer_cancel_and_free(void *val)       /* element delete, uref drop, map free */'),
    L('  /* __bpf_async_cancel_and_free(): */  __bpf_spin_lock_irqsave(&async->lock);'),
    L('  cb = async->cb;  if (!cb) goto out;'),
    L(
      '  drop_prog_refcnt(cb);           /* bpf_prog_put(cb->prog); cb->prog = NULL */',
      calls('bpf_prog_put'),
    ),
    L(
      '  WRITE_ONCE(async->cb, NULL);    /* start/cancel can no longer use this timer */',
      on(ev('timer')),
    ),
    L('out: __bpf_spin_unlock_irqrestore(&async->lock);'),
    L('  bpf_timer_delete_work(&t->cb.delete_work);   /* hrtimer_cancel(), then kfree_rcu(t) */'),
  ]),

  code('bpf_timer_cb', HELPERS_C, [
    L('static enum hrtimer_restart bpf_timer_cb(struct hrtimer *hrtimer)'),
    L('  /* the hrtimer expired: hrtimer softirq, an RCU-bh read-side section */', on(ev('timer'))),
    L('  callback_fn = rcu_dereference_check(t->cb.callback_fn, rcu_read_lock_bh_held());'),
    L('  if (!callback_fn) goto out;'),
    L('  this_cpu_write(hrtimer_running, t);'),
    L(
      "  callback_fn((u64)(long)map, (u64)(long)key, (u64)(long)value, 0, 0);  /* cb->prog's aux */",
      calls('bpf_prog_run'),
    ),
    L('  this_cpu_write(hrtimer_running, NULL);'),
    L('out: return HRTIMER_NORESTART;'),
  ]),
];
