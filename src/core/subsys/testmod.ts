/**
 * bpf_testmod's `bpf_testmod_multi_st_ops` (tools/testing/selftests/bpf/test_kmods/bpf_testmod.c):
 * instances registered by map id, and the two kfuncs the series' selftests call.
 */
import { TESTMOD_C } from '../files';
import { mapRef, nameOf } from '../names';
import { mapOf } from '../objects/access';
import { kfunc, params, type Callable } from '../prog/kfuncDef';
import { callStructOpsMember, oops } from '../prog/exec';
import { currentAssoc } from '../revisions/assocCode';
import type { Tx } from '../tx';
import type { StructOpsType } from './structOpsType';

/**
 * The program types `bpf_testmod_kfunc_set` is registered for in `bpf_testmod_init`
 * (`register_btf_kfunc_id_set` for SCHED_CLS, TRACING, SYSCALL and STRUCT_OPS).
 */
export const TESTMOD_KFUNC_SET_PROG_TYPES = [
  'BPF_PROG_TYPE_SCHED_CLS',
  'BPF_PROG_TYPE_TRACING',
  'BPF_PROG_TYPE_SYSCALL',
  'BPF_PROG_TYPE_STRUCT_OPS',
] as const;

function reg(tx: Tx, map: number): { ret: number; reason?: string } {
  return tx.in('multi_st_ops_reg', TESTMOD_C, () => {
    if (tx.state.testmod.registered.includes(map)) {
      const reason = `multi_st_ops id ${map} is already registered.`;
      tx.emit({
        kind: 'reg',
        target: mapRef(map),
        field: 'registered',
        before: 'yes',
        after: 'yes',
        why: reason,
      });
      return { ret: -17, reason };
    }
    tx.emit(
      {
        kind: 'reg',
        target: mapRef(map),
        field: 'id',
        before: null,
        after: map,
        why: `bpf_testmod registers ${nameOf(tx.state, mapRef(map))} under its map id ${map} (bpf_struct_ops_id).`,
      },
      (d) => {
        d.testmod.registered.push(map);
        const st = d.maps[map]?.st;
        if (st) st.kdata.fields['id'] = map;
      },
    );
    return { ret: 0 };
  });
}

function unreg(tx: Tx, map: number): void {
  tx.in('multi_st_ops_unreg', TESTMOD_C, () =>
    tx.emit(
      {
        kind: 'reg',
        target: mapRef(map),
        field: 'registered',
        before: map,
        after: null,
        why: `bpf_testmod forgets id ${map}.`,
      },
      (d) => {
        d.testmod.registered = d.testmod.registered.filter((id) => id !== map);
      },
    ),
  );
}

export const multiStOps: StructOpsType = {
  name: 'bpf_testmod_multi_st_ops',
  file: TESTMOD_C,
  members: [
    { name: 'test_1', kind: 'func' },
    { name: 'node', kind: 'data' },
    { name: 'id', kind: 'data' },
  ],
  /** `multi_st_ops_init_member`: returns 0 for every member; it claims none. */
  init_member: () => 0,
  reg: (tx, map) => reg(tx, map),
  unreg: (tx, map) => unreg(tx, map),
};

/** The kfunc returning the associated instance's test_1, under the name `name`. */
function assocKfunc(name: string, ps: Callable['params'], doc: string): Callable {
  return kfunc(name, TESTMOD_C, TESTMOD_KFUNC_SET_PROG_TYPES, ps, doc, (ctx) => {
    const assoc = currentAssoc(ctx.tx);
    const map = assoc.bpf_prog_get_assoc_struct_ops(ctx.tx, ctx.prog);
    if (map === null) return -1;
    const st = mapOf(ctx.tx.state, map).st;
    if (st && st.st_ops !== multiStOps.name) {
      oops(
        ctx,
        'type confusion',
        `the associated map holds a ${st.st_ops} struct, called as bpf_testmod_multi_st_ops`,
      );
    }
    const ret = callStructOpsMember(ctx, map, 'test_1');
    assoc.bpf_struct_ops_put(ctx.tx, map);
    return ret;
  });
}

export const testmodKfuncs: readonly Callable[] = [
  kfunc(
    'bpf_kfunc_multi_st_ops_test_1',
    TESTMOD_C,
    TESTMOD_KFUNC_SET_PROG_TYPES,
    params({ args: 'ptr', id: 'scalar' }),
    'Finds the multi_st_ops instance registered under `id` and calls its test_1; -1 if none.',
    (ctx, args) => {
      const id = args[1];
      const map =
        typeof id === 'number' && ctx.tx.state.testmod.registered.includes(id) ? id : null;
      if (map === null) {
        ctx.tx.emit({
          kind: 'check',
          why: `No multi_st_ops instance is registered under id ${String(id)}: -1.`,
        });
        return -1;
      }
      return callStructOpsMember(ctx, map, 'test_1');
    },
  ),
  assocKfunc(
    'bpf_kfunc_multi_st_ops_test_1_impl',
    params({ args: 'ptr', aux__prog: 'prog' }),
    'ret = -1; st = bpf_prog_get_assoc_struct_ops(aux); if (st) ret = st->test_1(args).',
  ),
  // v1..v7 spelled it _prog_arg; mainline (KF_IMPLICIT_ARGS) hides aux: core/revisions/kfuncs.ts.
  assocKfunc(
    'bpf_kfunc_multi_st_ops_test_1_prog_arg',
    params({ args: 'ptr', aux__prog: 'prog' }),
    'Before v8: the same kfunc as _impl. ret = -1; st = the associated struct_ops; if (st) ret = st->test_1(args).',
  ),
  assocKfunc(
    'bpf_kfunc_multi_st_ops_test_1_assoc',
    params({ args: 'ptr' }),
    'Mainline (KF_IMPLICIT_ARGS): the verifier supplies aux. ret = -1; st = bpf_prog_get_assoc_struct_ops(aux); if (st) ret = st->test_1(args).',
  ),
];
