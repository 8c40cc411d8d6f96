/**
 * The four subtests of tools/testing/selftests/bpf/prog_tests/test_struct_ops_assoc.c (v8),
 * run on the libbpf facade with the kernel's own assertions, plus the refcounts and
 * association states kernel-semantics §3 derives. Invariants are checked after every event.
 */
import { describe, expect, it } from 'vitest';
import { findLeaks, isQuiescent } from '../core/invariants';
import { assocOf, checkedSim, mapNamed, progNamed } from '../testing/checked';
import { isOpenError, type BpfObject, type Libbpf } from './libbpf';
import { structOpsAssoc, structOpsAssocInTimer, structOpsAssocReuse } from './objects/selftests';
import type { ObjectDesc } from './object';

function load(lib: Libbpf, desc: ObjectDesc): BpfObject {
  const obj = lib.bpf_object__open_and_load(desc);
  if (isOpenError(obj)) throw new Error(`open_and_load failed: ${obj.errors.join('; ')}`);
  return obj;
}

function prog(obj: BpfObject, name: string) {
  const p = obj.progs.get(name);
  if (!p) throw new Error(`no program ${name}`);
  return p;
}

function map(obj: BpfObject, name: string) {
  const m = obj.maps.get(name);
  if (!m) throw new Error(`no map ${name}`);
  return m;
}

describe('st_ops_assoc', () => {
  it('associates each program with its own map and every kfunc finds its instance', () => {
    const { sim, lib } = checkedSim();
    const obj = load(lib, structOpsAssoc);
    let s = sim.state;
    expect(mapNamed(s, 'st_ops_map_a').st?.state).toBe('INIT');
    expect(mapNamed(s, 'st_ops_map_a').refcnt).toBe(1);

    // ASSERT_ERR: libbpf refuses a struct_ops program without a system call.
    const frames = sim.frames.length;
    expect(lib.bpf_program__assoc_struct_ops(prog(obj, 'test_1_a'), map(obj, 'st_ops_map_a'))).toBe(
      -22,
    );
    expect(sim.frames.length).toBe(frames);
    expect(sim.log.at(-1)).toContain("can't associate struct_ops program");

    expect(
      lib.bpf_program__assoc_struct_ops(prog(obj, 'syscall_prog_a'), map(obj, 'st_ops_map_a')),
    ).toBe(0);
    expect(mapNamed(sim.state, 'st_ops_map_a').refcnt).toBe(2);
    expect(
      lib.bpf_program__assoc_struct_ops(prog(obj, 'sys_enter_prog_a'), map(obj, 'st_ops_map_a')),
    ).toBe(0);
    expect(mapNamed(sim.state, 'st_ops_map_a').refcnt).toBe(3);
    expect(
      lib.bpf_program__assoc_struct_ops(prog(obj, 'syscall_prog_b'), map(obj, 'st_ops_map_b')),
    ).toBe(0);
    expect(
      lib.bpf_program__assoc_struct_ops(prog(obj, 'sys_enter_prog_b'), map(obj, 'st_ops_map_b')),
    ).toBe(0);
    expect(mapNamed(sim.state, 'st_ops_map_b').refcnt).toBe(3);

    // ASSERT_ERR: the kernel returns -EBUSY; the association stays map_a and no ref moves.
    expect(
      lib.bpf_program__assoc_struct_ops(prog(obj, 'sys_enter_prog_a'), map(obj, 'st_ops_map_b')),
    ).toBe(-16);
    s = sim.state;
    expect(assocOf(s, 'sys_enter_prog_a')).toBe('st_ops_map_a');
    expect(mapNamed(s, 'st_ops_map_a').refcnt).toBe(3);
    expect(mapNamed(s, 'st_ops_map_b').refcnt).toBe(3);

    expect(lib.skel_attach(obj)).toBe(0);
    s = sim.state;
    expect(assocOf(s, 'test_1_a')).toBe('st_ops_map_a');
    expect(assocOf(s, 'test_1_b')).toBe('st_ops_map_b');
    expect(mapNamed(s, 'st_ops_map_a').st?.state).toBe('READY');
    expect(mapNamed(s, 'st_ops_map_b').st?.state).toBe('READY');
    // fd + 2 associations + link (kernel-semantics §3.1)
    expect(mapNamed(s, 'st_ops_map_a').refcnt).toBe(4);
    expect(mapNamed(s, 'st_ops_map_b').refcnt).toBe(4);
    expect(s.testmod.registered).toEqual([
      mapNamed(s, 'st_ops_map_a').id,
      mapNamed(s, 'st_ops_map_b').id,
    ]);
    // struct_ops programs: fd + links[] slot
    expect(progNamed(s, 'test_1_a').refcnt).toBe(2);

    expect(lib.set_global(obj, 'test_pid', 100)).toBe(0);
    expect(sim.run({ op: 'syscall', tid: 100, nr: 'gettid' }, 'sys_gettid()').ret).toBe(0);
    expect(lib.set_global(obj, 'test_pid', 0)).toBe(0);
    expect(lib.get_global(obj, 'test_err_a')).toBe(0);
    expect(lib.get_global(obj, 'test_err_b')).toBe(0);
    expect(progNamed(sim.state, 'sys_enter_prog_a').run_cnt).toBe(1);
    expect(progNamed(sim.state, 'test_1_a').run_cnt).toBe(1);
    expect(progNamed(sim.state, 'test_1_b').run_cnt).toBe(1);

    const a = lib.bpf_prog_test_run_opts(prog(obj, 'syscall_prog_a').fd);
    const b = lib.bpf_prog_test_run_opts(prog(obj, 'syscall_prog_b').fd);
    expect(a.err).toBe(0);
    expect(b.err).toBe(0);
    expect(lib.get_global(obj, 'test_err_a')).toBe(0);
    expect(lib.get_global(obj, 'test_err_b')).toBe(0);

    lib.skel_destroy(obj);
    sim.run({ op: 'settle' }, 'settle');
    expect(isQuiescent(sim.state)).toBe(true);
    expect(findLeaks(sim.state)).toEqual([]);
    expect(sim.state.testmod.registered).toEqual([]);
    expect(sim.state.oopses).toEqual([]);
  });

  it('a kfunc from a wrong-magic program counts errors (the assertions can fail)', () => {
    const { lib } = checkedSim();
    const obj = load(lib, structOpsAssoc);
    // Associate syscall_prog_b with map_a by mistake: its kfunc now reaches test_1_a (1234).
    expect(
      lib.bpf_program__assoc_struct_ops(prog(obj, 'syscall_prog_b'), map(obj, 'st_ops_map_a')),
    ).toBe(0);
    expect(lib.skel_attach(obj)).toBe(0);
    expect(lib.bpf_prog_test_run_opts(prog(obj, 'syscall_prog_b').fd).err).toBe(0);
    expect(lib.get_global(obj, 'test_err_b')).toBe(1);
    // And an unassociated program gets -1 from the kfunc.
    expect(lib.bpf_prog_test_run_opts(prog(obj, 'syscall_prog_a').fd).err).toBe(0);
    expect(lib.get_global(obj, 'test_err_a')).toBe(1);
  });
});

describe('st_ops_assoc_reuse', () => {
  it('poisons a struct_ops program used by two maps; nested kfunc calls get -1', () => {
    const { sim, lib } = checkedSim();
    const obj = load(lib, structOpsAssocReuse);
    expect(
      lib.bpf_program__assoc_struct_ops(prog(obj, 'syscall_prog_a'), map(obj, 'st_ops_map_a')),
    ).toBe(0);
    expect(
      lib.bpf_program__assoc_struct_ops(prog(obj, 'syscall_prog_b'), map(obj, 'st_ops_map_b')),
    ).toBe(0);
    expect(lib.skel_attach(obj)).toBe(0);
    const s = sim.state;
    expect(assocOf(s, 'test_1_a')).toBe('POISON');
    expect(mapNamed(s, 'st_ops_map_a').st?.state).toBe('READY');
    expect(mapNamed(s, 'st_ops_map_b').st?.state).toBe('READY');
    // fd + links[] of map_a + links[] of map_b
    expect(progNamed(s, 'test_1_a').refcnt).toBe(3);
    // fd + association + link
    expect(mapNamed(s, 'st_ops_map_a').refcnt).toBe(3);
    expect(mapNamed(s, 'st_ops_map_b').refcnt).toBe(3);

    expect(lib.bpf_prog_test_run_opts(prog(obj, 'syscall_prog_a').fd).err).toBe(0);
    expect(lib.bpf_prog_test_run_opts(prog(obj, 'syscall_prog_b').fd).err).toBe(0);
    expect(lib.get_global(obj, 'test_err_a')).toBe(0);
    expect(lib.get_global(obj, 'test_err_b')).toBe(0);
    expect(progNamed(sim.state, 'test_1_a').run_cnt).toBe(2);

    lib.skel_destroy(obj);
    sim.run({ op: 'settle' }, 'settle');
    // POISON is never cleared: the program keeps it until it is freed.
    expect(progNamed(sim.state, 'test_1_a').aux.st_ops_assoc).toBe('POISON');
    expect(findLeaks(sim.state)).toEqual([]);
  });
});

describe('st_ops_assoc_in_timer', () => {
  it('a timer callback runs with the aux of the struct_ops program that armed it', () => {
    const { sim, lib } = checkedSim();
    const obj = load(lib, structOpsAssocInTimer);
    expect(
      lib.bpf_program__assoc_struct_ops(prog(obj, 'syscall_prog'), map(obj, 'st_ops_map')),
    ).toBe(0);
    expect(lib.skel_attach(obj)).toBe(0);
    expect(assocOf(sim.state, 'test_1')).toBe('st_ops_map');
    expect(lib.bpf_prog_test_run_opts(prog(obj, 'syscall_prog').fd).err).toBe(0);
    const timers = Object.values(sim.state.timers);
    expect(timers).toHaveLength(1);
    expect(timers[0]?.armed).toBe(true);
    // The timer holds test_1: fd + links[] + cb->prog.
    expect(progNamed(sim.state, 'test_1').refcnt).toBe(3);
    // "Spin until timer_cb_run": let time pass until the callback ran.
    sim.run({ op: 'advance', ns: 1 }, 'wait');
    expect(lib.get_global(obj, 'timer_cb_run')).toBe(1);
    expect(lib.get_global(obj, 'timer_test_1_ret')).toBe(1234);
    expect(lib.get_global(obj, 'test_err')).toBe(0);

    lib.skel_destroy(obj);
    sim.run({ op: 'settle' }, 'settle');
    expect(findLeaks(sim.state)).toEqual([]);
  });
});

describe('st_ops_assoc_in_timer_no_uref', () => {
  it('the timer fires after the map is gone and the kfunc returns -1', () => {
    const { sim, lib } = checkedSim();
    const obj = load(lib, structOpsAssocInTimer);
    const stOpsMap = map(obj, 'st_ops_map');
    const syscallProg = prog(obj, 'syscall_prog');
    expect(lib.bpf_program__assoc_struct_ops(syscallProg, stOpsMap)).toBe(0);
    expect(mapNamed(sim.state, 'st_ops_map').refcnt).toBe(2);
    const link = lib.bpf_map__attach_struct_ops(obj, stOpsMap);
    if (typeof link === 'number') throw new Error(`attach failed: ${link}`);
    expect(mapNamed(sim.state, 'st_ops_map').refcnt).toBe(3);
    expect(lib.set_global(obj, 'timer_ns', 500_000_000)).toBe(0);
    expect(lib.bpf_prog_test_run_opts(syscallProg.fd).err).toBe(0);
    expect(lib.get_global(obj, 'test_err')).toBe(0);

    expect(lib.bpf_link__destroy(link)).toBe(0);
    expect(mapNamed(sim.state, 'st_ops_map').refcnt).toBe(2);
    const mapId = mapNamed(sim.state, 'st_ops_map').id;
    expect(lib.close(syscallProg.fd)).toBe(0);
    syscallProg.fd = -1;
    // The program's free is deferred: the association still holds the map.
    expect(sim.state.maps[mapId]?.refcnt).toBe(2);
    expect(lib.close(stOpsMap.fd)).toBe(0);
    stOpsMap.fd = -1;
    expect(sim.state.maps[mapId]?.refcnt).toBe(1);

    // RCU GP → work → disassoc → map put → map free: test_1's assoc becomes NULL before the GP.
    sim.run({ op: 'drain' }, 'drain');
    expect(sim.state.maps[mapId]?.lifecycle).toBe('freed');
    expect(assocOf(sim.state, 'test_1')).toBeNull();
    expect(lib.get_global(obj, 'timer_cb_run')).toBe(0);
    // test_1 stays alive: the skeleton's fd and the timer's cb->prog.
    expect(progNamed(sim.state, 'test_1').refcnt).toBe(2);

    sim.run({ op: 'advance', ns: 500_000_000 }, 'wait for the timer');
    expect(lib.get_global(obj, 'timer_cb_run')).toBe(1);
    expect(lib.get_global(obj, 'timer_test_1_ret')).toBe(-1);
    expect(lib.get_global(obj, 'test_err')).toBe(0);
    expect(sim.state.oopses).toEqual([]);

    lib.skel_destroy(obj);
    sim.run({ op: 'settle' }, 'settle');
    expect(findLeaks(sim.state)).toEqual([]);
  });
});
