/** Steps the kernel or the world does: syscalls, kernel functions, time, tasks, processes. */
import { toNs } from '../duration';
import type { StepHandlers } from './handler';

export const kernelSteps: StepHandlers<
  | 'syscall'
  | 'kernel_func'
  | 'advance'
  | 'drain'
  | 'settle'
  | 'rcu_gp'
  | 'tasks_trace_gp'
  | 'work_item'
  | 'process_start'
  | 'process_exit'
  | 'task_new'
> = {
  syscall: (step, ctx) =>
    ctx.run(
      { op: 'syscall', tid: ctx.tidOf(step.task), nr: step.nr ?? 'gettid' },
      `${step.nr ?? 'gettid'}() by ${String(step.task ?? 'loader')}`,
    ),
  kernel_func: (step, ctx) =>
    ctx.run(
      { op: 'kernel_func', func: step.func, tid: ctx.tidOf(step.task) },
      `${step.func}() called by ${String(step.task)}`,
    ),
  advance: (step, ctx) => {
    ctx.run(
      { op: 'advance', ns: toNs(step.by) },
      `${typeof step.by === 'number' ? `${step.by} ns` : step.by} pass`,
    );
    return null;
  },
  drain: (_step, ctx) => {
    ctx.run({ op: 'drain' }, 'RCU grace periods end and the workqueue runs');
    return null;
  },
  settle: (_step, ctx) => {
    ctx.run({ op: 'settle' }, 'everything pending runs');
    return null;
  },
  rcu_gp: (_step, ctx) => {
    ctx.run({ op: 'grace_period', flavor: 'rcu' }, 'one RCU grace period ends');
    return null;
  },
  tasks_trace_gp: (_step, ctx) => {
    ctx.run(
      { op: 'grace_period', flavor: 'rcu_tasks_trace' },
      'one RCU tasks-trace grace period ends',
    );
    return null;
  },
  work_item: (_step, ctx) => ctx.run({ op: 'work_item' }, 'a kworker runs one work item'),
  process_start: (step, ctx) =>
    ctx.run(
      { op: 'process_start', pid: step.pid, name: step.name },
      `${step.name} starts (pid ${step.pid})`,
    ),
  process_exit: (step, ctx) => {
    const pid = ctx.names.processes.get(step.process) ?? ctx.names.tasks.get(step.process) ?? -1;
    return ctx.run({ op: 'process_exit', pid }, `${step.process} exits`);
  },
  task_new: (step, ctx) =>
    ctx.run(
      {
        op: 'task_new',
        tid: step.tid,
        tgid: step.tgid,
        comm: step.name,
        ...(step.parent_tgid !== undefined ? { parent_tgid: step.parent_tgid } : {}),
      },
      `task ${step.name} (tid ${step.tid}) appears`,
    ),
};
