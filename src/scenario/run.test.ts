/**
 * The runner: unmet expectations become readable failures, the reports have their documented
 * shapes, every scenario in the library verifies (with the invariants checked after every
 * event), and the ops each frame records replay to the same states.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replay } from '../core/machine';
import { formatIssues, parseScenario } from './parse';
import { runToJson, stepTable } from './report';
import { runScenario, type ScenarioRun } from './run';
import type { Scenario } from './schema';

const SMALL = `format: 1
id: run-test
title: Run test
summary: Expectations that hold and expectations that do not.
objects:
  obj:
    globals: { hits: 0 }
    maps:
      ops_map:
        type: struct_ops
        struct: bpf_testmod_multi_st_ops
        members: { test_1: test_1 }
      other_map:
        type: struct_ops
        struct: bpf_testmod_multi_st_ops
        members: {}
    progs:
      test_1:
        section: struct_ops/test_1
        body: [return 1234]
      helper:
        section: syscall
        body:
          - ret = bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)
          - if: ret == 1234
            then: [hits++]
          - return 7
steps:
  - op: open_and_load
    object: obj
    say: Load.
    expect: { ret: 0, state: { map.ops_map.state: INIT, prog.helper.assoc: NULL } }
  - op: assoc
    prog: helper
    map: ops_map
    say: Associate.
    expect: { ret: 0, state: { prog.helper.assoc: ops_map, map.ops_map.refcnt: 2 } }
  - op: assoc
    prog: helper
    map: other_map
    say: A second map; the kernel says EBUSY.
    expect: { ret: -EBUSY }
  - op: attach_struct_ops
    map: ops_map
    say: Attach.
    expect: { state: { map.ops_map.state: READY, link.ops_map_link.map: ops_map } }
  - op: test_run
    prog: helper
    say: Run.
    expect: { ret: 0, retval: 7, state: { global.hits: 1, prog.test_1.run_cnt: 1 } }
  - op: link_destroy
    link: ops_map_link
    say: Destroy the link.
  - op: close
    prog: helper
    say: Close the program.
  - op: settle
    say: Everything deferred runs.
    expect: { state: { prog.helper.state: FREED, oops: none, pending: 0 } }
`;

function parsed(text: string): Scenario {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.scenario;
}

/** SMALL with one piece of text replaced. */
function variant(from: string, to: string): Scenario {
  if (!SMALL.includes(from)) throw new Error(`'${from}' is not in SMALL`);
  return parsed(SMALL.replace(from, to));
}

const allFailures = (run: ScenarioRun): string[] => run.frames.flatMap((f) => f.failures);

describe('runScenario: expectations', () => {
  it('a scenario whose expectations hold has no failures', () => {
    const run = runScenario(parsed(SMALL), { checkInvariants: true });
    expect(allFailures(run)).toEqual([]);
    expect(run.frames).toHaveLength(8);
    expect(run.frames[2]?.result).toMatchObject({ ret: -16, errno: 'EBUSY' });
    expect(run.frames[4]?.retval).toBe(7);
  });

  it('a ret mismatch names what was expected, what came back, and why', () => {
    const run = runScenario(variant('expect: { ret: -EBUSY }', 'expect: { ret: 0 }'));
    const f = run.frames[2];
    expect(f?.failures).toHaveLength(1);
    expect(f?.failures[0]).toMatch(/^expected ret 0, got -EBUSY \(.+\)$/);
    expect(run.frames.filter((x) => x.failures.length > 0)).toHaveLength(1);
  });

  it('a ret given as an errno name that does not come back', () => {
    const run = runScenario(
      variant(
        'say: Associate.\n    expect: { ret: 0,',
        'say: Associate.\n    expect: { ret: EBUSY,',
      ),
    );
    expect(run.frames[1]?.failures).toEqual(['expected ret EBUSY, got 0']);
  });

  it('a state mismatch names the path, the expected and the actual value', () => {
    const run = runScenario(variant('map.ops_map.refcnt: 2', 'map.ops_map.refcnt: 5'));
    expect(run.frames[1]?.failures).toEqual(['expected map.ops_map.refcnt = 5, got 2']);
  });

  it('a state path whose object is gone says so', () => {
    const run = runScenario(variant('prog.helper.state: FREED', 'link.ops_map_link.state: LIVE'));
    expect(run.frames[7]?.failures).toEqual([
      'expected link.ops_map_link.state = "LIVE", got "FREED"',
    ]);
  });

  it('a retval mismatch', () => {
    const run = runScenario(variant('retval: 7', 'retval: 8'));
    expect(run.frames[4]?.failures).toEqual(['expected retval 8, got 7']);
  });

  it('several failures of one step are all reported', () => {
    const run = runScenario(
      variant(
        'expect: { ret: 0, retval: 7, state: { global.hits: 1, prog.test_1.run_cnt: 1 } }',
        'expect: { ret: -EINVAL, retval: 0, state: { global.hits: 2, prog.test_1.run_cnt: 1 } }',
      ),
    );
    expect(run.frames[4]?.failures).toEqual([
      expect.stringMatching(/^expected ret -EINVAL, got 0/),
      'expected retval 0, got 7',
      'expected global.hits = 2, got 1',
    ]);
  });
});

describe('reports', () => {
  it('stepTable: title, header, one row per step with its return, and the verdict', () => {
    const table = stepTable(runScenario(parsed(SMALL)));
    const lines = table.split('\n');
    expect(lines[0]).toBe('Run test');
    expect(lines[2]).toMatch(/^#\s+operation\s+return\s+what changed$/);
    const ebusy = lines.find((l) => l.startsWith('3 '));
    expect(ebusy).toContain('-EBUSY (16)');
    expect(ebusy).toContain('(no change)');
    expect(lines.find((l) => l.startsWith('8 '))).toMatch(/everything pending runs\s+-\s/);
    expect(lines.at(-1)).toBe('8 steps, all expectations met');
  });

  it('stepTable: failures under their step, and a count', () => {
    const table = stepTable(runScenario(variant('retval: 7', 'retval: 8')));
    const lines = table.split('\n');
    const row = lines.findIndex((l) => l.startsWith('5 '));
    expect(lines[row + 1]).toBe('     ✗ expected retval 8, got 7');
    expect(lines.at(-1)).toBe('1 step(s) failed their expectations');
  });

  it('runToJson has the documented shape and is plain JSON', () => {
    const run = runScenario(parsed(SMALL));
    const json = runToJson(run) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['id', 'title', 'frames', 'final']);
    expect(json).toMatchObject({ id: 'run-test', title: 'Run test' });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    const frames = json['frames'] as Record<string, unknown>[];
    expect(frames).toHaveLength(8);
    for (const f of frames) {
      expect(Object.keys(f)).toEqual([
        'step',
        'op',
        'label',
        'ret',
        'errno',
        'reason',
        'retval',
        'failures',
        'events',
      ]);
      for (const e of f['events'] as Record<string, unknown>[])
        expect(Object.keys(e)).toEqual([
          'fn',
          'file',
          'kind',
          'target',
          'field',
          'before',
          'after',
          'why',
        ]);
    }
    expect(frames[2]).toMatchObject({
      step: 3,
      op: 'assoc',
      ret: -16,
      errno: 'EBUSY',
      reason: expect.any(String),
      retval: null,
      failures: [],
    });
    expect(frames[4]).toMatchObject({ step: 5, op: 'test_run', ret: 0, errno: null, retval: 7 });
    expect(frames[7]).toMatchObject({ step: 8, op: 'settle', ret: null, errno: null });
    expect((frames[1]?.['events'] as unknown[]).length).toBeGreaterThan(0);
    expect(json['final']).toEqual(run.frames.at(-1)?.state);
  });
});

const LIBRARY = fileURLToPath(new URL('./library', import.meta.url));
// Read when the tests are collected: others add scenarios all the time, and each one counts.
const libraryFiles = readdirSync(LIBRARY)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Parses and runs a library file; every problem as `file:line: ...` text. */
function verify(file: string): { run: ScenarioRun | null; problems: string[] } {
  const text = readFileSync(join(LIBRARY, file), 'utf8');
  const r = parseScenario(text);
  if (!r.ok) return { run: null, problems: formatIssues(r.issues, file).split('\n') };
  const run = runScenario(r.scenario, { checkInvariants: true });
  const problems = run.frames.flatMap((f) =>
    f.failures.map(
      (msg) => `${file}:${r.stepLines[f.index] ?? 0}: step ${f.index + 1} (${f.step.op}): ${msg}`,
    ),
  );
  return { run, problems };
}

describe('the library', () => {
  it('has scenarios', () => {
    expect(libraryFiles).toContain('selftest-st-ops-assoc.yaml');
  });

  it.each(libraryFiles)('%s parses and verifies with the invariants checked', (file) => {
    const { run, problems } = verify(file);
    expect(problems, problems.join('\n')).toEqual([]);
    expect(run?.scenario.id).toBe(file.replace(/\.yaml$/, ''));
  });
});

describe('replay', () => {
  const cases: [string, () => ScenarioRun | null][] = [
    ['the inline scenario', () => runScenario(parsed(SMALL))],
    ...libraryFiles.map((f): [string, () => ScenarioRun | null] => [f, () => verify(f).run]),
  ];

  it.each(cases)("%s: each frame's ops, replayed from run.initial, give its states", (_n, get) => {
    const run = get();
    expect(run).not.toBeNull();
    if (!run) return;
    const ops = run.frames.flatMap((f) => f.ops);
    expect(ops.length).toBeGreaterThan(0);
    const replayed = replay(run.initial, ops);
    expect(replayed).toHaveLength(ops.length);
    expect(replayed.at(-1)?.state).toEqual(run.frames.at(-1)?.state);
    // Step by step too: after step i's ops, the state is frame i's.
    let k = 0;
    for (const f of run.frames) {
      k += f.ops.length;
      const state = k === 0 ? run.initial : replayed[k - 1]?.state;
      expect(state, `after step ${f.index + 1}`).toEqual(f.state);
    }
  });
});
