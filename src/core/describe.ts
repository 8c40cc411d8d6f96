/**
 * The kernel state as plain text lines, the way a BPF developer would jot it down while
 * reading `bpftool prog show`, `bpftool map show`, `/proc/<pid>/fdinfo` and `dmesg`.
 *
 * Pure and deterministic: it reads only the state (the clock is `state.now`).
 *
 * Order of the lines: the clock; each process's fd table; programs; maps; links; timers;
 * sched_ext schedulers; bpf_testmod registrations; pending RCU callbacks and work items;
 * temporary references held by a syscall in flight; oopses; dmesg. Sections with nothing in
 * them are left out. Within a section objects are sorted by id.
 *
 * Freed objects are KEPT and marked ` (freed)` (or ` (freeing)` while their free is deferred):
 * a program whose `st_ops_assoc` still names a map that is gone, or a timer that outlives its
 * map, is exactly what this lab is about, so hiding the dead would hide the story. An
 * association that points at a freed map reads `st_ops_assoc=<name> (freed)`.
 */
import { assocText, nameOf } from './names';
import type {
  BpfMap,
  FdEntry,
  KernelState,
  Lifecycle,
  Link,
  ObjRef,
  Pending,
  Process,
  Prog,
  Sched,
  StOpsAssoc,
  Timer,
} from './types';

const SEP = '  ';

function byId<T extends { readonly id: number }>(rec: Readonly<Record<number, T>>): T[] {
  return Object.values(rec).sort((a, b) => a.id - b.id);
}

function lifeMark(lifecycle: Lifecycle): string {
  return lifecycle === 'live' ? '' : ` (${lifecycle})`;
}

function isFreed(state: KernelState, ref: ObjRef): boolean {
  switch (ref.kind) {
    case 'prog':
      return state.progs[ref.id]?.lifecycle === 'freed';
    case 'map':
      return state.maps[ref.id]?.lifecycle === 'freed';
    case 'link':
      return state.links[ref.id]?.lifecycle === 'freed';
    case 'timer':
      return state.timers[ref.id]?.freed === true;
    default:
      return false;
  }
}

/** A referenced object's name, with ` (freed)` when it no longer exists. */
function refName(state: KernelState, ref: ObjRef): string {
  const base = ref.kind === 'link' ? String(ref.id) : nameOf(state, ref);
  return isFreed(state, ref) ? `${base} (freed)` : base;
}

/** `NULL`, the map's name (marked when that map is freed), or `BPF_PTR_POISON`. */
export function describeAssoc(state: KernelState, assoc: StOpsAssoc): string {
  const text = assocText(state, assoc);
  if (assoc !== null && assoc !== 'POISON' && isFreed(state, { kind: 'map', id: assoc.map })) {
    return `${text} (freed)`;
  }
  return text;
}

/** Nanoseconds, exactly, as the simulated CLOCK_MONOTONIC counts them. */
export function formatNs(ns: number): string {
  return `${ns} ns`;
}

/** A dmesg timestamp: `[    0.003000]` (seconds, microsecond precision, as printk does). */
export function dmesgStamp(ns: number): string {
  const us = Math.floor(ns / 1000);
  const secs = Math.floor(us / 1_000_000);
  const frac = String(us % 1_000_000).padStart(6, '0');
  return `[${String(secs).padStart(5, ' ')}.${frac}]`;
}

function fdTarget(state: KernelState, entry: FdEntry): string {
  return `${entry.kind} ${refName(state, { kind: entry.kind, id: entry.id })}`;
}

export function describeProcess(state: KernelState, proc: Process): string {
  const fds = Object.entries(proc.fds)
    .map(([fd, entry]) => [Number(fd), entry] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([fd, entry]) => `fd ${fd}→${fdTarget(state, entry)}`);
  const dead = proc.alive ? '' : ' (exited)';
  return `pid ${proc.pid} ${proc.name}${dead}: ${fds.length > 0 ? fds.join(', ') : 'no fds'}`;
}

function progTarget(prog: Prog): string {
  if (prog.type === 'BPF_PROG_TYPE_STRUCT_OPS') {
    const st = prog.attach_btf_name ?? '?';
    return prog.member !== null ? ` (${st}.${prog.member})` : ` (${st})`;
  }
  const parts: string[] = [];
  if (typeof prog.expected_attach_type === 'string') parts.push(prog.expected_attach_type);
  if (prog.attach_btf_name !== null) parts.push(prog.attach_btf_name);
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

export function describeProg(state: KernelState, prog: Prog): string {
  const parts = [
    `prog ${prog.id} ${prog.name}${lifeMark(prog.lifecycle)}`,
    `${prog.type}${progTarget(prog)}`,
    `refcnt=${prog.refcnt}`,
    `st_ops_assoc=${describeAssoc(state, prog.aux.st_ops_assoc)}`,
  ];
  if (prog.aux.used_maps.length > 0) {
    const names = prog.aux.used_maps.map((id) => refName(state, { kind: 'map', id }));
    parts.push(`used_maps=[${names.join(', ')}]`);
  }
  if (prog.run_cnt > 0) parts.push(`run_cnt=${prog.run_cnt}`);
  return parts.join(SEP);
}

export function describeMap(state: KernelState, map: BpfMap): string {
  const head = `map ${map.id} ${map.name}${lifeMark(map.lifecycle)}`;
  const type = map.st ? `${map.type} ${map.st.st_ops}` : map.type;
  const parts = [head, type];
  if (map.map_flags.length > 0) parts.push(`[${map.map_flags.join('|')}]`);
  if (map.st) parts.push(`state=${map.st.state}`);
  parts.push(`refcnt=${map.refcnt} usercnt=${map.usercnt}`);
  if (map.st) {
    const progs = map.st.links.map((id) => refName(state, { kind: 'prog', id }));
    parts.push(`links[]=[${progs.join(', ')}]`);
    if (map.st.kdata.priv !== null) {
      parts.push(`priv=${refName(state, { kind: 'sched', id: map.st.kdata.priv })}`);
    }
  } else {
    const n = Object.keys(map.entries).length;
    parts.push(`${n} ${n === 1 ? 'entry' : 'entries'}`);
  }
  return parts.join(SEP);
}

export function describeLink(state: KernelState, link: Link): string {
  const parts = [`link ${link.id} ${link.type}${lifeMark(link.lifecycle)}`];
  if (link.type === 'struct_ops') {
    parts.push(`map=${link.map !== null ? refName(state, { kind: 'map', id: link.map }) : 'NULL'}`);
  } else {
    if (link.prog !== null) parts.push(`prog=${refName(state, { kind: 'prog', id: link.prog })}`);
    if (link.target !== null) parts.push(`target=${link.target}`);
  }
  parts.push(`refcnt=${link.refcnt}`);
  return parts.join(SEP);
}

export function describeTimer(state: KernelState, timer: Timer): string {
  const where = `${refName(state, { kind: 'map', id: timer.map })}[${timer.key}].${timer.field}`;
  const parts = [`timer ${timer.id} ${where}${timer.freed ? ' (freed)' : ''}`];
  parts.push(
    `cb->prog=${timer.prog !== null ? refName(state, { kind: 'prog', id: timer.prog }) : 'NULL'}`,
  );
  if (timer.callback !== null) parts.push(`callback=${timer.callback}`);
  parts.push(timer.armed ? `armed, expires at ${formatNs(timer.expires)}` : 'not armed');
  return parts.join(SEP);
}

export function describeSched(state: KernelState, sched: Sched): string {
  const place =
    sched.parent === null
      ? 'root'
      : `child of ${nameOf(state, { kind: 'sched', id: sched.parent })}`;
  let line = `${sched.name} ${place} ${sched.state}, ops=${refName(state, { kind: 'map', id: sched.map })}`;
  // Kicks, grouped by the program that asked for them: CPUs in order of first kick.
  const byProg = new Map<number, number[]>();
  for (const kick of sched.kicks) {
    const cpus = byProg.get(kick.prog) ?? [];
    if (!cpus.includes(kick.cpu)) cpus.push(kick.cpu);
    byProg.set(kick.prog, cpus);
  }
  const kicks = [...byProg].map(
    ([prog, cpus]) =>
      `${cpus.length === 1 ? 'CPU' : 'CPUs'} ${cpus.join(',')} by ${refName(state, { kind: 'prog', id: prog })}`,
  );
  if (kicks.length > 0) line += `, kicked ${kicks.join('; ')}`;
  const dsqs = Object.entries(sched.dsqs);
  if (dsqs.length > 0) line += `, dsqs ${dsqs.map(([q, n]) => `${q}=${n}`).join(' ')}`;
  if (sched.exit) line += `, exit ${sched.exit.kind}: ${sched.exit.msg}`;
  return line;
}

export function describePending(state: KernelState, p: Pending): string {
  const what =
    p.kind === 'rcu' ? 'call_rcu' : p.kind === 'rcu_tasks_trace' ? 'call_rcu_tasks_trace' : 'work';
  const target = `${p.target.kind} ${refName(state, p.target)}`;
  return `pending ${what} ${p.id} ${p.fn}(${target})${SEP}queued at ${formatNs(p.queuedAt)}, due at ${formatNs(p.dueAt)}`;
}

export function describeState(state: KernelState): string[] {
  const lines: string[] = [];
  lines.push(
    `clock ${formatNs(state.now)}${SEP}(kernel ${state.revision}, ${state.nrCpus} CPUs, RCU grace period ${formatNs(state.rcuGracePeriodNs)})`,
  );
  for (const proc of Object.values(state.processes).sort((a, b) => a.pid - b.pid)) {
    lines.push(describeProcess(state, proc));
  }
  for (const prog of byId(state.progs)) lines.push(describeProg(state, prog));
  for (const map of byId(state.maps)) lines.push(describeMap(state, map));
  for (const link of byId(state.links)) lines.push(describeLink(state, link));
  for (const timer of byId(state.timers)) lines.push(describeTimer(state, timer));
  for (const sched of byId(state.scx.scheds)) lines.push(describeSched(state, sched));
  if (state.testmod.registered.length > 0) {
    const maps = state.testmod.registered.map((id) => refName(state, { kind: 'map', id }));
    lines.push(`bpf_testmod registered multi_st_ops: ${maps.join(', ')}`);
  }
  for (const pin of state.bpffs)
    lines.push(
      `bpffs ${pin.path} pins ${pin.kind} ${refName(state, { kind: pin.kind, id: pin.id })}`,
    );
  const pending = [...state.pending].sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
  for (const p of pending) lines.push(describePending(state, p));
  for (const tmp of state.inflight) {
    lines.push(`inflight ${tmp.by} holds ${tmp.target.kind} ${refName(state, tmp.target)}`);
  }
  for (const oops of state.oopses) {
    const prog = oops.prog !== null ? ` in ${refName(state, { kind: 'prog', id: oops.prog })}` : '';
    lines.push(`oops at ${formatNs(oops.at)}: ${oops.kind}${prog}: ${oops.msg}`);
  }
  for (const line of state.dmesg) lines.push(`dmesg ${dmesgStamp(line.at)} ${line.msg}`);
  return lines;
}
