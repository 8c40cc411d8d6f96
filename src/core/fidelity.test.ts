/**
 * Edge checks that follow the kernel code line by line: non-function struct_ops members
 * (`bpf_struct_ops_map_update_elem` + `init_member`), bpf_testmod's kfunc set program types,
 * the verifier's second `__prog` argument, and the timer errnos of `__bpf_async_set_callback`
 * and `check_func_arg`. Invariants are checked after every event.
 */
import { describe, expect, it } from 'vitest';
import { compileBody } from './prog/compile';
import type { SrcStmt } from './prog/ast';
import { findCallable } from './callables';
import type { Callable } from './prog/kfuncDef';
import { verifyProgram } from './prog/verifier';
import { TESTMOD_KFUNC_SET_PROG_TYPES, testmodKfuncs } from './subsys/testmod';
import type { BpfCommand } from './syscalls/attrs';
import type { ProgBody, Val } from './types';
import { produce } from 'immer';
import { bpf_timer_set_callback } from './objects/timer';
import { Tx } from './tx';
import { isOpenError } from '../libbpf/libbpf';
import { checkedSim, mapNamed, progNamed } from '../testing/checked';

function setup() {
  const { sim, lib } = checkedSim();
  const bpf = (c: BpfCommand) => sim.run({ op: 'bpf', ...c }, c.cmd);
  const stMap = (name: string, st: string) =>
    bpf({
      cmd: 'BPF_MAP_CREATE',
      attr: {
        map_type: 'BPF_MAP_TYPE_STRUCT_OPS',
        map_name: name,
        key_size: 4,
        value_size: 256,
        max_entries: 1,
        map_flags: ['BPF_F_LINK'],
        btf_vmlinux_value_type_id: st,
      },
    }).ret;
  const update = (fd: number, data: Readonly<Record<string, Val>>) =>
    bpf({ cmd: 'BPF_MAP_UPDATE_ELEM', attr: { map_fd: fd, key: 0, value: { data } } });
  const load = (name: string, st: string, index: number) => {
    const c = compileBody(['return 0']);
    if (!c.ok) throw new Error('compile');
    return bpf({
      cmd: 'BPF_PROG_LOAD',
      attr: {
        prog_type: 'BPF_PROG_TYPE_STRUCT_OPS',
        prog_name: name,
        insns: { main: c.stmts, subprogs: {} },
        attach_btf_id: st,
        expected_attach_type: index,
      },
    }).ret;
  };
  return { sim, lib, bpf, stMap, update, load };
}

describe('non-function struct_ops members (bpf_struct_ops_map_update_elem)', () => {
  it('multi_st_ops claims none: a non-zero id is -EINVAL and the program reference is undone', () => {
    const t = setup();
    const map = t.stMap('m', 'bpf_testmod_multi_st_ops');
    const prog = t.load('t1', 'bpf_testmod_multi_st_ops', 0);
    const r = t.update(map, { test_1: prog, id: 7 });
    expect(r.ret).toBe(-22);
    expect(r.reason).toContain('all non func ptr members must be 0');
    expect(mapNamed(t.sim.state, 'm').st?.state).toBe('INIT');
    t.sim.run({ op: 'drain' }, 'drain');
    expect(progNamed(t.sim.state, 't1').refcnt).toBe(1);
    // Zero is accepted: the member is left to reg, which sets it.
    expect(t.update(map, { test_1: prog, id: 0 }).ret).toBe(0);
    expect(mapNamed(t.sim.state, 'm').st?.state).toBe('READY');
  });

  it('sched_ext claims its own data members (bpf_scx_init_member), so they may be set', () => {
    const t = setup();
    const map = t.stMap('s', 'sched_ext_ops');
    const enq = t.load('enq', 'sched_ext_ops', 1);
    const r = t.update(map, { enqueue: enq, name: 'layered', timeout_ms: 5000, flags: 0 });
    expect(r.ret).toBe(0);
    expect(mapNamed(t.sim.state, 's').st?.kdata.fields['timeout_ms']).toBe(5000);
  });
});

describe("bpf_testmod's kfunc set", () => {
  it('is registered for SCHED_CLS, TRACING, SYSCALL and STRUCT_OPS programs', () => {
    expect([...TESTMOD_KFUNC_SET_PROG_TYPES].sort()).toEqual([
      'BPF_PROG_TYPE_SCHED_CLS',
      'BPF_PROG_TYPE_STRUCT_OPS',
      'BPF_PROG_TYPE_SYSCALL',
      'BPF_PROG_TYPE_TRACING',
    ]);
    for (const k of testmodKfuncs) expect(k.allowed).toBe(TESTMOD_KFUNC_SET_PROG_TYPES);
  });
});

function body(
  src: readonly SrcStmt[],
  subprogs: Record<string, readonly SrcStmt[]> = {},
): ProgBody {
  const main = compileBody(src);
  if (!main.ok) throw new Error('compile');
  const subs: Record<string, ProgBody['main']> = {};
  for (const [k, v] of Object.entries(subprogs)) {
    const c = compileBody(v);
    if (!c.ok) throw new Error('compile');
    subs[k] = c.stmts;
  }
  return { main: main.stmts, subprogs: subs };
}

describe('verifier', () => {
  it('a kfunc with a second __prog argument is a verifier_bug(): -EFAULT', () => {
    const twoProgArgs: Callable = {
      name: 'two_prog_args',
      kind: 'kfunc',
      file: 'test',
      params: [
        { name: 'a__prog', kind: 'prog' },
        { name: 'b__prog', kind: 'prog' },
      ],
      allowed: 'all',
      doc: 'a kfunc declared with two __prog parameters',
      impl: () => 0,
    };
    const r = verifyProgram({
      type: 'BPF_PROG_TYPE_SYSCALL',
      body: body(['two_prog_args(NULL, NULL)', 'return 0']),
      mapNames: [],
      globals: [],
      resolve: (n) => (n === twoProgArgs.name ? twoProgArgs : findCallable(n)),
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errno).toBe('EFAULT');
    expect(!r.ok && r.reason).toContain('Only 1 prog->aux argument supported per-kfunc');
  });

  it('a timer pointer into one map with another map passed is refused at load, not at run', () => {
    const r = verifyProgram({
      type: 'BPF_PROG_TYPE_SYSCALL',
      body: body(
        [
          't = bpf_map_lookup_elem(array_map, 0)',
          { if: 't', then: ['bpf_timer_init(t, other_map, 1)'] },
          'return 0',
        ],
        { cb: ['return 0'] },
      ),
      mapNames: ['array_map', 'other_map'],
      globals: [],
      resolve: findCallable,
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errno).toBe('EINVAL');
    expect(!r.ok && r.reason).toContain("doesn't match map pointer");
  });
});

describe('timer errnos (__bpf_async_set_callback)', () => {
  it('bpf_timer_set_callback is -EPERM once the map has no user reference', () => {
    const { sim, lib } = checkedSim();
    const obj = lib.bpf_object__open_and_load({
      name: 'timers',
      globals: { init_ret: 0, cb_ret: 0 },
      maps: { array_map: { type: 'array', max_entries: 1 } },
      subprogs: { cb: ['return 0'] },
      progs: {
        init: {
          section: 'syscall',
          body: [
            't = bpf_map_lookup_elem(array_map, 0)',
            { if: 't', then: ['init_ret = bpf_timer_init(t, array_map, 1)'] },
            'return 0',
          ],
        },
        set: {
          section: 'syscall',
          body: [
            't = bpf_map_lookup_elem(array_map, 0)',
            { if: 't', then: ['cb_ret = bpf_timer_set_callback(t, cb)'] },
            'return 0',
          ],
        },
      },
    });
    if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
    const prog = (n: string) => obj.progs.get(n)?.fd ?? -1;
    expect(lib.bpf_prog_test_run_opts(prog('init')).err).toBe(0);
    expect(lib.get_global(obj, 'init_ret')).toBe(0);
    const arrId = mapNamed(sim.state, 'array_map').id;
    const timer = Object.values(sim.state.timers)[0];
    if (!timer) throw new Error('no timer');

    // The window between bpf_map_put_uref's decrement and map_release_uref freeing the timer
    // (another CPU closing the last fd): the timer exists, the map's usercnt is already 0.
    const racing = produce(sim.state, (d) => {
      const m = d.maps[arrId];
      if (m) m.usercnt = 0;
    });
    const ptr = { ptr: 'map_value' as const, map: arrId, key: timer.key };
    const setId = progNamed(sim.state, 'set').id;
    const tx = new Tx(racing, 100);
    expect(bpf_timer_set_callback(tx, ptr, 'cb', setId)).toBe(-1);
    expect(tx.state.timers[timer.id]?.prog).toBeNull();
    expect(tx.state.progs[setId]?.refcnt).toBe(racing.progs[setId]?.refcnt);
    // With a user reference it succeeds and the timer takes a program reference.
    const live = new Tx(sim.state, 100);
    expect(bpf_timer_set_callback(live, ptr, 'cb', setId)).toBe(0);
    expect(live.state.timers[timer.id]?.prog).toBe(setId);

    // Once map_release_uref has run (closing the fd), the timer is gone: -EINVAL first.
    const arr = obj.maps.get('array_map');
    expect(lib.close(arr?.fd ?? -1)).toBe(0);
    expect(mapNamed(sim.state, 'array_map').usercnt).toBe(0);
    expect(lib.bpf_prog_test_run_opts(prog('set')).err).toBe(0);
    expect(lib.get_global(obj, 'cb_ret')).toBe(-22);
  });
});
