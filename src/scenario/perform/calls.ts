/** Steps that run a program, use a map's fd, or close an fd. */
import type { Op } from '../../core/machine';
import type { Val } from '../../core/types';
import { resolveValueFds } from '../ops/fds';
import type { Step } from '../schema';
import type { RunContext } from './context';
import type { StepHandlers } from './handler';

const MAP_CMD = {
  map_update: 'BPF_MAP_UPDATE_ELEM',
  map_delete: 'BPF_MAP_DELETE_ELEM',
  map_lookup: 'BPF_MAP_LOOKUP_ELEM',
} as const;

/** BPF_MAP_DELETE_ELEM / BPF_MAP_LOOKUP_ELEM: a command on a map's fd with a key only. */
function keyCommand(
  step: Extract<Step, { op: 'map_delete' | 'map_lookup' }>,
  ctx: RunContext,
): number {
  const m = ctx.mapOf(step.map);
  if (!m.it) return ctx.noObject(step.map);
  const attr = { map_fd: m.it.fd, key: step.key };
  return ctx.run(
    { op: 'bpf', pid: m.lib.pid, cmd: MAP_CMD[step.op], attr } as Op,
    `${step.op.replace('map_', 'bpf_map_')}_elem(${step.map}, ${String(step.key)})`,
  );
}

export const callSteps: StepHandlers<
  'test_run' | 'close' | 'map_update' | 'map_delete' | 'map_lookup' | 'scx_op'
> = {
  test_run: (step, ctx) => {
    const p = ctx.progOf(step.prog);
    if (!p.it) return ctx.noObject(step.prog);
    const r = p.lib.bpf_prog_test_run_opts(p.it.fd, `bpf_prog_test_run_opts(${step.prog})`);
    ctx.retval = r.retval;
    return r.err;
  },
  close: (step, ctx) => {
    if (step.fd !== undefined) {
      const place = typeof step.fd === 'string' ? ctx.fds.place(step.fd) : undefined;
      const lib =
        step.process !== undefined || !place ? ctx.libFor(step.process) : ctx.libForPid(place.pid);
      return lib.close(ctx.fds.resolve(step.fd), `close(${String(step.fd)})`);
    }
    if (step.prog !== undefined) {
      const p = ctx.progOf(step.prog);
      if (!p.it) return ctx.noObject(step.prog);
      const r = p.lib.close(p.it.fd, `close(${step.prog} fd ${p.it.fd})`);
      p.it.fd = -1;
      return r;
    }
    if (step.map !== undefined) {
      const m = ctx.mapOf(step.map);
      if (!m.it) return ctx.noObject(step.map);
      const r = m.lib.close(m.it.fd, `close(${step.map} fd ${m.it.fd})`);
      m.it.fd = -1;
      return r;
    }
    const l = step.link !== undefined ? ctx.links.get(step.link) : undefined;
    if (!l) return ctx.noObject(String(step.link));
    l.link.destroyed = true;
    return l.lib.close(l.link.fd, `close(${step.link} fd ${l.link.fd})`);
  },
  map_update: (step, ctx) => {
    const m = ctx.mapOf(step.map);
    if (!m.it) return ctx.noObject(step.map);
    const attr = {
      map_fd: m.it.fd,
      key: step.key,
      value: resolveValueFds(step.value, ctx.fds),
      ...(step.flags !== undefined ? { flags: step.flags } : {}),
    };
    return ctx.run(
      { op: 'bpf', pid: m.lib.pid, cmd: MAP_CMD[step.op], attr } as Op,
      `bpf_map_update_elem(${step.map}, ${String(step.key)})`,
    );
  },
  map_delete: (step, ctx) => keyCommand(step, ctx),
  map_lookup: (step, ctx) => keyCommand(step, ctx),
  scx_op: (step, ctx) => {
    const sched = /^sch(\d+)$/.exec(step.sched);
    const byMap = sched ? null : ctx.mapOf(step.sched);
    const mapId = byMap?.it
      ? ctx.sim.state.processes[byMap.lib.pid]?.fds[byMap.it.fd]?.id
      : undefined;
    const id = sched
      ? Number(sched[1])
      : mapId !== undefined
        ? (ctx.sim.state.maps[mapId]?.st?.kdata.priv ?? -1)
        : -1;
    const r = ctx.sim.run(
      {
        op: 'scx_op',
        sched: id,
        member: step.member,
        ...(step.task !== undefined ? { tid: ctx.tidOf(step.task) } : {}),
      },
      `ops.${step.member}(${String(step.task ?? '')}) on ${step.sched}`,
    );
    ctx.retval = r.out?.['retval'] as Val | undefined;
    return r.ret;
  },
};
