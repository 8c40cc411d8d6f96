/**
 * The scenario format (version 1), as zod schemas: the single source for validation, for the
 * TypeScript types, and for the JSON Schema editors use (`scenarioJsonSchema`).
 * Documented in docs/scenario-format.md.
 */
import { z } from 'zod';
import { MAX_CAPTION_CHARS } from './captionLimit';
import { extraExpect, extraSteps, fdRef } from './ops/schemas';
import { REVISIONS } from '../core/revisions/spec';

// Validation must never compile code at run time: scenario files come from strangers.
z.config({ jitless: true });

const name = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'a name: letters, digits, _ . -, not starting with a digit');
const value = z.union([z.number(), z.string(), z.null(), z.array(z.number())]);

/** A duration: nanoseconds as a number, or a string such as `500ms`, `1s`, `20us`, `3ns`. */
export const duration = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+(\.\d+)?\s*(ns|us|µs|ms|s)$/, 'a duration such as 500ms, 1s, 20us or 3ns'),
]);

const srcStmt: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.strictObject({ if: z.string(), then: z.array(srcStmt), else: z.array(srcStmt).optional() }),
    z.strictObject({ for: z.string(), do: z.array(srcStmt) }),
  ]),
);

export const progSchema = z.strictObject({
  section: z
    .string()
    .min(1)
    .describe(
      'ELF section: syscall, tp_btf/sys_enter, fentry/<func>, ?kprobe/<func>, struct_ops/<name>',
    ),
  body: z.array(srcStmt).describe('Statements: strings, or {if, then, else} / {for, do}'),
});

export const mapSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('struct_ops'),
    section: z.enum(['.struct_ops.link', '.struct_ops']).default('.struct_ops.link'),
    struct: z.string().describe('bpf_testmod_multi_st_ops or sched_ext_ops'),
    members: z
      .record(z.string(), value)
      .describe('function members name a struct_ops program of this object'),
    autoattach: z
      .boolean()
      .optional()
      .describe('bpf_map__set_autoattach: skeleton attach attaches it (default true, legacy too)'),
  }),
  z.strictObject({
    type: z.enum(['array', 'hash']),
    max_entries: z.number().int().positive(),
    key_size: z.number().int().positive().optional(),
    value_size: z.number().int().positive().optional(),
    flags: z.array(z.string()).optional(),
  }),
]);

export const objectSchema = z.strictObject({
  process: name.optional().describe('the process that loads it; the default loader otherwise'),
  instance: z
    .string()
    .regex(/^[A-Za-z0-9]+$/)
    .optional()
    .describe('suffix for the names the kernel sees (layered_2)'),
  globals: z.record(z.string(), value).optional(),
  maps: z.record(name, mapSchema).optional(),
  progs: z.record(name, progSchema),
  subprogs: z.record(name, z.array(srcStmt)).optional(),
  autoload: z.array(name).optional().describe('programs in ?-sections to load anyway'),
});

const ret = z.union([
  z.number().int(),
  z.string().regex(/^-?E[A-Z0-9]+$/, 'an errno name such as EBUSY'),
]);

/** The kinds of report a revision's bug produces (core/revisions/reports.ts). */
export const REPORT_KINDS = [
  'leak',
  'use-after-free',
  'double-put',
  'poison-cleared',
  'assoc-cleared',
  'dangling',
] as const;

const outcome = {
  ret: ret.optional().describe('the return: a number, or an errno name (EBUSY or -EBUSY)'),
  retval: value.optional().describe("BPF_PROG_TEST_RUN: the program's return value"),
  state: z
    .record(z.string(), value)
    .optional()
    .describe('path: value, e.g. prog.syscall_prog_a.assoc: st_ops_map_a'),
  reports: z
    .union([z.literal('none'), z.array(z.enum(REPORT_KINDS)).min(1)])
    .optional()
    .describe(
      'kernel reports this step produces: none, or kinds such as [leak] (kmemleak), [use-after-free] (KASAN), [poison-cleared]',
    ),
  ...extraExpect(name),
};

const outcomeSchema = z.strictObject(outcome).meta({ id: 'RevisionOutcome' });

export const expectSchema = z
  .strictObject({
    ...outcome,
    on: z
      .partialRecord(z.enum(REVISIONS), outcomeSchema)
      .optional()
      .describe(
        'per revision (v1..v8, mainline): what differs on that revision, e.g. v3: {reports: [leak]}',
      ),
  })
  // One definition in the JSON Schema ($defs/expect), referenced by every step.
  .meta({ id: 'expect' });

const common = {
  say: z.string().min(1).describe('narration: plain text, `inline code` allowed'),
  caption: z
    .string()
    .min(1)
    .max(
      MAX_CAPTION_CHARS,
      `a caption is at most ${MAX_CAPTION_CHARS} characters; the long text belongs in 'say'`,
    )
    .optional()
    .describe(
      `what the step shows, in one short line (at most ${MAX_CAPTION_CHARS} characters): presentation mode, embeds and videos show it large`,
    ),
  notes: z.string().optional().describe('speaker notes'),
  chapter: z.string().optional().describe('starts a section'),
  expect: expectSchema.optional(),
};

/** An op's name, described for editors (completion shows the description). */
const op = <const T extends string>(value: T, about: string) => z.literal(value).describe(about);

/** `{ fd: name }` in a map value: the fd that name stands for (a program fd, say). */
const fdValue = z.strictObject({ fd: fdRef(name) });

export const stepSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: op(
      'open_and_load',
      '<object>__open_and_load(): open the object (maps created) and load its programs',
    ),
    object: name,
    ...common,
  }),
  z.strictObject({
    op: op(
      'open',
      "<object>__open(): create the object's maps; programs are loaded by a later load",
    ),
    object: name,
    ...common,
  }),
  z.strictObject({
    op: op('load', '<object>__load(): load the programs of an opened object'),
    object: name,
    ...common,
  }),
  z.strictObject({
    op: op('set_autoload', 'bpf_program__set_autoload(prog, value), between open and load'),
    object: name.optional(),
    prog: name,
    value: z.boolean().default(true),
    ...common,
  }),
  z.strictObject({
    op: op(
      'assoc',
      'bpf_program__assoc_struct_ops(prog, map): BPF_PROG_ASSOC_STRUCT_OPS through libbpf',
    ),
    prog: name,
    map: name,
    flags: z.number().int().optional(),
    ...common,
  }),
  z.strictObject({
    op: op(
      'bpf_prog_assoc_struct_ops',
      'the raw BPF_PROG_ASSOC_STRUCT_OPS command on a program fd and a map fd',
    ),
    prog_fd: z.union([name, z.number().int()]),
    map_fd: z.union([name, z.number().int()]),
    flags: z.number().int().optional(),
    ...common,
  }),
  z.strictObject({
    op: op(
      'attach_struct_ops',
      'bpf_map__attach_struct_ops(map): update the struct_ops map and create its link',
    ),
    map: name,
    as: name.optional(),
    ...common,
  }),
  z.strictObject({
    op: op('attach', 'bpf_program__attach(prog): a link for a tracing or kprobe program'),
    prog: name,
    as: name.optional(),
    ...common,
  }),
  z.strictObject({
    op: op(
      'skel_attach',
      '<object>__attach(): attach every auto-attach program and every autoattach struct_ops map',
    ),
    object: name,
    ...common,
  }),
  z.strictObject({
    op: op('skel_destroy', "<object>__destroy(): destroy the skeleton's links and close its fds"),
    object: name,
    ...common,
  }),
  z.strictObject({
    op: op('link_destroy', 'bpf_link__destroy(link): detach and close'),
    link: name,
    ...common,
  }),
  z.strictObject({
    op: op('link_detach', 'BPF_LINK_DETACH: the link stays open, defunct'),
    link: name,
    ...common,
  }),
  z.strictObject({
    op: op(
      'link_update',
      'bpf_link__update_map(link, map): BPF_LINK_UPDATE (BPF_F_REPLACE with old_map)',
    ),
    link: name,
    map: name,
    old_map: name.optional(),
    ...common,
  }),
  z.strictObject({
    op: op('test_run', 'bpf_prog_test_run_opts(prog_fd): run a syscall program'),
    prog: name,
    ...common,
  }),
  z.strictObject({
    op: op('close', 'close one fd: of a program, a map or a link by name, or a raw fd number'),
    prog: name.optional(),
    map: name.optional(),
    link: name.optional(),
    fd: fdRef(name).optional(),
    process: name.optional(),
    ...common,
  }),
  z.strictObject({
    op: op('map_update', "BPF_MAP_UPDATE_ELEM on the map's fd"),
    map: name,
    key: z.union([z.number(), z.string()]).default(0),
    value: z
      .record(
        z.string(),
        z.union([value, fdValue, z.record(z.string(), z.union([value, fdValue]))]),
      )
      .describe('fields; a struct_ops value is { data: { member: { fd: prog } or a value } }'),
    flags: z.number().int().optional(),
    ...common,
  }),
  z.strictObject({
    op: op('map_delete', "BPF_MAP_DELETE_ELEM on the map's fd"),
    map: name,
    key: z.union([z.number(), z.string()]).default(0),
    ...common,
  }),
  z.strictObject({
    op: op('map_lookup', "BPF_MAP_LOOKUP_ELEM on the map's fd"),
    map: name,
    key: z.union([z.number(), z.string()]).default(0),
    ...common,
  }),
  z.strictObject({
    op: op('write_global', 'skel->bss->name = value (name[index] = value with index)'),
    object: name.optional(),
    name,
    value,
    index: z.number().int().nonnegative().optional(),
    ...common,
  }),
  z.strictObject({
    op: op(
      'syscall',
      'a task enters system call nr (gettid by default): fires tp_btf/sys_enter programs',
    ),
    task: z.union([name, z.number().int()]).optional(),
    nr: z.string().optional(),
    ...common,
  }),
  z.strictObject({
    op: op(
      'kernel_func',
      'a task calls kernel function func: fires fentry/<func> and kprobe/<func> programs',
    ),
    func: name,
    task: z.union([name, z.number().int()]),
    ...common,
  }),
  z.strictObject({
    op: op('scx_op', 'sched_ext calls ops.<member> of scheduler sched'),
    sched: name,
    member: name,
    task: z.union([name, z.number().int()]).optional(),
    ...common,
  }),
  z.strictObject({
    op: op('advance', 'move the clock forward, running whatever falls due on the way'),
    by: duration,
    ...common,
  }),
  z.strictObject({ op: op('drain', 'run every pending RCU callback and work item'), ...common }),
  z.strictObject({ op: op('settle', 'run until nothing is left to happen on its own'), ...common }),
  z.strictObject({
    op: op('process_start', 'start a process: a loader of its own, with its own fd table'),
    name,
    pid: z.number().int().positive(),
    ...common,
  }),
  z.strictObject({
    op: op('process_exit', 'end a process: the kernel closes every fd it still holds'),
    process: name,
    ...common,
  }),
  z.strictObject({
    op: op('task_new', 'add a thread (tid) named name to process tgid'),
    name,
    tid: z.number().int().positive(),
    tgid: z.number().int().positive(),
    parent_tgid: z.number().int().positive().optional(),
    ...common,
  }),
  ...extraSteps({ name, common, op }),
]);

export const scenarioSchema = z.strictObject({
  format: z.literal(1).describe('format version'),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id: lowercase letters, digits and -'),
  title: z.string().min(1),
  summary: z.string().min(1),
  kernel: z
    .strictObject({
      revision: z
        .enum(REVISIONS)
        .default('v8')
        .describe('the revision of the series the kernel runs: v1..v8 or mainline'),
      cpus: z.number().int().min(1).max(64).default(4),
    })
    .default({ revision: 'v8', cpus: 4 }),
  processes: z.array(z.strictObject({ name, pid: z.number().int().positive() })).optional(),
  objects: z.record(name, objectSchema),
  focus: z
    .array(name)
    .optional()
    .describe(
      'the cast of the Story view: names of the maps (as the kernel names them) drawn in full; programs, struct_ops maps, links and schedulers always are',
    ),
  steps: z.array(stepSchema).min(1),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type Step = z.infer<typeof stepSchema>;
export type StepOp = Step['op'];
export type ObjectSpec = z.infer<typeof objectSchema>;
export type Expect = z.infer<typeof expectSchema>;

/** The JSON Schema of the format, for editors (also written to docs/scenario.schema.json). */
export function scenarioJsonSchema(): unknown {
  return z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
}

/** Every op name, for completion and did-you-mean. */
export const STEP_OPS: readonly string[] = stepSchema.options.map((o) => o.shape.op.value);

export { toNs } from './duration';
