/**
 * `replay(initial, ops)` is a pure function of its inputs: the same ops give the same frames,
 * every event carries the state right after it, consecutive states share what did not
 * change, and no state changes once made (every object of it is frozen, but for the dense id tables the
 * copy-on-write leaves unfrozen, which nothing writes again). The ops are the ones a Sim recorded for the
 * st_ops_assoc selftest flow (load, associate, attach, run, destroy, settle).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Libbpf, isOpenError } from '../libbpf/libbpf';
import { structOpsAssoc } from '../libbpf/objects/selftests';
import { Sim } from '../libbpf/sim';
import { createKernel, replay, type Frame, type KernelOptions, type Op } from './machine';
import type { KEvent } from './tx';
import type { KernelState, ObjRef } from './types';
import { unsettledPath } from '../testing/settled';

const OPTS: KernelOptions = {};

function named<T>(m: ReadonlyMap<string, T>, name: string): T {
  const v = m.get(name);
  if (!v) throw new Error(`no ${name}`);
  return v;
}

/** The st_ops_assoc selftest flow on the libbpf facade; returns the Sim that recorded it. */
function recordFlow(): Sim {
  const sim = new Sim(OPTS);
  const lib = new Libbpf(sim);
  const obj = lib.bpf_object__open_and_load(structOpsAssoc);
  if (isOpenError(obj)) throw new Error(`load: ${obj.errors.join('; ')}`);
  const p = (n: string) => named(obj.progs, n);
  const m = (n: string) => named(obj.maps, n);
  expect(lib.bpf_program__assoc_struct_ops(p('syscall_prog_a'), m('st_ops_map_a'))).toBe(0);
  expect(lib.bpf_program__assoc_struct_ops(p('sys_enter_prog_a'), m('st_ops_map_a'))).toBe(0);
  expect(lib.bpf_program__assoc_struct_ops(p('syscall_prog_b'), m('st_ops_map_b'))).toBe(0);
  expect(lib.bpf_program__assoc_struct_ops(p('sys_enter_prog_b'), m('st_ops_map_b'))).toBe(0);
  expect(lib.bpf_program__assoc_struct_ops(p('sys_enter_prog_a'), m('st_ops_map_b'))).toBe(-16);
  // A raw syscall with a non-zero flags word fails in CHECK_ATTR: a frame with an error.
  expect(
    lib.bpf_prog_assoc_struct_ops(p('syscall_prog_a').fd, m('st_ops_map_a').fd, { flags: 1 }),
  ).toBe(-22);
  expect(lib.skel_attach(obj)).toBe(0);
  expect(lib.set_global(obj, 'test_pid', 100)).toBe(0);
  expect(sim.run({ op: 'syscall', tid: 100, nr: 'gettid' }, 'sys_gettid()').ret).toBe(0);
  expect(lib.set_global(obj, 'test_pid', 0)).toBe(0);
  expect(lib.bpf_prog_test_run_opts(p('syscall_prog_a').fd).err).toBe(0);
  expect(lib.bpf_prog_test_run_opts(p('syscall_prog_b').fd).err).toBe(0);
  lib.skel_destroy(obj);
  sim.run({ op: 'advance', ns: 1 }, 'advance 1ns');
  sim.run({ op: 'settle' }, 'settle');
  return sim;
}

function countOf(state: KernelState, ref: ObjRef, field: string): number | undefined {
  const obj =
    ref.kind === 'prog'
      ? state.progs[ref.id]
      : ref.kind === 'map'
        ? state.maps[ref.id]
        : ref.kind === 'link'
          ? state.links[ref.id]
          : undefined;
  if (!obj) return undefined;
  if (field === 'refcnt') return obj.refcnt;
  if (field === 'usercnt' && 'usercnt' in obj) return obj.usercnt;
  return undefined;
}

describe('replay', () => {
  let sim: Sim;
  let ops: Op[];
  let initial: KernelState;
  let first: Frame[];
  let second: Frame[];

  beforeAll(() => {
    sim = recordFlow();
    ops = sim.frames.map((f) => f.op);
    initial = createKernel(OPTS);
    first = replay(initial, ops);
    second = replay(initial, ops);
  });

  it('records a non-trivial flow', () => {
    expect(ops.length).toBeGreaterThan(20);
    expect(first.some((f) => f.result.ret < 0)).toBe(true);
    expect(Math.max(...first.map((f) => f.events.length))).toBeGreaterThan(10);
    expect(first.at(-1)?.state.oopses).toEqual([]);
  });

  it('two replays of the same ops give deep-equal frames', () => {
    expect(second.length).toBe(first.length);
    first.forEach((f, i) => {
      const g = second[i];
      if (!g) throw new Error(`no frame ${i}`);
      expect(g.op).toEqual(f.op);
      expect(g.result).toEqual(f.result);
      expect(g.events).toEqual(f.events);
      expect(g.state).toEqual(f.state);
    });
  });

  it('replay reproduces the frames the Sim recorded', () => {
    expect(first.length).toBe(sim.frames.length);
    sim.frames.forEach((f, i) => {
      const g = first[i];
      if (!g) throw new Error(`no frame ${i}`);
      expect(g.result).toEqual(f.result);
      expect(g.events.map((e) => [e.seq, e.fn, e.kind, e.why])).toEqual(
        f.events.map((e) => [e.seq, e.fn, e.kind, e.why]),
      );
      expect(g.state).toEqual(f.state);
    });
    expect(first.at(-1)?.state).toEqual(sim.state);
  });

  it('onEvent sees every event of every frame, in order, with the same states', () => {
    const seen: KEvent[] = [];
    const frames = replay(initial, ops, (e) => seen.push(e));
    const all = frames.flatMap((f) => f.events);
    expect(seen.length).toBe(all.length);
    seen.forEach((e, i) => expect(e).toBe(all[i]));
  });

  it("each event's state is the state after it; the last one is the step's final state", () => {
    let prev = initial;
    let checkedCounts = 0;
    first.forEach((f, i) => {
      const last = f.events.at(-1);
      if (last) expect(last.state, `frame ${i}`).toBe(f.state);
      else expect(f.state, `frame ${i} has no events`).toBe(prev);
      let before = prev;
      f.events.forEach((e, j) => {
        expect(e.seq).toBe(j);
        // A count event names the counter's value before and after: the state before the
        // event has the first, the event's own state the second.
        if (
          (e.kind === 'refcnt' || e.kind === 'usercnt') &&
          e.target &&
          e.field !== null &&
          e.before !== null &&
          e.after !== null
        ) {
          expect(countOf(before, e.target, e.field), `frame ${i} event ${j} before`).toBe(
            Number(e.before),
          );
          expect(countOf(e.state, e.target, e.field), `frame ${i} event ${j} after`).toBe(
            Number(e.after),
          );
          checkedCounts++;
        }
        before = e.state;
      });
      prev = f.state;
    });
    expect(checkedCounts).toBeGreaterThan(30);
  });

  it('consecutive states share every object the step did not touch', () => {
    let shared = 0;
    for (let i = 1; i < first.length; i++) {
      const frame = first[i];
      const a = first[i - 1]?.state;
      if (!frame || !a) throw new Error('missing frame');
      const b = frame.state;
      // Touched: named as the target of one of the step's events (a temporary get and put
      // leaves an equal but new object, which is fine).
      const touched = new Set(
        frame.events.flatMap((e) => (e.target ? [`${e.target.kind}:${e.target.id}`] : [])),
      );
      const pairs: [
        string,
        Readonly<Record<number, unknown>>,
        Readonly<Record<number, unknown>>,
      ][] = [
        ['prog', a.progs, b.progs],
        ['map', a.maps, b.maps],
        ['link', a.links, b.links],
        ['process', a.processes, b.processes],
      ];
      for (const [kind, x, y] of pairs) {
        for (const id of Object.keys(x).map(Number)) {
          const before = x[id];
          const after = y[id];
          if (touched.has(`${kind}:${id}`) || after === undefined) continue;
          if (JSON.stringify(before) !== JSON.stringify(after)) continue;
          expect(after, `frame ${i}: ${kind} ${id} is untouched`).toBe(before);
          shared++;
        }
      }
    }
    expect(shared).toBeGreaterThan(100);
  });

  it('a test run of one program leaves the other programs the very same objects', () => {
    const i = first.findIndex(
      (f) => f.op.op === 'bpf' && f.op.cmd === 'BPF_PROG_TEST_RUN' && f.result.ret === 0,
    );
    const before = first[i - 1]?.state;
    const after = first[i]?.state;
    if (!before || !after) throw new Error('no test run frame');
    const ran = Object.values(after.progs).filter((p) => p.run_cnt !== before.progs[p.id]?.run_cnt);
    expect(ran.map((p) => p.name).sort()).toEqual(['syscall_prog_a', 'test_1_a']);
    for (const p of Object.values(before.progs)) {
      if (ran.some((r) => r.id === p.id)) expect(after.progs[p.id]).not.toBe(p);
      else expect(after.progs[p.id]).toBe(p);
    }
    expect(after.links).toBe(before.links);
    expect(after.processes).toBe(before.processes);
  });

  it('every state (frames and events) is frozen, but for its dense id tables', () => {
    let events = 0;
    first.forEach((f, i) => {
      expect(unsettledPath(f.state), `frame ${i}`).toBeNull();
      for (const e of f.events) {
        // Events before the first change of the first step carry the caller's own initial
        // state (createKernel's plain object), which replay does not copy.
        if (e.state === initial) {
          expect(i).toBe(0);
          continue;
        }
        expect(unsettledPath(e.state), `frame ${i} event ${e.seq}`).toBeNull();
        events++;
      }
    });
    expect(events).toBeGreaterThan(100);
    const p = Object.values(first.at(-1)?.state.progs ?? {})[0];
    if (!p) throw new Error('no prog');
    expect(() => {
      (p as { refcnt: number }).refcnt = 99;
    }).toThrow(TypeError);
  });

  it('no state changes once made: each reads at the end of the run as when its event came', () => {
    const made: [KernelState, string][] = [];
    const frames = replay(initial, ops, (e) => made.push([e.state, JSON.stringify(e.state)]));
    expect(made.length).toBeGreaterThan(100);
    // The states share their tables (unfrozen ones among them) with the states after them.
    const last = frames.at(-1)?.state;
    const shared = made.filter(([s]) => last !== undefined && s !== last && s.progs === last.progs);
    expect(shared.length).toBeGreaterThan(0);
    expect(Object.isFrozen(last?.progs)).toBe(false);
    const changed = made.findIndex(([s, json]) => JSON.stringify(s) !== json);
    expect(changed).toBe(-1);
  });
});
