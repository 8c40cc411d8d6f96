/** Kernel pseudo-code: the bpf() commands (kernel/bpf/syscall.c). Our own paraphrase of the kernel's code, not its source. */
import {
  EXIT_C,
  FD_NOT_LINK,
  FD_NOT_MAP,
  FD_NOT_PROG,
  FILE_C,
  FILE_TABLE_C,
  FORK_C,
  L,
  OPEN_C,
  SCM_H,
  SYSCALL_C,
  TEST_RUN_C,
  VERIFIER_C,
  calls,
  code,
  ev,
  on,
  ret,
  weak,
  type KernelFunctionCode,
} from './dsl';

export const SYSCALLS: readonly KernelFunctionCode[] = [
  code('bpf', SYSCALL_C, [
    L('SYSCALL_DEFINE3(bpf, int, cmd, union bpf_attr __user *, uattr, unsigned int, size)'),
    L('  /* __sys_bpf(): */  err = bpf_check_uarg_tail_zero(uattr, sizeof(attr), size);'),
    L('  copy_from_bpfptr(&attr, uattr, size);  err = security_bpf(cmd, &attr, size, ...);'),
    L('  switch (cmd) {'),
    L(
      '  case BPF_MAP_CREATE:            err = map_create(&attr, uattr); break;',
      on(ev('syscall', { field: 'BPF_MAP_CREATE' })),
    ),
    L(
      '  case BPF_MAP_*_ELEM:            err = map_update_elem(&attr, uattr); ...',
      on(ev('syscall', { field: /^BPF_MAP_/ })),
    ),
    L(
      '  case BPF_PROG_LOAD:             err = bpf_prog_load(&attr, uattr, size); break;',
      on(ev('syscall', { field: 'BPF_PROG_LOAD' })),
    ),
    L(
      '  case BPF_PROG_TEST_RUN:         err = bpf_prog_test_run(&attr, uattr.user); break;',
      on(ev('syscall', { field: 'BPF_PROG_TEST_RUN' })),
    ),
    L(
      '  case BPF_LINK_CREATE:           err = link_create(&attr, uattr); break;',
      on(ev('syscall', { field: 'BPF_LINK_CREATE' })),
    ),
    L(
      '  case BPF_LINK_UPDATE:           err = link_update(&attr); break;',
      on(ev('syscall', { field: 'BPF_LINK_UPDATE' })),
    ),
    L(
      '  case BPF_LINK_DETACH:           err = link_detach(&attr); break;',
      on(ev('syscall', { field: 'BPF_LINK_DETACH' })),
    ),
    L(
      '  case BPF_PROG_ASSOC_STRUCT_OPS: err = prog_assoc_struct_ops(&attr); break;   /* 38 */',
      on(ev('syscall', { field: 'BPF_PROG_ASSOC_STRUCT_OPS' })),
    ),
    L('  }', weak(on(ev('syscall')))),
    L('  return err;'),
  ]),

  code('bpf_prog_load', SYSCALL_C, [
    L('static int bpf_prog_load(union bpf_attr *attr, bpfptr_t uattr, u32 uattr_size)'),
    L('  if (CHECK_ATTR(BPF_PROG_LOAD)) return -EINVAL;'),
    L(
      '  if (bpf_prog_load_check_attach(type, expected_attach_type, attach_btf, btf_id, ...))',
      weak(on(ret('EINVAL'))),
    ),
    L('    return -EINVAL;                   /* struct_ops: member index; tracing: the target */'),
    L('  prog = bpf_prog_alloc(bpf_prog_size(attr->insn_cnt), GFP_USER);'),
    L('  atomic64_set(&prog->aux->refcnt, 1);'),
    L(
      '  err = bpf_check(&prog, attr, uattr, uattr_size);   /* maps → used_maps; __prog fixups */',
      calls('bpf_check', 'bpf_map_get', 'fixup_kfunc_call'),
      on(ev('return', { why: /^verifier:/ }), ev('return', { why: /^map / })),
    ),
    L('  if (err < 0) goto free_used_maps;'),
    L('  prog = bpf_prog_select_runtime(prog, &err);        /* JIT */'),
    L('  err = bpf_prog_alloc_id(prog);'),
    L(
      '  return bpf_prog_new_fd(prog);      /* the fd holds the first reference */',
      on(ev('alloc')),
    ),
    L('free_used_maps: __bpf_free_used_maps(prog->aux, ...);  return err;', calls('bpf_map_put')),
  ]),

  code('bpf_check', VERIFIER_C, [
    L(
      'int bpf_check(struct bpf_prog **prog, union bpf_attr *attr, bpfptr_t uattr, __u32 uattr_size)',
    ),
    L('  env->prog = *prog;'),
    L('  ret = resolve_pseudo_ldimm64(env);         /* map fds → used_maps, +1 refcnt each */'),
    L('  ret = check_subprogs(env);  ret = check_cfg(env);'),
    L('  ret = do_check_main(env);                  /* every path: calls, args, callbacks */'),
    L(
      '  ret = do_misc_fixups(env);                 /* each kfunc call: fixup_kfunc_call() */',
      calls('fixup_kfunc_call'),
    ),
    L('  ret = fixup_call_args(env);'),
    L('  return ret;'),
  ]),

  code('fixup_kfunc_call', VERIFIER_C, [
    L('static int fixup_kfunc_call(struct bpf_verifier_env *env, struct bpf_insn *insn, ...)'),
    L('  desc = find_kfunc_desc(env->prog, insn->imm, insn->off);'),
    L('  if (!bpf_jit_supports_far_kfunc_call()) insn->imm = BPF_CALL_IMM(desc->addr);'),
    L('  /* v8 dropped "if (insn->off) return 0;": module kfuncs are fixed up too */'),
    L('  if (env->insn_aux_data[insn_idx].arg_prog) {        /* a parameter named *__prog */'),
    L('    regno = env->insn_aux_data[insn_idx].arg_prog;'),
    L('    insn_buf[0..1] = BPF_LD_IMM64(regno, (long)env->prog->aux);', on(ev('verifier'))),
    L('    insn_buf[2] = *insn;  *cnt = 3;      /* whatever the program passed is overwritten */'),
    L('  }'),
  ]),

  code('map_create', SYSCALL_C, [
    L('static int map_create(union bpf_attr *attr, bpfptr_t uattr)'),
    L(
      '  if (CHECK_ATTR(BPF_MAP_CREATE)) return -EINVAL;   /* unknown map_flags too */',
      on(ret('EINVAL', /flag/)),
    ),
    L('  ops = bpf_map_types[array_index_nospec(attr->map_type, ARRAY_SIZE(bpf_map_types))];'),
    L(
      '  if (ops->map_alloc_check) { err = ops->map_alloc_check(attr); if (err) return err; }',
      calls('bpf_struct_ops_map_alloc_check'),
      weak(on(ret('EINVAL'))),
    ),
    L(
      '  map = ops->map_alloc(attr);   /* struct_ops: st_map, state INIT; -ENOTSUPP: no such type */',
      on(ret('ENOTSUPP')),
    ),
    L('  atomic64_set(&map->refcnt, 1);  atomic64_set(&map->usercnt, 1);'),
    L('  err = bpf_map_alloc_id(map);'),
    L(
      '  err = bpf_map_new_fd(map, f_flags);   /* the fd holds refcnt 1 and usercnt 1 */',
      on(ev('alloc')),
    ),
    L('  return err;'),
  ]),

  code('map_update_elem', SYSCALL_C, [
    L('static int map_update_elem(union bpf_attr *attr, bpfptr_t uattr)'),
    L('  if (CHECK_ATTR(BPF_MAP_UPDATE_ELEM)) return -EINVAL;'),
    L('  CLASS(fd, f)(attr->map_fd);'),
    L('  map = __bpf_map_get(f);           /* the fd keeps it alive: no bpf_map_inc */'),
    L('  if (IS_ERR(map)) return PTR_ERR(map);', on(ret(['EBADF', 'EINVAL'], FD_NOT_MAP))),
    L(
      '  key = ___bpf_copy_key(ukey, map->key_size);  value = kvmemdup_bpfptr(uvalue, value_size);',
    ),
    L('  /* bpf_map_update_value() → map->ops->map_update_elem(map, key, value, attr->flags) */'),
    L(
      '  err = bpf_map_update_value(map, fd_file(f), key, value, attr->flags);',
      calls(/_update_elem$/),
      weak(on(ev('return'))),
    ),
    L('  return err;'),
  ]),

  code('map_delete_elem', SYSCALL_C, [
    L('static int map_delete_elem(union bpf_attr *attr, bpfptr_t uattr)'),
    L('  if (CHECK_ATTR(BPF_MAP_DELETE_ELEM)) return -EINVAL;'),
    L('  CLASS(fd, f)(attr->map_fd);  map = __bpf_map_get(f);'),
    L('  if (IS_ERR(map)) return PTR_ERR(map);', on(ret(['EBADF', 'EINVAL'], FD_NOT_MAP))),
    L('  key = ___bpf_copy_key(ukey, map->key_size);'),
    L('  if (IS_FD_PROG_ARRAY(map) || map->map_type == BPF_MAP_TYPE_STRUCT_OPS) {'),
    L(
      '    err = map->ops->map_delete_elem(map, key);   /* these need a sleepable context */',
      calls('bpf_struct_ops_map_delete_elem'),
    ),
    L('    goto out;'),
    L('  }'),
    L(
      '  rcu_read_lock();  err = map->ops->map_delete_elem(map, key);  rcu_read_unlock();',
      calls(/_delete_elem$/),
      weak(on(ev('return'))),
    ),
    L('out: return err;'),
  ]),

  code('map_lookup_elem', SYSCALL_C, [
    L('static int map_lookup_elem(union bpf_attr *attr)'),
    L('  CLASS(fd, f)(attr->map_fd);  map = __bpf_map_get(f);'),
    L('  if (IS_ERR(map)) return PTR_ERR(map);', on(ret(['EBADF', 'EINVAL'], FD_NOT_MAP))),
    L('  key = __bpf_copy_key(ukey, map->key_size);  value = kvmalloc(value_size, GFP_USER);'),
    L(
      '  err = bpf_map_copy_value(map, key, value, attr->flags);   /* struct_ops: sys_lookup */',
      calls(/lookup_elem$/),
      weak(on(ev('return'))),
    ),
    L('  if (copy_to_user(uvalue, value, value_size) != 0) err = -EFAULT;'),
    L('  return err;'),
  ]),

  code('link_create', SYSCALL_C, [
    L('static int link_create(union bpf_attr *attr, bpfptr_t uattr)'),
    L('  if (CHECK_ATTR(BPF_LINK_CREATE)) return -EINVAL;'),
    L(
      '  if (attr->link_create.attach_type == BPF_STRUCT_OPS) return bpf_struct_ops_link_create(attr);',
      calls('bpf_struct_ops_link_create'),
      on(ret('EBADF', /struct_ops map fd/)),
    ),
    L('  prog = bpf_prog_get(attr->link_create.prog_fd);', calls('bpf_prog_get')),
    L('  if (IS_ERR(prog)) return PTR_ERR(prog);', on(ret(['EBADF', 'EINVAL'], FD_NOT_PROG))),
    L(
      '  ret = bpf_prog_attach_check_attach_type(prog, attr->link_create.attach_type);',
      on(ret('EINVAL', /not loaded for|attach_type/)),
    ),
    L('  switch (prog->type) {'),
    L('  case BPF_PROG_TYPE_TRACING:           /* tp_btf: raw_tp link; fentry: trampoline */'),
    L(
      '    ret = raw_tp ? bpf_raw_tp_link_attach(prog, ...) : bpf_tracing_prog_attach(prog, ...);',
      calls('bpf_raw_tp_link_attach', 'bpf_tracing_prog_attach'),
    ),
    L('  case BPF_PROG_TYPE_KPROBE:'),
    L(
      '    ret = bpf_kprobe_multi_link_attach(attr, prog);',
      calls('bpf_kprobe_multi_link_attach'),
      on(ret('EINVAL', /kprobe/)),
    ),
    L('  }'),
    L(
      'out: if (ret < 0) bpf_prog_put(prog);  return ret;',
      calls('bpf_prog_put'),
      weak(on(ev('return'))),
    ),
  ]),

  code('link_update', SYSCALL_C, [
    L('static int link_update(union bpf_attr *attr)'),
    L(
      '  if (flags & ~BPF_F_REPLACE) return -EINVAL;',
      on(ret('EINVAL', /BPF_F_REPLACE is accepted/)),
    ),
    L('  link = bpf_link_get_from_fd(attr->link_update.link_fd);', calls('bpf_link_get_from_fd')),
    L('  if (IS_ERR(link)) return PTR_ERR(link);', on(ret(['EBADF', 'EINVAL'], FD_NOT_LINK))),
    L(
      '  if (!link->ops->update_map) { /* update_prog ... */ }',
      on(ret('EINVAL', /update_prog|cannot be updated/)),
    ),
    L(
      '  /* link_update_map(link, attr): */  new_map = bpf_map_get(attr->link_update.new_map_fd);',
      calls('bpf_map_get'),
    ),
    L(
      '  if (IS_ERR(new_map)) { ret = PTR_ERR(new_map); goto out_put_link; }',
      on(ret(['EBADF', 'EINVAL'], FD_NOT_MAP)),
    ),
    L('  if (flags & BPF_F_REPLACE) old_map = bpf_map_get(attr->link_update.old_map_fd);'),
    L(
      '  else if (attr->link_update.old_map_fd) { ret = -EINVAL; goto out_put; }',
      on(ret('EINVAL', /without BPF_F_REPLACE/)),
    ),
    L(
      '  ret = link->ops->update_map(link, new_map, old_map);   /* struct_ops link update */',
      calls('bpf_struct_ops_map_link_update'),
    ),
    L('  if (old_map) bpf_map_put(old_map);'),
    L('out_put: bpf_map_put(new_map);', calls('bpf_map_put')),
    L(
      'out_put_link: bpf_link_put_direct(link);  return ret;',
      calls('bpf_link_put'),
      weak(on(ev('return'))),
    ),
  ]),

  code('link_detach', SYSCALL_C, [
    L('static int link_detach(union bpf_attr *attr)'),
    L('  if (CHECK_ATTR(BPF_LINK_DETACH)) return -EINVAL;'),
    L('  link = bpf_link_get_from_fd(attr->link_detach.link_fd);', calls('bpf_link_get_from_fd')),
    L('  if (IS_ERR(link)) return PTR_ERR(link);', on(ret(['EBADF', 'EINVAL'], FD_NOT_LINK))),
    L('  if (link->ops->detach)'),
    L(
      '    ret = link->ops->detach(link);        /* struct_ops: map_link_detach */',
      calls('bpf_struct_ops_map_link_detach'),
    ),
    L('  else'),
    L('    ret = -EOPNOTSUPP;', on(ret('EOPNOTSUPP'))),
    L('  bpf_link_put_direct(link);', calls('bpf_link_put')),
    L('  return ret;', weak(on(ev('return')))),
  ]),

  code('bpf_prog_test_run', SYSCALL_C, [
    L('static int bpf_prog_test_run(const union bpf_attr *attr, union bpf_attr __user *uattr)'),
    L('  if (CHECK_ATTR(BPF_PROG_TEST_RUN)) return -EINVAL;'),
    L('  prog = bpf_prog_get(attr->test.prog_fd);', calls('bpf_prog_get')),
    L('  if (IS_ERR(prog)) return PTR_ERR(prog);', on(ret(['EBADF', 'EINVAL'], FD_NOT_PROG))),
    L('  ret = -ENOTSUPP;', on(ret('ENOTSUPP'))),
    L('  if (prog->aux->ops->test_run)'),
    L(
      '    ret = prog->aux->ops->test_run(prog, attr, uattr);   /* bpf_prog_test_run_syscall */',
      calls('bpf_prog_test_run_syscall'),
      weak(on(ev('return'))),
    ),
    L('  bpf_prog_put(prog);', calls('bpf_prog_put')),
    L('  return ret;'),
  ]),

  code('bpf_prog_test_run_syscall', TEST_RUN_C, [
    L('int bpf_prog_test_run_syscall(struct bpf_prog *prog, const union bpf_attr *kattr, ...)'),
    L("  /* doesn't support data_in/out, ctx_out, duration, or repeat or flags */"),
    L('  if (kattr->test.data_in || ... || kattr->test.flags) return -EINVAL;', on(ret('EINVAL'))),
    L('  if (ctx_size_in) ctx = memdup_user(ctx_in, ctx_size_in);'),
    L('  rcu_read_lock_trace();'),
    L(
      '  retval = bpf_prog_run_pin_on_cpu(prog, ctx);      /* in the calling task */',
      calls('bpf_prog_run'),
    ),
    L('  rcu_read_unlock_trace();'),
    L('  copy_to_user(&uattr->test.retval, &retval, sizeof(u32));'),
    L('  return err;'),
  ]),

  code('close', OPEN_C, [
    L('SYSCALL_DEFINE1(close, unsigned int, fd)'),
    L('  file = file_close_fd(fd);                  /* the fd slot is emptied */'),
    L('  if (!file) return -EBADF;', on(ret('EBADF'))),
    L('  retval = filp_flush(file, current->files);'),
    L(
      '  __fput_sync(file);      /* last file ref: f_op->release(): bpf_{prog,map,link}_release */',
      calls(/_release$/, 'fput'),
    ),
    L('  return retval;'),
  ]),

  code('fput', FILE_TABLE_C, [
    L('void fput(struct file *file)'),
    L('  if (file_ref_put(&file->f_ref)) {         /* the last reference to the file? */'),
    L('    ... __fput(file);                         /* → f_op->release() */'),
    L(
      '  }   /* another fd (dup, fork, SCM_RIGHTS) still refers to it: nothing else */',
      on(ev('fd')),
    ),
  ]),

  code('ksys_dup', FILE_C, [
    L('int ksys_dup(unsigned int fildes)'),
    L('  struct file *file = fget_raw(fildes);      /* +1 on the file, not on the object */'),
    L('  if (!file) return -EBADF;', on(ret('EBADF'))),
    L('  ret = get_unused_fd_flags(0);               /* the lowest free fd */'),
    L('  fd_install(ret, file);                      /* same file, second fd */', on(ev('fd'))),
  ]),

  code('copy_process', FORK_C, [
    L('__latent_entropy struct task_struct *copy_process(...)'),
    L('  p = dup_task_struct(current, node);'),
    L('  retval = copy_files(clone_flags, p, args->no_files);   /* → dup_fd() */', calls('dup_fd')),
    L('  ... return p;'),
  ]),

  code('dup_fd', FILE_C, [
    L('struct files_struct *dup_fd(struct files_struct *oldf, struct fd_range *punch_hole)'),
    L('  for (i = open_files; i != 0; i--) {'),
    L('    struct file *f = rcu_dereference_raw(*old_fds++);'),
    L(
      '    if (f) get_file(f);          /* the child shares every file: f_count+1 */',
      on(ev('alloc')),
    ),
    L('  }'),
  ]),

  code('scm_send', SCM_H, [
    L(
      'static __inline__ int scm_send(struct socket *sock, struct msghdr *msg, struct scm_cookie *scm, bool forcecreds)',
    ),
    L('  /* __scm_send → scm_fp_copy(): fget() each fd passed with SCM_RIGHTS */'),
    L('  if (!file) return -EBADF;', on(ret('EBADF'))),
    L(
      '  /* on recvmsg, scm_recv → scm_detach_fds → receive_fd() in the receiver */',
      calls('receive_fd'),
    ),
  ]),

  code('receive_fd', FILE_C, [
    L('int receive_fd(struct file *file, int __user *ufd, unsigned int o_flags)'),
    L("  new_fd = get_unused_fd_flags(o_flags);     /* the receiver's lowest free fd */"),
    L('  __receive_sock(file);'),
    L(
      '  fd_install(new_fd, get_file(file));        /* the same file, one more fd */',
      on(ev('fd')),
    ),
  ]),

  code('do_exit', EXIT_C, [
    L('void __noreturn do_exit(long code)'),
    L('  exit_signals(tsk);                          /* the task is exiting */', on(ev('call'))),
    L('  exit_mm();'),
    L(
      '  exit_files(tsk);         /* put_files_struct → close_files: every open fd, in order */',
      calls('close'),
    ),
    L('  exit_fs(tsk);'),
    L('  exit_notify(tsk, group_dead);'),
    L('  do_task_dead();', on(ev('free'))),
  ]),
];
