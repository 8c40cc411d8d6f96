/**
 * scx_layered's BPF object (sched-ext/scx scheds/rust/scx_layered/src/bpf/main.bpf.c), cut down
 * to what struct_ops association touches, in this model's statement set:
 * - `refresh_layer_cpumasks` (`SEC("syscall")`): user space runs it with BPF_PROG_TEST_RUN
 *   after writing a layer's CPU bitmap; it kicks the layer's CPUs with `scx_bpf_kick_cpu`.
 * - `initialize_pid_namespace` (`SEC("syscall")`): records the loader's tgid.
 * - `kprobe_nvidia_open/mmap/poll` (`SEC("?kprobe/nvidia_*")`): save_gpu_tgid_pid marks the
 *   task and its process for a layer refresh and records them in `gpu_tid`/`gpu_tgid`.
 * - `gpu_kick` (`fentry/nvidia_open`): the variant that acts at once with an scx kfunc; a
 *   kprobe program may not call scx kfuncs (their kfunc set is registered for struct_ops,
 *   tracing and syscall programs), so this one is a tracing program.
 * - `sched_ext_ops` members: `layered_runnable` re-matches a marked task into the GPU layer;
 *   the other ops do no work here. `task_ctxs` (task storage in scx_layered) is a hash keyed
 *   by tid in this model; `task_layer` records which layer a task is in (1 = gpu).
 */
import type { ObjectDesc, ProgDesc } from '../object';

export interface ScxLayeredOptions {
  /**
   * Attach as a sub-scheduler under this cgroup path: the loader puts the cgroup's id
   * (`stat().st_ino`) in `ops.sub_cgroup_id` (needs a root with `sub_attach`).
   */
  readonly subCgroup?: string;
  /** Implement `ops.sub_attach` (a root that takes sub-schedulers). */
  readonly subAttach?: boolean;
  /** Include the GPU detectors: kprobes (`?kprobe/…`, off unless enabled) and the fentry kicker. */
  readonly gpu?: boolean;
}

const SAVE_GPU_TGID_PID: ProgDesc['body'] = [
  { if: 'enable_gpu_support == 0', then: ['return 0'] },
  'now = bpf_ktime_get_ns()',
  't = bpf_map_lookup_elem(gpu_tid, task.pid)',
  { if: '!t', then: ['bpf_map_update_elem(task_ctxs, task.pid, 1, BPF_ANY)'] },
  'p = bpf_map_lookup_elem(gpu_tgid, task.tgid)',
  { if: '!p', then: ['bpf_map_update_elem(task_ctxs, task.tgid, 1, BPF_ANY)'] },
  'bpf_map_update_elem(gpu_tid, task.pid, now, BPF_ANY)',
  'bpf_map_update_elem(gpu_tgid, task.tgid, now, BPF_ANY)',
  'return 0',
];

export function scxLayered(o: ScxLayeredOptions = {}): ObjectDesc {
  const n = (base: string) => base;
  const ops: Record<string, string> = {
    select_cpu: n('layered_select_cpu'),
    enqueue: n('layered_enqueue'),
    dispatch: n('layered_dispatch'),
    runnable: n('layered_runnable'),
  };
  if (o.subAttach) ops['sub_attach'] = n('layered_sub_attach');
  const progs: Record<string, ProgDesc> = {
    [n('layered_select_cpu')]: { section: 'struct_ops/layered_select_cpu', body: ['return 0'] },
    [n('layered_enqueue')]: { section: 'struct_ops/layered_enqueue', body: ['return 0'] },
    [n('layered_dispatch')]: { section: 'struct_ops/layered_dispatch', body: ['return 0'] },
    [n('layered_runnable')]: {
      section: 'struct_ops/layered_runnable',
      body: [
        'r = bpf_map_lookup_elem(task_ctxs, task.pid)',
        { if: '!r', then: ['return 0'] },
        'g = bpf_map_lookup_elem(gpu_tgid, task.tgid)',
        {
          if: 'g',
          then: ['bpf_map_update_elem(task_layer, task.pid, 1, BPF_ANY)'],
          else: ['bpf_map_update_elem(task_layer, task.pid, 0, BPF_ANY)'],
        },
        'bpf_map_delete_elem(task_ctxs, task.pid)',
        'return 0',
      ],
    },
    [n('refresh_layer_cpumasks')]: {
      section: 'syscall',
      body: [
        { if: 'refresh_cpus == 0', then: ['return 0'] },
        'refresh_cpus = 0',
        {
          for: 'cpu in 0..nr_cpu_ids',
          do: [{ if: 'layer_cpus[cpu]', then: ['scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE)'] }],
        },
        'return 0',
      ],
    },
    [n('initialize_pid_namespace')]: {
      section: 'syscall',
      body: ['layered_root_tgid = task.tgid', 'return 0'],
    },
  };
  if (o.subAttach)
    progs[n('layered_sub_attach')] = {
      section: 'struct_ops/layered_sub_attach',
      body: ['return 0'],
    };
  if (o.gpu) {
    for (const f of ['open', 'mmap', 'poll']) {
      progs[n(`kprobe_nvidia_${f}`)] = { section: `?kprobe/nvidia_${f}`, body: SAVE_GPU_TGID_PID };
    }
    progs[n('gpu_kick')] = {
      section: '?fentry/nvidia_open',
      body: [
        { if: 'enable_gpu_support == 0', then: ['return 0'] },
        'scx_bpf_kick_cpu(gpu_cpu, SCX_KICK_PREEMPT)',
        'return 0',
      ],
    };
  }
  return {
    name: n('scx_layered'),
    globals: {
      layer_cpus: [0, 0, 0, 0],
      refresh_cpus: 0,
      layered_root_tgid: 0,
      enable_gpu_support: 0,
      gpu_cpu: 0,
    },
    maps: {
      [n('layered')]: {
        type: 'struct_ops',
        section: '.struct_ops.link',
        struct: 'sched_ext_ops',
        members: {
          ...ops,
          name: n('layered'),
          ...(o.subCgroup ? { sub_cgroup_id: o.subCgroup } : {}),
        },
      },
      gpu_tid: { type: 'hash', max_entries: 100000, flags: ['BPF_F_NO_PREALLOC'] },
      gpu_tgid: { type: 'hash', max_entries: 100000, flags: ['BPF_F_NO_PREALLOC'] },
      task_ctxs: { type: 'hash', max_entries: 4096 },
      task_layer: { type: 'hash', max_entries: 4096 },
    },
    progs,
  };
}
