/**
 * Runs the steps of ops/schemas.ts on the simulated kernel: each is one kernel operation
 * (or one `bpf()` command), labelled as user space would write the call.
 */
import type { Op } from '../../core/machine';
import type { Sim } from '../../libbpf/sim';
import type { Step } from '../schema';
import type { FdNames } from './fds';

export type ExtraOp =
  | 'link_create'
  | 'dup'
  | 'fork'
  | 'send_fd'
  | 'obj_pin'
  | 'obj_get'
  | 'unlink'
  | 'get_fd_by_id'
  | 'rcu_gp'
  | 'tasks_trace_gp'
  | 'work_item';

export type ExtraStep = Extract<Step, { op: ExtraOp }>;

const EXTRA: ReadonlySet<string> = new Set<ExtraOp>([
  'link_create',
  'dup',
  'fork',
  'send_fd',
  'obj_pin',
  'obj_get',
  'unlink',
  'get_fd_by_id',
  'rcu_gp',
  'tasks_trace_gp',
  'work_item',
]);

export function isExtraStep(step: Step): step is ExtraStep {
  return EXTRA.has(step.op);
}

export interface ExtraCtx {
  readonly sim: Sim;
  readonly fds: FdNames;
  /** A process name's pid; the loader's when absent. */
  readonly pidOf: (process: string | undefined) => number;
  /** The kernel id of a program, map or link named in the scenario. */
  readonly idOf: (type: 'prog' | 'map' | 'link', name: string) => number | undefined;
  /** Records a link a step created, for link_destroy / link_detach / link_update / close. */
  readonly saveLink: (name: string, pid: number, fd: number) => void;
}

/** The process a step runs in: its `process`, else the owner of its named fd, else the loader. */
function pidFor(ctx: ExtraCtx, process: string | undefined, fd?: string | number): number {
  if (process !== undefined) return ctx.pidOf(process);
  if (typeof fd === 'string') return ctx.fds.place(fd)?.pid ?? ctx.pidOf(undefined);
  return ctx.pidOf(undefined);
}

const show = (ref: string | number) => String(ref);

/** Performs one extra step; the call's return value, or null when it is not a call. */
export function performExtra(step: ExtraStep, ctx: ExtraCtx): number | null {
  const { sim, fds } = ctx;
  const run = (op: Op, label: string) => sim.run(op, label).ret;
  const named = (as: string | undefined, pid: number, fd: number) => {
    if (as !== undefined && fd >= 0) fds.define(as, { pid, fd });
    return fd;
  };
  switch (step.op) {
    case 'link_create': {
      const pid = pidFor(ctx, step.process, step.map);
      const fd = run(
        {
          op: 'bpf',
          pid,
          cmd: 'BPF_LINK_CREATE',
          attr: { map_fd: fds.resolve(step.map), attach_type: 'BPF_STRUCT_OPS' },
        },
        `bpf_link_create(${show(step.map)}, 0, BPF_STRUCT_OPS)`,
      );
      if (fd >= 0) ctx.saveLink(step.as ?? `${show(step.map)}_link`, pid, fd);
      return fd;
    }
    case 'dup': {
      const pid = pidFor(ctx, step.process, step.fd);
      return named(
        step.as,
        pid,
        run({ op: 'dup', pid, fd: fds.resolve(step.fd) }, `dup(${show(step.fd)})`),
      );
    }
    case 'fork': {
      const pid = ctx.pidOf(step.process);
      return run({ op: 'fork', pid, child: step.pid, name: step.child }, `fork() → ${step.child}`);
    }
    case 'send_fd': {
      const pid = pidFor(ctx, step.process, step.fd);
      const to = ctx.pidOf(step.to);
      const fd = run(
        { op: 'scm_rights', pid, fd: fds.resolve(step.fd), to },
        `sendmsg(SCM_RIGHTS, ${show(step.fd)}) → ${step.to}`,
      );
      return named(step.as, to, fd);
    }
    case 'obj_pin': {
      const pid = pidFor(ctx, step.process, step.fd);
      return run(
        {
          op: 'bpf',
          pid,
          cmd: 'BPF_OBJ_PIN',
          attr: { bpf_fd: fds.resolve(step.fd), pathname: step.path },
        },
        `bpf_obj_pin(${show(step.fd)}, "${step.path}")`,
      );
    }
    case 'obj_get': {
      const pid = ctx.pidOf(step.process);
      const fd = run(
        { op: 'bpf', pid, cmd: 'BPF_OBJ_GET', attr: { pathname: step.path } },
        `bpf_obj_get("${step.path}")`,
      );
      return named(step.as, pid, fd);
    }
    case 'unlink': {
      const pid = ctx.pidOf(step.process);
      return run({ op: 'unlink', pid, path: step.path }, `unlink("${step.path}")`);
    }
    case 'get_fd_by_id': {
      const pid = ctx.pidOf(step.process);
      const id = typeof step.id === 'number' ? step.id : (ctx.idOf(step.type, step.id) ?? 0);
      const cmd =
        step.type === 'prog'
          ? 'BPF_PROG_GET_FD_BY_ID'
          : step.type === 'map'
            ? 'BPF_MAP_GET_FD_BY_ID'
            : 'BPF_LINK_GET_FD_BY_ID';
      const fd = run({ op: 'bpf', pid, cmd, attr: { id } }, `bpf_${step.type}_get_fd_by_id(${id})`);
      return named(step.as, pid, fd);
    }
    case 'rcu_gp':
      run({ op: 'grace_period', flavor: 'rcu' }, 'one RCU grace period ends');
      return null;
    case 'tasks_trace_gp':
      run(
        { op: 'grace_period', flavor: 'rcu_tasks_trace' },
        'one RCU tasks-trace grace period ends',
      );
      return null;
    case 'work_item':
      return run({ op: 'work_item' }, 'a kworker runs one work item');
  }
}
