/** Kernel pseudo-code: map types: array and hash (kernel/bpf/arraymap.c, hashtab.c). Our own paraphrase of the kernel's code, not its source. */
import {
  ARRAYMAP_C,
  HASHTAB_C,
  L,
  calls,
  code,
  ev,
  on,
  ret,
  weak,
  type KernelFunctionCode,
} from './dsl';

export const MAPS: readonly KernelFunctionCode[] = [
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
