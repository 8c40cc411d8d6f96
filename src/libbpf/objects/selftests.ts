/**
 * The BPF objects of the series' selftests (tools/testing/selftests/bpf/progs/
 * struct_ops_assoc.c, struct_ops_assoc_reuse.c, struct_ops_assoc_in_timer.c), transcribed
 * into this model's statement set. MAP_A_MAGIC is 1234 and MAP_B_MAGIC 5678.
 */
import type { ObjectDesc, ProgDesc, StructOpsMapDesc } from '../object';

const KFUNC = 'bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)';

/** `SEC(".struct_ops.link") struct bpf_testmod_multi_st_ops <map> = { .test_1 = <prog> };` */
function multiStOps(test1: string): StructOpsMapDesc {
  return {
    type: 'struct_ops',
    section: '.struct_ops.link',
    struct: 'bpf_testmod_multi_st_ops',
    members: { test_1: test1 },
  };
}

/** `SEC("syscall")`: calls the kfunc and counts a result other than `magic` in `err`. */
function syscallProg(magic: number, err: string): ProgDesc {
  return {
    section: 'syscall',
    body: [`ret = ${KFUNC}`, { if: `ret != ${magic}`, then: [`${err}++`] }, 'return 0'],
  };
}

/** `SEC("tp_btf/sys_enter")`: the same, for the test's own task only. */
function sysEnterProg(magic: number, err: string): ProgDesc {
  return {
    section: 'tp_btf/sys_enter',
    body: [
      { if: 'test_pid == 0 || task.pid != test_pid', then: ['return 0'] },
      `ret = ${KFUNC}`,
      { if: `ret != ${magic}`, then: [`${err}++`] },
      'return 0',
    ],
  };
}

/** `progs/struct_ops_assoc.c`: two maps, each with its own test_1 and its own helper programs. */
export const structOpsAssoc: ObjectDesc = {
  name: 'struct_ops_assoc',
  globals: { test_pid: 0, test_err_a: 0, test_err_b: 0 },
  maps: {
    st_ops_map_a: multiStOps('test_1_a'),
    st_ops_map_b: multiStOps('test_1_b'),
  },
  progs: {
    test_1_a: { section: 'struct_ops/test_1', body: ['return 1234'] },
    test_1_b: { section: 'struct_ops/test_1', body: ['return 5678'] },
    sys_enter_prog_a: sysEnterProg(1234, 'test_err_a'),
    syscall_prog_a: syscallProg(1234, 'test_err_a'),
    sys_enter_prog_b: sysEnterProg(5678, 'test_err_b'),
    syscall_prog_b: syscallProg(5678, 'test_err_b'),
  },
};

/** `progs/struct_ops_assoc_reuse.c`: one struct_ops program in two maps (poisoned). */
export const structOpsAssocReuse: ObjectDesc = {
  name: 'struct_ops_assoc_reuse',
  globals: { recur: 0, test_err_a: 0, test_err_b: 0 },
  maps: {
    st_ops_map_a: multiStOps('test_1_a'),
    st_ops_map_b: multiStOps('test_1_a'),
  },
  progs: {
    test_1_a: {
      section: 'struct_ops/test_1',
      body: [
        {
          if: 'recur == 0',
          then: [
            'recur++',
            `ret = ${KFUNC}`,
            { if: 'ret != -1', then: ['test_err_a++'] },
            'recur--',
          ],
        },
        'return 1234',
      ],
    },
    syscall_prog_a: syscallProg(1234, 'test_err_a'),
    syscall_prog_b: syscallProg(1234, 'test_err_b'),
  },
};

/** `progs/struct_ops_assoc_in_timer.c`: test_1 arms a bpf_timer whose callback calls the kfunc. */
export const structOpsAssocInTimer: ObjectDesc = {
  name: 'struct_ops_assoc_in_timer',
  globals: { recur: 0, test_err: 0, timer_ns: 0, timer_test_1_ret: 0, timer_cb_run: 0 },
  maps: {
    array_map: { type: 'array', max_entries: 1, value_size: 16 },
    st_ops_map: multiStOps('test_1'),
  },
  subprogs: {
    timer_cb: ['recur++', `timer_test_1_ret = ${KFUNC}`, 'recur--', 'timer_cb_run++', 'return 0'],
  },
  progs: {
    test_1: {
      section: 'struct_ops/test_1',
      body: [
        {
          if: 'recur == 0',
          then: [
            't = bpf_map_lookup_elem(array_map, 0)',
            { if: '!t', then: ['return 0'] },
            'bpf_timer_init(t, array_map, CLOCK_MONOTONIC)',
            'bpf_timer_set_callback(t, timer_cb)',
            'bpf_timer_start(t, timer_ns, 0)',
          ],
        },
        'return 1234',
      ],
    },
    syscall_prog: syscallProg(1234, 'test_err'),
  },
};
