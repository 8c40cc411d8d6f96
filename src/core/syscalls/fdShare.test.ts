/**
 * Sharing fds: dup, fork and SCM_RIGHTS share the open file (the object's counts do not move);
 * bpffs pins, BPF_OBJ_GET and BPF_*_GET_FD_BY_ID take references of their own (maps: refcnt
 * and usercnt). Invariants are checked after every event.
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../machine';
import { holdersOf } from '../refs';
import type { BpfCommand } from './attrs';
import { checkedSim, mapNamed } from '../../testing/checked';

function lab() {
  const { sim } = checkedSim({
    processes: [
      { pid: 100, name: 'loader' },
      { pid: 200, name: 'peer' },
    ],
  });
  const run = (op: Op) => sim.run(op, op.op);
  const bpf = (c: BpfCommand, pid = 100) => sim.run({ op: 'bpf', pid, ...c }, c.cmd);
  const mapFd = bpf({
    cmd: 'BPF_MAP_CREATE',
    attr: {
      map_type: 'BPF_MAP_TYPE_ARRAY',
      map_name: 'arr',
      key_size: 4,
      value_size: 8,
      max_entries: 1,
    },
  }).ret;
  const counts = () => {
    const m = mapNamed(sim.state, 'arr');
    return [m.refcnt, m.usercnt, m.lifecycle];
  };
  return { sim, run, bpf, mapFd, counts };
}

describe('dup, fork and SCM_RIGHTS share the file', () => {
  it('dup: a second fd, the same counts; only the last close releases', () => {
    const l = lab();
    const dup = l.run({ op: 'dup', fd: l.mapFd });
    expect(dup.ret).toBe(l.mapFd + 1);
    expect(l.counts()).toEqual([1, 1, 'live']);
    expect(holdersOf(l.sim.state).filter((h) => h.kind === 'fd')).toHaveLength(2); // refcnt+usercnt
    expect(l.run({ op: 'close', fd: l.mapFd }).ret).toBe(0);
    expect(l.counts()).toEqual([1, 1, 'live']);
    expect(l.run({ op: 'close', fd: dup.ret }).ret).toBe(0);
    expect(l.counts()).toEqual([0, 0, 'freeing']);
  });

  it('fork: the child has the same fds on the same files; both must close', () => {
    const l = lab();
    expect(l.run({ op: 'fork', pid: 100, child: 300, name: 'child' }).ret).toBe(300);
    expect(l.sim.state.processes[300]?.fds[l.mapFd]?.id).toBe(mapNamed(l.sim.state, 'arr').id);
    expect(l.counts()).toEqual([1, 1, 'live']);
    expect(l.run({ op: 'process_exit', pid: 100 }).ret).toBe(0);
    expect(l.counts()).toEqual([1, 1, 'live']);
    expect(l.run({ op: 'process_exit', pid: 300 }).ret).toBe(0);
    expect(l.counts()).toEqual([0, 0, 'freeing']);
  });

  it('SCM_RIGHTS: the peer gets its own fd number on the same file', () => {
    const l = lab();
    const got = l.run({ op: 'scm_rights', pid: 100, fd: l.mapFd, to: 200 });
    expect(got.ret).toBe(3);
    expect(l.counts()).toEqual([1, 1, 'live']);
    expect(l.run({ op: 'close', pid: 100, fd: l.mapFd }).ret).toBe(0);
    expect(l.counts()).toEqual([1, 1, 'live']);
    expect(l.run({ op: 'scm_rights', pid: 100, fd: l.mapFd, to: 200 }).ret).toBe(-9);
    expect(l.run({ op: 'close', pid: 200, fd: got.ret }).ret).toBe(0);
    expect(l.counts()).toEqual([0, 0, 'freeing']);
  });
});

describe('bpffs and ids take references of their own', () => {
  it('BPF_OBJ_PIN and BPF_OBJ_GET: refcnt and usercnt +1 each; unlink drops the pin', () => {
    const l = lab();
    const path = '/sys/fs/bpf/arr';
    expect(l.bpf({ cmd: 'BPF_OBJ_PIN', attr: { bpf_fd: l.mapFd, pathname: path } }).ret).toBe(0);
    expect(l.counts()).toEqual([2, 2, 'live']);
    expect(l.bpf({ cmd: 'BPF_OBJ_PIN', attr: { bpf_fd: l.mapFd, pathname: path } }).ret).toBe(-17);
    const got = l.bpf({ cmd: 'BPF_OBJ_GET', attr: { pathname: path } }, 200);
    expect(got.ret).toBe(3);
    expect(l.counts()).toEqual([3, 3, 'live']);
    expect(l.run({ op: 'close', fd: l.mapFd }).ret).toBe(0);
    expect(l.run({ op: 'close', pid: 200, fd: got.ret }).ret).toBe(0);
    // Only the pin holds it: the map (and its timers) stays.
    expect(l.counts()).toEqual([1, 1, 'live']);
    expect(l.run({ op: 'unlink', path }).ret).toBe(0);
    expect(l.counts()).toEqual([0, 0, 'freeing']);
    expect(l.bpf({ cmd: 'BPF_OBJ_GET', attr: { pathname: path } }).ret).toBe(-2);
  });

  it('BPF_MAP_GET_FD_BY_ID takes refcnt and usercnt; a freed id is -ENOENT', () => {
    const l = lab();
    const id = mapNamed(l.sim.state, 'arr').id;
    const got = l.bpf({ cmd: 'BPF_MAP_GET_FD_BY_ID', attr: { id } }, 200);
    expect(got.ret).toBe(3);
    expect(l.counts()).toEqual([2, 2, 'live']);
    expect(l.run({ op: 'close', fd: l.mapFd }).ret).toBe(0);
    expect(l.run({ op: 'close', pid: 200, fd: got.ret }).ret).toBe(0);
    expect(l.counts()).toEqual([0, 0, 'freeing']);
    expect(l.bpf({ cmd: 'BPF_MAP_GET_FD_BY_ID', attr: { id } }).ret).toBe(-2);
    expect(l.bpf({ cmd: 'BPF_PROG_GET_FD_BY_ID', attr: { id: 99 } }).ret).toBe(-2);
  });
});
