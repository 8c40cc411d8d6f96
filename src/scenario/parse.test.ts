/**
 * The parser's promise: every problem in a scenario is reported at once, each at the line and
 * column where it is, in a sentence a person understands; nothing is thrown and nothing is
 * evaluated, whatever the input.
 *
 * Each malformed case starts from BASE (which parses and runs clean) and changes one thing.
 * Positions are asserted exactly: `at(text, needle)` finds the 1-based line:column of a piece of
 * text that occurs once, and some cases also spell the numbers out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { formatIssues, MAX_SCENARIO_BYTES, parseScenario, type ScenarioIssue } from './parse';
import { runScenario } from './run';

const BASE = `format: 1
id: parse-test
title: Parse test
summary: A small valid scenario the malformed cases start from.
objects:
  obj:
    globals: { hits: 0 }
    maps:
      ops_map:
        type: struct_ops
        struct: bpf_testmod_multi_st_ops
        members: { test_1: test_1 }
    progs:
      test_1:
        section: struct_ops/test_1
        body: [return 1]
      helper:
        section: syscall
        body:
          - ret = bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)
          - if: ret == 1
            then: [hits++]
          - return 0
steps:
  - op: open_and_load
    object: obj
    say: Load.
  - op: assoc
    prog: helper
    map: ops_map
    say: Associate.
    expect: { ret: 0, state: { prog.helper.assoc: ops_map } }
  - op: attach_struct_ops
    map: ops_map
    say: Attach.
  - op: link_destroy
    link: ops_map_link
    say: Destroy.
`;

/** The 1-based line and column of the `nth` occurrence of `needle` (plus `shift` characters). */
function at(text: string, needle: string, shift = 0, nth = 0): { line: number; column: number } {
  let index = -1;
  for (let k = 0; k <= nth; k++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`'${needle}' (#${nth}) is not in the text`);
  }
  if (nth === 0 && text.indexOf(needle, index + 1) >= 0)
    throw new Error(`'${needle}' occurs more than once: say which with nth`);
  const before = text.slice(0, index + shift);
  const line = before.split('\n').length;
  return { line, column: index + shift - before.lastIndexOf('\n') };
}

/** BASE (or `text`) with one occurrence of `from` replaced by `to`. */
function edit(from: string, to: string, text = BASE): string {
  if (!text.includes(from)) throw new Error(`'${from}' is not in the text`);
  return text.replace(from, to);
}

function issuesOf(text: string): readonly ScenarioIssue[] {
  const r = parseScenario(text);
  if (r.ok) throw new Error('expected the scenario to be refused, but it parsed');
  return r.issues;
}

/** Asserts there is an issue at exactly `pos` whose message contains `part`. */
function expectIssue(
  issues: readonly ScenarioIssue[],
  pos: { line: number; column: number },
  part: string,
): void {
  const found = issues.find(
    (i) => i.line === pos.line && i.column === pos.column && i.message.includes(part),
  );
  expect(
    found,
    `no issue at ${pos.line}:${pos.column} containing "${part}"; got:\n${formatIssues(issues)}`,
  ).toBeDefined();
}

describe('BASE', () => {
  it('parses and runs with every expectation met', () => {
    const r = parseScenario(BASE);
    expect(r.ok, r.ok ? '' : formatIssues(r.issues)).toBe(true);
    if (!r.ok) return;
    expect(r.stepLines).toEqual([25, 28, 33, 36]);
    const run = runScenario(r.scenario, { checkInvariants: true });
    expect(run.frames.flatMap((f) => f.failures)).toEqual([]);
  });
});

describe('schema problems', () => {
  it('an unknown top-level key, with did-you-mean, and the key it was meant to be', () => {
    const text = edit('title: Parse test', 'titel: Parse test');
    const issues = issuesOf(text);
    expect(at(text, 'titel')).toEqual({ line: 3, column: 1 });
    expectIssue(issues, { line: 3, column: 1 }, "unknown key 'titel' (did you mean 'title'?)");
    expectIssue(issues, { line: 1, column: 1 }, "missing 'title'");
    expect(issues).toHaveLength(2);
  });

  it('an unknown key in a step suggests only keys that step may have', () => {
    const text = edit('    prog: helper\n', '    porg: helper\n');
    const issues = issuesOf(text);
    expectIssue(issues, at(text, 'porg'), "unknown key 'porg' (did you mean 'prog'?)");
  });

  it('a one-letter key gets no far-fetched suggestion', () => {
    const text = edit('format: 1\n', 'format: 1\na: 1\n');
    const issues = issuesOf(text);
    const issue = issues.find((i) => i.message.startsWith("unknown key 'a'"));
    expect(issue?.message).toBe("unknown key 'a'");
    expect(issue).toMatchObject({ line: 2, column: 1 });
  });

  it('an unknown revision under expect.on, at its key, with did-you-mean', () => {
    const text = edit(
      'expect: { ret: 0, state: { prog.helper.assoc: ops_map } }',
      'expect: { ret: 0, on: { v10: { ret: 0 } } }',
    );
    const issues = issuesOf(text);
    expectIssue(issues, at(text, 'v10'), "unknown revision 'v10' (did you mean 'v1'?)");
  });

  it("a revision's own expectation is checked like the common one", () => {
    const text = edit(
      'expect: { ret: 0, state: { prog.helper.assoc: ops_map } }',
      'expect: { ret: 0, on: { v3: { ret: EBUZY, state: { prog.helpr.assoc: ops_map } } } }',
    );
    const issues = issuesOf(text);
    expectIssue(issues, at(text, 'EBUZY'), "unknown errno 'EBUZY'");
    expectIssue(issues, at(text, 'prog.helpr.assoc'), "no program 'helpr'");
  });

  it('an unknown kernel revision, at the value', () => {
    const text = edit('objects:\n', 'kernel: { revision: v9 }\nobjects:\n');
    const issues = issuesOf(text);
    expect(issues.some((i) => i.line === at(text, 'v9').line)).toBe(true);
  });

  it('a caption longer than 100 characters, at the caption', () => {
    const long = 'x'.repeat(101);
    const text = edit('    say: Associate.\n', `    caption: ${long}\n    say: Associate.\n`);
    const issues = issuesOf(text);
    expectIssue(issues, at(text, long), 'a caption is at most 100 characters');
    expect(issues).toHaveLength(1);
    const ok = edit(
      '    say: Associate.\n',
      `    caption: ${'x'.repeat(100)}\n    say: Associate.\n`,
    );
    expect(parseScenario(ok).ok).toBe(true);
  });

  it('an unknown op, with did-you-mean', () => {
    const text = edit('op: assoc', 'op: asoc');
    const issues = issuesOf(text);
    expect(at(text, 'asoc')).toEqual({ line: 28, column: 9 });
    expectIssue(issues, { line: 28, column: 9 }, "unknown op 'asoc' (did you mean 'assoc'?)");
    expect(issues).toHaveLength(1);
  });

  it('a step without an op lists the ops', () => {
    const text = edit('  - op: attach_struct_ops\n    map', '  - map');
    const issues = issuesOf(text);
    expectIssue(issues, at(text, 'map: ops_map\n    say: Attach.'), "a step needs an 'op'");
  });

  it('an unknown map type', () => {
    const text = edit('type: struct_ops', 'type: ringbuf');
    expectIssue(issuesOf(text), at(text, 'ringbuf'), "unknown map type 'ringbuf'");
  });

  it('a string where a number is needed', () => {
    const text = edit('objects:\n', "kernel: { cpus: '4' }\nobjects:\n");
    const issues = issuesOf(text);
    expectIssue(issues, at(text, "'4'"), 'expected number, got string "4"');
    expect(at(text, "'4'")).toEqual({ line: 5, column: 17 });
  });

  it('a missing required field names the field', () => {
    const text = edit('    say: Attach.\n', '');
    expectIssue(issuesOf(text), at(text, 'op: attach_struct_ops'), "missing 'say' (a string)");
  });
});

describe('name and reference problems', () => {
  it('an unknown program name in a step, with did-you-mean', () => {
    const text = edit('prog: helper', 'prog: helpr');
    const issues = issuesOf(text);
    expectIssue(issues, at(text, 'helpr'), "no program 'helpr' (did you mean 'helper'?)");
    expect(at(text, 'helpr')).toEqual({ line: 29, column: 11 });
    expect(issues).toHaveLength(1);
  });

  it('an unknown map', () => {
    const text = edit('map: ops_map\n    say: Attach.', 'map: ops_mop\n    say: Attach.');
    expectIssue(issuesOf(text), at(text, 'ops_mop'), "no map 'ops_mop' (did you mean 'ops_map'?)");
  });

  it('the same kernel name in two objects without an instance', () => {
    const second = 'steps:\n';
    const extra = '  other:\n    progs:\n      helper: { section: syscall, body: [return 0] }\n';
    const text = edit(second, `${extra}${second}`);
    const issues = issuesOf(text);
    expectIssue(
      issues,
      at(text, 'helper: { section'),
      "the kernel name 'helper' is already used by objects.obj.progs.helper; give one object an 'instance'",
    );
    // With an instance the names differ (helper_b) and the file is fine.
    const fixed = edit('  other:\n', '  other:\n    instance: b\n', text);
    expect(parseScenario(fixed).ok).toBe(true);
  });

  it('an unknown object, process and task', () => {
    const text = edit(
      '    object: obj\n',
      '    object: obk\n',
      edit(
        '  - op: link_destroy',
        '  - op: syscall\n    task: lodaer\n    say: Run.\n  - op: link_destroy',
      ),
    );
    const issues = issuesOf(text);
    expectIssue(issues, at(text, 'obk'), "no object 'obk' (did you mean 'obj'?)");
    expectIssue(issues, at(text, 'lodaer'), "no task 'lodaer' (did you mean 'loader'?)");
  });

  it('close with two targets', () => {
    const text = edit(
      '  - op: link_destroy',
      '  - op: close\n    prog: helper\n    map: ops_map\n    say: Close.\n  - op: link_destroy',
    );
    const issues = issuesOf(text);
    expectIssue(
      issues,
      at(text, 'close'),
      "close takes exactly one of 'prog', 'map', 'link' or 'fd'",
    );
    expect(at(text, 'close')).toEqual({ line: 36, column: 9 });
  });

  it('a link used before the step that creates it', () => {
    const text = edit(
      '  - op: attach_struct_ops\n    map: ops_map\n    say: Attach.\n  - op: link_destroy\n    link: ops_map_link\n    say: Destroy.\n',
      '  - op: link_destroy\n    link: ops_map_link\n    say: Destroy.\n  - op: attach_struct_ops\n    map: ops_map\n    say: Attach.\n',
    );
    const issues = issuesOf(text);
    expectIssue(
      issues,
      at(text, 'ops_map_link'),
      "no link 'ops_map_link' has been created by an earlier step",
    );
    expect(issues).toHaveLength(1);
  });

  it('autoload and members name programs of the object, by own name only', () => {
    const text = edit(
      '    globals: { hits: 0 }\n',
      '    globals: { hits: 0 }\n    autoload: [constructor]\n',
      edit('members: { test_1: test_1 }', 'members: { test_1: toString }'),
    );
    const issues = issuesOf(text);
    expectIssue(issues, at(text, 'constructor]'), "no program 'constructor' in this object");
    expectIssue(
      issues,
      at(text, 'test_1: toString', 8),
      "'toString' is not a program of this object",
    );
  });
});

describe("the Story view's focus list", () => {
  it('takes map, program and internal map names', () => {
    const r = parseScenario(edit('steps:\n', 'focus: [ops_map, helper, obj.bss]\nsteps:\n'));
    expect(r.ok, r.ok ? '' : formatIssues(r.issues)).toBe(true);
    if (r.ok) expect(r.scenario.focus).toEqual(['ops_map', 'helper', 'obj.bss']);
  });

  it('reports an unknown name where it is, with did-you-mean, and a malformed one', () => {
    const text = edit('steps:\n', 'focus: [ops_mpa, helper]\nsteps:\n');
    expectIssue(issuesOf(text), at(text, 'ops_mpa'), "no map, program or process 'ops_mpa'");
    expectIssue(issuesOf(text), at(text, 'ops_mpa'), "did you mean 'ops_map'");
    const bad = edit('steps:\n', 'focus: [ops_map, 9lives]\nsteps:\n');
    expectIssue(issuesOf(bad), at(bad, '9lives'), 'a name');
  });
});

describe('program bodies', () => {
  it('an unparsable expression: the column is inside the statement', () => {
    const text = edit('then: [hits++]', 'then: [hits = hits +* 2]');
    const issues = issuesOf(text);
    // `*` is where jsep gives up, 13 characters into `hits = hits +* 2` (which starts at 20).
    expectIssue(issues, { line: 22, column: 33 }, 'Expected expression after +');
    expect(at(text, '+* 2', 1)).toEqual({ line: 22, column: 33 });
  });

  it('an unparsable `if` condition points into the condition', () => {
    const text = edit('if: ret == 1', 'if: ret == = 1');
    expectIssue(issuesOf(text), at(text, '= 1'), 'Expected expression after ==');
  });

  it('columns count escapes, quotes and folded lines of the source', () => {
    const double = edit('- return 0', '- "bpf_printk(\\"a\\\\tb\\", 1 +* 2)"');
    expectIssue(issuesOf(double), at(double, '+* 2', 1), 'Expected expression after +');
    const single = edit('- return 0', "- 'bpf_printk(''x'', 1 +* 2)'");
    expectIssue(issuesOf(single), at(single, '+* 2', 1), 'Expected expression after +');
    const folded = edit('- return 0', '- >-\n            x = 1 +* 2');
    expectIssue(issuesOf(folded), at(folded, '+* 2', 1), 'Expected expression after +');
    const plain = edit('- return 0', '- x = 1 +\n            * 2');
    expectIssue(issuesOf(plain), at(plain, '* 2'), 'Expected expression after +');
  });

  it('a call nested in an expression', () => {
    const text = edit('- return 0', '- return 1 + bpf_ktime_get_ns()');
    const issues = issuesOf(text);
    expectIssue(
      issues,
      at(text, 'return 1 +'),
      'calls must stand alone as a statement or as the value of an assignment (bpf_ktime_get_ns(...) is nested)',
    );
  });

  it('a statement that is not a string or an if/for', () => {
    const text = edit('- return 0', '- { while: x }');
    expectIssue(issuesOf(text), at(text, '{ while'), 'none of the allowed shapes');
  });
});

describe('expectations', () => {
  it('paths that name nothing, and an unknown errno', () => {
    const text = edit(
      'expect: { ret: 0, state: { prog.helper.assoc: ops_map } }',
      'expect:\n      ret: EBUSYY\n      state:\n        prog.nope.assoc: NULL\n        map.x.colour: red\n        map.ops_map.colour: red',
    );
    const issues = issuesOf(text);
    expectIssue(issues, at(text, 'EBUSYY'), "unknown errno 'EBUSYY' (did you mean 'EBUSY'?)");
    expectIssue(issues, at(text, 'prog.nope.assoc'), "no program 'nope'");
    expectIssue(issues, at(text, 'map.x.colour'), "no map 'x'");
    expectIssue(
      issues,
      at(text, 'map.ops_map.colour'),
      "a map has no field 'colour' here; use refcnt, usercnt, links, state, priv",
    );
    expect(issues).toHaveLength(4);
  });

  it('a path of an unknown kind, and globals by own name only', () => {
    const text = edit(
      'state: { prog.helper.assoc: ops_map }',
      'state: { progs.helper.assoc: ops_map, global.constructor: 1, global.obj.toString: 1 }',
    );
    const issues = issuesOf(text);
    expectIssue(
      issues,
      at(text, 'progs.helper'),
      "'progs.helper.assoc' is not an expectation path",
    );
    expectIssue(issues, at(text, 'progs.helper'), "(did you mean 'prog'?)");
    expectIssue(issues, at(text, 'global.constructor'), "no global 'constructor'");
    expectIssue(issues, at(text, 'global.obj.toString'), "object 'obj' has no global 'toString'");
  });

  it('ret as a string that is not an errno name', () => {
    const text = edit('ret: 0,', "ret: '0',");
    expectIssue(issuesOf(text), at(text, "'0'"), 'an errno name such as EBUSY');
  });
});

describe('all problems at once', () => {
  const text = `format: 1
id: all-at-once
titel: Everything wrong
summary: Many problems, one pass.
objects:
  obj:
    maps:
      ops_map:
        type: struct_ops
        struct: bpf_testmod_multi_st_ops
        members: { test_1: test_1 }
    progs:
      test_1: { section: struct_ops/test_1, body: [return 1] }
      helper:
        section: syscall
        body:
          - x = 1 +* 2
          - return 1 + bpf_ktime_get_ns()
  other:
    progs:
      helper: { section: syscall, body: [return 0] }
steps:
  - op: open_and_load
    object: obj
    say: Load.
  - op: link_destroy
    link: ops_map_link
    say: Too early.
  - op: assoc
    prog: helpr
    map: ops_mapp
    say: Typos.
    expect:
      ret: EBUSYY
      state: { prog.nope.assoc: NULL, map.x.colour: red }
  - op: close
    prog: helper
    map: ops_map
    say: Two targets.
  - op: advance
    by: 12
    say: A number is fine here.
  - op: process_start
    name: worker
    pid: "200"
    say: A string where a number belongs.
  - op: asoc
    prog: helper
    say: Unknown op.
`;

  it('reports every problem, schema and names together, in source order', () => {
    const issues = issuesOf(text);
    const expected: [string, number, string][] = [
      ['titel', 0, "unknown key 'titel' (did you mean 'title'?)"],
      ['+* 2', 1, 'Expected expression after +'],
      ['return 1 + bpf', 0, 'calls must stand alone'],
      ['helper: { section: syscall, body: [return 0] }', 0, "the kernel name 'helper'"],
      ['ops_map_link', 0, "no link 'ops_map_link' has been created by an earlier step"],
      ['helpr', 0, "no program 'helpr' (did you mean 'helper'?)"],
      ['ops_mapp', 0, "no map 'ops_mapp' (did you mean 'ops_map'?)"],
      ['EBUSYY', 0, "unknown errno 'EBUSYY'"],
      ['prog.nope.assoc', 0, "no program 'nope'"],
      ['map.x.colour', 0, "no map 'x'"],
      ['op: close', 4, 'close takes exactly one of'],
      ['"200"', 0, 'expected number, got string "200"'],
      ['asoc\n', 0, "unknown op 'asoc' (did you mean 'assoc'?)"],
    ];
    for (const [needle, shift, part] of expected)
      expectIssue(issues, at(text, needle, shift), part);
    expectIssue(issues, { line: 1, column: 1 }, "missing 'title'");
    expect(issues).toHaveLength(expected.length + 1);
    const order = issues.map((i) => i.line * 1000 + i.column);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('formats as line:column: message', () => {
    const lines = formatIssues(issuesOf(text), 'x.yaml').split('\n');
    expect(lines[0]).toBe("x.yaml:1:1: missing 'title' (a string)");
    expect(lines[1]).toBe("x.yaml:3:1: unknown key 'titel' (did you mean 'title'?)");
  });
});

describe('YAML and JSON syntax', () => {
  it('duplicate keys, each at the duplicate', () => {
    const text = edit('    say: Load.\n', '    say: Load.\n    say: Again.\n');
    const issues = issuesOf(text);
    expectIssue(issues, at(text, 'say: Again'), 'Map keys must be unique');
    expect(issues).toHaveLength(1);
    const twice = edit('id: parse-test\n', 'id: parse-test\nid: again\n', text);
    const both = issuesOf(twice);
    expectIssue(both, { line: 3, column: 1 }, 'Map keys must be unique');
    expectIssue(both, at(twice, 'say: Again'), 'Map keys must be unique');
  });

  it('invalid YAML syntax, where the parser saw it', () => {
    const unclosed = edit('summary: A small', 'summary: [A small');
    expectIssue(issuesOf(unclosed), { line: 5, column: 1 }, 'Flow sequence');
    const indent = edit('id: parse-test\n', 'id: parse-test\n  extra: 1\n');
    expectIssue(issuesOf(indent), { line: 2, column: 5 }, 'Nested mappings are not allowed');
    const tab = edit('    object: obj\n', '\tobject: obj\n');
    expectIssue(issuesOf(tab), at(tab, '\tobject'), 'Tabs are not allowed as indentation');
  });

  it('valid JSON parses to the same scenario as the YAML', () => {
    const json = JSON.stringify(parseYaml(BASE), null, 2);
    const fromJson = parseScenario(json);
    const fromYaml = parseScenario(BASE);
    expect(fromJson.ok).toBe(true);
    if (!fromJson.ok || !fromYaml.ok) return;
    expect(fromJson.scenario).toEqual(fromYaml.scenario);
    expect(fromJson.stepLines[0]).toBe(at(json, '"op": "open_and_load"').line - 1);
  });

  it('invalid JSON: a missing comma, and an unknown key, at their place in the JSON text', () => {
    const json = JSON.stringify(parseYaml(BASE), null, 2);
    const noComma = json.replace('"id": "parse-test",', '"id": "parse-test"');
    expectIssue(issuesOf(noComma), at(noComma, '"title"'), 'Missing , between flow map items');
    const typo = json.replace('"title":', '"titel":');
    expectIssue(issuesOf(typo), at(typo, '"titel"'), "unknown key 'titel' (did you mean 'title'?)");
    const unclosed = json.slice(0, -1);
    expect(issuesOf(unclosed)[0]?.message).toMatch(/flow map|end with a }/i);
  });
});

describe('size limit', () => {
  it('refuses input over MAX_SCENARIO_BYTES with a clear message, before parsing', () => {
    const big = `${BASE}#${'x'.repeat(MAX_SCENARIO_BYTES)}\n`;
    const issues = issuesOf(big);
    expect(issues).toEqual([
      {
        line: 1,
        column: 1,
        path: [],
        message: expect.stringContaining(`the limit is ${MAX_SCENARIO_BYTES / 1024} KiB`),
      },
    ]);
    expect(issues[0]?.message).toContain('too large');
  });

  it('counts bytes, not characters: multi-byte text over the limit is refused too', () => {
    const chars = Math.floor(MAX_SCENARIO_BYTES / 2) + 10;
    const text = edit('say: Load.', `say: ${'é'.repeat(chars)}`);
    expect(text.length).toBeLessThan(MAX_SCENARIO_BYTES);
    expect(issuesOf(text)[0]?.message).toContain('too large');
  });

  it('accepts a file just under the limit', () => {
    const padding = MAX_SCENARIO_BYTES - BASE.length - 3;
    const text = `${BASE}#${'x'.repeat(padding)}\n`;
    expect(text.length).toBeLessThanOrEqual(MAX_SCENARIO_BYTES);
    expect(parseScenario(text).ok).toBe(true);
  });
});

describe('hostile content', () => {
  it('__proto__ keys are refused, at the key, and pollute nothing', () => {
    const text = edit(
      'format: 1\n',
      'format: 1\n__proto__: { polluted: yes }\n',
      edit('globals: { hits: 0 }', 'globals: { hits: 0, __proto__: 1 }'),
    );
    const issues = issuesOf(text);
    expectIssue(issues, { line: 2, column: 1 }, "'__proto__' cannot be used as a key or a name");
    expectIssue(issues, at(text, '__proto__: 1'), "'__proto__' cannot be used");
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('a program or object named __proto__ is refused, not silently dropped', () => {
    const text = edit(
      '      helper:\n',
      '      __proto__:\n',
      edit('prog: helper', 'prog: __proto__'),
    );
    const issues = issuesOf(text);
    expectIssue(issues, at(text, '__proto__:'), "'__proto__' cannot be used as a key or a name");
    expectIssue(issues, at(text, 'prog: __proto__', 6), "no program '__proto__'");
  });

  it('constructor and toString are names like any other, never inherited ones', () => {
    const top = edit('format: 1\n', 'format: 1\nconstructor: x\n');
    expectIssue(issuesOf(top), { line: 2, column: 1 }, "unknown key 'constructor'");
    const obj = edit('    object: obj\n', '    object: toString\n');
    expectIssue(issuesOf(obj), at(obj, 'toString'), "no object 'toString'");
    const named = edit('  obj:\n', '  constructor:\n', edit('object: obj', 'object: constructor'));
    const r = parseScenario(named);
    expect(r.ok, r.ok ? '' : formatIssues(r.issues)).toBe(true);
  });

  it('an alias bomb is refused without expanding it', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      rows.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const issues = issuesOf(`${rows.join('\n')}\n${BASE}`);
    expect(issues.some((i) => i.message.includes('alias'))).toBe(true);
    const many = `x: &x 1\nl: [${Array(500).fill('*x').join(', ')}]\n${BASE}`;
    expect(issuesOf(many).some((i) => /alias/i.test(i.message))).toBe(true);
  });

  it('an alias inside the node it names (a cycle) is refused at the alias', () => {
    const text = edit('body: [return 1]', 'body: &loop [{ if: "1", then: *loop }]');
    const issues = issuesOf(text);
    expectIssue(issues, at(text, '*loop'), 'this alias names a node that contains it');
  });

  it('markup in say is kept verbatim as data', () => {
    const say = '<script>alert("x")</script> & <b>bold</b> {{ injection }} ${x}';
    const text = edit('say: Load.', `say: '${say}'`);
    const r = parseScenario(text);
    expect(r.ok, r.ok ? '' : formatIssues(r.issues)).toBe(true);
    if (r.ok) expect(r.scenario.steps[0]?.say).toBe(say);
  });

  it('a JavaScript-looking body is parsed as C-like expressions and never evaluated', () => {
    const text = edit('- return 0', '- "globalThis.polluted = 1"');
    expectIssue(issuesOf(text), at(text, '"globalThis'), 'cannot assign to a field');
    expect((globalThis as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('never throws', () => {
  const params = { seed: 20251124, numRuns: 300 } as const;

  it('on random byte strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const text = new TextDecoder('utf-8').decode(bytes);
        const r = parseScenario(text);
        expect(typeof r.ok).toBe('boolean');
      }),
      params,
    );
  });

  it('on truncations of a valid scenario', () => {
    fc.assert(
      fc.property(fc.nat({ max: BASE.length }), (n) => {
        const r = parseScenario(BASE.slice(0, n));
        if (!r.ok) for (const i of r.issues) expect(i.line).toBeGreaterThanOrEqual(1);
      }),
      params,
    );
  });

  it('on a valid scenario with a few characters changed', () => {
    const alphabet = [...' :-[]{}&*!|>\'"#\n\t,0aE_.%@`?', '\u00e9', '\u{1F600}'];
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat({ max: BASE.length }), fc.constantFrom(...alphabet), fc.boolean()),
          { minLength: 1, maxLength: 6 },
        ),
        (edits) => {
          let text = BASE;
          for (const [pos, ch, replace] of edits)
            text = text.slice(0, pos) + ch + text.slice(pos + (replace ? 1 : 0));
          const r = parseScenario(text);
          if (!r.ok) {
            expect(r.issues.length).toBeGreaterThan(0);
            for (const i of r.issues) {
              expect(i.line).toBeGreaterThanOrEqual(1);
              expect(i.column).toBeGreaterThanOrEqual(1);
              expect(i.message.length).toBeGreaterThan(0);
            }
          }
        },
      ),
      params,
    );
  });
});
