/**
 * What a running scenario knows besides the kernel: the libbpf facade of each process, the
 * objects it opened, the links it made and the names it gave fds, so that a step can say
 * `prog: helper` and the runner finds the fd. One per run (../run.ts); the step handlers
 * (./table.ts) read and extend it.
 */
import { ERRNO } from '../../core/errno';
import type { Op } from '../../core/machine';
import { own } from '../../core/own';
import type { Val } from '../../core/types';
import {
  Libbpf,
  type BpfLink,
  type BpfMapHandle,
  type BpfObject,
  type BpfProgram,
} from '../../libbpf/libbpf';
import type { Sim } from '../../libbpf/sim';
import { processesOf, type NameTable } from '../names';
import { FdNames } from '../ops/fds';
import type { Scenario } from '../schema';

/** A program or map named in the scenario, with its object and the facade of its process. */
export interface Named<T> {
  readonly obj: BpfObject | undefined;
  readonly it: T | undefined;
  readonly lib: Libbpf;
}

export class RunContext {
  private readonly libs = new Map<string, Libbpf>();
  readonly objects = new Map<string, BpfObject>();
  readonly links = new Map<string, { link: BpfLink; lib: Libbpf }>();
  /** Link names → kernel link ids (expectation paths read them). */
  readonly linkIds = new Map<string, number>();
  /** Object names → the kernel id of their .bss map. */
  readonly bss = new Map<string, number>();
  readonly fds: FdNames;
  /** For BPF_PROG_TEST_RUN and scx_op: the program's return value, set by the step. */
  retval: Val | undefined;

  constructor(
    readonly scenario: Scenario,
    readonly sim: Sim,
    readonly names: NameTable,
  ) {
    this.fds = new FdNames((name) => {
      const l = this.links.get(name);
      if (l) return { pid: l.lib.pid, fd: l.link.fd };
      const p = this.progOf(name);
      if (p.it) return { pid: p.lib.pid, fd: p.it.fd };
      const m = this.mapOf(name);
      if (m.it) return { pid: m.lib.pid, fd: m.it.fd };
      const bssOf = name.endsWith('.bss') ? name.slice(0, -'.bss'.length) : null;
      const obj = bssOf !== null ? this.objects.get(bssOf) : undefined;
      if (bssOf !== null && obj?.bss) return { pid: this.libOfObject(bssOf).pid, fd: obj.bss.fd };
      return undefined;
    });
  }

  /** The facade of a process by its scenario name; the first process's when absent. */
  libFor(process?: string): Libbpf {
    const proc = process ?? processesOf(this.scenario)[0]?.name ?? 'loader';
    let lib = this.libs.get(proc);
    if (!lib) {
      const pid =
        this.names.processes.get(proc) ?? this.sim.state.processes[Number(proc)]?.pid ?? 100;
      lib = new Libbpf(this.sim, pid);
      this.libs.set(proc, lib);
    }
    return lib;
  }

  /** The facade of the process with this pid (a new one for a process the scenario never named). */
  libForPid(pid: number): Libbpf {
    const proc = [...this.names.processes].find(([, p]) => p === pid)?.[0];
    return proc !== undefined ? this.libFor(proc) : new Libbpf(this.sim, pid);
  }

  /** The facade of the process that loads `object`. */
  libOfObject(object: string): Libbpf {
    return this.libFor(own(this.scenario.objects, object)?.process);
  }

  progOf(name: string): Named<BpfProgram> {
    const n = this.names.progs.get(name);
    const obj = n ? this.objects.get(n.object) : undefined;
    return {
      obj,
      it: n && obj ? obj.progs.get(n.cname) : undefined,
      lib: n ? this.libOfObject(n.object) : this.libFor(),
    };
  }

  mapOf(name: string): Named<BpfMapHandle> {
    const n = this.names.maps.get(name);
    const obj = n ? this.objects.get(n.object) : undefined;
    return {
      obj,
      it: n && obj ? obj.maps.get(n.cname) : undefined,
      lib: n ? this.libOfObject(n.object) : this.libFor(),
    };
  }

  /** A task's tid: a number as is, a name through the scenario's tasks, the loader's when absent. */
  tidOf(t: string | number | undefined): number {
    if (typeof t === 'number') return t;
    if (t === undefined) return processesOf(this.scenario)[0]?.pid ?? 100;
    return this.names.tasks.get(t) ?? -1;
  }

  /** A process's pid by name; the loader's when absent. */
  pidOf(process: string | undefined): number {
    return this.libFor(process).pid;
  }

  /** The process a step runs in: its `process`, else the owner of its named fd, else the loader. */
  pidFor(process: string | undefined, fd?: string | number): number {
    if (process !== undefined) return this.pidOf(process);
    if (typeof fd === 'string') return this.fds.place(fd)?.pid ?? this.pidOf(undefined);
    return this.pidOf(undefined);
  }

  /** The kernel id of a program, map or link named in the scenario. */
  idOf(type: 'prog' | 'map' | 'link', name: string): number | undefined {
    if (type === 'link') return this.linkIds.get(name);
    const h = type === 'prog' ? this.progOf(name) : this.mapOf(name);
    const fd = h.it?.fd;
    return fd === undefined ? undefined : this.sim.state.processes[h.lib.pid]?.fds[fd]?.id;
  }

  /** A step names something not loaded yet: a warning, and -EINVAL. */
  noObject(what: string): number {
    this.sim.warn(`${what} is not loaded yet`);
    return -ERRNO.EINVAL;
  }

  /** Remembers the kernel id of `object`'s .bss map. */
  recordBss(object: string, obj: BpfObject): void {
    const lib = this.libOfObject(object);
    const entry = obj.bss ? this.sim.state.processes[lib.pid]?.fds[obj.bss.fd] : undefined;
    if (entry?.kind === 'map') this.bss.set(object, entry.id);
  }

  /** Records a link a step made under `name`; returns the step's value (its fd, or the error). */
  saveLink(name: string, lib: Libbpf, l: BpfLink | number): number {
    if (typeof l === 'number') return l;
    this.links.set(name, { link: l, lib });
    const entry = this.sim.state.processes[lib.pid]?.fds[l.fd];
    if (entry?.kind === 'link') this.linkIds.set(name, entry.id);
    return l.fd >= 0 ? l.fd : 0;
  }

  /** Runs one kernel operation under `label`; its return value. */
  run(op: Op, label: string): number {
    return this.sim.run(op, label).ret;
  }

  /** Names the fd a step made (`as:`), when it made one. */
  named(as: string | undefined, pid: number, fd: number): number {
    if (as !== undefined && fd >= 0) this.fds.define(as, { pid, fd });
    return fd;
  }
}
