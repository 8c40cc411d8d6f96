/**
 * The simulated kernel's front door: an initial state, and `step(state, op)`, which runs one
 * operation (a `bpf()` command, a `close`, an event that makes programs run, time passing)
 * and returns the result with every event it produced. Pure and deterministic: the same
 * state and op always give the same result; the input state is never changed.
 */
import { castDraft } from 'immer';
import { freeze } from 'immer';
import { fail, ok, type SysResult } from './errno';
import { drainDeferred, advanceClock, gracePeriod, runOneWorkItem, settle } from './deferred';
import { kernelFunctionHit, scxOp, sysEnter } from './hooks';
import { mapOf, must } from './objects/access';
import { fdget } from './objects/fd';
import { KernelError } from './errno';
import { currentAssoc } from './revisions/assocCode';
import { kmemleakScan } from './revisions/reports';
import { bpf_prog_load } from './syscalls/progLoad';
import { map_create } from './syscalls/mapCreate';
import { map_delete_elem, map_lookup_elem, map_update_elem } from './syscalls/mapElem';
import { link_create, link_detach, link_update } from './syscalls/links';
import { bpf_prog_test_run } from './syscalls/testRun';
import { sys_dup, sys_fork, sys_scm_rights } from './syscalls/fdShare';
import { bpf_get_fd_by_id, bpf_obj_get, bpf_obj_pin, bpffs_unlink } from './syscalls/objPin';
import { close_fd } from './syscalls/close';
import type { BpfCommand } from './syscalls/attrs';
import { Tx, type KEvent } from './tx';
import type { KernelState, Revision, Val } from './types';
import { mapRef } from './names';
import { own } from './own';
import { CGROUP_C, EXIT_C, LIBBPF_C } from './files';
import { registerKernel } from './register';

// The ops tables and struct_ops types are installed before any machine can run.
registerKernel();

export type Op =
  /** A `bpf(cmd, attr)` system call made by process `pid`. */
  | ({ readonly op: 'bpf'; readonly pid?: number } & BpfCommand)
  | { readonly op: 'close'; readonly fd: number; readonly pid?: number }
  /** Task `tid` enters a system call (fires tp_btf/sys_enter). */
  | { readonly op: 'syscall'; readonly tid: number; readonly nr?: string }
  /** Task `tid` calls kernel function `func` (fires fentry/kprobe programs on it). */
  | { readonly op: 'kernel_func'; readonly func: string; readonly tid: number }
  /** sched_ext calls `ops.<member>` of scheduler `sched` (e.g. `runnable` for a task). */
  | {
      readonly op: 'scx_op';
      readonly sched: number;
      readonly member: string;
      readonly tid?: number;
    }
  | { readonly op: 'advance'; readonly ns: number }
  | { readonly op: 'drain' }
  /** Exactly one RCU (or RCU tasks-trace) grace period: only that flavor's callbacks run. */
  | { readonly op: 'grace_period'; readonly flavor: 'rcu' | 'rcu_tasks_trace' }
  /** Exactly one queued work item runs (the oldest). */
  | { readonly op: 'work_item' }
  | { readonly op: 'settle' }
  | { readonly op: 'process_start'; readonly pid: number; readonly name: string }
  /** `dup(fd)` in process `pid`: a new fd on the same open file. */
  | { readonly op: 'dup'; readonly fd: number; readonly pid?: number }
  /** Process `pid` forks child `child`: the fd table is copied, every fd on the same file. */
  | { readonly op: 'fork'; readonly pid?: number; readonly child: number; readonly name: string }
  /** Process `pid` sends `fd` to process `to` over a unix socket (SCM_RIGHTS). */
  | { readonly op: 'scm_rights'; readonly pid?: number; readonly fd: number; readonly to: number }
  /** `unlink` of a bpffs pin. */
  | { readonly op: 'unlink'; readonly pid?: number; readonly path: string }
  /** `mkdir` in cgroupfs: a cgroup appears with the next inode number as its id. */
  | { readonly op: 'cgroup_mkdir'; readonly path: string }
  | { readonly op: 'process_exit'; readonly pid: number }
  | {
      readonly op: 'task_new';
      readonly tid: number;
      readonly tgid: number;
      readonly comm: string;
      readonly parent_tgid?: number;
    }
  /** User space writes an mmap'ed map value (a global in `.bss`): no system call. */
  | {
      readonly op: 'mem_write';
      readonly pid?: number;
      readonly map_fd: number;
      readonly key?: number;
      readonly field: string;
      readonly index?: number;
      readonly value: Val;
    };

export interface StepResult {
  readonly state: KernelState;
  readonly result: SysResult;
  readonly events: readonly KEvent[];
}

export interface KernelOptions {
  readonly revision?: Revision;
  readonly nrCpus?: number;
  readonly rcuGracePeriodNs?: number;
  /** How long an RCU tasks-trace grace period takes; default 4 ms [inferred: longer than RCU's]. */
  readonly rcuTasksTraceGracePeriodNs?: number;
  /** Processes at boot; default one loader, pid 100. */
  readonly processes?: readonly { readonly pid: number; readonly name: string }[];
}

export const DEFAULT_PID = 100;

/** The state of a freshly booted simulated kernel. */
export function createKernel(opts: KernelOptions = {}): KernelState {
  const procs = opts.processes ?? [{ pid: DEFAULT_PID, name: 'loader' }];
  return freeze<KernelState>(
    {
      revision: opts.revision ?? 'v8',
      nrCpus: opts.nrCpus ?? 4,
      rcuGracePeriodNs: opts.rcuGracePeriodNs ?? 1_000_000,
      rcuTasksTraceGracePeriodNs: opts.rcuTasksTraceGracePeriodNs ?? 4_000_000,
      now: 0,
      ids: { prog: 0, map: 0, link: 0, timer: 0, pending: 0, sched: 0 },
      processes: Object.fromEntries(
        procs.map((p) => [p.pid, { pid: p.pid, name: p.name, alive: true, fds: {} }]),
      ),
      tasks: Object.fromEntries(
        procs.map((p) => [p.pid, { tid: p.pid, tgid: p.pid, comm: p.name, parentTgid: null }]),
      ),
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
      bpffs: [],
      cgroups: { 1: '/' },
    },
    true,
  );
}

function bpf(tx: Tx, c: BpfCommand): SysResult {
  switch (c.cmd) {
    case 'BPF_PROG_LOAD':
      return bpf_prog_load(tx, c.attr);
    case 'BPF_MAP_CREATE':
      return map_create(tx, c.attr);
    case 'BPF_MAP_UPDATE_ELEM':
      return map_update_elem(tx, c.attr);
    case 'BPF_MAP_DELETE_ELEM':
      return map_delete_elem(tx, c.attr);
    case 'BPF_MAP_LOOKUP_ELEM':
      return map_lookup_elem(tx, c.attr);
    case 'BPF_LINK_CREATE':
      return link_create(tx, c.attr);
    case 'BPF_LINK_UPDATE':
      return link_update(tx, c.attr);
    case 'BPF_LINK_DETACH':
      return link_detach(tx, c.attr);
    case 'BPF_PROG_ASSOC_STRUCT_OPS':
    case 'BPF_STRUCT_OPS_ASSOCIATE_PROG':
      return currentAssoc(tx).prog_assoc_struct_ops(tx, c.attr);
    case 'BPF_PROG_TEST_RUN':
      return bpf_prog_test_run(tx, c.attr);
    case 'BPF_OBJ_PIN':
      return bpf_obj_pin(tx, c.attr);
    case 'BPF_OBJ_GET':
      return bpf_obj_get(tx, c.attr);
    case 'BPF_PROG_GET_FD_BY_ID':
    case 'BPF_MAP_GET_FD_BY_ID':
    case 'BPF_LINK_GET_FD_BY_ID':
      return bpf_get_fd_by_id(tx, c.cmd, c.attr);
  }
}

function processExit(tx: Tx, pid: number): SysResult {
  const proc = tx.state.processes[pid];
  if (!proc?.alive) return fail('ESRCH', `No live process ${pid}.`);
  return tx.in('do_exit', EXIT_C, () => {
    tx.emit({
      kind: 'call',
      target: { kind: 'process', id: pid },
      why: `${proc.name} exits: the kernel closes its fds in order.`,
    });
    const fds = Object.keys(proc.fds)
      .map(Number)
      .sort((a, b) => a - b);
    for (const fd of fds) close_fd(tx, fd);
    tx.emit(
      {
        kind: 'free',
        target: { kind: 'process', id: pid },
        field: 'alive',
        before: 'yes',
        after: 'no',
        why: `${proc.name} is gone.`,
      },
      (d) => {
        const p = must(d.processes[pid], 'process');
        p.alive = false;
        delete d.tasks[pid];
      },
    );
    return ok(0);
  });
}

function memWrite(tx: Tx, op: Extract<Op, { op: 'mem_write' }>): SysResult {
  const entry = fdget(tx, op.map_fd);
  if (entry instanceof KernelError) return fail(entry.errno, entry.reason);
  if (entry.kind !== 'map') return fail('EINVAL', `fd ${op.map_fd} is not a map.`);
  const m = mapOf(tx.state, entry.id);
  if (m.type !== 'BPF_MAP_TYPE_ARRAY')
    return fail('EINVAL', `${m.name} is not an mmap'able array map.`);
  const key = String(op.key ?? 0);
  const cur = own(own(m.entries, key), op.field);
  let next: Val = op.value;
  let field = op.field;
  if (op.index !== undefined) {
    const arr = Array.isArray(cur) ? [...(cur as readonly number[])] : [];
    arr[op.index] = typeof op.value === 'number' ? op.value : 0;
    next = arr;
    field = `${op.field}[${op.index}]`;
  }
  tx.in('user space (mmap)', LIBBPF_C, () =>
    tx.emit(
      {
        kind: 'value',
        target: mapRef(entry.id),
        field,
        before: JSON.stringify(
          op.index !== undefined && Array.isArray(cur)
            ? ((cur as readonly number[])[op.index] ?? 0)
            : (cur ?? 0),
        ),
        after: JSON.stringify(op.value),
        why: `User space writes ${field} straight into ${m.name}'s mmap'ed memory; no system call.`,
      },
      (d) => {
        const dm = must(d.maps[entry.id], 'map');
        dm.entries[key] = castDraft({ ...(own(dm.entries, key) ?? {}), [op.field]: next });
      },
    ),
  );
  return ok(0);
}

/** `cgroup_mkdir` (kernel/cgroup/cgroup.c): a new cgroup; its id is its kernfs inode number. */
function cgroupMkdir(tx: Tx, path: string): SysResult {
  if (Object.values(tx.state.cgroups).includes(path))
    return fail('EEXIST', `${path} already exists.`);
  const id = Math.max(...Object.keys(tx.state.cgroups).map(Number)) + 1;
  tx.in('cgroup_mkdir', CGROUP_C, () =>
    tx.emit(
      {
        kind: 'alloc',
        field: 'cgroup',
        after: `${path} (id ${id})`,
        why: `The cgroup ${path} is created; its id (the inode number stat() reports) is ${id}.`,
      },
      (d) => {
        d.cgroups[id] = path;
      },
    ),
  );
  return ok(id);
}

function dispatch(tx: Tx, op: Op): SysResult {
  switch (op.op) {
    case 'bpf': {
      tx.emit({ kind: 'syscall', field: op.cmd, why: `pid ${tx.pid} calls bpf(${op.cmd}).` });
      return bpf(tx, op);
    }
    case 'close':
      return close_fd(tx, op.fd);
    case 'syscall':
      return sysEnter(tx, op.tid, op.nr ?? 'gettid');
    case 'kernel_func':
      return kernelFunctionHit(tx, op.func, op.tid);
    case 'scx_op':
      return scxOp(tx, op.sched, op.member, op.tid ?? null);
    case 'advance':
      return ok(advanceClock(tx, op.ns));
    case 'drain':
      return ok(drainDeferred(tx));
    case 'grace_period':
      return ok(gracePeriod(tx, op.flavor));
    case 'work_item':
      return runOneWorkItem(tx) ? ok(0) : fail('ENOENT', 'No work item is queued.');
    case 'settle':
      return ok(settle(tx));
    case 'process_start': {
      if (tx.state.processes[op.pid]?.alive)
        return fail('EEXIST', `pid ${op.pid} is already running.`);
      tx.emit(
        {
          kind: 'alloc',
          target: { kind: 'process', id: op.pid },
          field: 'alive',
          after: 'yes',
          why: `${op.name} starts as pid ${op.pid}.`,
        },
        (d) => {
          d.processes[op.pid] = { pid: op.pid, name: op.name, alive: true, fds: {} };
          d.tasks[op.pid] = { tid: op.pid, tgid: op.pid, comm: op.name, parentTgid: null };
        },
      );
      return ok(0);
    }
    case 'process_exit':
      return processExit(tx, op.pid);
    case 'cgroup_mkdir':
      return cgroupMkdir(tx, op.path);
    case 'dup':
      return sys_dup(tx, op.fd);
    case 'fork':
      return sys_fork(tx, op.child, op.name);
    case 'scm_rights':
      return sys_scm_rights(tx, op.fd, op.to);
    case 'unlink':
      return bpffs_unlink(tx, op.path);
    case 'task_new': {
      if (tx.state.tasks[op.tid]) return fail('EEXIST', `Task ${op.tid} exists.`);
      tx.emit(
        {
          kind: 'alloc',
          field: 'task',
          after: `${op.comm} (tid ${op.tid}, tgid ${op.tgid})`,
          why: `Task ${op.comm} appears.`,
        },
        (d) => {
          d.tasks[op.tid] = {
            tid: op.tid,
            tgid: op.tgid,
            comm: op.comm,
            parentTgid: op.parent_tgid ?? null,
          };
        },
      );
      return ok(0);
    }
    case 'mem_write':
      return memWrite(tx, op);
  }
}

/**
 * Runs one operation. Pure: returns the new state, the command's result (`ret` exactly as
 * `bpf()`/`close()` would return it) and the ordered events, each with the state after it.
 * `onEvent` (tests) sees every event as it happens, e.g. to check invariants.
 */
export function step(state: KernelState, op: Op, onEvent?: (e: KEvent) => void): StepResult {
  const pid = 'pid' in op && op.pid !== undefined ? op.pid : DEFAULT_PID;
  const tx = new Tx(state, op.op === 'process_exit' ? op.pid : pid, onEvent);
  const result = dispatch(tx, op);
  kmemleakScan(tx);
  return { state: tx.state, result, events: tx.events };
}

/** A step's op, its result and the state after it, as kept by a timeline. */
export interface Frame {
  readonly op: Op;
  readonly result: SysResult;
  readonly events: readonly KEvent[];
  readonly state: KernelState;
}

/** Replays `ops` from `initial`; the same ops always give the same frames. */
export function replay(
  initial: KernelState,
  ops: readonly Op[],
  onEvent?: (e: KEvent) => void,
): Frame[] {
  const frames: Frame[] = [];
  let state = initial;
  for (const op of ops) {
    const r = step(state, op, onEvent);
    frames.push({ op, result: r.result, events: r.events, state: r.state });
    state = r.state;
  }
  return frames;
}
