/**
 * The names a scenario being edited defines, read from its YAML nodes (half-written documents
 * included, aliases not followed): objects, programs and maps by the name the kernel sees,
 * processes and tasks. Completion offers them as values of `object:`, `prog:`, `map:`....
 */
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { CURSOR_MARK } from './yamlCursor';
import { DEFAULT_PROCESS, kernelName } from '../scenario/names';

export interface ScenarioNames {
  readonly objects: readonly string[];
  readonly progs: readonly string[];
  readonly maps: readonly string[];
  /** Processes (`processes`, `process_start`) and tasks (`task_new`). */
  readonly tasks: readonly string[];
}

function text(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const v = node.value;
  return (typeof v === 'string' || typeof v === 'number') && v !== CURSOR_MARK ? String(v) : null;
}

function entries(node: unknown): [string, unknown][] {
  if (!isMap(node)) return [];
  const out: [string, unknown][] = [];
  for (const pair of node.items) {
    const k = text(pair.key);
    if (k !== null) out.push([k, pair.value]);
  }
  return out;
}

function items(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

function field(map: unknown, key: string): unknown {
  return entries(map).find(([k]) => k === key)?.[1];
}

/** Every name `doc` defines, each once, in document order. */
export function scenarioNames(doc: Document): ScenarioNames {
  const objects = new Set<string>();
  const progs = new Set<string>();
  const maps = new Set<string>();
  const tasks = new Set<string>();
  const root = doc.contents;
  for (const [name, o] of entries(field(root, 'objects'))) {
    objects.add(name);
    const instance = text(field(o, 'instance')) ?? undefined;
    for (const [p] of entries(field(o, 'progs'))) progs.add(kernelName(p, instance));
    for (const [m] of entries(field(o, 'maps'))) maps.add(kernelName(m, instance));
  }
  for (const p of items(field(root, 'processes'))) {
    const n = text(field(p, 'name'));
    if (n !== null) tasks.add(n);
  }
  if (tasks.size === 0) tasks.add(DEFAULT_PROCESS.name);
  for (const step of items(field(root, 'steps'))) {
    const op = text(field(step, 'op'));
    const n = text(field(step, 'name'));
    if ((op === 'process_start' || op === 'task_new') && n !== null) tasks.add(n);
  }
  return { objects: [...objects], progs: [...progs], maps: [...maps], tasks: [...tasks] };
}
