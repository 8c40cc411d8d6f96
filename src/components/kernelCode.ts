/**
 * Short kernel pseudo-code for every function the simulated kernel emits events in, and which
 * line of it an event corresponds to. Pure: no React, no DOM.
 *
 * The text is our own paraphrase of the kernel's code (not kernel source), kept to the shape a
 * BPF developer knows: the same names, the same checks in the same order, the same comments
 * where they matter ("Poison pointer on error instead of return for backward compatibility").
 *
 * Each line may carry markers: predicates over an event (its kind, field, before/after values)
 * or over the function the event happened in below this one (the "child" frame). An event picks
 * the first line with a matching strong marker, else the first line with a matching weak marker,
 * else line 0 (the function's signature).
 */
import type { EventKind, KEvent } from '../core/tx';

const SYSCALL_C = 'kernel/bpf/syscall.c';
const CORE_C = 'kernel/bpf/core.c';
const STRUCT_OPS_C = 'kernel/bpf/bpf_struct_ops.c';
const HELPERS_C = 'kernel/bpf/helpers.c';
const VERIFIER_C = 'kernel/bpf/verifier.c';
const ARRAYMAP_C = 'kernel/bpf/arraymap.c';
const HASHTAB_C = 'kernel/bpf/hashtab.c';
const TRAMPOLINE_C = 'kernel/bpf/trampoline.c';
const TRACE_C = 'kernel/trace/bpf_trace.c';
const TEST_RUN_C = 'net/bpf/test_run.c';
const FILTER_H = 'include/linux/filter.h';
const RCU_C = 'kernel/rcu/tree.c';
const WORKQUEUE_C = 'kernel/workqueue.c';
const EXT_C = 'kernel/sched/ext.c';
const EXT_INTERNAL_H = 'kernel/sched/ext_internal.h';
const TESTMOD_C = 'tools/testing/selftests/bpf/test_kmods/bpf_testmod.c';

/** The file the core names for a kernel function it models only as a call site. */
const SIMULATED_CALL_SITE = 'drivers (simulated call site)';

// ---------------------------------------------------------------------------------------------
// Markers.

interface Marker {
  /** `child` is the frame just inside this function when the event happened deeper, else null. */
  readonly test: (ev: KEvent, child: string | null) => boolean;
  readonly weak: boolean;
}

interface CodeLine {
  readonly text: string;
  readonly markers: readonly Marker[];
}

/** A function's pseudo-code: its name, its kernel file, and its lines with their markers. */
export interface KernelFunctionCode {
  readonly fn: string;
  readonly file: string;
  readonly lines: readonly CodeLine[];
}

/** What a code pane shows for one event. */
export interface KernelCodeView {
  readonly fn: string;
  readonly file: string;
  readonly lines: readonly string[];
  /** Index in `lines` of the line the event corresponds to. */
  readonly current: number;
  /** False when no marker matched and `current` fell back to the signature line. */
  readonly matched: boolean;
}

type Pred = (ev: KEvent) => boolean;
/** Exact text, a pattern, `null` (the value must be absent), or any predicate. */
type Match = string | RegExp | null | ((v: string | null) => boolean);

interface EvQuery {
  readonly field?: Match;
  readonly before?: Match;
  readonly after?: Match;
  readonly why?: RegExp;
  /** The kind of object the event is about, or null for none. */
  readonly target?: string | null;
  readonly where?: (ev: KEvent) => boolean;
}

function matches(v: string | null, m: Match): boolean {
  if (m === null) return v === null;
  if (typeof m === 'string') return v === m;
  if (m instanceof RegExp) return v !== null && m.test(v);
  return m(v);
}

/** An event of `kind` (or one of `kinds`) whose values satisfy `q`. */
function ev(kind: EventKind | readonly EventKind[], q: EvQuery = {}): Pred {
  const kinds: readonly EventKind[] = typeof kind === 'string' ? [kind] : kind;
  return (e) =>
    kinds.includes(e.kind) &&
    (q.field === undefined || matches(e.field, q.field)) &&
    (q.before === undefined || matches(e.before, q.before)) &&
    (q.after === undefined || matches(e.after, q.after)) &&
    (q.why === undefined || q.why.test(e.why)) &&
    (q.target === undefined || (e.target?.kind ?? null) === q.target) &&
    (q.where === undefined || q.where(e));
}

/** A `return` event carrying `-ERRNO` (one of several when given a list). */
function ret(errno: string | readonly string[], why?: RegExp): Pred {
  const list = typeof errno === 'string' ? [errno] : errno;
  return ev('return', {
    after: (v) => v !== null && list.some((e) => v === `-${e}`),
    ...(why ? { why } : {}),
  });
}

const any: Pred = () => true;

/** Strong marker: the event itself (emitted in this function). */
function on(...preds: Pred[]): Marker {
  return { test: (e, child) => child === null && preds.some((p) => p(e)), weak: false };
}

/** Strong marker: the event happened inside a function this line calls. */
function calls(...names: (string | RegExp)[]): Marker {
  return {
    test: (_e, child) =>
      child !== null && names.some((n) => (typeof n === 'string' ? n === child : n.test(child))),
    weak: false,
  };
}

/** A marker consulted only when no strong marker of any line matched. */
function weak(m: Marker): Marker {
  return { ...m, weak: true };
}

function L(text: string, ...markers: Marker[]): CodeLine {
  return { text, markers };
}

function code(fn: string, file: string, lines: readonly CodeLine[]): KernelFunctionCode {
  return { fn, file, lines };
}

// Reasons the core gives when an fd does not resolve (bpf_prog_get / bpf_map_get / links).
const FD_NOT_PROG = /is not open|not a program/;
const FD_NOT_MAP = /is not open|not a map/;
const FD_NOT_LINK = /is not open|not a link/;
const REG = /\.reg$/;
const UNREG = /\.unreg$/;

// ---------------------------------------------------------------------------------------------
// The pseudo-code, grouped by file.

const STRUCT_OPS: readonly KernelFunctionCode[] = [
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

  code('synchronize_rcu_mult', 'include/linux/rcupdate_wait.h', [
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

const REFS: readonly KernelFunctionCode[] = [
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

const SYSCALLS: readonly KernelFunctionCode[] = [
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

  code('close', 'fs/open.c', [
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

  code('fput', 'fs/file_table.c', [
    L('void fput(struct file *file)'),
    L('  if (file_ref_put(&file->f_ref)) {         /* the last reference to the file? */'),
    L('    ... __fput(file);                         /* → f_op->release() */'),
    L(
      '  }   /* another fd (dup, fork, SCM_RIGHTS) still refers to it: nothing else */',
      on(ev('fd')),
    ),
  ]),

  code('ksys_dup', 'fs/file.c', [
    L('int ksys_dup(unsigned int fildes)'),
    L('  struct file *file = fget_raw(fildes);      /* +1 on the file, not on the object */'),
    L('  if (!file) return -EBADF;', on(ret('EBADF'))),
    L('  ret = get_unused_fd_flags(0);               /* the lowest free fd */'),
    L('  fd_install(ret, file);                      /* same file, second fd */', on(ev('fd'))),
  ]),

  code('copy_process', 'kernel/fork.c', [
    L('__latent_entropy struct task_struct *copy_process(...)'),
    L('  p = dup_task_struct(current, node);'),
    L('  retval = copy_files(clone_flags, p, args->no_files);   /* → dup_fd() */', calls('dup_fd')),
    L('  ... return p;'),
  ]),

  code('dup_fd', 'fs/file.c', [
    L('struct files_struct *dup_fd(struct files_struct *oldf, struct fd_range *punch_hole)'),
    L('  for (i = open_files; i != 0; i--) {'),
    L('    struct file *f = rcu_dereference_raw(*old_fds++);'),
    L(
      '    if (f) get_file(f);          /* the child shares every file: f_count+1 */',
      on(ev('alloc')),
    ),
    L('  }'),
  ]),

  code('scm_send', 'include/net/scm.h', [
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

  code('receive_fd', 'fs/file.c', [
    L('int receive_fd(struct file *file, int __user *ufd, unsigned int o_flags)'),
    L("  new_fd = get_unused_fd_flags(o_flags);     /* the receiver's lowest free fd */"),
    L('  __receive_sock(file);'),
    L(
      '  fd_install(new_fd, get_file(file));        /* the same file, one more fd */',
      on(ev('fd')),
    ),
  ]),

  code('do_exit', 'kernel/exit.c', [
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

const TRACING: readonly KernelFunctionCode[] = [
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

const DEFERRED: readonly KernelFunctionCode[] = [
  code('kmemleak_scan', 'mm/kmemleak.c', [
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

  code('call_rcu_tasks_trace', 'kernel/rcu/tasks.h', [
    L('void call_rcu_tasks_trace(struct rcu_head *rhp, rcu_callback_t func)'),
    L('  /* → call_rcu_tasks_generic(rhp, func, &rcu_tasks_trace) */'),
    L('  /* waits for every rcu_read_lock_trace() section: sleepable BPF programs */'),
    L(
      '  rcu_segcblist_enqueue(&rtpcp->cblist, rhp);  /* invoked after a tasks-trace GP */',
      on(ev('defer')),
    ),
  ]),

  code('rcu_tasks_invoke_cbs', 'kernel/rcu/tasks.h', [
    L('static void rcu_tasks_invoke_cbs(struct rcu_tasks *rtp, struct rcu_tasks_percpu *rtpcp)'),
    L('  /* a tasks-trace grace period ended: no sleepable program is still running */'),
    L('  rcu_segcblist_extract_done_cbs(&rtpcp->cblist, &rcl);', on(ev('defer'))),
    L('  for (rhp = rcu_cblist_dequeue(&rcl); rhp; rhp = rcu_cblist_dequeue(&rcl))'),
    L('    rhp->func(rhp);                            /* __bpf_prog_put_rcu, ... */', calls(/./)),
  ]),

  code('cgroup_mkdir', 'kernel/cgroup/cgroup.c', [
    L('int cgroup_mkdir(struct kernfs_node *parent_kn, const char *name, umode_t mode)'),
    L('  cgrp = cgroup_create(parent, name, mode);'),
    L('  /* cgrp->kn->id: the id cgroup_id() returns and stat() reports as st_ino */'),
    L('  kernfs_activate(cgrp->kn);', on(ev('alloc'))),
  ]),

  code('queue_work', 'include/linux/workqueue.h', [
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

  code('hrtimer_interrupt', 'kernel/time/hrtimer.c', [
    L('void hrtimer_interrupt(struct clock_event_device *dev)   /* the clock moves on */'),
    L('  now = hrtimer_update_base(cpu_base);', on(ev('clock'))),
    L('  __hrtimer_run_queues(cpu_base, now, flags, HRTIMER_ACTIVE_HARD);'),
    L('  raise_softirq_irqoff(HRTIMER_SOFTIRQ);   /* expired soft timers: bpf_timer_cb */'),
    L('  /* meanwhile RCU grace periods end (rcu_do_batch) and kworkers run (process_one_work) */'),
  ]),

  code('kernel_clone', 'kernel/fork.c', [
    L('pid_t kernel_clone(struct kernel_clone_args *args)   /* a new process or thread */'),
    L(
      '  p = copy_process(NULL, trace, NUMA_NO_NODE, args);   /* a fresh task, no bpf fds */',
      on(ev('alloc')),
    ),
    L('  pid = get_task_pid(p, PIDTYPE_PID);'),
    L('  wake_up_new_task(p);'),
    L('  return pid_vnr(pid);'),
  ]),

  code('user space (mmap)', 'tools/lib/bpf/libbpf.c', [
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

const MAPS: readonly KernelFunctionCode[] = [
  code('array_map_update_elem', ARRAYMAP_C, [
    L(
      'static long array_map_update_elem(struct bpf_map *map, void *key, void *value, u64 map_flags)',
    ),
    L('  u32 index = *(u32 *)key;'),
    L('  if (unlikely((map_flags & ~BPF_F_LOCK) > BPF_EXIST)) return -EINVAL;', on(ret('EINVAL'))),
    L('  if (unlikely(index >= array->map.max_entries)) return -E2BIG;', on(ret('E2BIG'))),
    L(
      '  if (unlikely(map_flags & BPF_NOEXIST)) return -EEXIST;   /* all elements exist */',
      on(ret('EEXIST')),
    ),
    L('  val = array->value + (u64)array->elem_size * (index & array->index_mask);'),
    L(
      '  copy_map_value(map, val, value);    /* special fields (bpf_timer) are skipped */',
      on(ev('value')),
    ),
    L('  return 0;'),
  ]),

  code('htab_map_update_elem', HASHTAB_C, [
    L(
      'static long htab_map_update_elem(struct bpf_map *map, void *key, void *value, u64 map_flags)',
    ),
    L('  ret = htab_lock_bucket(b, &flags);'),
    L('  l_old = lookup_elem_raw(head, hash, key, key_size);'),
    L(
      '  ret = check_flags(htab, l_old, map_flags);     /* BPF_NOEXIST: -EEXIST, BPF_EXIST: -ENOENT */',
      on(ret(['EEXIST', 'ENOENT'])),
    ),
    L(
      '  l_new = alloc_htab_elem(htab, key, value, key_size, hash, false, false, l_old);',
      on(ret('E2BIG')),
    ),
    L('  hlist_nulls_add_head_rcu(&l_new->hash_node, head);', on(ev('value'))),
    L('  if (l_old) { hlist_nulls_del_rcu(&l_old->hash_node); free_htab_elem(htab, l_old); }'),
    L('  htab_unlock_bucket(b, flags);  return ret;', weak(on(ev('return')))),
  ]),

  code('htab_map_delete_elem', HASHTAB_C, [
    L('static long htab_map_delete_elem(struct bpf_map *map, void *key)'),
    L('  hash = htab_map_hash(key, key_size, htab->hashrnd);  b = __select_bucket(htab, hash);'),
    L('  ret = htab_lock_bucket(b, &flags);'),
    L('  l = lookup_elem_raw(head, hash, key, key_size);'),
    L(
      '  if (l) hlist_nulls_del_rcu(&l->hash_node); else ret = -ENOENT;',
      on(ev('value'), ret('ENOENT')),
    ),
    L('  htab_unlock_bucket(b, flags);'),
    L(
      '  if (l) free_htab_elem(htab, l);   /* bpf_obj_free_fields: its bpf_timer is freed */',
      calls('bpf_timer_cancel_and_free'),
    ),
    L('  return ret;'),
  ]),

  code('array_map_free_timers_wq', ARRAYMAP_C, [
    L('static void array_map_free_timers_wq(struct bpf_map *map)   /* map_release_uref */'),
    L(
      "  /* We don't reset or free fields other than timer and workqueue on uref dropping to zero */",
    ),
    L('  if (btf_record_has_field(map->record, BPF_TIMER | BPF_WORKQUEUE | BPF_TASK_WORK))'),
    L('    for (i = 0; i < array->map.max_entries; i++)'),
    L(
      '      bpf_obj_free_timer(map->record, array_map_elem_ptr(array, i));   /* cancel_and_free */',
      calls('bpf_timer_cancel_and_free'),
    ),
  ]),

  code('htab_map_free_timers_and_wq', HASHTAB_C, [
    L('static void htab_map_free_timers_and_wq(struct bpf_map *map)   /* map_release_uref */'),
    L('  /* We only free timer and workqueue on uref dropping to zero */'),
    L('  if (btf_record_has_field(htab->map.record, BPF_TIMER | BPF_WORKQUEUE | BPF_TASK_WORK))'),
    L('    htab_free_prealloced_timers_and_wq(htab);   /* or _malloced_ */'),
    L(
      '      /* each element: */ bpf_obj_free_timer(htab->map.record, elem);',
      calls('bpf_timer_cancel_and_free'),
    ),
  ]),

  code('array_map_free', ARRAYMAP_C, [
    L('static void array_map_free(struct bpf_map *map)'),
    L('  if (!IS_ERR_OR_NULL(map->record))'),
    L('    for (i = 0; i < array->map.max_entries; i++)'),
    L(
      '      bpf_obj_free_fields(map->record, array_map_elem_ptr(array, i));   /* timers */',
      calls('bpf_timer_cancel_and_free'),
    ),
    L(
      '  if (array->map.map_flags & BPF_F_MMAPABLE) bpf_map_area_free(array_map_vmalloc_addr(array));',
    ),
    L('  else bpf_map_area_free(array);', on(ev('free'))),
  ]),

  code('htab_map_free', HASHTAB_C, [
    L('static void htab_map_free(struct bpf_map *map)'),
    L('  /* bpf_free_used_maps() or close(map_fd) will trigger this map_free callback */'),
    L(
      '  if (!htab_is_prealloc(htab)) delete_all_elements(htab);   /* fields, timers: freed */',
      calls('bpf_timer_cancel_and_free'),
    ),
    L('  else { htab_free_prealloced_fields(htab); prealloc_destroy(htab); }'),
    L('  bpf_map_free_elem_count(map);  bpf_map_area_free(htab->buckets);'),
    L('  bpf_mem_alloc_destroy(&htab->pcpu_ma);  bpf_mem_alloc_destroy(&htab->ma);'),
    L('  bpf_map_area_free(htab);', on(ev('free'))),
  ]),
];

const HELPERS: readonly KernelFunctionCode[] = [
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

const TESTMOD: readonly KernelFunctionCode[] = [
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

const SCHED_EXT: readonly KernelFunctionCode[] = [
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

/** Every function with pseudo-code, by the name the core emits it under. */
export const KERNEL_CODE: ReadonlyMap<string, KernelFunctionCode> = new Map(
  [
    ...STRUCT_OPS,
    ...REFS,
    ...SYSCALLS,
    ...TRACING,
    ...DEFERRED,
    ...MAPS,
    ...HELPERS,
    ...TESTMOD,
    ...SCHED_EXT,
  ].map((c) => [c.fn, c]),
);

// ---------------------------------------------------------------------------------------------
// Functions whose names the core builds at run time.

/** `.reg`/`.unreg` of each struct_ops type: the `struct bpf_struct_ops` table naming them. */
const ST_OPS_TABLES: Readonly<Record<string, { var: string; prefix: string; file: string }>> = {
  sched_ext_ops: { var: 'bpf_sched_ext_ops', prefix: 'bpf_scx', file: EXT_C },
  bpf_testmod_multi_st_ops: {
    var: 'testmod_multi_st_ops',
    prefix: 'multi_st_ops',
    file: TESTMOD_C,
  },
};

function stOpsOpCode(type: string, op: string): KernelFunctionCode {
  const t = ST_OPS_TABLES[type] ?? { var: `bpf_${type}`, prefix: type, file: STRUCT_OPS_C };
  const impl = (o: string) => `${t.prefix}_${o}`;
  return code(`${type}.${op}`, t.file, [
    L(`static struct bpf_struct_ops ${t.var} = {      /* st_ops->${op}(kdata, link) */`),
    L(`  .reg = ${impl('reg')},`, ...(op === 'reg' ? [calls(/./), weak(on(any))] : [])),
    L(`  .unreg = ${impl('unreg')},`, ...(op === 'unreg' ? [calls(/./), weak(on(any))] : [])),
    L(`  .update = ${impl('update')},`, ...(op === 'update' ? [calls(/./), weak(on(any))] : [])),
    L(`  .name = "${type}",`),
    L('};'),
  ]);
}

function scxCallOpCode(name: string, op: string): KernelFunctionCode {
  return code(name, EXT_C, [
    L(`SCX_CALL_OP(sch, SCX_KF_REST, ${op}, rq, ...)     /* the core scheduler calls ops.${op} */`),
    L(`  if (!SCX_HAS_OP(sch, ${op}))`),
    L(
      '    return;                           /* not implemented: the core skips it */',
      on(ev('check', { target: null })),
    ),
    L('  update_locked_rq(rq);'),
    L(
      `  sch->ops.${op}(args);                /* the BPF program in that kdata slot */`,
      calls(/./),
      on(ev(['check', 'oops'])),
    ),
    L('  update_locked_rq(NULL);'),
  ]);
}

function trampolineCode(name: string, member: string): KernelFunctionCode {
  return code(name, TRAMPOLINE_C, [
    L(`/* the struct_ops trampoline behind .${member} (bpf_struct_ops_prepare_trampoline) */`),
    L('start = __bpf_prog_enter_recur(prog, &run_ctx);   /* nested on this CPU: skipped */'),
    L('if (start)'),
    L('  ret = prog->bpf_func(args, prog->insnsi);', calls(/./), weak(on(any))),
    L('__bpf_prog_exit_recur(prog, start, &run_ctx);'),
    L('return ret;'),
  ]);
}

function callSiteCode(name: string): KernelFunctionCode {
  return code(name, SIMULATED_CALL_SITE, [
    L(
      `${name}(...)                 /* a kernel function with BPF programs attached */`,
      on(ev('call')),
    ),
    L('  /* fentry: its BPF trampoline runs the programs before the body */'),
    L('  __bpf_prog_enter(prog, &run_ctx);  prog->bpf_func(ctx, prog->insnsi);', calls(/./)),
    L('  /* kprobe_multi: the fprobe entry handler → bpf_prog_run(link->link.prog, regs) */'),
    L('  /* ... then the function body runs */', weak(on(any))),
  ]);
}

/** Pseudo-code for `name`; `file` (the event's file) is known only for the innermost frame. */
export function kernelCodeOf(name: string, file: string | null = null): KernelFunctionCode | null {
  const fixed = KERNEL_CODE.get(name);
  if (fixed) return fixed;
  const op = /^([A-Za-z_]\w*)\.(reg|unreg|update)$/.exec(name);
  if (op?.[1] && op[2]) return stOpsOpCode(op[1], op[2]);
  const scx = /^scx_call_op\((\w+)\)$/.exec(name);
  if (scx?.[1]) return scxCallOpCode(name, scx[1]);
  const tramp = /^bpf_struct_ops_(\w+)$/.exec(name);
  if (tramp?.[1]) return trampolineCode(name, tramp[1]);
  if (file === SIMULATED_CALL_SITE) return callSiteCode(name);
  return null;
}

/** Events made outside every kernel function frame: the syscall entry, time, new tasks. */
function entryFrameOf(e: KEvent): string {
  if (e.kind === 'clock') return 'hrtimer_interrupt';
  if (e.kind === 'alloc' && (e.target?.kind === 'process' || e.field === 'task'))
    return 'kernel_clone';
  return 'bpf';
}

function currentLine(c: KernelFunctionCode, e: KEvent, child: string | null): number {
  for (const pass of [false, true]) {
    const i = c.lines.findIndex((l) => l.markers.some((m) => m.weak === pass && m.test(e, child)));
    if (i >= 0) return i;
  }
  return -1;
}

function view(
  c: KernelFunctionCode,
  name: string,
  e: KEvent,
  child: string | null,
): KernelCodeView {
  const i = currentLine(c, e, child);
  return {
    fn: name,
    file: c.file,
    lines: c.lines.map((l) => l.text),
    current: Math.max(i, 0),
    matched: i >= 0,
  };
}

/**
 * The pseudo-code pane for an event: the innermost function of `ev.stack` that has pseudo-code
 * (outer ones when it has none), and the line the event corresponds to. Null only when no
 * function on the stack has pseudo-code.
 */
export function codeFor(e: KEvent): KernelCodeView | null {
  if (e.stack.length === 0) {
    const name = entryFrameOf(e);
    const c = kernelCodeOf(name);
    return c ? view(c, name, e, null) : null;
  }
  for (let i = e.stack.length - 1; i >= 0; i--) {
    const name = e.stack[i] ?? '';
    const last = i === e.stack.length - 1;
    const c = kernelCodeOf(name, last ? e.file : null);
    if (c) return view(c, name, e, last ? null : (e.stack[i + 1] ?? null));
  }
  return null;
}

/** Every frame of the event's call chain that has pseudo-code, outermost first. */
export function codeChain(e: KEvent): KernelCodeView[] {
  if (e.stack.length === 0) {
    const v = codeFor(e);
    return v ? [v] : [];
  }
  const out: KernelCodeView[] = [];
  e.stack.forEach((name, i) => {
    const last = i === e.stack.length - 1;
    const c = kernelCodeOf(name, last ? e.file : null);
    if (c) out.push(view(c, name, e, last ? null : (e.stack[i + 1] ?? null)));
  });
  return out;
}
