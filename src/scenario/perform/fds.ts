/**
 * Steps on fds and the other ways to reach an object: dup, fork, SCM_RIGHTS, bpffs pins and
 * GET_FD_BY_ID. An `as:` names the fd a step makes, for later steps.
 */
import type { StepHandlers } from './handler';

const show = (ref: string | number) => String(ref);

const BY_ID_CMD = {
  prog: 'BPF_PROG_GET_FD_BY_ID',
  map: 'BPF_MAP_GET_FD_BY_ID',
  link: 'BPF_LINK_GET_FD_BY_ID',
} as const;

export const fdSteps: StepHandlers<
  'dup' | 'fork' | 'send_fd' | 'obj_pin' | 'obj_get' | 'unlink' | 'get_fd_by_id'
> = {
  dup: (step, ctx) => {
    const pid = ctx.pidFor(step.process, step.fd);
    return ctx.named(
      step.as,
      pid,
      ctx.run({ op: 'dup', pid, fd: ctx.fds.resolve(step.fd) }, `dup(${show(step.fd)})`),
    );
  },
  fork: (step, ctx) =>
    ctx.run(
      { op: 'fork', pid: ctx.pidOf(step.process), child: step.pid, name: step.child },
      `fork() → ${step.child}`,
    ),
  send_fd: (step, ctx) => {
    const pid = ctx.pidFor(step.process, step.fd);
    const to = ctx.pidOf(step.to);
    const fd = ctx.run(
      { op: 'scm_rights', pid, fd: ctx.fds.resolve(step.fd), to },
      `sendmsg(SCM_RIGHTS, ${show(step.fd)}) → ${step.to}`,
    );
    return ctx.named(step.as, to, fd);
  },
  obj_pin: (step, ctx) =>
    ctx.run(
      {
        op: 'bpf',
        pid: ctx.pidFor(step.process, step.fd),
        cmd: 'BPF_OBJ_PIN',
        attr: { bpf_fd: ctx.fds.resolve(step.fd), pathname: step.path },
      },
      `bpf_obj_pin(${show(step.fd)}, "${step.path}")`,
    ),
  obj_get: (step, ctx) => {
    const pid = ctx.pidOf(step.process);
    const fd = ctx.run(
      { op: 'bpf', pid, cmd: 'BPF_OBJ_GET', attr: { pathname: step.path } },
      `bpf_obj_get("${step.path}")`,
    );
    return ctx.named(step.as, pid, fd);
  },
  unlink: (step, ctx) =>
    ctx.run(
      { op: 'unlink', pid: ctx.pidOf(step.process), path: step.path },
      `unlink("${step.path}")`,
    ),
  get_fd_by_id: (step, ctx) => {
    const pid = ctx.pidOf(step.process);
    const id = typeof step.id === 'number' ? step.id : (ctx.idOf(step.type, step.id) ?? 0);
    const fd = ctx.run(
      { op: 'bpf', pid, cmd: BY_ID_CMD[step.type], attr: { id } },
      `bpf_${step.type}_get_fd_by_id(${id})`,
    );
    return ctx.named(step.as, pid, fd);
  },
};
