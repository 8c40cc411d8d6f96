/**
 * The kernel pseudo-code pane: every event of every library scenario finds the function acting
 * and a marked line in it; the lines the series is about (-EBUSY, the struct_ops -EINVAL of the
 * raw command) are the ones highlighted.
 */
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import type { KEvent } from '../../core/tx';
import { parseScenario } from '../../scenario/parse';
import { runScenario, type ScenarioRun } from '../../scenario/run';
import { codeChain, codeFor, KERNEL_CODE, kernelCodeOf } from '.';

/** Every file of src/scenario/library, by file name (read at build time, as the app does). */
const LIBRARY: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>('../../scenario/library/*.yaml', {
      query: '?raw',
      import: 'default',
      eager: true,
    }),
  ).map(([path, text]) => [path.slice(path.lastIndexOf('/') + 1), text]),
);

function run(file: string): ScenarioRun {
  const text = LIBRARY[file];
  if (text === undefined) throw new Error(`no library file ${file}`);
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(`${file}: ${parsed.issues.map((i) => i.message).join('; ')}`);
  return runScenario(parsed.scenario);
}

const libraryRuns: readonly (readonly [string, ScenarioRun])[] = Object.keys(LIBRARY)
  .sort()
  .map((f) => [f, run(f)] as const);

function allEvents(): { file: string; ev: KEvent }[] {
  return libraryRuns.flatMap(([file, r]) =>
    r.frames.flatMap((fr) => fr.events.map((ev) => ({ file, ev }))),
  );
}

const currentText = (ev: KEvent): string => {
  const c = codeFor(ev);
  return c?.lines[c.current] ?? '';
};

describe('kernel pseudo-code: the lines the series is about', () => {
  const assoc = run('selftest-st-ops-assoc.yaml');

  it('highlights `return -EBUSY` in bpf_prog_assoc_struct_ops for the set-once step', () => {
    const busy = assoc.frames.find((f) => f.result?.errno === 'EBUSY');
    expect(busy, 'the selftest has an -EBUSY step').toBeDefined();
    const ev = busy?.events.find((e) => e.fn === 'bpf_prog_assoc_struct_ops');
    expect(ev).toBeDefined();
    if (!ev) return;
    const c = codeFor(ev);
    expect(c?.fn).toBe('bpf_prog_assoc_struct_ops');
    expect(c?.file).toBe('kernel/bpf/bpf_struct_ops.c');
    expect(c?.matched).toBe(true);
    expect(currentText(ev)).toMatch(/return -EBUSY;/);
  });

  it('highlights the same-map line for an idempotent association', () => {
    const layered = run('scx-layered-refresh.yaml');
    const same = layered.frames
      .flatMap((f) => f.events)
      .find(
        (e) => e.fn === 'bpf_prog_assoc_struct_ops' && e.kind === 'check' && !/once/.test(e.why),
      );
    expect(same).toBeDefined();
    if (same) expect(currentText(same)).toMatch(/if \(cur == map\) return 0;/);
  });

  it('highlights the struct_ops -EINVAL of the raw command, before any map lookup', () => {
    const layered = run('scx-layered-refresh.yaml');
    const raw = layered.frames.find((f) => f.step.op === 'bpf_prog_assoc_struct_ops');
    expect(raw?.result?.errno).toBe('EINVAL');
    const events = raw?.events ?? [];
    expect(events.some((e) => e.stack.includes('bpf_map_get'))).toBe(false);
    const ret = events.find((e) => e.fn === 'prog_assoc_struct_ops' && e.kind === 'return');
    expect(ret).toBeDefined();
    if (!ret) return;
    const c = codeFor(ret);
    expect(c?.fn).toBe('prog_assoc_struct_ops');
    expect(c?.file).toBe('kernel/bpf/syscall.c');
    expect(currentText(ret)).toMatch(/prog->type == BPF_PROG_TYPE_STRUCT_OPS.*-EINVAL/);
    // The prog_get line comes before the struct_ops check, which comes before the map lookup.
    const lines = c?.lines ?? [];
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    expect(at(/CHECK_ATTR/)).toBeLessThan(at(/bpf_prog_get\(/));
    expect(at(/bpf_prog_get\(/)).toBeLessThan(c?.current ?? -1);
    expect(c?.current ?? 99).toBeLessThan(at(/bpf_map_get\(/));
  });

  it('shows the poison comment on the map update, above the association call', () => {
    const reuse = run('selftest-st-ops-assoc-reuse.yaml');
    const poison = reuse.frames
      .flatMap((f) => f.events)
      .find((e) => e.kind === 'assoc' && e.after === 'BPF_PTR_POISON');
    expect(poison).toBeDefined();
    if (!poison) return;
    expect(currentText(poison)).toMatch(/BPF_PTR_POISON/);
    const update = codeChain(poison).find((v) => v.fn === 'bpf_struct_ops_map_update_elem');
    expect(update?.lines[update.current]).toMatch(/bpf_prog_assoc_struct_ops\(prog/);
    expect(update?.lines[(update?.current ?? 0) - 1]).toMatch(
      /Poison pointer on error instead of return for backward compatibility/,
    );
  });
});

describe('kernel pseudo-code: coverage of the library', () => {
  it('runs at least the five library scenarios', () => {
    expect(libraryRuns.length).toBeGreaterThanOrEqual(5);
  });

  it('gives every event of every library scenario a pane, for the function acting', () => {
    const missing = new Set<string>();
    let n = 0;
    for (const { file, ev } of allEvents()) {
      n++;
      const c = codeFor(ev);
      if (c === null)
        missing.add(`${ev.fn} (${ev.file}; stack ${ev.stack.join(' > ')}) in ${file}`);
      else if (ev.stack.length > 0 && c.fn !== ev.fn)
        missing.add(`${ev.fn} (${ev.file}; shown as ${c.fn}) in ${file}`);
    }
    expect(n).toBeGreaterThan(0);
    expect([...missing], 'functions without pseudo-code').toEqual([]);
  });

  it('lands every event on a line that is marked for it (no fallback to the signature)', () => {
    const unmarked = new Set<string>();
    for (const { ev } of allEvents()) {
      const c = codeFor(ev);
      if (c && !c.matched)
        unmarked.add(
          `${c.fn}: ${ev.kind} ${ev.field ?? '-'} ${ev.before ?? '-'} → ${ev.after ?? '-'}`,
        );
    }
    expect([...unmarked]).toEqual([]);
  });

  it('keeps the current line inside the pseudo-code', () => {
    for (const { ev } of allEvents()) {
      const c = codeFor(ev);
      expect(c?.current ?? -1).toBeGreaterThanOrEqual(0);
      expect(c?.current ?? 0).toBeLessThan(c?.lines.length ?? 0);
    }
  });
});

describe('kernel pseudo-code: the table', () => {
  const REQUIRED = [
    'prog_assoc_struct_ops',
    'bpf_prog_assoc_struct_ops',
    'bpf_prog_disassoc_struct_ops',
    'bpf_prog_get_assoc_struct_ops',
    'bpf_struct_ops_map_dissoc_progs',
    'bpf_struct_ops_map_update_elem',
    'bpf_struct_ops_map_free',
    '__bpf_struct_ops_map_free',
    'bpf_struct_ops_map_delete_elem',
    'bpf_struct_ops_link_create',
    'bpf_struct_ops_map_link_detach',
    'bpf_struct_ops_map_link_dealloc',
    'bpf_struct_ops_map_link_update',
    'bpf_prog_get',
    'bpf_prog_put',
    'bpf_prog_inc',
    'bpf_prog_free_deferred',
    'bpf_map_get',
    'bpf_map_inc',
    'bpf_map_put',
    'bpf_map_put_with_uref',
    'bpf_map_free_deferred',
    'bpf_prog_load',
    'map_create',
    'bpf_prog_test_run',
    'close',
    'bpf_link_put',
    'bpf_link_free',
    'bpf_timer_init',
    'bpf_timer_set_callback',
    'bpf_timer_start',
    'bpf_timer_cancel_and_free',
    'bpf_timer_cb',
    'scx_prog_sched',
    'bpf_scx_reg',
    'bpf_scx_unreg',
    'scx_disable',
    'multi_st_ops_reg',
    'multi_st_ops_unreg',
    'call_rcu',
    'queue_work',
    'rcu_do_batch',
    'process_one_work',
    'bpf_prog_run',
    'fixup_kfunc_call',
    'bpf_check',
    'trace_sys_enter',
  ];

  it('covers every function the brief names', () => {
    expect(REQUIRED.filter((fn) => !KERNEL_CODE.has(fn))).toEqual([]);
  });

  it('keeps every function short (4–14 lines) and names its file', () => {
    for (const [fn, c] of KERNEL_CODE) {
      expect(c.fn).toBe(fn);
      expect(c.file, fn).toMatch(/\.(c|h)$/);
      expect(c.lines.length, fn).toBeGreaterThanOrEqual(4);
      expect(c.lines.length, fn).toBeLessThanOrEqual(14);
    }
  });

  it('checks the syscall in the kernel order of kernel-semantics §2.2', () => {
    const lines = KERNEL_CODE.get('prog_assoc_struct_ops')?.lines.map((l) => l.text) ?? [];
    const order = [
      /CHECK_ATTR/,
      /flags\) return -EINVAL/,
      /bpf_prog_get\(/,
      /BPF_PROG_TYPE_STRUCT_OPS/,
      /bpf_map_get\(/,
      /BPF_MAP_TYPE_STRUCT_OPS/,
      /bpf_prog_assoc_struct_ops\(prog, map\)/,
      /bpf_map_put\(map\)/,
      /bpf_prog_put\(prog\)/,
    ].map((re) => lines.findIndex((l) => re.test(l)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('builds pseudo-code for names the core makes at run time', () => {
    const text = (name: string) =>
      kernelCodeOf(name)
        ?.lines.map((l) => l.text)
        .join('\n') ?? '';
    expect(text('sched_ext_ops.reg')).toMatch(/\.reg = bpf_scx_reg/);
    expect(text('bpf_testmod_multi_st_ops.unreg')).toMatch(/\.unreg = multi_st_ops_unreg/);
    expect(text('scx_call_op(runnable)')).toMatch(/ops\.runnable\(/);
    expect(kernelCodeOf('bpf_struct_ops_test_1')?.file).toBe('kernel/bpf/trampoline.c');
    expect(kernelCodeOf('nvidia_open', 'drivers (simulated call site)')).not.toBeNull();
    expect(kernelCodeOf('no_such_function')).toBeNull();
  });
});

describe('codeFor: choosing the frame and the line', () => {
  const assoc = run('selftest-st-ops-assoc.yaml');
  const events = assoc.frames.flatMap((f) => f.events);
  const base = events[0];

  it("shows the bpf() dispatcher for the syscall entry, on the command's case", () => {
    const entry = events.find(
      (e) => e.kind === 'syscall' && e.field === 'BPF_PROG_ASSOC_STRUCT_OPS',
    );
    expect(entry?.stack).toEqual([]);
    if (!entry) return;
    const c = codeFor(entry);
    expect(c?.fn).toBe('bpf');
    expect(c?.lines[c.current]).toMatch(/case BPF_PROG_ASSOC_STRUCT_OPS:/);
  });

  it('falls back to an outer function, on the line calling inward, when the inner one has none', () => {
    if (!base) throw new Error('no events');
    const ev: KEvent = {
      ...base,
      fn: 'some_helper_without_code',
      stack: ['prog_assoc_struct_ops', 'bpf_prog_assoc_struct_ops', 'bpf_map_inc', 'mystery'],
      kind: 'refcnt',
    };
    expect(codeFor(ev)?.fn).toBe('bpf_map_inc');
    const chain = codeChain(ev);
    expect(chain.map((v) => v.fn)).toEqual([
      'prog_assoc_struct_ops',
      'bpf_prog_assoc_struct_ops',
      'bpf_map_inc',
    ]);
    const inner = chain[1];
    expect(inner?.lines[inner.current]).toMatch(/bpf_map_inc\(map\)/);
    const outer = chain[0];
    expect(outer?.lines[outer.current]).toMatch(/ret = bpf_prog_assoc_struct_ops/);
  });

  it('falls back to the first line when nothing matches, and to null when nothing has code', () => {
    if (!base) throw new Error('no events');
    const odd: KEvent = {
      ...base,
      fn: 'bpf_prog_assoc_struct_ops',
      stack: ['bpf_prog_assoc_struct_ops'],
      kind: 'kick',
    };
    const c = codeFor(odd);
    expect(c?.current).toBe(0);
    expect(c?.matched).toBe(false);
    expect(codeFor({ ...base, fn: 'x', stack: ['x', 'y'] })).toBeNull();
  });
});
