/**
 * A program body as C-like lines: statement paths on the lines, headers for the program and its
 * callbacks, and the line an exec point names, for a synthetic body and for real runs.
 */
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import type { SrcStmt } from '../core/prog/ast';
import { compileBody } from '../core/prog/compile';
import type { ExecPoint } from '../core/tx';
import type { ProgBody } from '../core/types';
import { parseScenario } from '../scenario/parse';
import { runScenario } from '../scenario/run';
import { currentLine, programLines, programText } from './programCode';

function compile(src: readonly SrcStmt[]) {
  const r = compileBody(src);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.stmts;
}

const body: ProgBody = {
  main: compile([
    'ret = bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)',
    { if: 'ret != 1234', then: ['test_err++'], else: ['ok++', 'return 1;'] },
    { for: 'cpu in 0..nr_cpu_ids', do: [{ if: 'cpu == 2', then: ['scx_bpf_kick_cpu(cpu, 0)'] }] },
    'return 0',
  ]),
  subprogs: { timer_cb: compile(['recur++', 'return 0']) },
};

const LIBRARY = import.meta.glob<string>('../scenario/library/*.yaml', {
  query: '?raw',
  import: 'default',
  eager: true,
});

const point = (where: string, path: ExecPoint['path']): ExecPoint => ({
  prog: 1,
  where,
  path,
  src: '',
});

describe('programLines', () => {
  const lines = programLines('syscall_prog', 'BPF_PROG_TYPE_SYSCALL', body);

  it('renders callbacks, then the program, as C with braces and indentation', () => {
    expect(programText(lines, '  ')).toBe(
      [
        'static int timer_cb(void *map, int *key, void *value) {',
        '  recur++;',
        '  return 0;',
        '}',
        '',
        'int syscall_prog(void *ctx) {',
        '  ret = bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL);',
        '  if (ret != 1234) {',
        '    test_err++;',
        '  } else {',
        '    ok++;',
        '    return 1;',
        '  }',
        '  for (cpu = 0; cpu < nr_cpu_ids; cpu++) {',
        '    if (cpu == 2) {',
        '      scx_bpf_kick_cpu(cpu, 0);',
        '    }',
        '  }',
        '  return 0;',
        '}',
      ].join('\n'),
    );
  });

  it('puts each statement path on its line and none on braces', () => {
    const at = (text: string) => lines.find((l) => l.text === text);
    expect(at('test_err++;')?.path).toEqual([1, 'then', 0]);
    expect(at('return 1;')?.path).toEqual([1, 'else', 1]);
    expect(at('scx_bpf_kick_cpu(cpu, 0);')?.path).toEqual([2, 'do', 0, 'then', 0]);
    expect(at('} else {')?.path).toBeNull();
    expect(at('recur++;')?.where).toBe('timer_cb');
    expect(at('test_err++;')?.where).toBe('main');
    expect(at('test_err++;')?.indent).toBe(2);
    expect(lines.filter((l) => l.path !== null && l.path.length === 0).map((l) => l.where)).toEqual(
      ['timer_cb', 'main'],
    );
  });

  it('uses the context a program type receives', () => {
    expect(programLines('t', 'BPF_PROG_TYPE_STRUCT_OPS', { main: [], subprogs: {} })[0]?.text).toBe(
      'int t(unsigned long long *ctx) {',
    );
    expect(programLines('k', 'BPF_PROG_TYPE_KPROBE', { main: [], subprogs: {} })[0]?.text).toBe(
      'int k(struct pt_regs *ctx) {',
    );
  });
});

describe('currentLine', () => {
  const lines = programLines('syscall_prog', 'BPF_PROG_TYPE_SYSCALL', body);
  const textAt = (p: ExecPoint) => lines[currentLine(lines, p)]?.text;

  it('finds the header for path [] and each statement by where and path', () => {
    expect(textAt(point('main', []))).toBe('int syscall_prog(void *ctx) {');
    expect(textAt(point('timer_cb', []))).toMatch(/^static int timer_cb\(/);
    expect(textAt(point('timer_cb', [1]))).toBe('return 0;');
    expect(textAt(point('main', [3]))).toBe('return 0;');
    expect(currentLine(lines, point('timer_cb', [1]))).toBeLessThan(
      currentLine(lines, point('main', [3])),
    );
    expect(textAt(point('main', [1]))).toBe('if (ret != 1234) {');
    expect(textAt(point('main', [1, 'else', 0]))).toBe('ok++;');
    expect(textAt(point('main', [2]))).toBe('for (cpu = 0; cpu < nr_cpu_ids; cpu++) {');
    expect(textAt(point('main', [2, 'do', 0, 'then', 0]))).toBe('scx_bpf_kick_cpu(cpu, 0);');
  });

  it('returns -1 for a point the lines do not show', () => {
    expect(currentLine(lines, point('main', [9]))).toBe(-1);
    expect(currentLine(lines, point('other_cb', []))).toBe(-1);
  });

  it('finds the statement of every exec event of a real run, callbacks included', () => {
    for (const file of [
      'selftest-st-ops-assoc-in-timer.yaml',
      'selftest-st-ops-assoc.yaml',
      'scx-layered-refresh.yaml',
    ]) {
      const parsed = parseScenario(LIBRARY[`../scenario/library/${file}`] ?? '');
      if (!parsed.ok) throw new Error(file);
      const execs = runScenario(parsed.scenario)
        .frames.flatMap((f) => f.events)
        .filter((e) => e.exec !== null);
      expect(execs.length, file).toBeGreaterThan(0);
      for (const e of execs) {
        const exec = e.exec;
        const prog = exec ? e.state.progs[exec.prog] : undefined;
        if (!exec || !prog) throw new Error(`${file}: exec without its program`);
        const ls = programLines(prog.name, prog.type, prog.body);
        const i = currentLine(ls, exec);
        expect(
          i,
          `${file}: ${prog.name} ${exec.where} ${exec.path.join('.')}`,
        ).toBeGreaterThanOrEqual(0);
        const text = ls[i]?.text ?? '';
        if (exec.path.length > 0 && !exec.src.startsWith('for ('))
          expect(text.startsWith(exec.src.replace(/[\s;]+$/, ''))).toBe(true);
      }
      if (file === 'selftest-st-ops-assoc-in-timer.yaml')
        expect(execs.some((e) => e.exec?.where === 'timer_cb')).toBe(true);
    }
  });
});
