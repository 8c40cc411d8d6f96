/**
 * The names a scenario defines and uses: programs and maps by the name the kernel sees
 * (the C name plus the object's instance suffix), objects, processes, tasks and links.
 */
import { parseSection, type SectionInfo } from '../libbpf/object';
import type { Scenario, Step } from './schema';
import { own } from '../core/own';

export interface ProgName {
  readonly object: string;
  readonly cname: string;
  readonly section: SectionInfo | null;
}

export interface MapName {
  readonly object: string;
  readonly cname: string;
  readonly structOps: boolean;
}

export interface NameTable {
  readonly progs: ReadonlyMap<string, ProgName>;
  readonly maps: ReadonlyMap<string, MapName>;
  readonly processes: ReadonlyMap<string, number>;
  /** Task names → tid (process main threads and task_new). */
  readonly tasks: ReadonlyMap<string, number>;
  /** Link names each step defines, by step index. */
  readonly linksAt: ReadonlyMap<number, readonly string[]>;
  /** kernel name of an object program/map. */
  readonly kname: (object: string, cname: string) => string;
}

export const DEFAULT_PROCESS = { name: 'loader', pid: 100 };

export function processesOf(s: Scenario): { name: string; pid: number }[] {
  return s.processes && s.processes.length > 0 ? s.processes : [DEFAULT_PROCESS];
}

/** Link names a step creates: `as`, or `<map>_link` / `<prog>_link`; skeleton attach names each. */
export function linksCreatedBy(step: Step, s: Scenario, kname: NameTable['kname']): string[] {
  switch (step.op) {
    case 'attach_struct_ops':
      return [step.as ?? `${step.map}_link`];
    case 'attach':
      return [step.as ?? `${step.prog}_link`];
    case 'link_create':
      return [step.as ?? `${String(step.map)}_link`];
    case 'skel_attach': {
      const o = own(s.objects, step.object);
      if (!o) return [];
      const out: string[] = [];
      for (const [p, d] of Object.entries(o.progs)) {
        const sec = parseSection(d.section);
        const loaded = sec?.autoload || (o.autoload ?? []).includes(p);
        if (sec?.autoattach && loaded) out.push(`${kname(step.object, p)}_link`);
      }
      for (const [m, d] of Object.entries(o.maps ?? {})) {
        if (d.type === 'struct_ops' && d.autoattach !== false)
          out.push(`${kname(step.object, m)}_link`);
      }
      return out;
    }
    default:
      return [];
  }
}

/** The name the kernel sees for program or map `cname` of an object with `instance` (if any). */
export function kernelName(cname: string, instance: string | undefined): string {
  return instance ? `${cname}_${instance}` : cname;
}

export function buildNames(s: Scenario): NameTable {
  const kname = (object: string, cname: string) =>
    kernelName(cname, own(s.objects, object)?.instance);
  const progs = new Map<string, ProgName>();
  const maps = new Map<string, MapName>();
  for (const [object, o] of Object.entries(s.objects)) {
    for (const [cname, p] of Object.entries(o.progs))
      progs.set(kname(object, cname), { object, cname, section: parseSection(p.section) });
    for (const [cname, m] of Object.entries(o.maps ?? {}))
      maps.set(kname(object, cname), { object, cname, structOps: m.type === 'struct_ops' });
  }
  const processes = new Map(processesOf(s).map((p) => [p.name, p.pid]));
  const tasks = new Map(processes);
  const linksAt = new Map<number, readonly string[]>();
  s.steps.forEach((step, i) => {
    if (step.op === 'task_new') tasks.set(step.name, step.tid);
    if (step.op === 'process_start') tasks.set(step.name, step.pid);
    if (step.op === 'fork') {
      processes.set(step.child, step.pid);
      tasks.set(step.child, step.pid);
    }
    const links = linksCreatedBy(step, s, kname);
    if (links.length) linksAt.set(i, links);
  });
  return { progs, maps, processes, tasks, linksAt, kname };
}
