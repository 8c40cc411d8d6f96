/**
 * The scenario format (version 1), as zod schemas: the single source for validation, for the
 * TypeScript types, and for the JSON Schema editors use (`scenarioJsonSchema`).
 * Documented in docs/scenario-format.md.
 */
import { z } from 'zod';

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

export const expectSchema = z.strictObject({
  ret: ret.optional().describe('the return: a number, or an errno name (EBUSY or -EBUSY)'),
  retval: value.optional().describe("BPF_PROG_TEST_RUN: the program's return value"),
  state: z
    .record(z.string(), value)
    .optional()
    .describe('path: value, e.g. prog.syscall_prog_a.assoc: st_ops_map_a'),
});

const common = {
  say: z.string().min(1).describe('narration: plain text, `inline code` allowed'),
  notes: z.string().optional().describe('speaker notes'),
  chapter: z.string().optional().describe('starts a section'),
  expect: expectSchema.optional(),
};

export const stepSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('open_and_load'), object: name, ...common }),
  z.strictObject({ op: z.literal('open'), object: name, ...common }),
  z.strictObject({ op: z.literal('load'), object: name, ...common }),
  z.strictObject({
    op: z.literal('set_autoload'),
    object: name.optional(),
    prog: name,
    value: z.boolean().default(true),
    ...common,
  }),
  z.strictObject({
    op: z.literal('assoc'),
    prog: name,
    map: name,
    flags: z.number().int().optional(),
    ...common,
  }),
  z.strictObject({
    op: z.literal('bpf_prog_assoc_struct_ops'),
    prog_fd: z.union([name, z.number().int()]),
    map_fd: z.union([name, z.number().int()]),
    flags: z.number().int().optional(),
    ...common,
  }),
  z.strictObject({ op: z.literal('attach_struct_ops'), map: name, as: name.optional(), ...common }),
  z.strictObject({ op: z.literal('attach'), prog: name, as: name.optional(), ...common }),
  z.strictObject({ op: z.literal('skel_attach'), object: name, ...common }),
  z.strictObject({ op: z.literal('skel_destroy'), object: name, ...common }),
  z.strictObject({ op: z.literal('link_destroy'), link: name, ...common }),
  z.strictObject({ op: z.literal('link_detach'), link: name, ...common }),
  z.strictObject({
    op: z.literal('link_update'),
    link: name,
    map: name,
    old_map: name.optional(),
    ...common,
  }),
  z.strictObject({ op: z.literal('test_run'), prog: name, ...common }),
  z.strictObject({
    op: z.literal('close'),
    prog: name.optional(),
    map: name.optional(),
    link: name.optional(),
    fd: z.number().int().optional(),
    process: name.optional(),
    ...common,
  }),
  z.strictObject({
    op: z.literal('map_update'),
    map: name,
    key: z.union([z.number(), z.string()]).default(0),
    value: z
      .record(z.string(), z.union([value, z.record(z.string(), value)]))
      .describe('fields; a struct_ops value is { data: { member: prog fd or value } }'),
    flags: z.number().int().optional(),
    ...common,
  }),
  z.strictObject({
    op: z.literal('map_delete'),
    map: name,
    key: z.union([z.number(), z.string()]).default(0),
    ...common,
  }),
  z.strictObject({
    op: z.literal('map_lookup'),
    map: name,
    key: z.union([z.number(), z.string()]).default(0),
    ...common,
  }),
  z.strictObject({
    op: z.literal('write_global'),
    object: name.optional(),
    name,
    value,
    index: z.number().int().nonnegative().optional(),
    ...common,
  }),
  z.strictObject({
    op: z.literal('syscall'),
    task: z.union([name, z.number().int()]).optional(),
    nr: z.string().optional(),
    ...common,
  }),
  z.strictObject({
    op: z.literal('kernel_func'),
    func: name,
    task: z.union([name, z.number().int()]),
    ...common,
  }),
  z.strictObject({
    op: z.literal('scx_op'),
    sched: name,
    member: name,
    task: z.union([name, z.number().int()]).optional(),
    ...common,
  }),
  z.strictObject({ op: z.literal('advance'), by: duration, ...common }),
  z.strictObject({ op: z.literal('drain'), ...common }),
  z.strictObject({ op: z.literal('settle'), ...common }),
  z.strictObject({
    op: z.literal('process_start'),
    name,
    pid: z.number().int().positive(),
    ...common,
  }),
  z.strictObject({ op: z.literal('process_exit'), process: name, ...common }),
  z.strictObject({
    op: z.literal('task_new'),
    name,
    tid: z.number().int().positive(),
    tgid: z.number().int().positive(),
    parent_tgid: z.number().int().positive().optional(),
    ...common,
  }),
]);

export const scenarioSchema = z.strictObject({
  format: z.literal(1).describe('format version'),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id: lowercase letters, digits and -'),
  title: z.string().min(1),
  summary: z.string().min(1),
  kernel: z
    .strictObject({
      revision: z.literal('v8').default('v8'),
      cpus: z.number().int().min(1).max(64).default(4),
    })
    .default({ revision: 'v8', cpus: 4 }),
  processes: z.array(z.strictObject({ name, pid: z.number().int().positive() })).optional(),
  objects: z.record(name, objectSchema),
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
