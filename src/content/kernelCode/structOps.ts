/** Kernel pseudo-code: struct_ops maps, their links and the association (kernel/bpf/bpf_struct_ops.c). Our own paraphrase of the kernel's code, not its source. */
import {
  FD_NOT_MAP,
  L,
  RCUPDATE_WAIT_H,
  REG,
  STRUCT_OPS_C,
  SYSCALL_C,
  UNREG,
  any,
  calls,
  code,
  ev,
  on,
  ret,
  weak,
  type KernelFunctionCode,
} from './dsl';

export const STRUCT_OPS: readonly KernelFunctionCode[] = [
  code('prog_assoc_struct_ops', SYSCALL_C, [
    L('static int prog_assoc_struct_ops(union bpf_attr *attr)   /* BPF_PROG_ASSOC_STRUCT_OPS */'),
    L(
      '  if (CHECK_ATTR(BPF_PROG_ASSOC_STRUCT_OPS)) return -EINVAL;   /* bytes after prog_fd */',
      on(ret('EINVAL', /CHECK_ATTR/)),
    ),
    L('  if (attr->prog_assoc_struct_ops.flags) return -EINVAL;'),
    L('  prog = bpf_prog_get(attr->prog_assoc_struct_ops.prog_fd);', calls('bpf_prog_get')),
    L(
      '  if (IS_ERR(prog)) return PTR_ERR(prog);          /* -EBADF, or -EINVAL: not a prog */',
      on(ret(['EBADF', 'EINVAL'], /not a program/)),
      weak(on(ret('EBADF'))),
    ),
    L(
      '  if (prog->type == BPF_PROG_TYPE_STRUCT_OPS) { ret = -EINVAL; goto put_prog; }',
      on(ret('EINVAL', /struct_ops program/)),
    ),
    L(
      '  map = bpf_map_get(attr->prog_assoc_struct_ops.map_fd);   /* only now */',
      calls('bpf_map_get'),
    ),
    L(
      '  if (IS_ERR(map)) { ret = PTR_ERR(map); goto put_prog; }',
      on(ret(['EBADF', 'EINVAL'], /not a map/)),
    ),
    L(
      '  if (map->map_type != BPF_MAP_TYPE_STRUCT_OPS) { ret = -EINVAL; goto put_map; }',
      on(ret('EINVAL', /not a struct_ops map/)),
    ),
    L(
      '  ret = bpf_prog_assoc_struct_ops(prog, map);       /* 0 or -EBUSY */',
      calls('bpf_prog_assoc_struct_ops'),
    ),
    L('put_map:'),
    L(
      '  bpf_map_put(map);                                 /* the temporary refs always go */',
      calls('bpf_map_put'),
    ),
    L('put_prog:'),
    L('  bpf_prog_put(prog);  return ret;', calls('bpf_prog_put'), weak(on(ev('return')))),
  ]),

  code('bpf_prog_assoc_struct_ops', STRUCT_OPS_C, [
    L('int bpf_prog_assoc_struct_ops(struct bpf_prog *prog, struct bpf_map *map)'),
    L('  guard(mutex)(&prog->aux->st_ops_assoc_mutex);'),
    L('  cur = rcu_dereference_protected(prog->aux->st_ops_assoc, lockdep_is_held(...));'),
    L(
      '  if (cur == map) return 0;                      /* same map: no second reference */',
      weak(
        on(
          ev('check', {
            where: (e) => e.before !== null && e.before === e.after && e.after !== 'BPF_PTR_POISON',
          }),
        ),
      ),
    ),
    L('  if (cur) {                                     /* a different map, or POISON */'),
    L('    if (prog->type != BPF_PROG_TYPE_STRUCT_OPS)'),
    L(
      '      return -EBUSY;                           /* explicit association is set once */',
      on(ev('check', { why: /set once|-EBUSY/ })),
    ),
    L(
      '    rcu_assign_pointer(prog->aux->st_ops_assoc, BPF_PTR_POISON);  /* no ref to drop */',
      on(ev('assoc', { after: 'BPF_PTR_POISON' })),
    ),
    L('  } else {'),
    L('    if (prog->type != BPF_PROG_TYPE_STRUCT_OPS)'),
    L(
      '      bpf_map_inc(map);                        /* the association pins the map */',
      calls('bpf_map_inc'),
    ),
    L(
      '    rcu_assign_pointer(prog->aux->st_ops_assoc, map);',
      on(ev('assoc', { after: (v) => v !== null && v !== 'BPF_PTR_POISON' && v !== 'NULL' })),
    ),
    L('  }'),
    L('  return 0;'),
  ]),

  code('bpf_prog_disassoc_struct_ops', STRUCT_OPS_C, [
    L('void bpf_prog_disassoc_struct_ops(struct bpf_prog *prog)'),
    L('  guard(mutex)(&prog->aux->st_ops_assoc_mutex);'),
    L('  cur = rcu_dereference_protected(prog->aux->st_ops_assoc, lockdep_is_held(...));'),
    L('  if (!cur || cur == BPF_PTR_POISON)'),
    L(
      '    return;                                      /* POISON is never cleared */',
      on(ev('check')),
    ),
    L('  if (prog->type != BPF_PROG_TYPE_STRUCT_OPS)'),
    L(
      '    bpf_map_put(cur);                            /* the ref the association held */',
      calls('bpf_map_put'),
    ),
    L(
      '  RCU_INIT_POINTER(prog->aux->st_ops_assoc, NULL);',
      // v1..v3: this store can clear a poison or race a timer callback (a hazard, reported here).
      on(ev('assoc', { after: 'NULL' }), ev('warn', { field: 'hazard' })),
    ),
  ]),

  code('bpf_prog_get_assoc_struct_ops', STRUCT_OPS_C, [
    L('void *bpf_prog_get_assoc_struct_ops(const struct bpf_prog_aux *aux)'),
    L('  map = rcu_dereference_check(aux->st_ops_assoc, bpf_rcu_lock_held());'),
    L('  if (!map || map == BPF_PTR_POISON)'),
    L('    return NULL;', on(ev('check', { after: 'NULL' }))),
    L('  st_map = (struct bpf_struct_ops_map *)map;'),
    L(
      '  return &st_map->kvalue.data;         /* no state check, no reference taken */',
      on(ev('check', { after: (v) => v !== null && v !== 'NULL' })),
    ),
  ]),

  code('bpf_struct_ops_map_dissoc_progs', STRUCT_OPS_C, [
    L('static void bpf_struct_ops_map_dissoc_progs(struct bpf_struct_ops_map *st_map)'),
    L('  for (i = 0; i < st_map->funcs_cnt; i++) {'),
    L('    if (!st_map->links[i]) break;              /* links[] is packed from 0 */'),
    L(
      '    bpf_prog_disassoc_struct_ops(st_map->links[i]->prog);',
      calls('bpf_prog_disassoc_struct_ops'),
    ),
    L('  }'),
  ]),

  code('bpf_struct_ops_map_update_elem', STRUCT_OPS_C, [
    L(
      'static long bpf_struct_ops_map_update_elem(struct bpf_map *map, void *key, void *value, u64 flags)',
    ),
    L(
      '  if (flags) return -EINVAL;  if (*(u32 *)key != 0) return -E2BIG;   /* one element: key 0 */',
      on(ret('EINVAL', /no flags/), ret('E2BIG')),
    ),
    L(
      '  if (check_zero_holes(btf, t, uvalue->data) || uvalue->common.state || .refcnt) return -EINVAL;',
      on(ret('EINVAL', /has no member|common\.state/)),
      weak(on(ret('EINVAL'))),
    ),
    L(
      '  mutex_lock(&st_map->lock);  if (kvalue->common.state != INIT) { err = -EBUSY; goto unlock; }',
      on(ev('call'), ret('EBUSY', /once|INUSE|READY|TOBEFREE/)),
    ),
    L(
      '  for_each_member(i, t, member) {  if (st_ops->init_member(...) > 0) continue;  /* claimed */',
      on(ret(['EINVAL', 'E2BIG'], /init_member refused/)),
    ),
    L(
      '    if (!func ptr && memchr_inv(udata + moff, 0, msize)) { err = -EINVAL; goto reset_unlock; }',
      on(ret('EINVAL', /non func ptr/)),
    ),
    L(
      '    prog = bpf_prog_get(prog_fd);  /* prog_fd 0: skipped; the ref goes to the link below */',
      calls('bpf_prog_get'),
      on(ret(['EBADF', 'EINVAL'], /is not open|not a program/)),
    ),
    L(
      '    if (!struct_ops prog for member i) { bpf_prog_put(prog); err = -EINVAL; goto reset_unlock; }',
      calls('bpf_prog_put'),
      on(ret('EINVAL', /struct_ops program|was loaded for/)),
    ),
    L('    /* Poison pointer on error instead of return for backward compatibility */'),
    L(
      '    bpf_prog_assoc_struct_ops(prog, &st_map->map);',
      calls('bpf_prog_assoc_struct_ops'),
      // v4..v6 looked at its result ("if (err) ..."): always 0 for a struct_ops program.
      on(ev('check', { field: 'err' })),
    ),
    L(
      '    *plink++ = &link->link;  }  /* the link owns the prog ref; kdata gets its trampoline */',
      on(ev('slot'), ev('value', { field: 'kvalue.data' })),
    ),
    L(
      '  if (st_map->map.map_flags & BPF_F_LINK) { state = READY; goto unlock; }  /* reg: link */',
      on(ev('state', { after: 'READY' })),
    ),
    L(
      '  err = st_ops->reg(kdata, NULL);  if (!err) { bpf_map_inc(map); state = INUSE; goto unlock; }',
      calls(REG, 'bpf_map_inc'),
      on(ret(['EEXIST', 'EBUSY', 'ENOENT', 'EOPNOTSUPP'])),
    ),
    L(
      'reset_unlock: bpf_struct_ops_map_put_progs(st_map);  memset(kvalue, 0, ...);  /* INIT */',
      calls('bpf_struct_ops_map_put_progs'),
      on(ev('value', { field: 'kvalue', after: 'zero' })),
      weak(on(ev('return'))),
    ),
  ]),

  code('bpf_struct_ops_map_put_progs', STRUCT_OPS_C, [
    L('static void bpf_struct_ops_map_put_progs(struct bpf_struct_ops_map *st_map)'),
    L('  for (i = 0; i < st_map->funcs_cnt; i++) {'),
    L('    if (!st_map->links[i]) break;'),
    L(
      '    bpf_link_put(st_map->links[i]);   /* last ref: a work item puts link->prog later */',
      calls('bpf_prog_put', 'bpf_link_put'),
    ),
    L('    st_map->links[i] = NULL;'),
    L('  }'),
  ]),

  code('bpf_struct_ops_map_free', STRUCT_OPS_C, [
    L('static void bpf_struct_ops_map_free(struct bpf_map *map)'),
    L('  if (btf_is_module(st_map->btf)) module_put(st_map->st_ops_desc->st_ops->owner);'),
    L(
      '  bpf_struct_ops_map_dissoc_progs(st_map);       /* struct_ops progs: assoc = NULL */',
      calls('bpf_struct_ops_map_dissoc_progs'),
    ),
    L('  bpf_struct_ops_map_del_ksyms(st_map);'),
    L('  /* a kfunc or timer callback may still hold the old pointer: wait for it */'),
    L(
      '  synchronize_rcu_mult(call_rcu, call_rcu_tasks);',
      calls('synchronize_rcu_mult', 'call_rcu'),
    ),
    L(
      '  __bpf_struct_ops_map_free(map);                /* modelled as the RCU callback */',
      calls('__bpf_struct_ops_map_free'),
    ),
  ]),

  code('synchronize_rcu_mult', RCUPDATE_WAIT_H, [
    L('#define synchronize_rcu_mult(...) _wait_rcu_gp(false, TASK_UNINTERRUPTIBLE, __VA_ARGS__)'),
    L('  /* __wait_rcu_gp(): one callback per RCU flavour, then wait for all of them */'),
    L(
      '  for (i = 0; i < n; i++) crcu_array[i](&rs_array[i].head, wakeme_after_rcu);',
      calls('call_rcu'),
      weak(on(any)),
    ),
    L('  for (i = 0; i < n; i++) wait_for_completion_state(&rs_array[i].completion, state);'),
  ]),

  code('__bpf_struct_ops_map_free', STRUCT_OPS_C, [
    L('static void __bpf_struct_ops_map_free(struct bpf_map *map)'),
    L('  if (st_map->links)'),
    L(
      '    bpf_struct_ops_map_put_progs(st_map);        /* each link puts its program */',
      calls('bpf_struct_ops_map_put_progs', 'bpf_prog_put'),
    ),
    L('  if (st_map->ksyms) bpf_struct_ops_map_free_ksyms(st_map);'),
    L('  bpf_map_area_free(st_map->links);  bpf_map_area_free(st_map->ksyms);'),
    L('  bpf_struct_ops_map_free_image(st_map);'),
    L('  bpf_map_area_free(st_map->uvalue);'),
    L(
      '  bpf_map_area_free(st_map);',
      // An association still naming the map now dangles (a review bug's hazard).
      on(ev('free'), ev('warn', { field: 'hazard' })),
    ),
  ]),

  code('bpf_struct_ops_map_delete_elem', STRUCT_OPS_C, [
    L('static long bpf_struct_ops_map_delete_elem(struct bpf_map *map, void *key)'),
    L(
      '  if (st_map->map.map_flags & BPF_F_LINK) return -EOPNOTSUPP;   /* detach the link */',
      on(ret('EOPNOTSUPP')),
    ),
    L(
      '  prev_state = cmpxchg(&st_map->kvalue.common.state, INUSE, TOBEFREE);',
      on(ev('state', { after: 'TOBEFREE' })),
    ),
    L('  switch (prev_state) {'),
    L('  case BPF_STRUCT_OPS_STATE_INUSE:'),
    L('    st_map->st_ops_desc->st_ops->unreg(&st_map->kvalue.data, NULL);', calls(UNREG)),
    L(
      "    bpf_map_put(map);                         /* the registration's reference */",
      calls('bpf_map_put'),
    ),
    L('    return 0;'),
    L('  case BPF_STRUCT_OPS_STATE_TOBEFREE: return -EINPROGRESS;', on(ret('EINPROGRESS'))),
    L('  case BPF_STRUCT_OPS_STATE_INIT:     return -ENOENT;', on(ret('ENOENT'))),
    L('  }'),
  ]),

  code('bpf_struct_ops_map_sys_lookup_elem', STRUCT_OPS_C, [
    L('int bpf_struct_ops_map_sys_lookup_elem(struct bpf_map *map, void *key, void *value)'),
    L('  if (unlikely(*(u32 *)key != 0)) return -ENOENT;', on(ret('ENOENT'))),
    L('  state = smp_load_acquire(&kvalue->common.state);'),
    L('  if (state == BPF_STRUCT_OPS_STATE_INIT) { memset(value, 0, map->value_size); return 0; }'),
    L('  memcpy(uvalue, st_map->uvalue, map->value_size);   /* program fds became prog ids */'),
    L('  uvalue->common.state = state;'),
    L('  refcnt = atomic64_read(&map->refcnt) - atomic64_read(&map->usercnt);'),
    L('  refcount_set(&uvalue->common.refcnt, max_t(s64, refcnt, 0));'),
    L('  return 0;'),
  ]),

  code('bpf_struct_ops_map_alloc_check', STRUCT_OPS_C, [
    L('static int bpf_struct_ops_map_alloc_check(union bpf_attr *attr)'),
    L('  if (attr->key_size != sizeof(unsigned int) || attr->max_entries != 1 ||'),
    L('      (attr->map_flags & ~(BPF_F_LINK | BPF_F_VTYPE_BTF_OBJ_FD)) ||'),
    L('      !attr->btf_vmlinux_value_type_id)'),
    L('    return -EINVAL;', on(ret('EINVAL'))),
    L('  return 0;'),
  ]),

  code('bpf_struct_ops_link_create', STRUCT_OPS_C, [
    L('int bpf_struct_ops_link_create(union bpf_attr *attr)'),
    L('  map = bpf_map_get(attr->link_create.map_fd);', calls('bpf_map_get')),
    L('  if (IS_ERR(map)) return PTR_ERR(map);', on(ret(['EBADF', 'EINVAL'], FD_NOT_MAP))),
    L(
      '  if (!bpf_struct_ops_valid_to_reg(map)) { err = -EINVAL; goto err_out; }  /* F_LINK, READY */',
      on(ret('EINVAL', /BPF_F_LINK|READY|not a struct_ops map/)),
    ),
    L('  link = kzalloc(sizeof(*link), GFP_USER);'),
    L(
      '  bpf_link_init(&link->link, BPF_LINK_TYPE_STRUCT_OPS, &bpf_struct_ops_map_lops, NULL, ...);',
    ),
    L('  err = bpf_link_prime(&link->link, &link_primer);', on(ev('alloc'))),
    L('  mutex_lock(&update_mutex);'),
    L('  err = st_map->st_ops_desc->st_ops->reg(st_map->kvalue.data, &link->link);', calls(REG)),
    L(
      '  if (err) { mutex_unlock(&update_mutex); bpf_link_cleanup(&link_primer); goto err_out; }',
      on(ev('free')),
    ),
    L(
      "  RCU_INIT_POINTER(link->map, map);        /* bpf_map_get's ref is now the link's */",
      on(ev('link', { field: 'map' })),
    ),
    L('  mutex_unlock(&update_mutex);'),
    L('  return bpf_link_settle(&link_primer);    /* the link fd */'),
    L(
      'err_out: bpf_map_put(map);  kfree(link);  return err;',
      calls('bpf_map_put'),
      weak(on(ev('return'))),
    ),
  ]),

  code('bpf_struct_ops_map_link_detach', STRUCT_OPS_C, [
    L('static int bpf_struct_ops_map_link_detach(struct bpf_link *link)'),
    L('  mutex_lock(&update_mutex);'),
    L('  map = rcu_dereference_protected(st_link->map, lockdep_is_held(&update_mutex));'),
    L(
      '  if (!map) { mutex_unlock(&update_mutex); return 0; }      /* already detached */',
      on(ev('check')),
    ),
    L('  st_map->st_ops_desc->st_ops->unreg(&st_map->kvalue.data, link);', calls(UNREG)),
    L('  RCU_INIT_POINTER(st_link->map, NULL);'),
    L(
      "  bpf_map_put(&st_map->map);     /* pairs with link_create's bpf_map_get */",
      calls('bpf_map_put'),
    ),
    L('  mutex_unlock(&update_mutex);'),
    L('  wake_up_interruptible_poll(&st_link->wait_hup, EPOLLHUP);'),
    L('  return 0;                      /* st_ops_assoc is left as it is */'),
  ]),

  code('bpf_struct_ops_map_link_dealloc', STRUCT_OPS_C, [
    L('static void bpf_struct_ops_map_link_dealloc(struct bpf_link *link)'),
    L('  st_map = (struct bpf_struct_ops_map *)rcu_dereference_protected(st_link->map, true);'),
    L('  if (st_map) {                                 /* still attached */'),
    L('    st_map->st_ops_desc->st_ops->unreg(&st_map->kvalue.data, link);', calls(UNREG)),
    L('    bpf_map_put(&st_map->map);', calls('bpf_map_put')),
    L('  }'),
    L('  kfree(st_link);'),
  ]),

  code('bpf_struct_ops_map_link_update', STRUCT_OPS_C, [
    L('static int bpf_struct_ops_map_link_update(link, struct bpf_map *new_map, *expected_old)'),
    L(
      '  if (!bpf_struct_ops_valid_to_reg(new_map)) return -EINVAL;',
      on(ret('EINVAL', /BPF_F_LINK|READY|not a struct_ops map/)),
    ),
    L('  if (!st_map->st_ops_desc->st_ops->update) return -EOPNOTSUPP;', on(ret('EOPNOTSUPP'))),
    L('  mutex_lock(&update_mutex);'),
    L('  old_map = rcu_dereference_protected(st_link->map, lockdep_is_held(&update_mutex));'),
    L(
      '  if (!old_map) { err = -ENOLINK; goto err_out; }              /* detached */',
      on(ret('ENOLINK')),
    ),
    L(
      '  if (expected_old && old_map != expected_old) { err = -EPERM; goto err_out; }',
      on(ret('EPERM')),
    ),
    L(
      '  if (st_map->st_ops_desc != old_st_map->st_ops_desc) { err = -EINVAL; goto err_out; }',
      on(ret('EINVAL', /different struct_ops types/)),
    ),
    L(
      '  err = st_ops->update(st_map->kvalue.data, old_st_map->kvalue.data, link);',
      weak(on(ev('return'))),
    ),
    L('  bpf_map_inc(new_map);', calls('bpf_map_inc')),
    L('  rcu_assign_pointer(st_link->map, new_map);'),
    L('  bpf_map_put(old_map);', calls('bpf_map_put')),
    L('err_out: mutex_unlock(&update_mutex);  return err;'),
  ]),
];
