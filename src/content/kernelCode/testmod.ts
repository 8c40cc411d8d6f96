/** Kernel pseudo-code: bpf_testmod's struct_ops and kfuncs (the selftests' kernel module). Our own paraphrase of the kernel's code, not its source. */
import { L, TESTMOD_C, calls, code, ev, on, type KernelFunctionCode } from './dsl';

/**
 * The kfunc returning the associated instance's test_1, under each revision's name: `_prog_arg`
 * (v1..v7), `_impl` (v8) and `_assoc` (mainline, where `KF_IMPLICIT_ARGS` supplies `aux`).
 */
function assocKfuncCode(name: string, implicit: boolean): KernelFunctionCode {
  return code(name, TESTMOD_C, [
    L(
      implicit
        ? `__bpf_kfunc int ${name}(struct st_ops_args *args, struct bpf_prog_aux *aux)   /* KF_IMPLICIT_ARGS */`
        : `__bpf_kfunc int ${name}(struct st_ops_args *args, void *aux__prog)`,
    ),
    L(
      implicit
        ? '  /* aux is filled in by the verifier: env->prog->aux */'
        : '  struct bpf_prog_aux *prog_aux = (struct bpf_prog_aux *)aux__prog;   /* env->prog->aux */',
    ),
    L('  int ret = -1;'),
    L(
      `  st_ops = (struct bpf_testmod_multi_st_ops *)bpf_prog_get_assoc_struct_ops(${implicit ? 'aux' : 'prog_aux'});`,
      calls('bpf_prog_get_assoc_struct_ops'),
    ),
    L('  if (st_ops)'),
    L(
      '    ret = st_ops->test_1(args);            /* whatever program fills that slot */',
      calls(/^bpf_struct_ops_/),
      on(ev(['check', 'oops'])),
    ),
    L('  return ret;'),
  ]);
}

export const TESTMOD: readonly KernelFunctionCode[] = [
  assocKfuncCode('bpf_kfunc_multi_st_ops_test_1_impl', false),
  assocKfuncCode('bpf_kfunc_multi_st_ops_test_1_prog_arg', false),
  assocKfuncCode('bpf_kfunc_multi_st_ops_test_1_assoc', true),

  code('bpf_kfunc_multi_st_ops_test_1', TESTMOD_C, [
    L('__bpf_kfunc int bpf_kfunc_multi_st_ops_test_1(struct st_ops_args *args, u32 id)'),
    L('  int ret = -1;'),
    L('  spin_lock_irqsave(&multi_st_ops_lock, flags);'),
    L(
      '  st_ops = multi_st_ops_find_nolock(id);       /* registered under its map id */',
      on(ev('check', { target: null })),
    ),
    L('  if (st_ops)'),
    L('    ret = st_ops->test_1(args);', calls(/^bpf_struct_ops_/), on(ev(['check', 'oops']))),
    L('  spin_unlock_irqrestore(&multi_st_ops_lock, flags);'),
    L('  return ret;'),
  ]),

  code('multi_st_ops_reg', TESTMOD_C, [
    L('static int multi_st_ops_reg(void *kdata, struct bpf_link *link)'),
    L('  if (!st_ops->test_1) return -EINVAL;'),
    L("  id = bpf_struct_ops_id(kdata);                 /* the struct_ops map's id */"),
    L('  spin_lock_irqsave(&multi_st_ops_lock, flags);'),
    L(
      '  if (multi_st_ops_find_nolock(id)) { err = -EEXIST; goto unlock; }  /* already registered */',
      on(ev('reg', { field: 'registered' })),
    ),
    L('  st_ops->id = id;'),
    L('  hlist_add_head(&st_ops->node, &multi_st_ops_list);', on(ev('reg', { field: 'id' }))),
    L('unlock: spin_unlock_irqrestore(&multi_st_ops_lock, flags);'),
    L('  return err;'),
  ]),

  code('multi_st_ops_unreg', TESTMOD_C, [
    L('static void multi_st_ops_unreg(void *kdata, struct bpf_link *link)'),
    L('  id = bpf_struct_ops_id(kdata);'),
    L('  spin_lock_irqsave(&multi_st_ops_lock, flags);'),
    L('  st_ops = multi_st_ops_find_nolock(id);'),
    L('  if (st_ops) hlist_del(&st_ops->node);', on(ev('reg'))),
    L('  spin_unlock_irqrestore(&multi_st_ops_lock, flags);'),
  ]),
];
