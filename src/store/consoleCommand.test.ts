/**
 * The console language: each command form becomes the scenario step a file would spell, with
 * the typed line as its narration; help, empty input, unknown verbs and usage errors are not
 * steps.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssues, parseScenario } from '../scenario/parse';
import { stepSchema, type Scenario, type Step } from '../scenario/schema';
import { HELP_TEXT, parseCommand, type Command } from './consoleCommand';

function library(id: string): Scenario {
  const file = fileURLToPath(new URL(`../scenario/library/${id}.yaml`, import.meta.url));
  const r = parseScenario(readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(formatIssues(r.issues, file));
  return r.scenario;
}

const assocScenario = library('selftest-st-ops-assoc');
// Two objects, the second with instance '2': its maps are named `<map>_2`.
const gpuScenario = library('scx-layered-gpu');

const parse = (text: string, scenario: Scenario = assocScenario): Command =>
  parseCommand(text, scenario);

/** The step a line makes; fails the test when it makes none. */
function stepOf(text: string, scenario: Scenario = assocScenario): Step {
  const c = parse(text, scenario);
  if (c.kind !== 'step') throw new Error(`'${text}' gave ${JSON.stringify(c)}`);
  // Whatever the console makes, the scenario format accepts.
  expect(stepSchema.safeParse(c.step).success, text).toBe(true);
  return c.step;
}

const say = (text: string) => `console: ${text.trim()}`;

/** A step without its narration (Omit, distributed over the union of ops). */
type Bare<T> = T extends unknown ? Omit<T, 'say'> : never;

describe('commands that make steps', () => {
  it.each<[string, Bare<Step>]>([
    [
      'assoc syscall_prog_a st_ops_map_a',
      { op: 'bpf_prog_assoc_struct_ops', prog_fd: 'syscall_prog_a', map_fd: 'st_ops_map_a' },
    ],
    [
      'assoc syscall_prog_a st_ops_map_a 1',
      {
        op: 'bpf_prog_assoc_struct_ops',
        prog_fd: 'syscall_prog_a',
        map_fd: 'st_ops_map_a',
        flags: 1,
      },
    ],
    [
      'assoc test_1_a st_ops_map_b 0x10',
      { op: 'bpf_prog_assoc_struct_ops', prog_fd: 'test_1_a', map_fd: 'st_ops_map_b', flags: 16 },
    ],
    [
      'libbpf-assoc sys_enter_prog_a st_ops_map_b',
      { op: 'assoc', prog: 'sys_enter_prog_a', map: 'st_ops_map_b' },
    ],
    ['run syscall_prog_a', { op: 'test_run', prog: 'syscall_prog_a' }],
    ['attach st_ops_map_a', { op: 'attach_struct_ops', map: 'st_ops_map_a' }],
    ['attach sys_enter_prog_a', { op: 'attach', prog: 'sys_enter_prog_a' }],
    ['attach nosuch', { op: 'attach', prog: 'nosuch' }],
    ['detach st_ops_map_a_link', { op: 'link_detach', link: 'st_ops_map_a_link' }],
    ['destroy st_ops_map_a_link', { op: 'link_destroy', link: 'st_ops_map_a_link' }],
    ['close 5', { op: 'close', fd: 5 }],
    ['close 0x7', { op: 'close', fd: 7 }],
    ['close prog syscall_prog_a', { op: 'close', prog: 'syscall_prog_a' }],
    ['close map st_ops_map_b', { op: 'close', map: 'st_ops_map_b' }],
    ['close link st_ops_map_a_link', { op: 'close', link: 'st_ops_map_a_link' }],
    ['lookup st_ops_map_a', { op: 'map_lookup', map: 'st_ops_map_a', key: 0 }],
    ['lookup gpu_tid 3', { op: 'map_lookup', map: 'gpu_tid', key: 3 }],
    ['lookup gpu_tid some_key', { op: 'map_lookup', map: 'gpu_tid', key: 'some_key' }],
    ['delete gpu_tid', { op: 'map_delete', map: 'gpu_tid', key: 0 }],
    ['delete gpu_tid 0x2', { op: 'map_delete', map: 'gpu_tid', key: 2 }],
    ['set test_pid 100', { op: 'write_global', name: 'test_pid', value: 100 }],
    ['set test_pid -1', { op: 'write_global', name: 'test_pid', value: -1 }],
    ['set cpus[2] 0x1f', { op: 'write_global', name: 'cpus', value: 31, index: 2 }],
    ['syscall', { op: 'syscall' }],
    ['syscall loader', { op: 'syscall', task: 'loader' }],
    ['syscall 101', { op: 'syscall', task: 101 }],
    ['hit nvidia_open worker', { op: 'kernel_func', func: 'nvidia_open', task: 'worker' }],
    ['hit nvidia_open 4242', { op: 'kernel_func', func: 'nvidia_open', task: 4242 }],
    ['advance 500ms', { op: 'advance', by: '500ms' }],
    ['advance 1s', { op: 'advance', by: '1s' }],
    ['advance 20us', { op: 'advance', by: '20us' }],
    ['advance 20µs', { op: 'advance', by: '20µs' }],
    ['advance 1.5ms', { op: 'advance', by: '1.5ms' }],
    ['advance 10 ms', { op: 'advance', by: '10ms' }],
    ['advance 250', { op: 'advance', by: 250 }],
    ['advance 100ns', { op: 'advance', by: '100ns' }],
    ['drain', { op: 'drain' }],
    ['settle', { op: 'settle' }],
  ])('%s', (text, want) => {
    expect(stepOf(text)).toEqual({ ...want, say: say(text) });
  });

  it('narrates with the trimmed line', () => {
    expect(stepOf('   run   syscall_prog_a  ')).toEqual({
      op: 'test_run',
      prog: 'syscall_prog_a',
      say: 'console: run   syscall_prog_a',
    });
  });

  it('attach tells maps from programs, instance suffixes included', () => {
    expect(stepOf('attach layered', gpuScenario)).toMatchObject({
      op: 'attach_struct_ops',
      map: 'layered',
    });
    expect(stepOf('attach layered_2', gpuScenario)).toMatchObject({
      op: 'attach_struct_ops',
      map: 'layered_2',
    });
    expect(stepOf('attach gpu_tid_2', gpuScenario)).toMatchObject({ op: 'attach_struct_ops' });
    expect(stepOf('attach gpu_kick', gpuScenario)).toEqual({
      op: 'attach',
      prog: 'gpu_kick',
      say: 'console: attach gpu_kick',
    });
    // A map of one scenario is a program name in another.
    expect(stepOf('attach layered', assocScenario)).toMatchObject({ op: 'attach' });
  });
});

describe('commands that are not steps', () => {
  it('help', () => {
    expect(parse('help')).toEqual({ kind: 'help' });
    expect(parse('  help  ')).toEqual({ kind: 'help' });
  });

  it('every verb the help lists is understood', () => {
    const verbs = [...HELP_TEXT.matchAll(/(?:^|\| )([a-z-]+)\b/gm)].map((m) => m[1] ?? '');
    expect([...new Set(verbs)]).toEqual([
      'assoc',
      'libbpf-assoc',
      'run',
      'attach',
      'detach',
      'destroy',
      'close',
      'lookup',
      'delete',
      'set',
      'syscall',
      'hit',
      'advance',
      'drain',
      'settle',
      'help',
    ]);
    for (const verb of verbs) {
      const c = parse(`${verb} a b c`);
      if (c.kind === 'error') expect(c.message, verb).not.toMatch(/unknown command/);
    }
  });

  it.each(['', '   ', '\t'])('empty input %j', (text) => {
    expect(parse(text)).toEqual({ kind: 'error', message: 'type a command, or help' });
  });

  it('an unknown verb', () => {
    expect(parse('frobnicate x')).toEqual({
      kind: 'error',
      message: "unknown command 'frobnicate'; type help",
    });
    expect(parse('ASSOC a b')).toMatchObject({ kind: 'error', message: /unknown command 'ASSOC'/ });
  });

  it.each<[string, string]>([
    ['assoc', 'usage: assoc <prog> <map> [flags]'],
    ['assoc syscall_prog_a', 'usage: assoc <prog> <map> [flags]'],
    ['libbpf-assoc syscall_prog_a', 'usage: libbpf-assoc <prog> <map>'],
    ['run', 'usage: run <prog>'],
    ['attach', 'usage: attach <map|prog>'],
    ['detach', 'usage: detach <link>'],
    ['destroy', 'usage: destroy <link>'],
    ['close', 'usage: close <fd> | close prog|map|link <name>'],
    ['close prog', 'usage: close <fd> | close prog|map|link <name>'],
    ['close syscall_prog_a', 'usage: close <fd> | close prog|map|link <name>'],
    ['close timer t0', 'usage: close <fd> | close prog|map|link <name>'],
    ['lookup', 'usage: lookup <map> [key]'],
    ['delete', 'usage: delete <map> [key]'],
    ['set test_pid', 'usage: set <global>[i] <value>'],
    ['set test_pid lots', 'usage: set <global>[i] <value> (a number)'],
    ['set 9lives 1', 'usage: set <global>[i] <value> (a number)'],
    ['set cpus[x] 1', 'usage: set <global>[i] <value> (a number)'],
    ['hit nvidia_open', 'usage: hit <function> <task>'],
    ['advance', 'usage: advance <duration>, e.g. 500ms'],
    ['advance soon', 'a duration such as 500ms, 1s, 20us or a number of ns'],
    ['advance 5 parsecs', 'a duration such as 500ms, 1s, 20us or a number of ns'],
    ['advance -5ms', 'a duration such as 500ms, 1s, 20us or a number of ns'],
  ])('usage error: %s', (text, message) => {
    expect(parse(text)).toEqual({ kind: 'error', message });
  });
});
