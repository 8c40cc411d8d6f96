/**
 * Generated scenarios of a chosen size, for load and throughput benchmarks: `groups` BPF
 * objects, each with a struct_ops map and its program, a syscall program and a tp_btf/sys_enter
 * program associated with that map, a hash map and a `.bss` global; then rounds of varied
 * operations over the groups; then teardown.
 *
 * A group is 8 kernel objects (3 programs, 3 maps, 2 links), so `objects: N` makes
 * `ceil(N / 8)` groups. `steps` is the number of steps in the work phase (between loading and
 * teardown); {@link generateForEvents} picks it so the run makes about a given number of events.
 */
import { stringify } from 'yaml';
import { runScenario } from '../scenario/run';
import { scenarioSchema, type Scenario } from '../scenario/schema';

/** Kernel objects one generated group creates: 3 programs, 3 maps (with .bss), 2 links. */
export const OBJECTS_PER_GROUP = 8;

export interface GenerateOptions {
  /** About how many kernel objects (programs, maps, links) the scenario creates. */
  readonly objects: number;
  /** Steps in the work phase, between loading and teardown. */
  readonly steps: number;
}

const KFUNC = 'bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)';

function group(i: number): Record<string, unknown> {
  return {
    globals: { hits: 0, seen: 0 },
    maps: {
      [`ops_${i}`]: {
        type: 'struct_ops',
        section: '.struct_ops.link',
        struct: 'bpf_testmod_multi_st_ops',
        members: { test_1: `op_${i}` },
      },
      [`data_${i}`]: { type: 'hash', max_entries: 64 },
    },
    progs: {
      [`op_${i}`]: { section: 'struct_ops/test_1', body: [`return ${i}`] },
      [`trig_${i}`]: {
        section: 'syscall',
        body: [`ret = ${KFUNC}`, 'hits++', 'return ret'],
      },
      [`enter_${i}`]: {
        section: 'tp_btf/sys_enter',
        body: [`ret = ${KFUNC}`, 'seen++', 'return 0'],
      },
    },
  };
}

/** The work phase's k-th step: it cycles through the operation kinds and the groups. */
function work(k: number, groups: number): Record<string, unknown> {
  const i = k % groups;
  const kind = Math.floor(k / groups) % 8;
  switch (kind) {
    case 0:
      return { op: 'test_run', prog: `trig_${i}`, say: `Run trig_${i}.` };
    case 1:
      return { op: 'write_global', object: `g${i}`, name: 'hits', value: k, say: 'Reset hits.' };
    case 2:
      return {
        op: 'map_update',
        map: `data_${i}`,
        key: i % 16,
        value: { v: k },
        say: `Store into data_${i}.`,
      };
    case 3:
      return { op: 'map_lookup', map: `data_${i}`, key: i % 16, say: `Read data_${i}.` };
    case 4:
      return { op: 'syscall', task: 'loader', say: 'The loader enters a system call.' };
    case 5:
      return { op: 'map_delete', map: `data_${i}`, key: i % 16, say: `Delete from data_${i}.` };
    case 6:
      return { op: 'advance', by: '1ms', say: 'Time passes.' };
    default:
      return { op: 'test_run', prog: `trig_${i}`, say: `Run trig_${i} again.` };
  }
}

/** The scenario as plain data (what its YAML says). */
export function generateScenarioData(opts: GenerateOptions): Record<string, unknown> {
  const groups = Math.max(1, Math.ceil(opts.objects / OBJECTS_PER_GROUP));
  const objects: Record<string, unknown> = {};
  for (let i = 0; i < groups; i++) objects[`g${i}`] = group(i);
  const steps: unknown[] = [];
  for (let i = 0; i < groups; i++) {
    steps.push(
      { op: 'open_and_load', object: `g${i}`, say: `Load object g${i}.` },
      { op: 'assoc', prog: `trig_${i}`, map: `ops_${i}`, say: `Associate trig_${i}.` },
      { op: 'assoc', prog: `enter_${i}`, map: `ops_${i}`, say: `Associate enter_${i}.` },
      { op: 'skel_attach', object: `g${i}`, say: `Attach g${i}.` },
    );
  }
  for (let k = 0; k < opts.steps; k++) steps.push(work(k, groups));
  for (let i = 0; i < groups; i++)
    steps.push({ op: 'skel_destroy', object: `g${i}`, say: `Destroy g${i}.` });
  steps.push({ op: 'settle', say: 'Let deferred work finish.' });
  return {
    format: 1,
    id: `generated-${groups * OBJECTS_PER_GROUP}-objects`,
    title: `Generated: ${groups * OBJECTS_PER_GROUP} objects, ${opts.steps} work steps`,
    summary: 'Generated for benchmarks.',
    objects,
    steps,
  };
}

/** The scenario, validated. */
export function generateScenario(opts: GenerateOptions): Scenario {
  return scenarioSchema.parse(generateScenarioData(opts));
}

/** The scenario as YAML text, as a file or a `?src=` URL would give it. */
export function generateScenarioYaml(opts: GenerateOptions): string {
  return stringify(generateScenarioData(opts));
}

function eventCount(s: Scenario): number {
  return runScenario(s).frames.reduce((n, f) => n + f.events.length, 0);
}

/**
 * Options for a scenario of about `objects` kernel objects whose run makes about `events`
 * kernel events (at least the loading and teardown's own): the events per work step are
 * measured on a short run of the same size.
 */
export function generateForEvents(objects: number, events: number): GenerateOptions {
  const groups = Math.max(1, Math.ceil(objects / OBJECTS_PER_GROUP));
  const probe = groups * 8;
  const fixed = eventCount(generateScenario({ objects, steps: 0 }));
  const perStep = (eventCount(generateScenario({ objects, steps: probe })) - fixed) / probe;
  return { objects, steps: Math.max(0, Math.round((events - fixed) / Math.max(perStep, 1))) };
}
