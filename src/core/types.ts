/**
 * The simulated kernel's state: plain, immutable, JSON-able data.
 *
 * Every counted reference in this state has a holder that can be named (see `refs.ts`):
 * an fd in a process, a struct_ops map's `links[]` slot, a struct_ops link, the association
 * of a non-struct_ops program, a legacy map's registration, a timer's `cb->prog`, a
 * program's `used_maps`, or a syscall's temporary get (`inflight`). The stored `refcnt`
 * fields are what the kernel keeps; `invariants.ts` recomputes them from the holders.
 */
import type { Stmt } from './prog/ast';

/** A revision of the series (v1 … v8) or today's `mainline`; each is described in core/revisions. */
export type Revision = 'v1' | 'v2' | 'v3' | 'v4' | 'v5' | 'v6' | 'v7' | 'v8' | 'mainline';

export type ProgType =
  | 'BPF_PROG_TYPE_SYSCALL'
  | 'BPF_PROG_TYPE_STRUCT_OPS'
  | 'BPF_PROG_TYPE_TRACING'
  | 'BPF_PROG_TYPE_KPROBE'
  /** tc classifiers: no section of this model loads one, but kfunc sets name the type. */
  | 'BPF_PROG_TYPE_SCHED_CLS';

export type MapType = 'BPF_MAP_TYPE_STRUCT_OPS' | 'BPF_MAP_TYPE_ARRAY' | 'BPF_MAP_TYPE_HASH';

/** `enum bpf_struct_ops_state` (include/linux/bpf.h): INIT=0, INUSE=1, TOBEFREE=2, READY=3. */
export type StructOpsState = 'INIT' | 'INUSE' | 'TOBEFREE' | 'READY';

/** Where an object is in its life: allocated, waiting for deferred free, or gone. */
export type Lifecycle = 'live' | 'freeing' | 'freed';

/** `aux->st_ops_assoc`: NULL, a struct_ops map (by id), or BPF_PTR_POISON. */
export type StOpsAssoc = null | { readonly map: number } | 'POISON';

/** A value a BPF program computes with: a scalar, a string (for formats), NULL, or a pointer. */
export type Val = number | string | null | readonly number[] | Ptr;

export type Ptr =
  | { readonly ptr: 'map_value'; readonly map: number; readonly key: string }
  | { readonly ptr: 'stack'; readonly name: string }
  | { readonly ptr: 'map'; readonly map: number }
  | { readonly ptr: 'task'; readonly tid: number };

export interface FdEntry {
  readonly kind: 'prog' | 'map' | 'link';
  readonly id: number;
  /**
   * The open file (`struct file`) this fd refers to, when other fds share it (dup, fork,
   * SCM_RIGHTS). The file holds the object's reference once, however many fds point at it;
   * absent when this fd is its file's only fd.
   */
  readonly file?: number;
}

/** A BPF object pinned in bpffs (`BPF_OBJ_PIN`): the inode holds a reference on it. */
export interface Pin {
  readonly path: string;
  readonly kind: 'prog' | 'map' | 'link';
  readonly id: number;
}

export interface Process {
  readonly pid: number;
  readonly name: string;
  readonly alive: boolean;
  /** fd number → object. 0, 1 and 2 are stdio and never handed out. */
  readonly fds: Readonly<Record<number, FdEntry>>;
}

/** A task the simulated kernel can run on: a thread of a process (tgid) or a standalone task. */
export interface Task {
  readonly tid: number;
  readonly tgid: number;
  readonly comm: string;
  /** tgid of the parent process, if known (scx_layered checks `p->parent` for GPU use). */
  readonly parentTgid: number | null;
}

/** A `__prog` argument the verifier rewrote to `env->prog->aux` (fixup_kfunc_call). */
export interface ProgFixup {
  readonly kfunc: string;
  readonly arg: number;
  readonly param: string;
  /** Which body the call is in: `main` or a subprogram (callback) name. */
  readonly where: string;
}

export interface ProgBody {
  readonly main: readonly Stmt[];
  /** Static subprograms (e.g. timer callbacks), by name. */
  readonly subprogs: Readonly<Record<string, readonly Stmt[]>>;
}

export interface ProgAux {
  readonly st_ops_assoc: StOpsAssoc;
  /** Maps the program references (ld_imm64 / fd_array), each holding +1 map refcnt. */
  readonly used_maps: readonly number[];
  /** Name the body uses for each used map. */
  readonly map_names: Readonly<Record<string, number>>;
  readonly fixups: readonly ProgFixup[];
}

export interface Prog {
  readonly id: number;
  readonly name: string;
  readonly type: ProgType;
  /** Kernel `expected_attach_type`; for struct_ops programs the member index as a number. */
  readonly expected_attach_type: string | number | null;
  /** Named BTF target: the struct_ops type, the tracepoint, or the traced kernel function. */
  readonly attach_btf_name: string | null;
  /** For struct_ops programs: the member name at `expected_attach_type`. */
  readonly member: string | null;
  readonly refcnt: number;
  readonly aux: ProgAux;
  readonly body: ProgBody;
  readonly lifecycle: Lifecycle;
  /** `prog->sleepable` (BPF_F_SLEEPABLE at load): its free waits for RCU tasks-trace. */
  readonly sleepable: boolean;
  /** Run counter (`run_cnt` in bpf_prog_stats). */
  readonly run_cnt: number;
}

/** A struct_ops map's kernel-side struct (`kvalue.data`, "kdata"). */
export interface Kdata {
  /** Function-pointer members → the program in that slot (NULL while INIT). */
  readonly funcs: Readonly<Record<string, number | null>>;
  /** Non-function members (e.g. `id` for multi_st_ops, `name`, `sub_cgroup_id` for sched_ext). */
  readonly fields: Readonly<Record<string, Val>>;
  /** sched_ext `ops->priv`: the scheduler instance enabled from this map, or null. */
  readonly priv: number | null;
}

export interface StructOpsPart {
  /** The struct_ops type name, e.g. `bpf_testmod_multi_st_ops` or `sched_ext_ops`. */
  readonly st_ops: string;
  readonly state: StructOpsState;
  /** `st_map->links[]`: internal trampoline links, packed from 0; each owns a prog ref. */
  readonly links: readonly number[];
  readonly kdata: Kdata;
  /** `uvalue`: what lookup shows; program fds replaced by program ids. */
  readonly uvalue: Readonly<Record<string, Val>>;
  /** The struct_ops link (BPF_F_LINK maps) this map is registered through, if any. */
  readonly link: number | null;
}

export interface BpfMap {
  readonly id: number;
  readonly name: string;
  readonly type: MapType;
  readonly map_flags: readonly string[];
  readonly key_size: number;
  readonly value_size: number;
  readonly max_entries: number;
  readonly refcnt: number;
  readonly usercnt: number;
  readonly lifecycle: Lifecycle;
  /** ARRAY/HASH contents: key → value (a record of fields). */
  readonly entries: Readonly<Record<string, Readonly<Record<string, Val>>>>;
  readonly st: StructOpsPart | null;
}

export type LinkType = 'struct_ops' | 'tracing' | 'raw_tp' | 'kprobe_multi';

export interface Link {
  readonly id: number;
  readonly type: LinkType;
  readonly refcnt: number;
  readonly lifecycle: Lifecycle;
  /** Tracing-style links hold +1 on their program until the link is freed. */
  readonly prog: number | null;
  /** struct_ops links hold +1 on their map while attached; NULL after detach. */
  readonly map: number | null;
  /** What the link hooks (tracepoint, kernel function); null for struct_ops links. */
  readonly target: string | null;
}

/** A `struct bpf_timer` in a map value, with its `bpf_async_cb`. */
export interface Timer {
  readonly id: number;
  readonly map: number;
  readonly key: string;
  readonly field: string;
  /** `cb->prog`: the program whose aux the callback runs with; holds +1 prog refcnt. */
  readonly prog: number | null;
  readonly callback: string | null;
  readonly armed: boolean;
  readonly expires: number;
  readonly freed: boolean;
}

/**
 * `rcu`: a `call_rcu` callback; `rcu_tasks_trace`: a `call_rcu_tasks_trace` callback, which
 * waits for every sleepable BPF program's RCU tasks-trace read side; `work`: a work item.
 */
export type PendingKind = 'rcu' | 'rcu_tasks_trace' | 'work';

/** Deferred kernel work: an RCU callback waiting for a grace period, or a queued work item. */
export interface Pending {
  readonly id: number;
  readonly kind: PendingKind;
  /** The kernel function that will run, e.g. `__bpf_prog_put_rcu`, `bpf_prog_free_deferred`. */
  readonly fn: string;
  readonly target: ObjRef;
  readonly queuedAt: number;
  readonly dueAt: number;
  /**
   * A counted reference the item carries until it runs, or null: the program reference of a
   * struct_ops trampoline link whose last put queued `bpf_link_put_deferred`.
   */
  readonly holds: ObjRef | null;
}

export type ObjKind = 'prog' | 'map' | 'link' | 'timer' | 'sched' | 'process' | 'pending';

export interface ObjRef {
  readonly kind: ObjKind;
  readonly id: number;
}

/** A temporary reference a syscall holds between its get and its put. */
export interface Inflight {
  readonly target: ObjRef;
  readonly by: string;
}

export interface SchedKick {
  readonly cpu: number;
  readonly flags: string;
  readonly prog: number;
  readonly at: number;
}

/** A sched_ext scheduler instance (`struct scx_sched`). */
export interface Sched {
  readonly id: number;
  readonly name: string;
  readonly map: number;
  readonly parent: number | null;
  readonly state: 'enabled' | 'disabled';
  readonly exit: { readonly kind: string; readonly msg: string } | null;
  /** `warned_unassoc_progs`: the "Unassociated program" warning is printed once per root. */
  readonly warnedUnassoc: boolean;
  readonly kicks: readonly SchedKick[];
  readonly dsqs: Readonly<Record<string, number>>;
}

export interface Oops {
  readonly at: number;
  readonly kind:
    'NULL pointer dereference' | 'use-after-free' | 'type confusion' | 'kernel stack overflow';
  readonly msg: string;
  readonly prog: number | null;
}

export interface KernelState {
  readonly revision: Revision;
  readonly nrCpus: number;
  readonly rcuGracePeriodNs: number;
  /** How long an RCU tasks-trace grace period takes (`call_rcu_tasks_trace`). */
  readonly rcuTasksTraceGracePeriodNs: number;
  /** Simulated CLOCK_MONOTONIC, in ns. */
  readonly now: number;
  readonly ids: {
    readonly prog: number;
    readonly map: number;
    readonly link: number;
    readonly timer: number;
    readonly pending: number;
    readonly sched: number;
  };
  readonly processes: Readonly<Record<number, Process>>;
  readonly tasks: Readonly<Record<number, Task>>;
  readonly progs: Readonly<Record<number, Prog>>;
  readonly maps: Readonly<Record<number, BpfMap>>;
  readonly links: Readonly<Record<number, Link>>;
  readonly timers: Readonly<Record<number, Timer>>;
  readonly pending: readonly Pending[];
  readonly inflight: readonly Inflight[];
  readonly testmod: { readonly registered: readonly number[] };
  readonly scx: {
    readonly root: number | null;
    readonly scheds: Readonly<Record<number, Sched>>;
  };
  readonly oopses: readonly Oops[];
  /** bpffs (`/sys/fs/bpf`): pinned objects, each holding refcnt (and usercnt for maps). */
  readonly bpffs: readonly Pin[];
  /** cgroup2 hierarchy: cgroup id (the directory's inode number, `st_ino`) → path. Root is 1. */
  readonly cgroups: Readonly<Record<number, string>>;
  /** Kernel log lines (pr_warn, bpf_printk), with their time. */
  readonly dmesg: readonly { readonly at: number; readonly msg: string }[];
  /**
   * What the kernel's debugging tools would report on a revision with a review bug
   * (kmemleak, KASAN, a hazard at the event): see core/revisions/reports.ts. Absent when empty.
   */
  readonly reports?: readonly KernelReport[];
  /** References a revision's bug left without a proper holder (core/revisions/refBugs.ts). */
  readonly refBugs?: readonly RefBug[];
}

/** The kind of a {@link KernelReport}: how a kernel developer would first see the bug. */
export type ReportKind =
  'leak' | 'use-after-free' | 'double-put' | 'poison-cleared' | 'assoc-cleared' | 'dangling';

/** One report, in the format of the tool that would print it. */
export interface KernelReport {
  readonly kind: ReportKind;
  /** `kmemleak`, `KASAN`, or `hazard` (a review-found problem no tool prints by itself). */
  readonly tool: 'kmemleak' | 'KASAN' | 'hazard';
  readonly at: number;
  readonly target: ObjRef;
  /** The first line, as the tool prints it (`BUG: KASAN: slab-use-after-free in bpf_map_put`). */
  readonly title: string;
  /** The rest of the report, line by line. */
  readonly lines: readonly string[];
  /** The revision whose code has the bug, and the one that fixed it. */
  readonly revision: Revision;
  readonly fixedIn: Revision | null;
}

/**
 * A reference a buggy revision mishandled: `leaked` is a counted reference nobody will drop
 * (it still counts, so refcnt never reaches 0); `stolen` is a reference dropped on behalf of a
 * holder that still points at the map (its count is gone, the pointer stays).
 */
export interface RefBug {
  readonly kind: 'leaked' | 'stolen';
  readonly prog: number;
  readonly map: number;
  /** The kernel function that mishandled it. */
  readonly by: string;
}
