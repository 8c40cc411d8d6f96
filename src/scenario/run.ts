/**
 * Runs a validated scenario on the simulated kernel through the libbpf facade, step by step,
 * and checks each step's `expect`. The same runner feeds the command line and the app, so what
 * verifies headless is what the page shows.
 */
import { errnoName, ERRNO, type SysResult } from '../core/errno';
import { checkInvariants } from '../core/invariants';
import type { Op } from '../core/machine';
import type { KEvent } from '../core/tx';
import { retargetKfuncName } from '../core/revisions/kfuncs';
import type { KernelReport, KernelState, Revision, Val } from '../core/types';
import { Libbpf, isOpenError, type BpfLink, type BpfObject } from '../libbpf/libbpf';
import type { ObjectDesc } from '../libbpf/object';
import { Sim } from '../libbpf/sim';
import { readPath, sameValue, type ExpectContext } from './expect';
import { buildNames, processesOf } from './names';
import { toNs } from './duration';
import type { Scenario, Step } from './schema';
import { checkDone } from './ops/expect';
import { FdNames, resolveValueFds } from './ops/fds';
import { isExtraStep, performExtra } from './ops/perform';
import { own } from '../core/own';

export interface StepFrame {
  readonly index: number;
  readonly step: Step;
  /** The call as a person would write it. */
  readonly label: string;
  /** What the step returned (null for steps that are not a call, such as `settle`). */
  readonly result: SysResult | null;
  /** For BPF_PROG_TEST_RUN: the program's return value. */
  readonly retval: Val | undefined;
  /** Every kernel event the step produced, in order, each with the state after it. */
  readonly events: readonly KEvent[];
  /** The kernel operations the step made (for replay). */
  readonly ops: readonly Op[];
  readonly state: KernelState;
  /** Unmet expectations of this step; empty when all hold. */
  readonly failures: readonly string[];
}

export interface ScenarioRun {
  readonly scenario: Scenario;
  /** The revision the kernel ran: the run option's, else the scenario's `kernel.revision`. */
  readonly revision: Revision;
  readonly initial: KernelState;
  readonly frames: readonly StepFrame[];
  /** Link names → link ids, and objects' .bss maps, for reading expectation paths. */
  readonly context: ExpectContext;
}

export interface RunOptions {
  /** Check the invariants after every event (tests); violations become step failures. */
  readonly checkInvariants?: boolean;
  /**
   * Called before each step with its index and the number of steps (progress, or a time
   * budget: what it throws ends the run and reaches the caller).
   */
  readonly onStep?: (index: number, steps: number) => void;
  /** Run on this revision instead of the scenario's `kernel.revision`. */
  readonly revision?: Revision;
}

function toDesc(name: string, o: Scenario['objects'][string]): ObjectDesc {
  // The schema checked the shapes; its inferred types are looser than ObjectDesc's in places
  // (statement lists are `unknown[]` because they are recursive).
  const desc: { -readonly [K in keyof ObjectDesc]?: ObjectDesc[K] } = {
    name,
    progs: o.progs as ObjectDesc['progs'],
  };
  if (o.globals) desc.globals = o.globals;
  if (o.maps) desc.maps = o.maps as NonNullable<ObjectDesc['maps']>;
  if (o.subprogs) desc.subprogs = o.subprogs as NonNullable<ObjectDesc['subprogs']>;
  return desc as ObjectDesc;
}

/** Runs `scenario` from a fresh kernel. Never throws for kernel behaviour. */
export function runScenario(scenario: Scenario, opts: RunOptions = {}): ScenarioRun {
  const violations: string[] = [];
  const revision = opts.revision ?? scenario.kernel.revision;
  const sim = new Sim(
    {
      revision,
      nrCpus: scenario.kernel.cpus,
      processes: processesOf(scenario),
    },
    opts.checkInvariants
      ? (e) => {
          const r = checkInvariants(e.state);
          if (r.violations.length) violations.push(`after ${e.fn}: ${r.violations.join('; ')}`);
        }
      : undefined,
  );
  const initial = sim.state;
  const names = buildNames(scenario);
  const libs = new Map<string, Libbpf>();
  const libFor = (process?: string): Libbpf => {
    const proc = process ?? processesOf(scenario)[0]?.name ?? 'loader';
    let lib = libs.get(proc);
    if (!lib) {
      const pid = names.processes.get(proc) ?? sim.state.processes[Number(proc)]?.pid ?? 100;
      lib = new Libbpf(sim, pid);
      libs.set(proc, lib);
    }
    return lib;
  };
  const objects = new Map<string, BpfObject>();
  const links = new Map<string, { link: BpfLink; lib: Libbpf }>();
  const linkIds = new Map<string, number>();
  const bss = new Map<string, number>();

  const objectOf = (key: string) => objects.get(key);
  const libOfObject = (key: string) => libFor(own(scenario.objects, key)?.process);
  const progOf = (kname: string) => {
    const n = names.progs.get(kname);
    const obj = n ? objects.get(n.object) : undefined;
    return {
      n,
      obj,
      prog: n && obj ? obj.progs.get(n.cname) : undefined,
      lib: n ? libOfObject(n.object) : libFor(),
    };
  };
  const mapOf = (kname: string) => {
    const n = names.maps.get(kname);
    const obj = n ? objects.get(n.object) : undefined;
    return {
      n,
      obj,
      map: n && obj ? obj.maps.get(n.cname) : undefined,
      lib: n ? libOfObject(n.object) : libFor(),
    };
  };
  const tidOf = (t: string | number | undefined): number =>
    typeof t === 'number'
      ? t
      : t === undefined
        ? (processesOf(scenario)[0]?.pid ?? 100)
        : (names.tasks.get(t) ?? -1);
  const noObject = (what: string): number => {
    sim.warn(`${what} is not loaded yet`);
    return -ERRNO.EINVAL;
  };
  const recordBss = (key: string, obj: BpfObject) => {
    const lib = libOfObject(key);
    const entry = obj.bss ? sim.state.processes[lib.pid]?.fds[obj.bss.fd] : undefined;
    if (entry?.kind === 'map') bss.set(key, entry.id);
  };
  const saveLink = (name: string, lib: Libbpf, l: BpfLink | number): number => {
    if (typeof l === 'number') return l;
    links.set(name, { link: l, lib });
    const entry = sim.state.processes[lib.pid]?.fds[l.fd];
    if (entry?.kind === 'link') linkIds.set(name, entry.id);
    return l.fd >= 0 ? l.fd : 0;
  };

  const libForPid = (pid: number): Libbpf => {
    const proc = [...names.processes].find(([, p]) => p === pid)?.[0];
    return proc !== undefined ? libFor(proc) : new Libbpf(sim, pid);
  };
  const fds = new FdNames((name) => {
    const l = links.get(name);
    if (l) return { pid: l.lib.pid, fd: l.link.fd };
    const p = progOf(name);
    if (p.prog) return { pid: p.lib.pid, fd: p.prog.fd };
    const m = mapOf(name);
    if (m.map) return { pid: m.lib.pid, fd: m.map.fd };
    const bssOf = name.endsWith('.bss') ? name.slice(0, -'.bss'.length) : null;
    const obj = bssOf !== null ? objects.get(bssOf) : undefined;
    if (bssOf !== null && obj?.bss) return { pid: libOfObject(bssOf).pid, fd: obj.bss.fd };
    return undefined;
  });
  const idOf = (type: 'prog' | 'map' | 'link', name: string): number | undefined => {
    if (type === 'link') return linkIds.get(name);
    const h = type === 'prog' ? progOf(name) : mapOf(name);
    const fd = type === 'prog' ? progOf(name).prog?.fd : mapOf(name).map?.fd;
    return fd === undefined ? undefined : sim.state.processes[h.lib.pid]?.fds[fd]?.id;
  };

  let retval: Val | undefined;
  /** Performs one step; returns what it returned (null when it is not a call). */
  const perform = (step: Step, i: number): number | null => {
    retval = undefined;
    if (isExtraStep(step))
      return performExtra(step, {
        sim,
        fds,
        pidOf: (process) => libFor(process).pid,
        idOf,
        saveLink: (name, pid, fd) =>
          saveLink(name, libForPid(pid), { fd, legacyMap: null, destroyed: false }),
      });
    switch (step.op) {
      case 'open':
      case 'open_and_load': {
        const spec = own(scenario.objects, step.object);
        if (!spec) return -ERRNO.EINVAL;
        const lib = libOfObject(step.object);
        const obj = lib.bpf_object__open(toDesc(step.object, spec), spec.instance);
        if (isOpenError(obj)) return obj.err;
        for (const p of spec.autoload ?? []) {
          const prog = obj.progs.get(p);
          if (prog) prog.autoload = true;
        }
        objects.set(step.object, obj);
        if (step.op === 'open') return 0;
        const err = lib.bpf_object__load(obj);
        recordBss(step.object, obj);
        return err;
      }
      case 'load': {
        const obj = objectOf(step.object);
        if (!obj) return noObject(step.object);
        const err = libOfObject(step.object).bpf_object__load(obj);
        recordBss(step.object, obj);
        return err;
      }
      case 'set_autoload': {
        const { prog } = progOf(step.prog);
        if (!prog) return noObject(step.prog);
        prog.autoload = step.value;
        return 0;
      }
      case 'assoc': {
        const p = progOf(step.prog);
        const m = mapOf(step.map);
        if (!p.prog || !m.map) return noObject(`${step.prog} or ${step.map}`);
        return p.lib.bpf_program__assoc_struct_ops(
          p.prog,
          m.map,
          step.flags !== undefined ? { flags: step.flags } : undefined,
        );
      }
      case 'bpf_prog_assoc_struct_ops': {
        const pfd = fds.resolve(step.prog_fd);
        const mfd = fds.resolve(step.map_fd);
        const place = typeof step.prog_fd === 'string' ? fds.place(step.prog_fd) : undefined;
        const lib = place ? libForPid(place.pid) : libFor();
        return lib.bpf_prog_assoc_struct_ops(
          pfd,
          mfd,
          step.flags !== undefined ? { flags: step.flags } : undefined,
        );
      }
      case 'attach_struct_ops': {
        const m = mapOf(step.map);
        if (!m.map || !m.obj) return noObject(step.map);
        return saveLink(
          step.as ?? `${step.map}_link`,
          m.lib,
          m.lib.bpf_map__attach_struct_ops(m.obj, m.map),
        );
      }
      case 'attach': {
        const p = progOf(step.prog);
        if (!p.prog) return noObject(step.prog);
        return saveLink(step.as ?? `${step.prog}_link`, p.lib, p.lib.bpf_program__attach(p.prog));
      }
      case 'skel_attach': {
        const obj = objectOf(step.object);
        if (!obj) return noObject(step.object);
        const lib = libOfObject(step.object);
        const before = obj.links.length;
        const err = lib.skel_attach(obj);
        const created = names.linksAt.get(i) ?? [];
        obj.links.slice(before).forEach((l, k) => {
          const n = created[k];
          if (n) saveLink(n, lib, l);
        });
        return err;
      }
      case 'skel_destroy': {
        const obj = objectOf(step.object);
        if (!obj) return noObject(step.object);
        libOfObject(step.object).skel_destroy(obj);
        for (const l of links.values()) if (obj.links.includes(l.link)) l.link.destroyed = true;
        return 0;
      }
      case 'link_destroy': {
        const l = links.get(step.link);
        return l ? l.lib.bpf_link__destroy(l.link) : noObject(step.link);
      }
      case 'link_detach': {
        const l = links.get(step.link);
        if (!l) return noObject(step.link);
        return sim.run(
          { op: 'bpf', pid: l.lib.pid, cmd: 'BPF_LINK_DETACH', attr: { link_fd: l.link.fd } },
          `bpf_link__detach(${step.link})`,
        ).ret;
      }
      case 'link_update': {
        const l = links.get(step.link);
        const m = mapOf(step.map);
        if (!l || !m.map) return noObject(step.link);
        const old = step.old_map !== undefined ? mapOf(step.old_map).map : undefined;
        return sim.run(
          {
            op: 'bpf',
            pid: l.lib.pid,
            cmd: 'BPF_LINK_UPDATE',
            attr: {
              link_fd: l.link.fd,
              new_map_fd: m.map.fd,
              ...(old ? { old_map_fd: old.fd, flags: 4 } : {}),
            },
          },
          `bpf_link__update_map(${step.link}, ${step.map})`,
        ).ret;
      }
      case 'test_run': {
        const p = progOf(step.prog);
        if (!p.prog) return noObject(step.prog);
        const r = p.lib.bpf_prog_test_run_opts(p.prog.fd, `bpf_prog_test_run_opts(${step.prog})`);
        retval = r.retval;
        return r.err;
      }
      case 'close': {
        if (step.fd !== undefined) {
          const place = typeof step.fd === 'string' ? fds.place(step.fd) : undefined;
          const lib =
            step.process !== undefined || !place ? libFor(step.process) : libForPid(place.pid);
          return lib.close(fds.resolve(step.fd), `close(${String(step.fd)})`);
        }
        if (step.prog !== undefined) {
          const p = progOf(step.prog);
          if (!p.prog) return noObject(step.prog);
          const r = p.lib.close(p.prog.fd, `close(${step.prog} fd ${p.prog.fd})`);
          p.prog.fd = -1;
          return r;
        }
        if (step.map !== undefined) {
          const m = mapOf(step.map);
          if (!m.map) return noObject(step.map);
          const r = m.lib.close(m.map.fd, `close(${step.map} fd ${m.map.fd})`);
          m.map.fd = -1;
          return r;
        }
        const l = step.link !== undefined ? links.get(step.link) : undefined;
        if (!l) return noObject(String(step.link));
        l.link.destroyed = true;
        return l.lib.close(l.link.fd, `close(${step.link} fd ${l.link.fd})`);
      }
      case 'map_update':
      case 'map_delete':
      case 'map_lookup': {
        const m = mapOf(step.map);
        if (!m.map) return noObject(step.map);
        const cmd =
          step.op === 'map_update'
            ? 'BPF_MAP_UPDATE_ELEM'
            : step.op === 'map_delete'
              ? 'BPF_MAP_DELETE_ELEM'
              : 'BPF_MAP_LOOKUP_ELEM';
        const attr = {
          map_fd: m.map.fd,
          key: step.key,
          ...(step.op === 'map_update'
            ? {
                value: resolveValueFds(step.value, fds),
                ...(step.flags !== undefined ? { flags: step.flags } : {}),
              }
            : {}),
        };
        return sim.run(
          { op: 'bpf', pid: m.lib.pid, cmd, attr } as Op,
          `${step.op.replace('map_', 'bpf_map_')}_elem(${step.map}, ${String(step.key)})`,
        ).ret;
      }
      case 'write_global': {
        const key =
          step.object ??
          Object.entries(scenario.objects).find(
            ([, o]) => o.globals && step.name in o.globals,
          )?.[0];
        const obj = key ? objects.get(key) : undefined;
        if (!obj || !key) return noObject(step.name);
        return libOfObject(key).set_global(obj, step.name, step.value, step.index);
      }
      case 'syscall':
        return sim.run(
          { op: 'syscall', tid: tidOf(step.task), nr: step.nr ?? 'gettid' },
          `${step.nr ?? 'gettid'}() by ${String(step.task ?? 'loader')}`,
        ).ret;
      case 'kernel_func':
        return sim.run(
          { op: 'kernel_func', func: step.func, tid: tidOf(step.task) },
          `${step.func}() called by ${String(step.task)}`,
        ).ret;
      case 'scx_op': {
        const sched = /^sch(\d+)$/.exec(step.sched);
        const byMap = sched ? null : mapOf(step.sched);
        const mapId = byMap?.map
          ? sim.state.processes[byMap.lib.pid]?.fds[byMap.map.fd]?.id
          : undefined;
        const id = sched
          ? Number(sched[1])
          : mapId !== undefined
            ? (sim.state.maps[mapId]?.st?.kdata.priv ?? -1)
            : -1;
        const r = sim.run(
          {
            op: 'scx_op',
            sched: id,
            member: step.member,
            ...(step.task !== undefined ? { tid: tidOf(step.task) } : {}),
          },
          `ops.${step.member}(${String(step.task ?? '')}) on ${step.sched}`,
        );
        retval = r.out?.['retval'] as Val | undefined;
        return r.ret;
      }
      case 'advance':
        sim.run(
          { op: 'advance', ns: toNs(step.by) },
          `${typeof step.by === 'number' ? `${step.by} ns` : step.by} pass`,
        );
        return null;
      case 'drain':
        sim.run({ op: 'drain' }, 'RCU grace periods end and the workqueue runs');
        return null;
      case 'settle':
        sim.run({ op: 'settle' }, 'everything pending runs');
        return null;
      case 'process_start':
        return sim.run(
          { op: 'process_start', pid: step.pid, name: step.name },
          `${step.name} starts (pid ${step.pid})`,
        ).ret;
      case 'process_exit': {
        const pid = names.processes.get(step.process) ?? names.tasks.get(step.process) ?? -1;
        return sim.run({ op: 'process_exit', pid }, `${step.process} exits`).ret;
      }
      case 'task_new':
        return sim.run(
          {
            op: 'task_new',
            tid: step.tid,
            tgid: step.tgid,
            comm: step.name,
            ...(step.parent_tgid !== undefined ? { parent_tgid: step.parent_tgid } : {}),
          },
          `task ${step.name} (tid ${step.tid}) appears`,
        ).ret;
    }
  };

  const frames: StepFrame[] = [];
  scenario.steps.forEach((step, i) => {
    opts.onStep?.(i, scenario.steps.length);
    const before = sim.frames.length;
    const logBefore = sim.log.length;
    violations.length = 0;
    const value = perform(step, i);
    const made = sim.frames.slice(before);
    const events = made.flatMap((f) => f.events);
    // The failing call, preferring one that is not a clean-up close.
    const failed =
      made.find((f) => f.result.ret < 0 && f.op.op !== 'close') ??
      made.find((f) => f.result.ret < 0);
    let result: SysResult | null;
    if (value === null) result = null;
    else if (value < 0) {
      const errno = errnoName(value);
      const reason =
        failed?.result.reason ?? (sim.log.slice(logBefore).join(' ') || 'libbpf refused the call');
      result = {
        ret: value,
        ...(errno ? { errno } : {}),
        reason,
        ...(failed?.result.oops ? { oops: failed.result.oops } : {}),
      };
    } else {
      const last = made.at(-1)?.result;
      result = {
        ret: value,
        ...(last?.out ? { out: last.out } : {}),
        ...(last?.oops ? { oops: last.oops } : {}),
      };
    }
    const label = made.length === 1 && made[0] ? made[0].label : labelOf(step);
    const context: ExpectContext = { links: linkIds, bss };
    const reportsBefore = frames.at(-1)?.state.reports?.length ?? initial.reports?.length ?? 0;
    const newReports = (sim.state.reports ?? []).slice(reportsBefore);
    const outcome = outcomeOn(step.expect, revision);
    const failures = [
      ...violations.map((v) => `invariant violated ${v}`),
      ...checkExpect(outcome, result, retval, sim.state, context, newReports),
      ...(outcome
        ? checkDone(outcome, { events, ops: made.map((f) => f.op), result, state: sim.state })
        : []),
    ];
    frames.push({
      index: i,
      step,
      label,
      result,
      retval,
      events,
      ops: made.map((f) => f.op),
      state: sim.state,
      failures,
    });
  });
  return { scenario, revision, initial, frames, context: { links: linkIds, bss } };
}

type Outcome = Omit<NonNullable<Step['expect']>, 'on'>;

/**
 * A step's expectation on revision `rev`: the common one, with that revision's `on` entry
 * laid over it (`state` paths merged, the rest replaced).
 */
export function outcomeOn(ex: Step['expect'], rev: Revision): Outcome | undefined {
  if (!ex) return undefined;
  const { on, ...base } = ex;
  const over = on ? new Map(Object.entries(on)).get(rev) : undefined;
  const merged: Outcome = over
    ? { ...base, ...over, state: { ...(base.state ?? {}), ...(over.state ?? {}) } }
    : base;
  // Kernel function names are written against v8, like the programs: spell the testmod kfunc
  // as this revision does.
  const fn = (names: readonly string[] | undefined) => names?.map((n) => retargetKfuncName(n, rev));
  const called = fn(merged.called);
  const notCalled = fn(merged.not_called);
  const oopsFn = merged.oops_at?.function;
  return {
    ...merged,
    ...(called ? { called } : {}),
    ...(notCalled ? { not_called: notCalled } : {}),
    ...(merged.oops_at && oopsFn !== undefined
      ? { oops_at: { ...merged.oops_at, function: retargetKfuncName(oopsFn, rev) } }
      : {}),
  };
}

/** A readable call for a step that made several kernel operations (or none). */
export function labelOf(step: Step): string {
  const args = Object.entries(step)
    .filter(([k]) => !['op', 'say', 'caption', 'notes', 'chapter', 'expect'].includes(k))
    .map(([, v]) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
  return `${step.op}(${args.join(', ')})`;
}

function checkExpect(
  ex: Outcome | undefined,
  result: SysResult | null,
  retval: Val | undefined,
  state: KernelState,
  ctx: ExpectContext,
  reports: readonly KernelReport[],
): string[] {
  if (!ex) return [];
  const out: string[] = [];
  if (ex.reports !== undefined) {
    const got = reports.map((r) => r.kind);
    if (ex.reports === 'none') {
      if (got.length)
        out.push(`expected no kernel report, got ${reports.map((r) => r.title).join('; ')}`);
    } else {
      for (const kind of ex.reports)
        if (!got.includes(kind))
          out.push(`expected a ${kind} report, got ${got.length ? got.join(', ') : 'none'}`);
    }
  }
  if (ex.ret !== undefined) {
    const want =
      typeof ex.ret === 'number'
        ? ex.ret
        : -(ERRNO[ex.ret.replace(/^-/, '') as keyof typeof ERRNO] ?? NaN);
    const got = result?.ret;
    const gotText =
      got === undefined ? 'nothing' : got < 0 ? `-${errnoName(got) ?? got}` : String(got);
    if (got !== want)
      out.push(
        `expected ret ${String(ex.ret)}, got ${gotText}${result?.reason ? ` (${result.reason})` : ''}`,
      );
  }
  if (ex.retval !== undefined && !sameValue(ex.retval, retval))
    out.push(`expected retval ${JSON.stringify(ex.retval)}, got ${JSON.stringify(retval ?? null)}`);
  for (const [path, want] of Object.entries(ex.state ?? {})) {
    const got = readPath(state, path, ctx);
    if (!sameValue(want, got))
      out.push(
        `expected ${path} = ${JSON.stringify(want)}, got ${got === undefined ? 'nothing (no such object)' : JSON.stringify(got)}`,
      );
  }
  return out;
}
