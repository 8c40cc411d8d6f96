/** Kernel pseudo-code: references to programs and maps: get, inc, put and free (kernel/bpf/syscall.c, core.c). Our own paraphrase of the kernel's code, not its source. */
import { CORE_C, L, SYSCALL_C, calls, code, ev, on, type KernelFunctionCode } from './dsl';

export const REFS: readonly KernelFunctionCode[] = [
  code('bpf_prog_get', SYSCALL_C, [
    L('struct bpf_prog *bpf_prog_get(u32 ufd)      /* → __bpf_prog_get(ufd, NULL, false) */'),
    L('  CLASS(fd, f)(ufd);'),
    L('  if (fd_empty(f)) return ERR_PTR(-EBADF);'),
    L('  if (fd_file(f)->f_op != &bpf_prog_fops) return ERR_PTR(-EINVAL);'),
    L('  prog = fd_file(f)->private_data;'),
    L(
      "  bpf_prog_inc(prog);                        /* the caller's reference */",
      calls('bpf_prog_inc'),
    ),
    L('  return prog;'),
  ]),

  code('bpf_prog_inc', SYSCALL_C, [
    L('void bpf_prog_inc(struct bpf_prog *prog)'),
    L("  /* one more holder: an fd, a link, a timer's cb->prog, a command's temporary ref */"),
    L('  atomic64_inc(&prog->aux->refcnt);', on(ev('refcnt'))),
    L('EXPORT_SYMBOL_GPL(bpf_prog_inc);'),
  ]),

  code('bpf_link_inc', SYSCALL_C, [
    L('void bpf_link_inc(struct bpf_link *link)'),
    L('  /* one more holder: a bpffs pin, an fd from BPF_OBJ_GET or GET_FD_BY_ID */'),
    L('  atomic64_inc(&link->refcnt);', on(ev('refcnt'))),
    L('}'),
  ]),

  code('bpf_prog_put', SYSCALL_C, [
    L('void bpf_prog_put(struct bpf_prog *prog)       /* → __bpf_prog_put() */'),
    L('  if (atomic64_dec_and_test(&prog->aux->refcnt)) {', on(ev('refcnt'))),
    L('    /* the last reference: unpublish it, free it once nothing can be running it */'),
    L('    bpf_prog_kallsyms_del_all(prog);'),
    L('    bpf_prog_free_id(prog);                     /* no new fd from its id */'),
    L('    __bpf_prog_put_noref(prog, true);', calls('__bpf_prog_put_noref')),
    L('  }'),
  ]),

  code('__bpf_prog_put_noref', SYSCALL_C, [
    L('static void __bpf_prog_put_noref(struct bpf_prog *prog, bool deferred)'),
    L('  btf_put(prog->aux->btf);  module_put(prog->aux->mod);'),
    L('  kfree(prog->aux->kfunc_tab);  kfree(prog->aux->ctx_arg_info);'),
    L('  if (deferred) {'),
    L(
      '    if (prog->sleepable) call_rcu_tasks_trace(&prog->aux->rcu, __bpf_prog_put_rcu);',
      calls('call_rcu_tasks_trace'),
    ),
    L(
      '    else call_rcu(&prog->aux->rcu, __bpf_prog_put_rcu);   /* running progs finish first */',
      calls('call_rcu'),
    ),
    L('  } else {'),
    L('    __bpf_prog_put_rcu(&prog->aux->rcu);'),
    L('  }'),
  ]),

  code('__bpf_prog_put_rcu', SYSCALL_C, [
    L('static void __bpf_prog_put_rcu(struct rcu_head *rcu)   /* after the (tasks-trace) GP */'),
    L('  struct bpf_prog_aux *aux = container_of(rcu, struct bpf_prog_aux, rcu);'),
    L('  kvfree(aux->func_info);  kfree(aux->func_info_aux);'),
    L('  free_uid(aux->user);  security_bpf_prog_free(aux->prog);'),
    L('  bpf_prog_free(aux->prog);', calls('bpf_prog_free')),
  ]),

  code('bpf_prog_free', CORE_C, [
    L('void bpf_prog_free(struct bpf_prog *fp)     /* from __bpf_prog_put_rcu, after the GP */'),
    L('  if (aux->dst_prog) bpf_prog_put(aux->dst_prog);', calls('bpf_prog_put')),
    L('  bpf_token_put(aux->token);'),
    L('  INIT_WORK(&aux->work, bpf_prog_free_deferred);'),
    L(
      '  schedule_work(&aux->work);                  /* → queue_work(system_wq, work) */',
      calls('queue_work'),
    ),
  ]),

  code('bpf_prog_free_deferred', CORE_C, [
    L('static void bpf_prog_free_deferred(struct work_struct *work)'),
    L('  aux = container_of(work, struct bpf_prog_aux, work);'),
    L('  bpf_free_kfunc_btf_tab(aux->kfunc_btf_tab);'),
    L(
      '  bpf_free_used_maps(aux);                    /* each used map: bpf_map_put */',
      calls('bpf_free_used_maps', 'bpf_map_put'),
    ),
    L('  bpf_free_used_btfs(aux);'),
    L(
      '  bpf_prog_disassoc_struct_ops(aux->prog);    /* added by this series */',
      calls('bpf_prog_disassoc_struct_ops'),
    ),
    L('  if (aux->dst_trampoline) bpf_trampoline_put(aux->dst_trampoline);'),
    L('  for (i = 0; i < aux->real_func_cnt; i++) bpf_jit_free(aux->func[i]);'),
    L('  bpf_jit_free(aux->prog);', on(ev('free'))),
  ]),

  code('bpf_free_used_maps', CORE_C, [
    L('static void bpf_free_used_maps(struct bpf_prog_aux *aux)   /* → __bpf_free_used_maps() */'),
    L('  for (i = 0; i < aux->used_map_cnt; i++) {'),
    L('    map = aux->used_maps[i];'),
    L('    if (map->ops->map_poke_untrack) map->ops->map_poke_untrack(map, aux);'),
    L(
      '    bpf_map_put(map);                           /* the ref taken at load */',
      calls('bpf_map_put'),
    ),
    L('  }'),
    L('  kfree(aux->used_maps);'),
  ]),

  code('bpf_prog_release', SYSCALL_C, [
    L('static int bpf_prog_release(struct inode *inode, struct file *filp)'),
    L('  struct bpf_prog *prog = filp->private_data;'),
    L(
      "  bpf_prog_put(prog);                         /* the fd's reference */",
      calls('bpf_prog_put'),
    ),
    L('  return 0;'),
  ]),

  code('bpf_map_get', SYSCALL_C, [
    L('struct bpf_map *bpf_map_get(u32 ufd)'),
    L('  CLASS(fd, f)(ufd);'),
    L('  map = __bpf_map_get(f);      /* fd not open: -EBADF; not bpf_map_fops: -EINVAL */'),
    L('  if (!IS_ERR(map))'),
    L(
      '    bpf_map_inc(map);          /* refcnt only: usercnt is untouched */',
      calls('bpf_map_inc'),
    ),
    L('  return map;'),
  ]),

  code('bpf_map_inc_with_uref', SYSCALL_C, [
    L('void bpf_map_inc_with_uref(struct bpf_map *map)'),
    L('  /* a user-visible holder: a bpffs pin, an fd from BPF_OBJ_GET or GET_FD_BY_ID */'),
    L('  atomic64_inc(&map->refcnt);', on(ev('refcnt'))),
    L('  atomic64_inc(&map->usercnt);              /* keeps timers alive */', on(ev('usercnt'))),
  ]),

  code('bpf_map_inc', SYSCALL_C, [
    L('void bpf_map_inc(struct bpf_map *map)'),
    L("  /* a kernel holder: a prog's used_maps or association, a link, a temporary ref */"),
    L('  atomic64_inc(&map->refcnt);', on(ev('refcnt'))),
    L('EXPORT_SYMBOL_GPL(bpf_map_inc);'),
  ]),

  code('bpf_map_put', SYSCALL_C, [
    L('void bpf_map_put(struct bpf_map *map)'),
    L(
      '  if (atomic64_dec_and_test(&map->refcnt)) {',
      // On a freed map this decrement is the write KASAN reports.
      on(ev('refcnt'), ev('oops', { field: 'KASAN' })),
    ),
    L('    bpf_map_free_id(map);              /* bpf_map_free_id() must be called first */'),
    L('    if (READ_ONCE(map->free_after_mult_rcu_gp))'),
    L('      call_rcu_tasks_trace(&map->rcu, bpf_map_free_mult_rcu_gp);'),
    L('    else if (READ_ONCE(map->free_after_rcu_gp))'),
    L('      call_rcu(&map->rcu, bpf_map_free_rcu_gp);'),
    L('    else'),
    L('      bpf_map_free_in_work(map);', calls('bpf_map_free_in_work', 'queue_work')),
    L('  }'),
  ]),

  code('bpf_map_free_in_work', SYSCALL_C, [
    L('static void bpf_map_free_in_work(struct bpf_map *map)'),
    L('  INIT_WORK(&map->work, bpf_map_free_deferred);'),
    L('  /* Avoid spawning kworkers, since they all might contend for the same mutex */'),
    L('  queue_work(system_unbound_wq, &map->work);', calls('queue_work')),
  ]),

  code('bpf_map_free_deferred', SYSCALL_C, [
    L('static void bpf_map_free_deferred(struct work_struct *work)'),
    L('  struct bpf_map *map = container_of(work, struct bpf_map, work);'),
    L('  security_bpf_map_free(map);'),
    L('  bpf_map_release_memcg(map);'),
    L('  /* bpf_map_free(): */  migrate_disable();'),
    L(
      '  map->ops->map_free(map);     /* bpf_struct_ops_map_free, array_map_free, ... */',
      calls(/_map_free$/),
    ),
    L('  migrate_enable();  btf_record_free(rec);  btf_put(btf);'),
  ]),

  code('bpf_map_put_uref', SYSCALL_C, [
    L('static void bpf_map_put_uref(struct bpf_map *map)'),
    L(
      '  if (atomic64_dec_and_test(&map->usercnt)) {   /* no user space holder left */',
      on(ev('usercnt')),
    ),
    L('    if (map->ops->map_release_uref)'),
    L(
      '      map->ops->map_release_uref(map);        /* arrays, hashes: free their timers */',
      calls(/timers/),
    ),
    L('  }'),
  ]),

  code('bpf_map_put_with_uref', SYSCALL_C, [
    L('void bpf_map_put_with_uref(struct bpf_map *map)'),
    L('  /* what a map fd holds: one user reference and one reference */'),
    L('  bpf_map_put_uref(map);', calls('bpf_map_put_uref')),
    L('  bpf_map_put(map);', calls('bpf_map_put')),
  ]),

  code('bpf_map_release', SYSCALL_C, [
    L('static int bpf_map_release(struct inode *inode, struct file *filp)'),
    L('  struct bpf_map *map = filp->private_data;'),
    L('  if (map->ops->map_release) map->ops->map_release(map, filp);'),
    L('  bpf_map_put_with_uref(map);', calls('bpf_map_put_with_uref')),
    L('  return 0;'),
  ]),

  code('bpf_link_get_from_fd', SYSCALL_C, [
    L('struct bpf_link *bpf_link_get_from_fd(u32 ufd)'),
    L('  CLASS(fd, f)(ufd);'),
    L('  if (fd_empty(f)) return ERR_PTR(-EBADF);'),
    L('  if (fd_file(f)->f_op != &bpf_link_fops && ...) return ERR_PTR(-EINVAL);'),
    L('  link = fd_file(f)->private_data;'),
    L(
      '  bpf_link_inc(link);                          /* atomic64_inc(&link->refcnt) */',
      on(ev('refcnt')),
    ),
    L('  return link;'),
  ]),

  code('bpf_link_put', SYSCALL_C, [
    L('void bpf_link_put(struct bpf_link *link)     /* close(): bpf_link_put_direct() */'),
    L('  if (!atomic64_dec_and_test(&link->refcnt))', on(ev('refcnt'))),
    L('    return;'),
    L('  INIT_WORK(&link->work, bpf_link_put_deferred);   /* bpf_link_put() */'),
    L(
      '  schedule_work(&link->work);                 /* → bpf_link_free() on a kworker */',
      calls('queue_work'),
    ),
    L('  /* bpf_link_put_direct() instead frees at once: */'),
    L('  bpf_link_free(link);', calls('bpf_link_free')),
  ]),

  code('bpf_link_put_deferred', SYSCALL_C, [
    L('static void bpf_link_put_deferred(struct work_struct *work)   /* a kworker runs it */'),
    L('{'),
    L('  struct bpf_link *link = container_of(work, struct bpf_link, work);'),
    L(
      '  bpf_link_free(link);          /* → bpf_link_dealloc() → bpf_prog_put(link->prog) */',
      calls('bpf_link_free'),
    ),
    L('}'),
  ]),

  code('bpf_link_free', SYSCALL_C, [
    L('static void bpf_link_free(struct bpf_link *link)'),
    L('  bpf_link_free_id(link->id);'),
    L('  /* detach BPF program, clean up used resources */'),
    L(
      '  if (link->prog) ops->release(link);          /* raw_tp, tracing, kprobe_multi */',
      calls(/_link_release$/),
    ),
    L('  if (ops->dealloc_deferred)                   /* the prog is put after a GP */'),
    L('    call_rcu(&link->rcu, bpf_link_defer_dealloc_rcu_gp);', calls('call_rcu')),
    L('  else if (ops->dealloc)'),
    L(
      '    bpf_link_dealloc(link);    /* struct_ops: bpf_struct_ops_map_link_dealloc */',
      calls('bpf_link_dealloc', 'bpf_struct_ops_map_link_dealloc'),
      on(ev('free')),
    ),
  ]),

  code('bpf_link_dealloc', SYSCALL_C, [
    L('static void bpf_link_dealloc(struct bpf_link *link)'),
    L("  /* now that bpf_link itself can't be reached, put underlying BPF program */"),
    L('  if (link->prog) bpf_prog_put(link->prog);', calls('bpf_prog_put')),
    L('  if (link->ops->dealloc_deferred) link->ops->dealloc_deferred(link);'),
    L(
      '  else link->ops->dealloc(link);               /* the link memory is freed */',
      on(ev('free')),
    ),
  ]),

  code('bpf_link_release', SYSCALL_C, [
    L('static int bpf_link_release(struct inode *inode, struct file *filp)'),
    L('  struct bpf_link *link = filp->private_data;'),
    L(
      "  bpf_link_put_direct(link);                   /* the fd's reference */",
      calls('bpf_link_put'),
    ),
    L('  return 0;'),
  ]),
];
