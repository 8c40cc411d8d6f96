import { describe, expect, it } from 'vitest';
import { describeState, dmesgStamp } from './describe';
import type { BpfMap, KernelState, Prog, StOpsAssoc } from './types';

function prog(
  id: number,
  name: string,
  type: Prog['type'],
  extra: Partial<Prog> = {},
  assoc: StOpsAssoc = null,
): Prog {
  return {
    id,
    name,
    type,
    expected_attach_type: null,
    attach_btf_name: null,
    member: null,
    refcnt: 1,
    aux: { st_ops_assoc: assoc, used_maps: [], map_names: {}, fixups: [] },
    body: { main: [], subprogs: {} },
    lifecycle: 'live',
    sleepable: false,
    run_cnt: 0,
    ...extra,
  };
}

function stMap(id: number, name: string, links: number[], extra: Partial<BpfMap> = {}): BpfMap {
  return {
    id,
    name,
    type: 'BPF_MAP_TYPE_STRUCT_OPS',
    map_flags: ['BPF_F_LINK'],
    key_size: 4,
    value_size: 256,
    max_entries: 1,
    refcnt: 3,
    usercnt: 1,
    lifecycle: 'live',
    entries: {},
    st: {
      st_ops: 'sched_ext_ops',
      state: 'READY',
      links,
      kdata: { funcs: {}, fields: {}, priv: 1 },
      uvalue: {},
      link: 3,
    },
    ...extra,
  };
}

const empty: KernelState = {
  revision: 'v8',
  nrCpus: 4,
  rcuGracePeriodNs: 1_000_000,
  now: 0,
  ids: { prog: 0, map: 0, link: 0, timer: 0, pending: 0, sched: 0 },
  processes: {},
  tasks: {},
  progs: {},
  maps: {},
  links: {},
  timers: {},
  pending: [],
  inflight: [],
  testmod: { registered: [] },
  scx: { root: null, scheds: {} },
  oopses: [],
  dmesg: [],
  rcuTasksTraceGracePeriodNs: 4_000_000,
  bpffs: [],
  cgroups: { 1: '/' },
};

/** scx_layered after attach and the explicit association of refresh_layer_cpumasks. */
const layered: KernelState = {
  ...empty,
  now: 3_000_000,
  processes: {
    100: {
      pid: 100,
      name: 'scx_layered',
      alive: true,
      fds: {
        4: { kind: 'prog', id: 2 },
        3: { kind: 'map', id: 1 },
        5: { kind: 'prog', id: 4 },
        6: { kind: 'link', id: 3 },
      },
    },
  },
  progs: {
    4: prog(4, 'refresh_layer_cpumasks', 'BPF_PROG_TYPE_SYSCALL', {}, { map: 1 }),
    2: prog(
      2,
      'layered_enqueue',
      'BPF_PROG_TYPE_STRUCT_OPS',
      {
        refcnt: 2,
        expected_attach_type: 1,
        attach_btf_name: 'sched_ext_ops',
        member: 'enqueue',
      },
      { map: 1 },
    ),
  },
  maps: { 1: stMap(1, 'layered', [2]) },
  links: {
    3: {
      id: 3,
      type: 'struct_ops',
      refcnt: 1,
      lifecycle: 'live',
      prog: null,
      map: 1,
      target: null,
    },
  },
  scx: {
    root: 1,
    scheds: {
      1: {
        id: 1,
        name: 'sch1',
        map: 1,
        parent: null,
        state: 'enabled',
        exit: null,
        warnedUnassoc: false,
        kicks: [
          { cpu: 0, flags: 'SCX_KICK_IDLE', prog: 4, at: 2_000_000 },
          { cpu: 1, flags: 'SCX_KICK_IDLE', prog: 4, at: 2_000_000 },
          { cpu: 0, flags: 'SCX_KICK_IDLE', prog: 4, at: 2_500_000 },
        ],
        dsqs: {},
      },
    },
  },
};

describe('describeState', () => {
  it('shows only the clock for an empty kernel', () => {
    expect(describeState(empty)).toEqual([
      'clock 0 ns  (kernel v8, 4 CPUs, RCU grace period 1000000 ns)',
    ]);
  });

  it('renders scx_layered after attach and association, in a fixed order', () => {
    expect(describeState(layered)).toEqual([
      'clock 3000000 ns  (kernel v8, 4 CPUs, RCU grace period 1000000 ns)',
      'pid 100 scx_layered: fd 3→map layered, fd 4→prog layered_enqueue, fd 5→prog refresh_layer_cpumasks, fd 6→link 3',
      'prog 2 layered_enqueue  BPF_PROG_TYPE_STRUCT_OPS (sched_ext_ops.enqueue)  refcnt=2  st_ops_assoc=layered',
      'prog 4 refresh_layer_cpumasks  BPF_PROG_TYPE_SYSCALL  refcnt=1  st_ops_assoc=layered',
      'map 1 layered  BPF_MAP_TYPE_STRUCT_OPS sched_ext_ops  [BPF_F_LINK]  state=READY  refcnt=3 usercnt=1  links[]=[layered_enqueue]  priv=sch1',
      'link 3 struct_ops  map=layered  refcnt=1',
      'sch1 root enabled, ops=layered, kicked CPUs 0,1 by refresh_layer_cpumasks',
    ]);
  });

  it('shows NULL and BPF_PTR_POISON associations', () => {
    const s: KernelState = {
      ...empty,
      progs: {
        1: prog(1, 'syscall_prog', 'BPF_PROG_TYPE_SYSCALL'),
        2: prog(
          2,
          'test_1',
          'BPF_PROG_TYPE_STRUCT_OPS',
          { attach_btf_name: 'bpf_testmod_multi_st_ops', member: 'test_1', run_cnt: 3 },
          'POISON',
        ),
      },
    };
    const lines = describeState(s);
    expect(lines).toContain(
      'prog 1 syscall_prog  BPF_PROG_TYPE_SYSCALL  refcnt=1  st_ops_assoc=NULL',
    );
    expect(lines).toContain(
      'prog 2 test_1  BPF_PROG_TYPE_STRUCT_OPS (bpf_testmod_multi_st_ops.test_1)  refcnt=1  st_ops_assoc=BPF_PTR_POISON  run_cnt=3',
    );
  });

  it('keeps freed objects, marked, and flags an association that dangles', () => {
    const s: KernelState = {
      ...empty,
      progs: {
        7: prog(7, 'timer_prog', 'BPF_PROG_TYPE_SYSCALL', {
          aux: { st_ops_assoc: { map: 1 }, used_maps: [9], map_names: {}, fixups: [] },
        }),
        8: prog(8, 'gone', 'BPF_PROG_TYPE_SYSCALL', { lifecycle: 'freed', refcnt: 0 }),
      },
      maps: {
        1: stMap(1, 'st_ops_map', [], {
          lifecycle: 'freed',
          refcnt: 0,
          usercnt: 0,
          map_flags: [],
        }),
        9: {
          ...stMap(9, 'array_map', []),
          type: 'BPF_MAP_TYPE_ARRAY',
          map_flags: [],
          refcnt: 2,
          entries: { '0': { timer: null } },
          st: null,
        },
      },
    };
    const lines = describeState(s);
    expect(lines).toContain(
      'prog 7 timer_prog  BPF_PROG_TYPE_SYSCALL  refcnt=1  st_ops_assoc=st_ops_map (freed)  used_maps=[array_map]',
    );
    expect(lines).toContain(
      'prog 8 gone (freed)  BPF_PROG_TYPE_SYSCALL  refcnt=0  st_ops_assoc=NULL',
    );
    expect(lines).toContain(
      'map 1 st_ops_map (freed)  BPF_MAP_TYPE_STRUCT_OPS sched_ext_ops  state=READY  refcnt=0 usercnt=0  links[]=[]  priv=sch1',
    );
    expect(lines).toContain('map 9 array_map  BPF_MAP_TYPE_ARRAY  refcnt=2 usercnt=1  1 entry');
  });

  it('shows timers, tracing links, deferred work, oopses and dmesg', () => {
    const s: KernelState = {
      ...empty,
      now: 1_500_000,
      processes: { 200: { pid: 200, name: 'scx_layered', alive: false, fds: {} } },
      progs: {
        5: prog(5, 'on_exec', 'BPF_PROG_TYPE_TRACING', {
          expected_attach_type: 'BPF_TRACE_RAW_TP',
          attach_btf_name: 'sched_process_exec',
          lifecycle: 'freeing',
          refcnt: 0,
        }),
      },
      links: {
        6: {
          id: 6,
          type: 'raw_tp',
          refcnt: 1,
          lifecycle: 'live',
          prog: 5,
          map: null,
          target: 'sched_process_exec',
        },
      },
      timers: {
        1: {
          id: 1,
          map: 9,
          key: '0',
          field: 'timer',
          prog: 5,
          callback: 'timer_cb',
          armed: true,
          expires: 2_000_000,
          freed: false,
        },
      },
      pending: [
        {
          id: 4,
          kind: 'work',
          fn: 'bpf_prog_free_deferred',
          target: { kind: 'prog', id: 5 },
          queuedAt: 1_500_000,
          dueAt: 1_500_000,
          holds: null,
        },
        {
          id: 3,
          kind: 'rcu',
          fn: '__bpf_prog_put_rcu',
          target: { kind: 'prog', id: 5 },
          queuedAt: 1_000_000,
          dueAt: 2_000_000,
          holds: null,
        },
      ],
      oopses: [{ at: 1_200_000, kind: 'use-after-free', msg: 'read of freed kdata', prog: 5 }],
      dmesg: [{ at: 1_234_567, msg: 'sched_ext: BPF scheduler "layered" enabled' }],
    };
    expect(describeState(s)).toEqual([
      'clock 1500000 ns  (kernel v8, 4 CPUs, RCU grace period 1000000 ns)',
      'pid 200 scx_layered (exited): no fds',
      'prog 5 on_exec (freeing)  BPF_PROG_TYPE_TRACING (BPF_TRACE_RAW_TP sched_process_exec)  refcnt=0  st_ops_assoc=NULL',
      'link 6 raw_tp  prog=on_exec  target=sched_process_exec  refcnt=1',
      'timer 1 map#9[0].timer  cb->prog=on_exec  callback=timer_cb  armed, expires at 2000000 ns',
      'pending work 4 bpf_prog_free_deferred(prog on_exec)  queued at 1500000 ns, due at 1500000 ns',
      'pending call_rcu 3 __bpf_prog_put_rcu(prog on_exec)  queued at 1000000 ns, due at 2000000 ns',
      'oops at 1200000 ns: use-after-free in on_exec: read of freed kdata',
      'dmesg [    0.001234] sched_ext: BPF scheduler "layered" enabled',
    ]);
  });

  it('formats dmesg stamps like printk', () => {
    expect(dmesgStamp(0)).toBe('[    0.000000]');
    expect(dmesgStamp(12_345_678_901)).toBe('[   12.345678]');
  });
});
