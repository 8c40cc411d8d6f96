/**
 * sched_ext as scx_layered uses it: which scheduler a kfunc acts for (`scx_prog_sched`), root
 * and sub-scheduler instances, and the GPU detectors.
 */
import { describe, expect, it } from 'vitest';
import { findLeaks } from '../invariants';
import { isOpenError, type BpfObject, type Libbpf } from '../../libbpf/libbpf';
import { scxLayered, type ScxLayeredOptions } from '../../libbpf/objects/scxLayered';
import { checkedSim, mapNamed, progNamed } from '../../testing/checked';
import type { Sim } from '../../libbpf/sim';

function load(lib: Libbpf, o: ScxLayeredOptions = {}, instance?: string): BpfObject {
  const obj = lib.bpf_object__open_and_load(scxLayered(o), instance);
  if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
  return obj;
}

function p(obj: BpfObject, n: string) {
  const x = obj.progs.get(n);
  if (!x) throw new Error(n);
  return x;
}

function m(obj: BpfObject, n: string) {
  const x = obj.maps.get(n);
  if (!x) throw new Error(n);
  return x;
}

function attach(lib: Libbpf, obj: BpfObject): number {
  const l = lib.bpf_map__attach_struct_ops(obj, m(obj, 'layered'));
  if (typeof l === 'number') return l;
  obj.links.push(l);
  return l.fd;
}

function trigger(lib: Libbpf, obj: BpfObject, cpus: number[]): void {
  for (const c of cpus) lib.set_global(obj, 'layer_cpus', 1, c);
  lib.set_global(obj, 'refresh_cpus', 1);
  expect(lib.bpf_prog_test_run_opts(p(obj, 'refresh_layer_cpumasks').fd).err).toBe(0);
}

const kicks = (sim: Sim, name: string) =>
  Object.values(sim.state.scx.scheds)
    .find((s) => s.name === name)
    ?.kicks.map((k) => `${k.cpu}:${k.flags}`) ?? [];

describe('scx_prog_sched', () => {
  it('an associated trigger kicks the CPUs of its own scheduler', () => {
    const { sim, lib } = checkedSim();
    const root = load(lib, { subAttach: true });
    expect(
      lib.bpf_program__assoc_struct_ops(p(root, 'refresh_layer_cpumasks'), m(root, 'layered')),
    ).toBe(0);
    expect(attach(lib, root)).toBeGreaterThan(0);
    const map = mapNamed(sim.state, 'layered');
    expect(map.st?.kdata.priv).toBe(1);
    expect(map.refcnt).toBe(3); // fd + association + link
    expect(progNamed(sim.state, 'layered_enqueue').aux.st_ops_assoc).toEqual({ map: map.id });
    trigger(lib, root, [0, 1]);
    expect(kicks(sim, 'sch1')).toEqual(['0:SCX_KICK_IDLE', '1:SCX_KICK_IDLE']);
  });

  it('before attach, the map has no scheduler: kicks go nowhere', () => {
    const { sim, lib } = checkedSim();
    const root = load(lib);
    expect(
      lib.bpf_program__assoc_struct_ops(p(root, 'refresh_layer_cpumasks'), m(root, 'layered')),
    ).toBe(0);
    trigger(lib, root, [2]);
    expect(Object.keys(sim.state.scx.scheds)).toHaveLength(0);
    const why = sim.frames
      .at(-1)
      ?.events.map((e) => e.why)
      .join(' ');
    expect(why).toContain('ops->priv is NULL');
  });

  it('unassociated, under a root without sub_attach: the compat fallback picks the root', () => {
    const { sim, lib } = checkedSim();
    const root = load(lib, { subAttach: false });
    attach(lib, root);
    trigger(lib, root, [3]);
    expect(kicks(sim, 'sch1')).toEqual(['3:SCX_KICK_IDLE']);
    expect(sim.state.dmesg.some((d) => d.msg.includes('Unassociated program'))).toBe(false);
  });

  it('unassociated, under a root with sub_attach: NULL and one warning', () => {
    const { sim, lib } = checkedSim();
    const root = load(lib, { subAttach: true });
    attach(lib, root);
    trigger(lib, root, [0]);
    trigger(lib, root, [1]);
    expect(kicks(sim, 'sch1')).toEqual([]);
    const warnings = sim.state.dmesg.filter((d) =>
      d.msg.startsWith('sched_ext: Unassociated program'),
    );
    const id = progNamed(sim.state, 'refresh_layer_cpumasks').id;
    expect(warnings.map((d) => d.msg)).toEqual([
      `sched_ext: Unassociated program refresh_layer_cpumasks (id ${id})`,
    ]);
  });

  it('a sub-scheduler trigger touches only its own scheduler; -EBUSY on the other map', () => {
    const { sim, lib } = checkedSim();
    const root = load(lib, { subAttach: true });
    const sub = load(lib, { subCgroup: '/workload.slice' }, '2');
    expect(
      lib.bpf_program__assoc_struct_ops(p(root, 'refresh_layer_cpumasks'), m(root, 'layered')),
    ).toBe(0);
    expect(
      lib.bpf_program__assoc_struct_ops(p(sub, 'refresh_layer_cpumasks'), m(sub, 'layered')),
    ).toBe(0);
    expect(
      lib.bpf_program__assoc_struct_ops(p(root, 'refresh_layer_cpumasks'), m(sub, 'layered')),
    ).toBe(-16);
    attach(lib, root);
    attach(lib, sub);
    const sch2 = Object.values(sim.state.scx.scheds).find((s) => s.name === 'sch2');
    expect(sch2?.parent).toBe(1);
    trigger(lib, sub, [2, 3]);
    trigger(lib, root, [0]);
    expect(kicks(sim, 'sch1')).toEqual(['0:SCX_KICK_IDLE']);
    expect(kicks(sim, 'sch2')).toEqual(['2:SCX_KICK_IDLE', '3:SCX_KICK_IDLE']);
  });

  it('a sub-scheduler attaches by ops.sub_cgroup_id, the cgroup inode id; the path is its label', () => {
    const { sim, lib } = checkedSim();
    const root = load(lib, { subAttach: true });
    attach(lib, root);
    const sub = load(lib, { subCgroup: '/workload.slice' }, '2');
    expect(attach(lib, sub)).toBeGreaterThan(0);
    const cgid = Object.entries(sim.state.cgroups).find(([, p]) => p === '/workload.slice')?.[0];
    expect(Number(cgid)).toBeGreaterThan(1);
    const subMap = Object.values(sim.state.maps).find((x) => x.name === 'layered_2');
    expect(subMap?.st?.kdata.fields['sub_cgroup_id']).toBe(Number(cgid));
    const made = sim.frames
      .flatMap((f) => f.events)
      .find((e) => e.kind === 'sched' && e.field === 'state' && e.after?.includes('sub-scheduler'));
    expect(made?.after).toContain(`/workload.slice (cgroup id ${String(cgid)})`);

    // An id that names no cgroup: -ENOENT from the reg.
    const map = lib.bpf_object__open_and_load({
      name: 'lost',
      maps: {
        lost: {
          type: 'struct_ops',
          section: '.struct_ops.link',
          struct: 'sched_ext_ops',
          members: { runnable: 'lost_runnable', name: 'lost', sub_cgroup_id: 4242 },
        },
      },
      progs: { lost_runnable: { section: 'struct_ops/runnable', body: ['return 0'] } },
    });
    if (isOpenError(map)) throw new Error(map.errors.join('; '));
    expect(lib.bpf_map__attach_struct_ops(map, m(map, 'lost'))).toBe(-2);
  });

  it('a sub-scheduler needs a root that implements sub_attach; a second root gets -EBUSY', () => {
    const { sim, lib } = checkedSim();
    const root = load(lib, { subAttach: false });
    attach(lib, root);
    const sub = load(lib, { subCgroup: '/a' }, '2');
    expect(attach(lib, sub)).toBe(-95);
    const other = load(lib, {}, '3');
    expect(attach(lib, other)).toBe(-16);
    expect(sim.state.scx.root).toBe(1);
  });

  it('after the scheduler exits, an associated trigger acts for nobody; the map stays pinned', () => {
    const { sim, lib } = checkedSim();
    const root = load(lib);
    lib.bpf_program__assoc_struct_ops(p(root, 'refresh_layer_cpumasks'), m(root, 'layered'));
    attach(lib, root);
    const link = root.links.pop();
    if (!link) throw new Error('no link');
    expect(lib.bpf_link__destroy(link)).toBe(0);
    expect(Object.values(sim.state.scx.scheds)[0]?.state).toBe('disabled');
    trigger(lib, root, [0]);
    expect(kicks(sim, 'sch1')).toEqual([]);
    expect(mapNamed(sim.state, 'layered').refcnt).toBe(2);
    lib.skel_destroy(root);
    sim.run({ op: 'settle' }, 'settle');
    expect(findLeaks(sim.state)).toEqual([]);
  });
});

describe('GPU detection', () => {
  function gpuSetup(instance?: string) {
    const { sim, lib } = checkedSim();
    const obj = lib.bpf_object__open(scxLayered({ gpu: true }), instance);
    if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
    for (const n of ['kprobe_nvidia_open', 'kprobe_nvidia_poll', 'gpu_kick'])
      p(obj, n).autoload = true;
    expect(lib.bpf_object__load(obj)).toBe(0);
    sim.run({ op: 'task_new', tid: 4242, tgid: 4200, comm: 'python3', parent_tgid: 4100 }, 'task');
    return { sim, lib, obj };
  }

  it('kprobes record the GPU user and the runnable op moves it into the GPU layer', () => {
    const { sim, lib, obj } = gpuSetup();
    expect(lib.bpf_program__assoc_struct_ops(p(obj, 'gpu_kick'), m(obj, 'layered'))).toBe(0);
    expect(lib.skel_attach(obj)).toBe(0);
    lib.set_global(obj, 'enable_gpu_support', 1);
    lib.set_global(obj, 'gpu_cpu', 2);
    sim.run({ op: 'advance', ns: 5000 }, 'time');
    expect(sim.run({ op: 'kernel_func', func: 'nvidia_open', tid: 4242 }, 'nvidia_open').ret).toBe(
      0,
    );
    const s = sim.state;
    expect(mapNamed(s, 'gpu_tid').entries['4242']?.['value']).toBe(5000);
    expect(mapNamed(s, 'gpu_tgid').entries['4200']?.['value']).toBe(5000);
    expect(Object.keys(mapNamed(s, 'task_ctxs').entries).sort()).toEqual(['4200', '4242']);
    // fentry/nvidia_open kicked CPU 2 on sch1, through its association.
    expect(kicks(sim, 'sch1')).toEqual(['2:SCX_KICK_PREEMPT']);
    expect(sim.run({ op: 'scx_op', sched: 1, member: 'runnable', tid: 4242 }, 'runnable').ret).toBe(
      0,
    );
    expect(mapNamed(sim.state, 'task_layer').entries['4242']?.['value']).toBe(1);
    expect(mapNamed(sim.state, 'task_ctxs').entries['4242']).toBeUndefined();
    // A later poll finds the task known: no new refresh mark.
    sim.run({ op: 'kernel_func', func: 'nvidia_poll', tid: 4242 }, 'nvidia_poll');
    expect(mapNamed(sim.state, 'task_ctxs').entries['4242']).toBeUndefined();
  });

  it('a kprobe program may not call an scx kfunc: the verifier refuses it with -EACCES', () => {
    const { sim, lib } = checkedSim();
    const obj = lib.bpf_object__open({
      name: 'bad_probe',
      progs: {
        probe: {
          section: 'kprobe/nvidia_open',
          body: ['scx_bpf_kick_cpu(0, SCX_KICK_PREEMPT)', 'return 0'],
        },
      },
    });
    if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
    expect(lib.bpf_object__load(obj)).toBe(-13);
    expect(sim.frames.at(-2)?.result.reason ?? sim.frames.at(-1)?.result.reason).toContain(
      'calling kernel function scx_bpf_kick_cpu is not allowed',
    );
  });

  it('the verifier fixes up __prog arguments and records it', () => {
    const { sim, lib } = checkedSim();
    const obj = lib.bpf_object__open_and_load({
      name: 'fixup',
      progs: {
        s: {
          section: 'syscall',
          body: ['ret = bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)', 'return ret'],
        },
      },
    });
    if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
    expect(progNamed(sim.state, 's').aux.fixups).toEqual([
      { kfunc: 'bpf_kfunc_multi_st_ops_test_1_impl', arg: 1, param: 'aux__prog', where: 'main' },
    ]);
    expect(
      sim.frames.at(-1)?.events.some((e) => e.kind === 'verifier' && e.after === 'env->prog->aux'),
    ).toBe(true);
  });

  it('two instances: both detectors fire on every nvidia_open, each kicks its own scheduler', () => {
    const { sim, lib } = checkedSim();
    const mk = (o: ScxLayeredOptions, inst?: string) => {
      const obj = lib.bpf_object__open(scxLayered({ gpu: true, ...o }), inst);
      if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
      p(obj, 'gpu_kick').autoload = true;
      expect(lib.bpf_object__load(obj)).toBe(0);
      expect(lib.bpf_program__assoc_struct_ops(p(obj, 'gpu_kick'), m(obj, 'layered'))).toBe(0);
      expect(lib.skel_attach(obj)).toBe(0);
      lib.set_global(obj, 'enable_gpu_support', 1);
      return obj;
    };
    const a = mk({ subAttach: true });
    const b = mk({ subCgroup: '/gpu.slice' }, '2');
    lib.set_global(a, 'gpu_cpu', 0);
    lib.set_global(b, 'gpu_cpu', 3);
    sim.run({ op: 'task_new', tid: 7, tgid: 7, comm: 'train' }, 'task');
    sim.run({ op: 'kernel_func', func: 'nvidia_open', tid: 7 }, 'nvidia_open');
    expect(kicks(sim, 'sch1')).toEqual(['0:SCX_KICK_PREEMPT']);
    expect(kicks(sim, 'sch2')).toEqual(['3:SCX_KICK_PREEMPT']);
    // Pointing one detector at both maps is -EBUSY, never poison.
    expect(lib.bpf_program__assoc_struct_ops(p(a, 'gpu_kick'), m(b, 'layered'))).toBe(-16);
    expect(progNamed(sim.state, 'gpu_kick').aux.st_ops_assoc).toEqual({
      map: mapNamed(sim.state, 'layered').id,
    });
  });
});
