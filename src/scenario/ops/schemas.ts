/**
 * Scenario steps that speak at the level of kernel tests: a raw `link_create`, fds shared
 * between processes (dup, fork, SCM_RIGHTS, bpffs pins, get-fd-by-id), exactly one grace
 * period or work item, and expectations on what a step did. The shapes only; schema.ts puts
 * them in the step union, fds.ts resolves symbolic fds, perform.ts runs the steps and
 * expect.ts checks the expectations. Documented in docs/scenario-format.md.
 */
import { z } from 'zod';
import { BPF_CMD_NUMBER, type BpfCmd } from '../../core/syscalls/attrs';

/** The parts schema.ts owns and lends: the name pattern, the op literal and common keys. */
export interface StepParts<N extends z.ZodString, C extends z.ZodRawShape> {
  readonly name: N;
  readonly common: C;
  readonly op: <const T extends string>(value: T, about: string) => z.ZodLiteral<T>;
}

/** A file descriptor: a number, or a name (program, map, link, `<object>.bss`, or an `as`). */
export function fdRef<N extends z.ZodString>(name: N) {
  return z
    .union([name, z.number().int().nonnegative()])
    .describe('an fd: a number, or a name (program, map, link, <object>.bss, or an earlier as:)');
}

const path = z
  .string()
  .regex(/^\/sys\/fs\/bpf\/[A-Za-z0-9_.\-/]+$/, 'a bpffs path such as /sys/fs/bpf/st_ops_map')
  .describe('a path in bpffs, under /sys/fs/bpf/');

/** The extra step shapes, built on schema.ts's parts. */
export function extraSteps<N extends z.ZodString, C extends z.ZodRawShape>(p: StepParts<N, C>) {
  const { name, common, op } = p;
  const fd = fdRef(name);
  const as = name.optional().describe('a name for the new fd, usable wherever an fd is taken');
  const process = name.optional().describe('the process making the call; the loader otherwise');
  return [
    z.strictObject({
      op: op(
        'link_create',
        'the raw BPF_LINK_CREATE (BPF_STRUCT_OPS) on a struct_ops map fd: no map update first',
      ),
      map: fd,
      as: name.optional().describe('the link name (default <map>_link)'),
      process,
      ...common,
    }),
    z.strictObject({
      op: op('dup', 'dup(fd): a new fd on the same open file (no count changes)'),
      fd,
      as,
      process,
      ...common,
    }),
    z.strictObject({
      op: op('fork', 'fork(): a child process with a copy of the fd table (same files)'),
      child: name.describe('the child process name'),
      pid: z.number().int().positive(),
      process: name.optional().describe('the parent; the loader otherwise'),
      ...common,
    }),
    z.strictObject({
      op: op('send_fd', 'sendmsg/recvmsg with SCM_RIGHTS over a unix socket to another process'),
      fd,
      to: name.describe('the receiving process'),
      as: name.optional().describe("a name for the receiver's new fd"),
      process: name.optional().describe('the sender; the loader otherwise'),
      ...common,
    }),
    z.strictObject({
      op: op('obj_pin', 'BPF_OBJ_PIN: pin the object behind fd at a bpffs path'),
      fd,
      path,
      process,
      ...common,
    }),
    z.strictObject({
      op: op('obj_get', 'BPF_OBJ_GET: a new fd on the object pinned at a bpffs path'),
      path,
      as,
      process,
      ...common,
    }),
    z.strictObject({
      op: op('unlink', 'unlink a bpffs pin: its reference goes'),
      path,
      process,
      ...common,
    }),
    z.strictObject({
      op: op('get_fd_by_id', 'BPF_{PROG,MAP,LINK}_GET_FD_BY_ID: a new fd from an object id'),
      type: z.enum(['prog', 'map', 'link']),
      id: z
        .union([name, z.number().int().nonnegative()])
        .describe('the id, or the name of a program, map or link (its id is used)'),
      as,
      process,
      ...common,
    }),
    z.strictObject({
      op: op('rcu_gp', 'exactly one RCU grace period: only call_rcu callbacks run'),
      ...common,
    }),
    z.strictObject({
      op: op(
        'tasks_trace_gp',
        'exactly one RCU tasks-trace grace period: only call_rcu_tasks_trace callbacks run',
      ),
      ...common,
    }),
    z.strictObject({
      op: op('work_item', 'exactly one queued work item runs (the oldest)'),
      ...common,
    }),
  ] as const;
}

const BPF_CMDS = Object.keys(BPF_CMD_NUMBER) as [BpfCmd, ...BpfCmd[]];

/** Expectation keys about what a step did, added to `expect`. */
export function extraExpect<N extends z.ZodString>(name: N) {
  const fn = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'a kernel function name');
  return {
    bpf: z
      .array(z.enum(BPF_CMDS))
      .optional()
      .describe('the bpf() commands the step made, in order ([] for none)'),
    called: z.array(fn).optional().describe('kernel functions that ran during the step'),
    not_called: z.array(fn).optional().describe('kernel functions that did not run'),
    dmesg: z
      .strictObject({
        contains: z.string().min(1).optional(),
        times: z.number().int().nonnegative().optional(),
      })
      .optional()
      .describe('kernel log: a line containing the text, and how many such lines (all if no text)'),
    oops_at: z
      .strictObject({
        function: fn.optional(),
        prog: name.optional(),
        kind: z.string().optional(),
      })
      .optional()
      .describe('where the step oopsed: the kernel function, the program, the kind'),
    value: z
      .record(z.string(), z.union([z.number(), z.string(), z.null(), z.array(z.number())]))
      .optional()
      .describe('map_lookup: fields of the value BPF_MAP_LOOKUP_ELEM returned (common.refcnt)'),
  };
}
