/** Kernel pseudo-code: tracing programs: attach, trampolines and runs (kernel/trace/bpf_trace.c, trampoline.c). Our own paraphrase of the kernel's code, not its source. */
import {
  FILTER_H,
  L,
  SYSCALL_C,
  TRACE_C,
  any,
  calls,
  code,
  ev,
  on,
  weak,
  type KernelFunctionCode,
} from './dsl';

export const TRACING: readonly KernelFunctionCode[] = [
  code('bpf_raw_tp_link_attach', SYSCALL_C, [
    L('static int bpf_raw_tp_link_attach(struct bpf_prog *prog, const char __user *tp_name, ...)'),
    L('  tp_name = prog->aux->attach_func_name;     /* tp_btf: named at load by attach_btf_id */'),
    L('  btp = bpf_get_raw_tracepoint(tp_name);  if (!btp) return -ENOENT;'),
    L('  link = kzalloc(sizeof(*link), GFP_USER);'),
    L(
      '  bpf_link_init(&link->link, BPF_LINK_TYPE_RAW_TRACEPOINT, &bpf_raw_tp_link_lops, prog, ...);',
    ),
    L('  err = bpf_link_prime(&link->link, &link_primer);'),
    L(
      '  err = bpf_probe_register(link->btp, link);  /* hooked: the link keeps the prog ref */',
      on(ev('link')),
    ),
    L('  return bpf_link_settle(&link_primer);'),
  ]),

  code('bpf_tracing_prog_attach', SYSCALL_C, [
    L(
      'static int bpf_tracing_prog_attach(struct bpf_prog *prog, int tgt_prog_fd, u32 btf_id, ...)',
    ),
    L('  link = kzalloc(sizeof(*link), GFP_USER);'),
    L(
      '  bpf_link_init(&link->link.link, BPF_LINK_TYPE_TRACING, &bpf_tracing_link_lops, prog, ...);',
    ),
    L("  tr = prog->aux->dst_trampoline;            /* the target function's trampoline */"),
    L('  err = bpf_link_prime(&link->link.link, &link_primer);'),
    L('  err = bpf_trampoline_link_prog(&link->link, tr, tgt_prog);', on(ev('link'))),
    L('  return bpf_link_settle(&link_primer);'),
  ]),

  code('bpf_kprobe_multi_link_attach', TRACE_C, [
    L('int bpf_kprobe_multi_link_attach(const union bpf_attr *attr, struct bpf_prog *prog)'),
    L('  if (attr->link_create.flags) return -EINVAL;'),
    L('  cnt = attr->link_create.kprobe_multi.cnt;'),
    L('  addrs = kvmalloc_array(cnt, sizeof(*addrs), GFP_KERNEL);   /* syms → addresses */'),
    L('  link = kzalloc(sizeof(*link), GFP_KERNEL);'),
    L(
      '  bpf_link_init(&link->link, BPF_LINK_TYPE_KPROBE_MULTI, &bpf_kprobe_multi_link_lops, prog, ...);',
    ),
    L('  err = bpf_link_prime(&link->link, &link_primer);'),
    L('  err = register_fprobe_ips(&link->fp, addrs, cnt);', on(ev('link'))),
    L('  return bpf_link_settle(&link_primer);'),
  ]),

  code('bpf_raw_tp_link_release', SYSCALL_C, [
    L('static void bpf_raw_tp_link_release(struct bpf_link *link)'),
    L('  raw_tp = container_of(link, struct bpf_raw_tp_link, link);'),
    L(
      '  bpf_probe_unregister(raw_tp->btp, raw_tp);   /* the program stops firing */',
      on(ev('link')),
    ),
    L('  bpf_put_raw_tracepoint(raw_tp->btp);'),
    L('  /* dealloc_deferred: the program is put only after an RCU grace period */'),
  ]),

  code('bpf_tracing_link_release', SYSCALL_C, [
    L('static void bpf_tracing_link_release(struct bpf_link *link)'),
    L(
      '  WARN_ON_ONCE(bpf_trampoline_unlink_prog(&tr_link->link, tr_link->trampoline, ...));',
      on(ev('link')),
    ),
    L('  bpf_trampoline_put(tr_link->trampoline);'),
    L('  /* tgt_prog is NULL if target is a kernel function */'),
    L('  if (tr_link->tgt_prog) bpf_prog_put(tr_link->tgt_prog);', calls('bpf_prog_put')),
  ]),

  code('bpf_kprobe_multi_link_release', TRACE_C, [
    L('static void bpf_kprobe_multi_link_release(struct bpf_link *link)'),
    L('  kmulti_link = container_of(link, struct bpf_kprobe_multi_link, link);'),
    L(
      '  unregister_fprobe(&kmulti_link->fp);        /* the program stops firing */',
      on(ev('link')),
    ),
    L('  kprobe_multi_put_modules(kmulti_link->mods, kmulti_link->mods_cnt);'),
  ]),

  code('trace_sys_enter', TRACE_C, [
    L(
      'trace_sys_enter(regs, regs->orig_ax);        /* a task enters a system call */',
      on(ev('call')),
    ),
    L('  /* each raw_tp link on sys_enter: __bpf_trace_sys_enter → __bpf_trace_run(link, args) */'),
    L('  prog = link->link.prog;'),
    L('  if (unlikely(this_cpu_inc_return(*(prog->active)) != 1)) { misses++; goto out; }'),
    L('  rcu_read_lock();'),
    L('  (void) bpf_prog_run(prog, args);', calls('bpf_prog_run')),
    L('  rcu_read_unlock();'),
    L('out: this_cpu_dec(*(prog->active));'),
  ]),

  code('bpf_prog_run', FILTER_H, [
    L('static __always_inline u32 bpf_prog_run(const struct bpf_prog *prog, const void *ctx)'),
    L('  /* → __bpf_prog_run(prog, ctx, bpf_dispatcher_nop_func) */'),
    L('  cant_migrate();'),
    L(
      '  ret = dfunc(ctx, prog->insnsi, prog->bpf_func);   /* the program: see its source */',
      on(ev(['exec', 'value', 'return', 'check', 'warn', 'oops'])),
      weak(on(any)),
      weak(calls(/./)),
    ),
    L('  u64_stats_inc(&this_cpu_ptr(prog->stats)->cnt);    /* run_cnt */'),
    L('  return ret;'),
  ]),
];
