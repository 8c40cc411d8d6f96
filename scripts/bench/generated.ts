/**
 * The benchmark's generated scenario: one BPF object with `n` struct_ops maps, each with its
 * struct_ops program and a syscall program; loaded in one step, then one step per association,
 * the attach, `runs` test runs, and teardown. `n = 150` is about 1,000 kernel objects on
 * screen (300 programs, 150 struct_ops maps, their fds, links and references).
 * {@link sizedScenario} makes scenarios of a chosen number of objects and events.
 */
import { stringify } from 'yaml';
import { runScenario } from '../../src/scenario/run';
import { scenarioSchema } from '../../src/scenario/schema';

export function benchScenarioData(n = 150, runs = 20): Record<string, unknown> {
  const progs: Record<string, unknown> = {};
  const maps: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    progs[`op_${i}`] = { section: 'struct_ops/test_1', body: [`return ${i}`] };
    progs[`trigger_${i}`] = {
      section: 'syscall',
      body: ['ret = bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)', 'hits++', 'return ret'],
    };
    maps[`ops_${i}`] = {
      type: 'struct_ops',
      section: '.struct_ops.link',
      struct: 'bpf_testmod_multi_st_ops',
      members: { test_1: `op_${i}` },
    };
  }
  const steps: unknown[] = [
    {
      op: 'open_and_load',
      object: 'big',
      say: `Load ${2 * n} programs and ${n} struct_ops maps.`,
    },
  ];
  for (let i = 0; i < n; i++)
    steps.push({
      op: 'assoc',
      prog: `trigger_${i}`,
      map: `ops_${i}`,
      say: `Associate trigger_${i}.`,
    });
  steps.push({ op: 'skel_attach', object: 'big', say: 'Attach every map.' });
  for (let i = 0; i < runs; i++)
    steps.push({ op: 'test_run', prog: `trigger_${i % n}`, say: `Run trigger_${i % n}.` });
  steps.push(
    { op: 'skel_destroy', object: 'big', say: 'Destroy.' },
    { op: 'settle', say: 'Settle.' },
  );
  return {
    format: 1,
    id: `bench-${n}`,
    title: `Benchmark: about ${8 * n + 4} objects`,
    summary: 'Generated for npm run bench.',
    objects: { big: { globals: { hits: 0 }, maps, progs } },
    steps,
  };
}

/** The scenario as YAML text, as `?src=` loads it. */
export function benchScenarioYaml(n = 150, runs = 20): string {
  return stringify(benchScenarioData(n, runs));
}

/** A load benchmark size: about `objects` objects on screen and `events` kernel events. */
export interface ScenarioSize {
  readonly objects: number;
  readonly events: number;
}

/**
 * {@link benchScenarioData}'s `n` and `runs` for a size: after the attach, `8n + 4` objects are
 * on screen (programs, maps, links, fds, the process, the registry); loading, associating,
 * attaching and tearing down make about 57 events per `n`, a test run about 12.
 */
export function sizeParams({ objects, events }: ScenarioSize): { n: number; runs: number } {
  const n = Math.max(1, Math.round((objects - 4) / 8));
  return { n, runs: Math.max(1, Math.round((events - 57 * n) / 12)) };
}

/**
 * A generated scenario of about a chosen size, as YAML (kept well under the app's 256 KiB
 * limit on scenario text: about 170 KB at 3,000 objects), with the number of kernel events
 * its run makes.
 */
export function sizedScenario(size: ScenarioSize): { yaml: string; events: number } {
  const { n, runs } = sizeParams(size);
  const data = benchScenarioData(n, runs);
  const events = runScenario(scenarioSchema.parse(data)).frames.reduce(
    (sum, f) => sum + f.events.length,
    0,
  );
  return { yaml: stringify(data), events };
}
