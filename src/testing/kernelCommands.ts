/**
 * Random kernel command sequences for property tests and the kernel fuzz script: association,
 * struct_ops map update/delete, links, test runs, closes, time passing, program-triggering
 * events, from a realistic starting state, with the counted-reference invariants checked after
 * EVERY event. Names every JavaScript object inherits (`constructor`, `__proto__`, ...) are
 * among the generated members and functions.
 *
 * The generator knows which fds exist only to bias its choices (resolved against the state
 * when the command runs); it never predicts a result.
 */
import fc from 'fast-check';
import { checkInvariants } from '../core/invariants';
import { step, type Op } from '../core/machine';
import type { KEvent } from '../core/tx';
import { emptyRecord } from '../core/own';
import type { KernelState, Val } from '../core/types';
import { Libbpf, isOpenError } from '../libbpf/libbpf';
import type { ObjectDesc } from '../libbpf/object';
import { structOpsAssoc, structOpsAssocInTimer } from '../libbpf/objects/selftests';
import { Sim } from '../libbpf/sim';
import { unsettledPath } from './settled';

export const LOADER = 100;
export const OTHER = 200;
export const KFUNC = 'bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)';

/**
 * A small object of our own: a legacy `.struct_ops` multi_st_ops map, a sched_ext root
 * scheduler (with sub_attach) and a sub-scheduler in `.struct_ops.link` maps, and programs
 * that fire on fentry, kprobe and sys_enter and call the association kfuncs.
 */
const mixed: ObjectDesc = {
  name: 'mixed',
  maps: {
    legacy_ops: {
      type: 'struct_ops',
      section: '.struct_ops',
      struct: 'bpf_testmod_multi_st_ops',
      members: { test_1: 'legacy_test_1' },
    },
    scx_root: {
      type: 'struct_ops',
      section: '.struct_ops.link',
      struct: 'sched_ext_ops',
      members: { runnable: 'root_runnable', sub_attach: 'root_sub_attach', name: 'root' },
    },
    scx_child: {
      type: 'struct_ops',
      section: '.struct_ops.link',
      struct: 'sched_ext_ops',
      members: { runnable: 'child_runnable', sub_cgroup_id: '/child', name: 'child' },
    },
  },
  progs: {
    legacy_test_1: { section: 'struct_ops/test_1', body: ['return 42'] },
    root_runnable: {
      section: 'struct_ops/runnable',
      body: ['scx_bpf_kick_cpu(1, 0)', 'return 0'],
    },
    root_sub_attach: { section: 'struct_ops/sub_attach', body: ['return 0'] },
    child_runnable: {
      section: 'struct_ops/runnable',
      body: ['scx_bpf_kick_cpu(7, 0)', 'return 0'],
    },
    open_fentry: {
      section: 'fentry/nvidia_open',
      body: [`ret = ${KFUNC}`, 'scx_bpf_kick_cpu(0, 0)', 'return 0'],
    },
    poll_kprobe: { section: 'kprobe/nvidia_poll', body: ['bpf_printk("poll")', 'return 0'] },
    enter_tp: {
      section: 'tp_btf/sys_enter',
      body: [
        `ret = ${KFUNC}`,
        { if: 'task.pid == 200', then: ['scx_bpf_error("unexpected pid")'] },
        'return 0',
      ],
    },
    kick_syscall: { section: 'syscall', body: ['scx_bpf_kick_cpu(2, 0)', 'return 0'] },
  },
};

/**
 * A legacy `.struct_ops` map in the loader's process whose program uses a global: once
 * registered, the map keeps its program, and the program keeps `.bss` (its used_maps).
 */
const legacyBss: ObjectDesc = {
  name: 'legacy_bss',
  globals: { hits: 0 },
  maps: {
    legacy_bss_ops: {
      type: 'struct_ops',
      section: '.struct_ops',
      struct: 'bpf_testmod_multi_st_ops',
      members: { test_1: 'count_test_1' },
    },
  },
  progs: { count_test_1: { section: 'struct_ops/test_1', body: ['hits++', 'return 7'] } },
};

function load(lib: Libbpf, desc: ObjectDesc): void {
  const obj = lib.bpf_object__open_and_load(desc);
  if (isOpenError(obj)) {
    throw new Error(`open_and_load(${desc.name}): ${[...obj.errors, ...lib.sim.log].join('; ')}`);
  }
}

/** Throws on any invariant violation or negative count in the event's state. */
/** How many events the invariant hook has checked (the fuzz script reports it). */
export const checkedEvents = { count: 0 };

export function invariantHook(e: KEvent): void {
  checkedEvents.count++;
  const r = checkInvariants(e.state);
  const negative: string[] = [];
  for (const p of Object.values(e.state.progs))
    if (p.refcnt < 0) negative.push(`prog ${p.name} refcnt ${p.refcnt}`);
  for (const m of Object.values(e.state.maps)) {
    if (m.refcnt < 0) negative.push(`map ${m.name} refcnt ${m.refcnt}`);
    if (m.usercnt < 0) negative.push(`map ${m.name} usercnt ${m.usercnt}`);
  }
  for (const l of Object.values(e.state.links))
    if (l.refcnt < 0) negative.push(`link#${l.id} refcnt ${l.refcnt}`);
  const all = [...r.violations, ...negative];
  if (all.length > 0) {
    throw new Error(
      `invariant violated after event #${e.seq} ${e.fn} (${e.kind}: ${e.why}):\n  ${all.join('\n  ')}`,
    );
  }
}

/**
 * Two processes: the loader with the series' two selftest objects and legacy_bss, another
 * with the mixed object. Loaded through libbpf with the invariants checked after each event.
 */
export function initialState(): KernelState {
  const sim = new Sim(
    {
      processes: [
        { pid: LOADER, name: 'loader' },
        { pid: OTHER, name: 'other' },
      ],
    },
    invariantHook,
  );
  load(new Libbpf(sim, LOADER), structOpsAssoc);
  load(new Libbpf(sim, LOADER), structOpsAssocInTimer);
  load(new Libbpf(sim, LOADER), legacyBss);
  load(new Libbpf(sim, OTHER), mixed);
  return sim.state;
}

// ---------------------------------------------------------------------------------------------
// Commands: abstract, with fds resolved against the state when they run (bias only).

/**
 * Which fds a pick prefers: a program of every type, a non-struct_ops (`plain`) one, a syscall program
 * (`run`), a tracing or kprobe program (`trace`), a struct_ops program loaded for the very
 * member and struct type being filled (`fit`), any map, a struct_ops map, a link, or any fd.
 */
type FdKind = 'prog' | 'plain' | 'run' | 'trace' | 'fit' | 'map' | 'st_map' | 'link' | 'any';
type FdPick = { readonly pick: FdKind; readonly i: number } | { readonly raw: number };

export type Cmd =
  | {
      readonly t: 'assoc';
      readonly pid: number;
      readonly prog: FdPick;
      readonly map: FdPick;
      readonly flags: number;
    }
  | {
      readonly t: 'update';
      readonly pid: number;
      readonly map: FdPick;
      readonly slots: readonly { readonly member: string; readonly prog: FdPick }[];
      readonly data: readonly { readonly member: string; readonly value: Val }[];
      /** Only members the map's struct has (mostly), or anything (unknown members fail). */
      readonly strict: boolean;
      readonly bad: 'none' | 'flags' | 'key' | 'common';
    }
  /** libbpf-style attach: update with fitting programs, then link (BPF_F_LINK maps). */
  | {
      readonly t: 'attach';
      readonly pid: number;
      readonly map: FdPick;
      readonly i: number;
      readonly data: readonly { readonly member: string; readonly value: Val }[];
    }
  | { readonly t: 'delete'; readonly pid: number; readonly map: FdPick }
  | { readonly t: 'link_st'; readonly pid: number; readonly map: FdPick }
  | {
      readonly t: 'link_prog';
      readonly pid: number;
      readonly prog: FdPick;
      /** `auto`: what the program was loaded for (as libbpf picks it). */
      readonly attach: 'auto' | 'BPF_TRACE_RAW_TP' | 'BPF_TRACE_FENTRY' | 'BPF_TRACE_KPROBE_MULTI';
    }
  | { readonly t: 'link_update'; readonly pid: number; readonly link: FdPick; readonly map: FdPick }
  | { readonly t: 'detach'; readonly pid: number; readonly link: FdPick }
  | { readonly t: 'test_run'; readonly pid: number; readonly prog: FdPick }
  | { readonly t: 'close'; readonly pid: number; readonly fd: FdPick }
  | { readonly t: 'advance'; readonly ns: number }
  | { readonly t: 'drain' }
  | { readonly t: 'syscall'; readonly tid: number }
  | { readonly t: 'kernel_func'; readonly func: string; readonly tid: number }
  /** sched_ext calls an op of a scheduler: an existing one (`i`), or a raw id. */
  | {
      readonly t: 'scx_op';
      readonly sched: { readonly i: number } | { readonly raw: number };
      readonly member: string;
    }
  | { readonly t: 'exit'; readonly pid: number }
  | { readonly t: 'start'; readonly pid: number };

/** Names every JavaScript object inherits: the kernel must treat them like every other unknown name. */
export const PROTO_NAMES = [
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__proto__',
] as const;

const FUNC_MEMBERS = [
  'test_1',
  'runnable',
  'enqueue',
  'sub_attach',
  'init',
  'bogus',
  ...PROTO_NAMES,
] as const;
const DATA_MEMBERS: readonly { member: string; values: readonly Val[] }[] = [
  { member: 'name', values: ['fuzz', 'x'] },
  // Listed twice (drawn more often): a sub_cgroup_id above 1 makes a sched_ext map a
  // sub-scheduler (2 is /child, made at load; 9 names no cgroup).
  { member: 'sub_cgroup_id', values: [2, 2, 0, 9] },
  { member: 'sub_cgroup_id', values: [2] },
  { member: 'timeout_ms', values: [0, 5000] },
  { member: 'id', values: [0, 7] },
  ...PROTO_NAMES.map((member) => ({ member, values: [1, 'x'] })),
];

const pidArb = fc.oneof(
  { arbitrary: fc.constant(LOADER), weight: 4 },
  { arbitrary: fc.constant(OTHER), weight: 2 },
  { arbitrary: fc.constant(300), weight: 1 },
);

function fdArb(kind: FdKind): fc.Arbitrary<FdPick> {
  return fc.oneof(
    { arbitrary: fc.nat({ max: 63 }).map((i) => ({ pick: kind, i })), weight: 8 },
    { arbitrary: fc.nat({ max: 63 }).map((i) => ({ pick: 'any' as const, i })), weight: 1 },
    {
      arbitrary: fc
        .oneof(fc.constantFrom(0, 1, 2, 99, -1), fc.integer({ min: 3, max: 24 }))
        .map((raw) => ({ raw })),
      weight: 1,
    },
  );
}

const flagsArb = fc.oneof(
  { arbitrary: fc.constant(0), weight: 9 },
  { arbitrary: fc.constant(1), weight: 1 },
);

const dataArb = fc.array(
  fc
    .constantFrom(...DATA_MEMBERS)
    .chain((d) => fc.constantFrom(...d.values).map((value) => ({ member: d.member, value }))),
  { maxLength: 2 },
);

export const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('attach' as const),
      pid: pidArb,
      map: fdArb('st_map'),
      i: fc.nat({ max: 7 }),
      data: dataArb,
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      t: fc.constant('assoc' as const),
      pid: pidArb,
      prog: fc.oneof({ arbitrary: fdArb('plain'), weight: 3 }, fdArb('prog')),
      map: fdArb('st_map'),
      flags: flagsArb,
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      t: fc.constant('update' as const),
      pid: pidArb,
      map: fdArb('st_map'),
      slots: fc.array(
        fc.record({
          member: fc.constantFrom(...FUNC_MEMBERS),
          prog: fc.oneof({ arbitrary: fdArb('fit'), weight: 3 }, fdArb('prog')),
        }),
        { maxLength: 3 },
      ),
      data: dataArb,
      strict: fc.oneof(
        { arbitrary: fc.constant(true), weight: 9 },
        { arbitrary: fc.constant(false), weight: 1 },
      ),
      bad: fc.oneof(
        { arbitrary: fc.constant('none' as const), weight: 12 },
        {
          arbitrary: fc.constantFrom('flags' as const, 'key' as const, 'common' as const),
          weight: 1,
        },
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('delete' as const), pid: pidArb, map: fdArb('st_map') }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ t: fc.constant('link_st' as const), pid: pidArb, map: fdArb('st_map') }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('link_prog' as const),
      pid: pidArb,
      prog: fc.oneof({ arbitrary: fdArb('trace'), weight: 3 }, fdArb('prog')),
      attach: fc.constantFrom(
        'auto' as const,
        'auto' as const,
        'BPF_TRACE_RAW_TP' as const,
        'BPF_TRACE_FENTRY' as const,
        'BPF_TRACE_KPROBE_MULTI' as const,
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('link_update' as const),
      pid: pidArb,
      link: fdArb('link'),
      map: fdArb('st_map'),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('detach' as const), pid: pidArb, link: fdArb('link') }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('test_run' as const),
      pid: pidArb,
      prog: fc.oneof({ arbitrary: fdArb('run'), weight: 3 }, fdArb('prog')),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({ t: fc.constant('close' as const), pid: pidArb, fd: fdArb('any') }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      ns: fc.constantFrom(0, 1, 500_000, 1_000_000, 3_000_000),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ t: 'drain' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('syscall' as const),
      tid: fc.constantFrom(LOADER, OTHER, 999),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('kernel_func' as const),
      func: fc.constantFrom('nvidia_open', 'nvidia_poll', 'schedule', ...PROTO_NAMES),
      tid: fc.constantFrom(LOADER, OTHER),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('scx_op' as const),
      sched: fc.oneof(
        { arbitrary: fc.nat({ max: 7 }).map((i) => ({ i })), weight: 4 },
        { arbitrary: fc.constantFrom(0, 9).map((raw) => ({ raw })), weight: 1 },
      ),
      member: fc.constantFrom('runnable', 'enqueue', 'sub_attach', ...PROTO_NAMES),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('exit' as const), pid: fc.constantFrom(OTHER, 300) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('start' as const), pid: fc.constantFrom(OTHER, 300) }),
  },
);

/** The fds of `pid` of one kind, in fd order (the bias model, read from the state). */
export function fdsOf(state: KernelState, pid: number, kind: FdKind): number[] {
  const proc = state.processes[pid];
  if (!proc) return [];
  return Object.entries(proc.fds)
    .filter(([, e]) => {
      if (kind === 'any') return true;
      if (kind === 'fit') return e.kind === 'prog';
      const prog = e.kind === 'prog' ? state.progs[e.id] : undefined;
      if (kind === 'plain') return prog !== undefined && prog.type !== 'BPF_PROG_TYPE_STRUCT_OPS';
      if (kind === 'run') return prog?.type === 'BPF_PROG_TYPE_SYSCALL';
      if (kind === 'trace')
        return prog?.type === 'BPF_PROG_TYPE_TRACING' || prog?.type === 'BPF_PROG_TYPE_KPROBE';
      if (kind === 'st_map')
        return e.kind === 'map' && state.maps[e.id]?.type === 'BPF_MAP_TYPE_STRUCT_OPS';
      return e.kind === kind;
    })
    .map(([fd]) => Number(fd))
    .sort((a, b) => a - b);
}

/** The fd of `pid` that refers to the program or map called `name`. */
export function fdNamed(state: KernelState, pid: number, name: string): number {
  const fd = fdsOf(state, pid, 'any').find((f) => {
    const e = state.processes[pid]?.fds[f];
    const obj =
      e?.kind === 'prog' ? state.progs[e.id] : e?.kind === 'map' ? state.maps[e.id] : undefined;
    return obj?.name === name;
  });
  if (fd === undefined) throw new Error(`pid ${pid} has no fd for ${name}`);
  return fd;
}

function resolve(
  state: KernelState,
  pid: number,
  p: FdPick,
  slot?: { readonly st_ops: string; readonly member: string },
): number {
  if ('raw' in p) return p.raw;
  let fds = fdsOf(state, pid, p.pick);
  if (p.pick === 'fit' && slot) {
    const fit = fitting(state, pid, slot.st_ops, slot.member);
    if (fit.length > 0) fds = fit;
  }
  return fds.length === 0 ? 99 : (fds[p.i % fds.length] ?? 99);
}

/** The struct_ops type of the map at `mapFd` and the members the generator may fill in it. */
function structOf(
  state: KernelState,
  pid: number,
  mapFd: number,
): {
  readonly st_ops: string;
  readonly link: boolean;
  readonly funcs: readonly string[];
  readonly members: readonly string[];
} | null {
  const e = state.processes[pid]?.fds[mapFd];
  const m = e?.kind === 'map' ? state.maps[e.id] : undefined;
  if (!m?.st) return null;
  const scx = m.st.st_ops === 'sched_ext_ops';
  const funcs = scx ? ['runnable', 'enqueue', 'sub_attach', 'init'] : ['test_1'];
  return {
    st_ops: m.st.st_ops,
    link: m.map_flags.includes('BPF_F_LINK'),
    funcs,
    members: [...funcs, ...(scx ? ['name', 'sub_cgroup_id', 'timeout_ms'] : ['id'])],
  };
}

/** The fds of struct_ops programs in `pid` loaded for `member` of `st_ops`. */
function fitting(state: KernelState, pid: number, st_ops: string, member: string): number[] {
  return fdsOf(state, pid, 'prog').filter((fd) => {
    const e = state.processes[pid]?.fds[fd];
    const prog = e ? state.progs[e.id] : undefined;
    return prog?.attach_btf_name === st_ops && prog.member === member;
  });
}

/** The op(s) a command makes, with its fds resolved against `state`. */
export function toOps(state: KernelState, c: Cmd): Op[] {
  switch (c.t) {
    case 'attach': {
      // As bpf_map__attach_struct_ops: fill each function member with a program loaded for
      // it, update, then (BPF_F_LINK maps) create the link.
      const mapFd = resolve(state, c.pid, c.map);
      const st = structOf(state, c.pid, mapFd);
      const data = emptyRecord<Val>();
      for (const member of st?.funcs ?? []) {
        const fds = fitting(state, c.pid, st?.st_ops ?? '', member);
        const fd = fds[c.i % Math.max(fds.length, 1)];
        if (fd !== undefined) data[member] = fd;
      }
      for (const d of c.data) if (st?.members.includes(d.member)) data[d.member] = d.value;
      const update: Op = {
        op: 'bpf',
        pid: c.pid,
        cmd: 'BPF_MAP_UPDATE_ELEM',
        attr: { map_fd: mapFd, key: 0, value: { data } },
      };
      if (st && !st.link) return [update];
      return [
        update,
        {
          op: 'bpf',
          pid: c.pid,
          cmd: 'BPF_LINK_CREATE',
          attr: { map_fd: mapFd, attach_type: 'BPF_STRUCT_OPS' },
        },
      ];
    }
    default:
      return [toOp(state, c)];
  }
}

function toOp(state: KernelState, c: Exclude<Cmd, { readonly t: 'attach' }>): Op {
  switch (c.t) {
    case 'assoc':
      return {
        op: 'bpf',
        pid: c.pid,
        cmd: 'BPF_PROG_ASSOC_STRUCT_OPS',
        attr: {
          prog_fd: resolve(state, c.pid, c.prog),
          map_fd: resolve(state, c.pid, c.map),
          flags: c.flags,
        },
      };
    case 'update': {
      const mapFd = resolve(state, c.pid, c.map);
      const st = structOf(state, c.pid, mapFd);
      const keep = (m: string) => !c.strict || st === null || st.members.includes(m);
      const data = emptyRecord<Val>();
      for (const s of c.slots) {
        if (!keep(s.member)) continue;
        const slot = st ? { st_ops: st.st_ops, member: s.member } : undefined;
        data[s.member] = resolve(state, c.pid, s.prog, slot);
      }
      for (const d of c.data) if (keep(d.member)) data[d.member] = d.value;
      return {
        op: 'bpf',
        pid: c.pid,
        cmd: 'BPF_MAP_UPDATE_ELEM',
        attr: {
          map_fd: mapFd,
          key: c.bad === 'key' ? 1 : 0,
          value: c.bad === 'common' ? { common: { refcnt: 1 }, data } : { data },
          flags: c.bad === 'flags' ? 2 : 0,
        },
      };
    }
    case 'delete':
      return {
        op: 'bpf',
        pid: c.pid,
        cmd: 'BPF_MAP_DELETE_ELEM',
        attr: { map_fd: resolve(state, c.pid, c.map), key: 0 },
      };
    case 'link_st':
      return {
        op: 'bpf',
        pid: c.pid,
        cmd: 'BPF_LINK_CREATE',
        attr: { map_fd: resolve(state, c.pid, c.map), attach_type: 'BPF_STRUCT_OPS' },
      };
    case 'link_prog': {
      const progFd = resolve(state, c.pid, c.prog);
      const e = state.processes[c.pid]?.fds[progFd];
      const prog = e?.kind === 'prog' ? state.progs[e.id] : undefined;
      const attach =
        c.attach !== 'auto'
          ? c.attach
          : prog?.type === 'BPF_PROG_TYPE_KPROBE'
            ? 'BPF_TRACE_KPROBE_MULTI'
            : prog?.expected_attach_type === 'BPF_TRACE_FENTRY'
              ? 'BPF_TRACE_FENTRY'
              : 'BPF_TRACE_RAW_TP';
      return {
        op: 'bpf',
        pid: c.pid,
        cmd: 'BPF_LINK_CREATE',
        attr: {
          prog_fd: progFd,
          attach_type: attach,
          ...(attach === 'BPF_TRACE_KPROBE_MULTI' ? { syms: ['nvidia_poll'] } : {}),
        },
      };
    }
    case 'link_update':
      return {
        op: 'bpf',
        pid: c.pid,
        cmd: 'BPF_LINK_UPDATE',
        attr: { link_fd: resolve(state, c.pid, c.link), new_map_fd: resolve(state, c.pid, c.map) },
      };
    case 'detach':
      return {
        op: 'bpf',
        pid: c.pid,
        cmd: 'BPF_LINK_DETACH',
        attr: { link_fd: resolve(state, c.pid, c.link) },
      };
    case 'test_run':
      return {
        op: 'bpf',
        pid: c.pid,
        cmd: 'BPF_PROG_TEST_RUN',
        attr: { prog_fd: resolve(state, c.pid, c.prog) },
      };
    case 'close':
      return { op: 'close', pid: c.pid, fd: resolve(state, c.pid, c.fd) };
    case 'advance':
      return { op: 'advance', ns: c.ns };
    case 'drain':
      return { op: 'drain' };
    case 'syscall':
      return { op: 'syscall', tid: c.tid };
    case 'kernel_func':
      return { op: 'kernel_func', func: c.func, tid: c.tid };
    case 'scx_op': {
      const ids = Object.keys(state.scx.scheds)
        .map(Number)
        .sort((a, b) => a - b);
      const sched =
        'raw' in c.sched ? c.sched.raw : (ids[c.sched.i % Math.max(ids.length, 1)] ?? 1);
      return { op: 'scx_op', sched, member: c.member, tid: LOADER };
    }
    case 'exit':
      return { op: 'process_exit', pid: c.pid };
    case 'start':
      return { op: 'process_start', pid: c.pid, name: `proc${c.pid}` };
  }
}

/**
 * Runs one op with the invariant hook, and checks that it does not throw, does not change
 * its input, and that the final state (even a step without events) also holds.
 */
export function checkedStep(state: KernelState, op: Op): KernelState {
  const before = JSON.stringify(state);
  let next: KernelState;
  try {
    next = step(state, op, invariantHook).state;
  } catch (e) {
    throw new Error(
      `step threw on ${JSON.stringify(op)}: ${e instanceof Error ? e.message : String(e)}`,
      {
        cause: e,
      },
    );
  }
  if (JSON.stringify(state) !== before)
    throw new Error(`step mutated its input on ${JSON.stringify(op)}`);
  const unsettled = unsettledPath(next);
  if (unsettled !== null)
    throw new Error(`step returned an unfrozen ${unsettled} on ${JSON.stringify(op)}`);
  invariantHook({
    seq: -1,
    fn: 'step (final state)',
    file: '',
    stack: [],
    kind: 'return',
    target: null,
    field: null,
    before: null,
    after: null,
    why: JSON.stringify(op),
    exec: null,
    state: next,
  });
  return next;
}

/** Closes every open fd of every process (in pid, then fd order), then settles. */
export function closeAllAndSettle(state: KernelState): KernelState {
  let s = state;
  const pids = Object.keys(s.processes)
    .map(Number)
    .sort((a, b) => a - b);
  for (const pid of pids) {
    for (const fd of fdsOf(s, pid, 'any')) s = checkedStep(s, { op: 'close', pid, fd });
  }
  return checkedStep(s, { op: 'settle' });
}

export function runCommands(initial: KernelState, cmds: readonly Cmd[]): KernelState {
  let s = initial;
  for (const c of cmds) for (const op of toOps(s, c)) s = checkedStep(s, op);
  return s;
}
