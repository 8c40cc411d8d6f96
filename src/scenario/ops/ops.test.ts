/**
 * The kernel-test steps and expectations of the scenario format: each parses and runs with the
 * kernel's counts, and each misuse is refused at the line and column where it is.
 */
import { describe, expect, it } from 'vitest';
import { formatIssues, parseScenario, type ScenarioIssue } from '../parse';
import { runScenario } from '../run';

const BASE = `format: 1
id: ops-test
title: Ops test
summary: Fds shared and counted, time one item at a time.
processes:
  - { name: loader, pid: 100 }
  - { name: peer, pid: 200 }
objects:
  obj:
    globals: { hits: 0 }
    maps:
      ops_map:
        type: struct_ops
        struct: bpf_testmod_multi_st_ops
        members: { test_1: test_1 }
      spare_map:
        type: struct_ops
        struct: bpf_testmod_multi_st_ops
        members: {}
    progs:
      test_1:
        section: struct_ops
        body: [return 1]
      helper:
        section: syscall
        body: [return 0]
steps:
  - op: open_and_load
    object: obj
    say: Load.
  - op: link_create
    map: spare_map
    say: A link on an INIT map.
    expect: { ret: EINVAL, bpf: [BPF_LINK_CREATE], not_called: [multi_st_ops_reg] }
  - op: map_update
    map: spare_map
    value: { data: { test_1: { fd: test_1 } } }
    say: A raw update naming the program by its fd.
    expect: { ret: 0, state: { map.spare_map.state: READY } }
  - op: map_lookup
    map: spare_map
    say: Look it up.
    expect: { ret: 0, value: { common.state: 3 } }
  - op: dup
    fd: ops_map
    as: map_dup
    say: Dup.
    expect: { state: { map.ops_map.refcnt: 1 } }
  - op: send_fd
    fd: map_dup
    to: peer
    as: peer_map
    say: Send.
    expect: { ret: 3, state: { map.ops_map.usercnt: 1 } }
  - op: obj_pin
    fd: peer_map
    path: /sys/fs/bpf/ops_map
    say: Pin.
    expect: { ret: 0, state: { map.ops_map.refcnt: 2, map.ops_map.usercnt: 2 } }
  - op: obj_get
    path: /sys/fs/bpf/ops_map
    as: ops_map_again
    say: Get it back from bpffs.
    expect: { state: { map.ops_map.refcnt: 3, map.ops_map.usercnt: 3 } }
  - op: close
    fd: ops_map_again
    say: Close the fd it gave.
    expect: { ret: 0, state: { map.ops_map.refcnt: 2, map.ops_map.usercnt: 2 } }
  - op: get_fd_by_id
    type: prog
    id: helper
    as: helper_again
    say: By id.
    expect: { state: { prog.helper.refcnt: 2 } }
  - op: close
    fd: helper_again
    say: Close it.
    expect: { ret: 0, state: { prog.helper.refcnt: 1 } }
  - op: close
    prog: helper
    say: The last fd.
    expect: { state: { prog.helper.state: FREEING, pending: 1 } }
  - op: rcu_gp
    say: An RCU grace period does not free a sleepable program.
    expect: { bpf: [], state: { prog.helper.state: FREEING, pending: 1 } }
  - op: tasks_trace_gp
    say: A tasks-trace grace period does.
    expect: { called: [__bpf_prog_put_rcu], state: { pending: 1 } }
  - op: work_item
    say: The free work.
    expect: { ret: 0, state: { prog.helper.state: FREED, pending: 0 } }
  - op: work_item
    say: Nothing left.
    expect: { ret: ENOENT }
`;

function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let index = -1;
  for (let k = 0; k <= nth; k++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`'${needle}' is not in the text`);
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}

function edit(from: string, to: string): string {
  if (!BASE.includes(from)) throw new Error(`'${from}' is not in BASE`);
  return BASE.replace(from, to);
}

function issuesOf(text: string): readonly ScenarioIssue[] {
  const r = parseScenario(text);
  if (r.ok) throw new Error('expected the scenario to be refused, but it parsed');
  return r.issues;
}

function expectIssue(text: string, needle: string, part: string, nth = 0): void {
  const issues = issuesOf(text);
  const pos = at(text, needle, nth);
  const found = issues.find(
    (i) => i.line === pos.line && i.column === pos.column && i.message.includes(part),
  );
  expect(
    found,
    `no "${part}" at ${pos.line}:${pos.column}; got:\n${formatIssues(issues)}`,
  ).toBeDefined();
}

describe('BASE', () => {
  it('parses and runs with every expectation met, invariants checked', () => {
    const r = parseScenario(BASE);
    expect(r.ok, r.ok ? '' : formatIssues(r.issues)).toBe(true);
    if (!r.ok) return;
    const run = runScenario(r.scenario, { checkInvariants: true });
    expect(run.frames.flatMap((f) => f.failures)).toEqual([]);
  });
});

describe('misuse is refused at its line and column', () => {
  it('an fd name nothing defined, with did-you-mean', () => {
    const text = edit('    fd: map_dup\n', '    fd: map_dupp\n');
    expectIssue(text, 'map_dupp', "no fd named 'map_dupp' (did you mean 'map_dup'?)");
  });

  it('an fd name used before the step that defines it', () => {
    const text = edit('  - op: dup\n    fd: ops_map\n', '  - op: dup\n    fd: peer_map\n');
    expectIssue(text, 'peer_map', "no fd named 'peer_map'");
  });

  it('a { fd: } in a map value that names nothing', () => {
    const text = edit('{ fd: test_1 }', '{ fd: test_2 }');
    expectIssue(text, 'test_2', "no fd named 'test_2'");
  });

  it('a pin path outside bpffs', () => {
    const text = edit('/sys/fs/bpf/ops_map', '/tmp/ops_map');
    expectIssue(text, '/tmp/ops_map', 'a bpffs path');
  });

  it('an obj_get path outside bpffs', () => {
    const text = edit(
      '  - op: obj_get\n    path: /sys/fs/bpf/ops_map\n',
      '  - op: obj_get\n    path: /tmp/ops_map_get\n',
    );
    expectIssue(text, '/tmp/ops_map_get', 'a bpffs path');
  });

  it('a receiving process that does not exist', () => {
    const text = edit('    to: peer\n', '    to: pear\n');
    expectIssue(text, 'pear', "no process 'pear' (did you mean 'peer'?)");
  });

  it('an id by a name that is not of that type', () => {
    const text = edit('    type: prog\n    id: helper\n', '    type: map\n    id: helper\n');
    expectIssue(text, 'helper\n    as:', "no map 'helper'");
  });

  it('an unknown bpf() command and an oops in a program that does not exist', () => {
    const text = edit(
      'expect: { ret: EINVAL, bpf: [BPF_LINK_CREATE], not_called: [multi_st_ops_reg] }',
      'expect: { bpf: [BPF_LINK_CREAT], oops_at: { prog: helpr } }',
    );
    expectIssue(text, 'BPF_LINK_CREAT]', 'BPF_LINK_CREATE');
  });

  it('an oops_at program that does not exist', () => {
    const text = edit(
      'expect: { ret: EINVAL, bpf: [BPF_LINK_CREATE], not_called: [multi_st_ops_reg] }',
      'expect: { oops_at: { prog: helpr } }',
    );
    expectIssue(text, 'helpr', "no program 'helpr' (did you mean 'helper'?)");
  });

  it('an unknown key on a new step', () => {
    const text = edit('  - op: rcu_gp\n', '  - op: rcu_gp\n    by: 1ms\n');
    expectIssue(text, 'by: 1ms', "unknown key 'by'");
  });
});

describe('expectations on what a step did report what happened', () => {
  it('a wrong bpf() list, a function that did not run, a dmesg count, an oops that did not happen', () => {
    const text = edit(
      'expect: { bpf: [], state: { prog.helper.state: FREEING, pending: 1 } }',
      "expect: { bpf: [BPF_MAP_CREATE], called: [bpf_prog_free_deferred], dmesg: { contains: 'BUG', times: 1 }, oops_at: { prog: helper } }",
    );
    const r = parseScenario(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const failures = runScenario(r.scenario).frames.flatMap((f) => f.failures);
    expect(failures).toEqual([
      'expected bpf() commands BPF_MAP_CREATE, got none',
      'expected bpf_prog_free_deferred to run, but it did not',
      'expected 1 dmesg line(s) containing "BUG", got 0',
      'expected an oops, but the step did not oops',
    ]);
  });
});
