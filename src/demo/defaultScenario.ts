/**
 * The default scenario: scx_layered's refresh-layers trigger (outline A of scx-use-cases),
 * run on the simulated kernel through the libbpf facade. A loader runs a root scheduler that
 * takes sub-schedulers (it implements `ops.sub_attach`) and a sub-scheduler instance.
 */
import { errnoName, type SysResult } from '../core/errno';
import { Libbpf, isOpenError, type BpfObject } from '../libbpf/libbpf';
import { scxLayered } from '../libbpf/objects/scxLayered';
import { Sim } from '../libbpf/sim';
import type { DemoRun, DemoStep } from './types';

function must(obj: BpfObject | { err: number; errors: readonly string[] }): BpfObject {
  if (isOpenError(obj))
    throw new Error(`default scenario failed to load: ${obj.errors.join('; ')}`);
  return obj;
}

export function runDefaultScenario(): DemoRun {
  const sim = new Sim({ nrCpus: 4 });
  const lib = new Libbpf(sim);
  const steps: DemoStep[] = [];

  /** Runs one user-space action and records what it returned and how many events it made. */
  const act = (label: string, say: string, fn: () => number | null): void => {
    const before = sim.frames.length;
    const logBefore = sim.log.length;
    const value = fn();
    const frames = sim.frames.slice(before);
    const events = frames.reduce((n, f) => n + f.events.length, 0);
    const failed = frames.find((f) => f.result.ret < 0 && f.op.op !== 'close');
    let result: SysResult | null;
    if (failed) result = failed.result;
    else if (value === null) result = null;
    else if (value < 0) {
      const errno = errnoName(value);
      const reason = sim.log.slice(logBefore).join(' ') || 'libbpf refused the call';
      result = errno ? { ret: value, errno, reason } : { ret: value, reason };
    } else {
      const last = frames.at(-1)?.result;
      result = last?.out ? { ret: value, out: last.out } : { ret: value };
    }
    steps.push({ label, say, result, events });
  };

  let root!: BpfObject;
  let sub!: BpfObject;
  const prog = (o: BpfObject, n: string) => {
    const p = o.progs.get(n);
    if (!p) throw new Error(`no program ${n}`);
    return p;
  };
  const map = (o: BpfObject, n: string) => {
    const m = o.maps.get(n);
    if (!m) throw new Error(`no map ${n}`);
    return m;
  };

  act(
    'bpf_object__open_and_load(scx_layered)',
    'The loader creates the maps (the sched_ext_ops map `layered` starts INIT) and loads the programs. Nothing is associated yet.',
    () => {
      root = must(lib.bpf_object__open_and_load(scxLayered({ subAttach: true })));
      return 0;
    },
  );
  act(
    'bpf_program__assoc_struct_ops(refresh_layer_cpumasks, layered)',
    'The syscall program is associated with `layered` before attach. Being a non-struct_ops program, it takes a reference on the map: refcnt 1 → 2.',
    () =>
      lib.bpf_program__assoc_struct_ops(prog(root, 'refresh_layer_cpumasks'), map(root, 'layered')),
  );
  act(
    'bpf_program__assoc_struct_ops(refresh_layer_cpumasks, layered) again',
    'Associating with the same map again is idempotent: 0, and no second reference.',
    () =>
      lib.bpf_program__assoc_struct_ops(prog(root, 'refresh_layer_cpumasks'), map(root, 'layered')),
  );
  act(
    'bpf_prog_assoc_struct_ops(fd of layered_enqueue, fd of layered)',
    'The raw command refuses a struct_ops program with -EINVAL, before it even looks at the map fd: struct_ops programs are associated by the map update.',
    () => lib.bpf_prog_assoc_struct_ops(prog(root, 'layered_enqueue').fd, map(root, 'layered').fd),
  );
  act(
    'bpf_prog_test_run_opts(refresh_layer_cpumasks) before attach',
    'Running the trigger now finds the map through the association, but ops->priv is still NULL: no scheduler, so the kicks go nowhere.',
    () => {
      lib.set_global(root, 'layer_cpus', 1, 0);
      lib.set_global(root, 'refresh_cpus', 1);
      return lib.bpf_prog_test_run_opts(prog(root, 'refresh_layer_cpumasks').fd).err;
    },
  );
  act(
    'bpf_map__attach_struct_ops(layered)',
    'The update fills kdata, puts each ops program in links[] and associates it implicitly (no map reference). The link registers the map: sched_ext enables sch1 and sets ops->priv.',
    () => {
      const l = lib.bpf_map__attach_struct_ops(root, map(root, 'layered'));
      if (typeof l === 'number') return l;
      root.links.push(l);
      return l.fd;
    },
  );
  act(
    'skel->bss->layer_cpus = {1,1,0,0}; refresh_cpus = 1',
    "User space writes the layer's CPU bitmap into the mmap'ed .bss: no system call.",
    () => {
      lib.set_global(root, 'layer_cpus', 1, 1);
      return lib.set_global(root, 'refresh_cpus', 1);
    },
  );
  act(
    'bpf_prog_test_run_opts(refresh_layer_cpumasks)',
    'The trigger kicks CPUs 0 and 1: scx_bpf_kick_cpu finds sch1 through association → layered → kdata → ops->priv.',
    () => lib.bpf_prog_test_run_opts(prog(root, 'refresh_layer_cpumasks').fd).err,
  );
  act(
    'bpf_object__open_and_load(scx_layered, instance 2, sub-scheduler of /workload.slice)',
    'A second instance is loaded from the same loader, to run as a sub-scheduler under the root.',
    () => {
      sub = must(lib.bpf_object__open_and_load(scxLayered({ subCgroup: '/workload.slice' }), '2'));
      return 0;
    },
  );
  act(
    'bpf_program__assoc_struct_ops(refresh_layer_cpumasks, layered_2) for the first instance',
    "The first instance's trigger is already associated with `layered`: an explicit association is set once, so -EBUSY.",
    () =>
      lib.bpf_program__assoc_struct_ops(prog(root, 'refresh_layer_cpumasks'), map(sub, 'layered')),
  );
  act(
    'bpf_program__assoc_struct_ops(refresh_layer_cpumasks_2, layered_2); attach',
    'The second trigger is associated with its own map, and the map attaches as sch2, a sub-scheduler of sch1.',
    () => {
      const r = lib.bpf_program__assoc_struct_ops(
        prog(sub, 'refresh_layer_cpumasks'),
        map(sub, 'layered'),
      );
      if (r < 0) return r;
      const l = lib.bpf_map__attach_struct_ops(sub, map(sub, 'layered'));
      if (typeof l === 'number') return l;
      sub.links.push(l);
      return l.fd;
    },
  );
  act(
    'bpf_prog_test_run_opts(refresh_layer_cpumasks_2)',
    'The second trigger kicks CPUs 2 and 3 on sch2 only; sch1 is untouched.',
    () => {
      lib.set_global(sub, 'layer_cpus', 1, 2);
      lib.set_global(sub, 'layer_cpus', 1, 3);
      lib.set_global(sub, 'refresh_cpus', 1);
      return lib.bpf_prog_test_run_opts(prog(sub, 'refresh_layer_cpumasks').fd).err;
    },
  );
  act(
    'bpf_prog_test_run_opts(initialize_pid_namespace_2)',
    'initialize_pid_namespace calls no scx kfunc, so it needs no association.',
    () => lib.bpf_prog_test_run_opts(prog(sub, 'initialize_pid_namespace').fd).err,
  );
  act(
    'bpf_link__destroy(layered link)',
    'Detaching the root unregisters it: sch1 exits, and with it sch2. The association stays: `layered` is still pinned by the trigger.',
    () => {
      const l = root.links.pop();
      return l ? lib.bpf_link__destroy(l) : -22;
    },
  );
  act(
    'close(layered map fd)',
    "The map fd is closed, yet the map lives on: refcnt 1, held only by refresh_layer_cpumasks's association.",
    () => {
      const m = map(root, 'layered');
      const r = lib.close(m.fd);
      m.fd = -1;
      return r;
    },
  );
  act(
    'close(refresh_layer_cpumasks fd); wait for RCU and the workqueue',
    'The program is freed after a grace period and a work item; bpf_prog_free_deferred disassociates and puts the map, whose free then disassociates the ops programs before its own grace period.',
    () => {
      const p = prog(root, 'refresh_layer_cpumasks');
      const r = lib.close(p.fd);
      p.fd = -1;
      sim.run({ op: 'drain' }, 'wait for RCU and the workqueue');
      return r;
    },
  );
  act(
    'skel destroy (both instances); settle',
    'Everything else is closed; once deferred work drains, nothing is left alive.',
    () => {
      lib.skel_destroy(sub);
      lib.skel_destroy(root);
      sim.run({ op: 'settle' }, 'settle');
      return null;
    },
  );

  return {
    id: 'scx-layered-refresh',
    title: 'scx_layered: the refresh-layers trigger',
    summary:
      'A syscall program that user space runs with BPF_PROG_TEST_RUN kicks the CPUs of a layer. Association tells scx_bpf_kick_cpu which scheduler instance it serves.',
    steps,
    final: sim.state,
  };
}
