/**
 * The series "Support associating BPF programs with struct_ops", revision by revision, as data:
 * what each revision's association code does, where it differs, which bugs review found in it,
 * and the revision that fixed each one. The code that runs it is in `assocCode.ts`; the reports
 * the bugs produce are in `reports.ts`.
 *
 * Sources. Every revision's cover letter is on the bpf list (lore.kernel.org/bpf); the merged
 * series' cover letter links each previous revision by Message-ID, and those ids are cited
 * below. The merged kernel commit is b5709f6d26d65f6bb9711f4b5f98469fd507cb5b ("bpf: Support
 * associating BPF program with struct_ops", bpf-next). Details not stated by a source are
 * marked `inferred` (the reference's [inferred] label) and are shown as such in the app.
 */
import type { Revision } from '../types';

/** Every revision, oldest first, then today's mainline. */
export const REVISIONS: readonly Revision[] = [
  'v1',
  'v2',
  'v3',
  'v4',
  'v5',
  'v6',
  'v7',
  'v8',
  'mainline',
];

export function isRevision(x: unknown): x is Revision {
  return typeof x === 'string' && (REVISIONS as readonly string[]).includes(x);
}

/** How `bpf_prog_assoc_struct_ops` (v1: `bpf_struct_ops_assoc_prog`) decides. */
export type AssocRule =
  /** v1: a different value gives -EBUSY for every program type; no poison; same value: set again. */
  | 'first-wins'
  /** v2: a different value poisons a struct_ops program and returns -EBUSY; same value: set again. */
  | 'poison-ebusy'
  /** v3: a different value poisons (0) or -EBUSY; otherwise bpf_map_inc for non-struct_ops, even for the same map. */
  | 'inc-always'
  /** v4 onwards: the same map is a no-op; NULL takes one reference (non-struct_ops). */
  | 'final';

/** What `bpf_prog_get_assoc_struct_ops(aux)` does. */
export type GetterRule =
  /** v1 had no getter: the testmod kfunc read `aux->st_ops_assoc` (kdata) itself. [inferred] */
  | 'direct'
  /** NULL for NULL or POISON, else the kdata; no state check, no reference. */
  | 'plain'
  /** Also NULL while the map is INIT (`smp_load_acquire(state) == INIT`). */
  | 'init-check'
  /** v4: under RCU, `bpf_map_inc_not_zero`; INIT puts and returns NULL; the caller must `bpf_struct_ops_put`. */
  | 'inc-not-zero'
  /** v5: READ_ONCE and the INIT check, but the INIT path still calls `bpf_map_put()`: a reference it never took. */
  | 'init-check-stray-put';

/** Where the map update calls assoc, and what it does with the result. */
export type UpdateRule =
  /** Before the link is allocated; the result is ignored (v1, v2; v7 onwards: "Poison pointer on error instead of return"). */
  | 'ignore-before-link'
  /** Before the link: `if (err) { bpf_prog_put(prog); goto reset_unlock; }` (v3 to v5). */
  | 'check-before-link'
  /** v6: after `*plink++ = &link->link`, with the same error branch: a double put, were it ever taken. */
  | 'check-after-link';

export interface RevisionSpec {
  readonly id: Revision;
  /** Short label for selectors: `v3`, `v8 (merged)`. */
  readonly label: string;
  readonly date: string;
  /** Where this revision is read: a lore Message-ID, a commit, or the reference section. */
  readonly source: string;
  /** What changed from the previous revision, and whose review asked for it (our words). */
  readonly changes: readonly string[];
  /** The reviewer's point that shaped the next revision, in a sentence of our own. */
  readonly review: string | null;
  readonly uapi: {
    /** The command's name in `enum bpf_cmd` (both spellings are value 38). */
    readonly cmd: 'BPF_STRUCT_OPS_ASSOCIATE_PROG' | 'BPF_PROG_ASSOC_STRUCT_OPS';
    /** The kernel function handling it. */
    readonly handler: string;
    /** The `union bpf_attr` member. */
    readonly attr: string;
    readonly hasFlags: boolean;
    /** `*_LAST_FIELD`: CHECK_ATTR wants every byte after it zero. */
    readonly lastField: 'prog_fd' | 'flags';
    /** v1: get prog, get map, then one combined type check; v2 on: the prog type first. */
    readonly progTypeFirst: boolean;
    /** v1, v2: on success the syscall's `bpf_map_get` reference becomes the association's. */
    readonly keepsMapRef: boolean;
  };
  /** The kernel-internal assoc function's name. */
  readonly assocFn: string;
  readonly assocRule: AssocRule;
  /** What `st_ops_assoc` points at: the map's kdata (v1, v2) or the map (v3 on). */
  readonly assocPointsAt: 'kdata' | 'map';
  readonly getter: GetterRule;
  /** Where struct_ops programs are disassociated when their map goes away. */
  readonly disassocAt: 'put_progs' | 'map_free-before-gp';
  /** v1, v2: disassoc writes NULL whatever the value was (POISON, or another map's kdata). */
  readonly disassocAlwaysNull: boolean;
  readonly update: UpdateRule;
  /** v5: a timer set by a struct_ops program pins the associated map (`bpf_async_res`). */
  readonly asyncPin: boolean;
  readonly libbpf: {
    /** The low-level call, as that revision's bpf.h declares it. */
    readonly low: 'bpf_struct_ops_associate_prog' | 'bpf_prog_assoc_struct_ops';
    /** `bpf_program__assoc_struct_ops` exists (v3 on). */
    readonly high: boolean;
    /** The high-level early returns go through `libbpf_err()` (so errno is set): v8 on. */
    readonly setsErrno: boolean;
  };
  /** The bpf_testmod kfunc that returns the associated instance's test_1. */
  readonly kfunc: {
    readonly name: string;
    /** How the selftests call it. */
    readonly call: string;
    /** KF_IMPLICIT_ARGS (mainline): the verifier supplies aux, the program passes nothing. */
    readonly implicit: boolean;
  };
  /** Mechanisms in this row that the reference marks [inferred] (shown in the app as such). */
  readonly inferred: readonly string[];
}

const PROG_ARG = {
  name: 'bpf_kfunc_multi_st_ops_test_1_prog_arg',
  call: 'bpf_kfunc_multi_st_ops_test_1_prog_arg(&args, NULL)',
  implicit: false,
} as const;

const FINAL_UAPI = {
  cmd: 'BPF_PROG_ASSOC_STRUCT_OPS',
  handler: 'prog_assoc_struct_ops',
  attr: 'prog_assoc_struct_ops',
  hasFlags: true,
  lastField: 'prog_fd',
  progTypeFirst: true,
  keepsMapRef: false,
} as const;

const V1: RevisionSpec = {
  id: 'v1',
  label: 'v1 (RFC)',
  date: '2025-10-10',
  source: 'lore: <20251010174953.2884682-1-ameryhung@gmail.com> ([RFC PATCH v1 bpf-next 0/4])',
  changes: [
    'A new command, BPF_STRUCT_OPS_ASSOCIATE_PROG {map_fd, prog_fd}, with no flags field.',
    "st_ops_assoc points at the map's kdata; the first map wins and later ones get -EBUSY.",
    "On success the syscall keeps its map reference as the association's.",
    'libbpf: bpf_struct_ops_associate_prog(map_fd, prog_fd, opts) only.',
  ],
  review:
    'Andrii asked for poison when a program is reused in two maps, a flags field, a name in the BPF_PROG_* family, and the program type checked before the map is looked up.',
  uapi: {
    cmd: 'BPF_STRUCT_OPS_ASSOCIATE_PROG',
    handler: 'struct_ops_assoc_prog',
    attr: 'struct_ops_assoc_prog',
    hasFlags: false,
    lastField: 'prog_fd',
    progTypeFirst: false,
    keepsMapRef: true,
  },
  assocFn: 'bpf_struct_ops_assoc_prog',
  assocRule: 'first-wins',
  assocPointsAt: 'kdata',
  getter: 'direct',
  disassocAt: 'put_progs',
  disassocAlwaysNull: true,
  update: 'ignore-before-link',
  asyncPin: false,
  libbpf: { low: 'bpf_struct_ops_associate_prog', high: false, setsErrno: false },
  kfunc: PROG_ARG,
  inferred: [
    'Associating a program with the same map again leaks a map reference (read from the code, not stated by the thread).',
    'Freeing map B clears an association with map A (put_progs writes NULL unconditionally).',
    'The syscall handler name struct_ops_assoc_prog and the testmod kfunc name before v8.',
    'A timer callback can read st_ops_assoc right before the map memory is freed (the v4 changelog names the bug; the mechanism is inferred).',
  ],
};

const V2: RevisionSpec = {
  id: 'v2',
  label: 'v2',
  date: '2025-10-16',
  source: 'lore: <20251016204503.3203690-1-ameryhung@gmail.com> ([PATCH v2 bpf-next 0/4])',
  changes: [
    'Renamed to BPF_PROG_ASSOC_STRUCT_OPS {map_fd, prog_fd, flags}; flags must be 0 (Andrii).',
    'A struct_ops program in a second map is poisoned (BPF_PTR_POISON); the call still says -EBUSY, which the map update ignores (Andrii).',
    'The struct_ops program check is its own test, before the map fd is looked up.',
    'New getter bpf_prog_get_assoc_struct_ops(): NULL for NULL or POISON.',
  ],
  review:
    'Martin saw that freeing a map could set BPF_PTR_POISON back to NULL, and asked whether the getter should promise a fully updated map.',
  uapi: { ...FINAL_UAPI, keepsMapRef: true },
  assocFn: 'bpf_prog_assoc_struct_ops',
  assocRule: 'poison-ebusy',
  assocPointsAt: 'kdata',
  getter: 'plain',
  disassocAt: 'put_progs',
  disassocAlwaysNull: true,
  update: 'ignore-before-link',
  asyncPin: false,
  libbpf: { low: 'bpf_prog_assoc_struct_ops', high: false, setsErrno: false },
  kfunc: PROG_ARG,
  inferred: [
    'Associating the same map again still leaks a reference, as in v1.',
    'BPF_PROG_ASSOC_STRUCT_OPS_LAST_FIELD is taken to be prog_fd already, as merged.',
    'The timer callback racing the map free, as in v1.',
  ],
};

const V3: RevisionSpec = {
  id: 'v3',
  label: 'v3',
  date: '2025-10-17',
  source: 'lore: <20251017215627.722338-1-ameryhung@gmail.com> ([PATCH bpf-next v3 0/4])',
  changes: [
    'st_ops_assoc is a struct bpf_map * (Andrii).',
    'The reference moves into the helpers: assoc takes bpf_map_inc, disassoc bpf_map_put; the syscall always drops its own (Martin).',
    'Disassociation skips NULL and POISON: freeing a map no longer clears the poison (Andrii).',
    'The getter returns NULL while the map is INIT (Martin).',
    'libbpf: bpf_program__assoc_struct_ops (Andrii).',
  ],
  review:
    'Andrii pointed out that associating again with the same map takes a second reference that nothing will drop: the command must count once per program.',
  uapi: FINAL_UAPI,
  assocFn: 'bpf_prog_assoc_struct_ops',
  assocRule: 'inc-always',
  assocPointsAt: 'map',
  getter: 'init-check',
  disassocAt: 'put_progs',
  disassocAlwaysNull: false,
  update: 'check-before-link',
  asyncPin: false,
  libbpf: { low: 'bpf_prog_assoc_struct_ops', high: true, setsErrno: false },
  kfunc: PROG_ARG,
  inferred: [
    'Disassociation still runs in put_progs, after the RCU grace period and right before the memory is freed: a timer callback that read the pointer first may use freed memory (the v4 changelog\'s "potential dangling pointer in timer callback").',
  ],
};

const V4: RevisionSpec = {
  id: 'v4',
  label: 'v4',
  date: '2025-10-24',
  source: 'lore: <20251024212914.1474337-1-ameryhung@gmail.com> ([PATCH bpf-next v4 0/6])',
  changes: [
    'The command counts once per program: the same map is a no-op (Andrii).',
    'st_ops_assoc is __rcu; disassociation moves to bpf_struct_ops_map_dissoc_progs(), before synchronize_rcu_mult() in map free.',
    'The getter takes a reference with bpf_map_inc_not_zero() and callers must bpf_struct_ops_put() it.',
    'Tests: a program reused in two maps, and the association seen from a timer callback.',
  ],
  review:
    'Andrii objected that taking a reference inside the getter comes too late to protect anything, and that making every caller put it is a poor API.',
  uapi: FINAL_UAPI,
  assocFn: 'bpf_prog_assoc_struct_ops',
  assocRule: 'final',
  assocPointsAt: 'map',
  getter: 'inc-not-zero',
  disassocAt: 'map_free-before-gp',
  disassocAlwaysNull: false,
  update: 'check-before-link',
  asyncPin: false,
  libbpf: { low: 'bpf_prog_assoc_struct_ops', high: true, setsErrno: false },
  kfunc: PROG_ARG,
  inferred: [
    "The getter's temporary reference is shown as held by the kfunc until it calls bpf_struct_ops_put().",
  ],
};

const V5: RevisionSpec = {
  id: 'v5',
  label: 'v5',
  date: '2025-11-04',
  source: 'lore: <20251104172652.1746988-1-ameryhung@gmail.com> ([PATCH bpf-next v5 0/7])',
  changes: [
    'The getter no longer takes a reference (READ_ONCE); the struct_ops map lifetime stays hidden (Andrii, Alexei).',
    'A timer set by a struct_ops program pins its associated map (bpf_async_res).',
  ],
  review:
    "The review bot and Martin caught a bpf_map_put() left on the getter's INIT path: it drops a reference the getter never took. Martin also argued that RCU alone can protect async callbacks.",
  uapi: FINAL_UAPI,
  assocFn: 'bpf_prog_assoc_struct_ops',
  assocRule: 'final',
  assocPointsAt: 'map',
  getter: 'init-check-stray-put',
  disassocAt: 'map_free-before-gp',
  disassocAlwaysNull: false,
  update: 'check-before-link',
  asyncPin: true,
  libbpf: { low: 'bpf_prog_assoc_struct_ops', high: true, setsErrno: false },
  kfunc: PROG_ARG,
  inferred: [
    'The stray put is modelled for programs whose association holds a reference (non-struct_ops).',
    'The async pin is modelled for bpf_timer_set_callback only (not bpf_wq or task_work).',
  ],
};

const V6: RevisionSpec = {
  id: 'v6',
  label: 'v6',
  date: '2025-11-14',
  source: 'lore: <20251114221741.317631-1-ameryhung@gmail.com> ([PATCH bpf-next v6 0/7])',
  changes: [
    'The async-callback pinning is dropped; st_ops_assoc is __rcu again and readers rely on the grace period (Martin).',
    "The getter's stray put is gone (the review bot).",
    'The map update calls assoc after the link owns the program, with an error branch.',
  ],
  review:
    'The review bot saw that the new error branch would put the program a second time; Martin asked to drop the check, since assoc never fails for a struct_ops program.',
  uapi: FINAL_UAPI,
  assocFn: 'bpf_prog_assoc_struct_ops',
  assocRule: 'final',
  assocPointsAt: 'map',
  getter: 'init-check',
  disassocAt: 'map_free-before-gp',
  disassocAlwaysNull: false,
  update: 'check-after-link',
  asyncPin: false,
  libbpf: { low: 'bpf_prog_assoc_struct_ops', high: true, setsErrno: false },
  kfunc: PROG_ARG,
  inferred: [],
};

const V7: RevisionSpec = {
  id: 'v7',
  label: 'v7',
  date: '2025-11-21',
  source: 'lore: <20251121231352.4032020-1-ameryhung@gmail.com> ([PATCH bpf-next v7 0/6])',
  changes: [
    'The update calls assoc before the link is allocated and ignores the result: "Poison pointer on error instead of return for backward compatibility".',
    'The getter no longer promises an initialised struct_ops: no INIT check (Martin).',
  ],
  review:
    'Andrii asked libbpf to return every error through libbpf_err() so errno is set; Alexei asked for the _impl suffix on the testmod kfunc.',
  uapi: FINAL_UAPI,
  assocFn: 'bpf_prog_assoc_struct_ops',
  assocRule: 'final',
  assocPointsAt: 'map',
  getter: 'plain',
  disassocAt: 'map_free-before-gp',
  disassocAlwaysNull: false,
  update: 'ignore-before-link',
  asyncPin: false,
  libbpf: { low: 'bpf_prog_assoc_struct_ops', high: true, setsErrno: false },
  kfunc: PROG_ARG,
  inferred: [],
};

const V8: RevisionSpec = {
  ...V7,
  id: 'v8',
  label: 'v8 (merged)',
  date: '2025-12-03',
  source:
    'lore: <20251203233748.668365-1-ameryhung@gmail.com> ([PATCH bpf-next v8 0/6]); merged as b5709f6d26d6',
  changes: [
    "libbpf's early returns go through libbpf_err() (Andrii).",
    "The testmod kfunc is bpf_kfunc_multi_st_ops_test_1_impl (Alexei). The kernel code is v7's.",
  ],
  review: null,
  libbpf: { low: 'bpf_prog_assoc_struct_ops', high: true, setsErrno: true },
  kfunc: {
    name: 'bpf_kfunc_multi_st_ops_test_1_impl',
    call: 'bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)',
    implicit: false,
  },
  inferred: [],
};

const MAINLINE: RevisionSpec = {
  ...V8,
  id: 'mainline',
  label: 'mainline',
  date: '2026',
  source:
    'after the merge: kernel-patches/bpf PR #12535 (LAST_FIELD is flags, Fixes: b5709f6d26d6); "bpf: Verifier support for KF_IMPLICIT_ARGS" (2026-01)',
  changes: [
    'BPF_PROG_ASSOC_STRUCT_OPS_LAST_FIELD is flags: a non-zero flags passes CHECK_ATTR and fails the explicit check (same -EINVAL).',
    'KF_IMPLICIT_ARGS: the testmod kfunc is bpf_kfunc_multi_st_ops_test_1_assoc(args); the verifier supplies aux.',
  ],
  uapi: { ...FINAL_UAPI, lastField: 'flags' },
  kfunc: {
    name: 'bpf_kfunc_multi_st_ops_test_1_assoc',
    call: 'bpf_kfunc_multi_st_ops_test_1_assoc(&args)',
    implicit: true,
  },
  inferred: [
    'A later move of the assoc call after link creation is reported only by third-party copies and is not modelled.',
  ],
};

const SPECS: ReadonlyMap<Revision, RevisionSpec> = new Map(
  [V1, V2, V3, V4, V5, V6, V7, V8, MAINLINE].map((s) => [s.id, s]),
);

/** The description of revision `rev`. */
export function revisionSpec(rev: Revision): RevisionSpec {
  const s = SPECS.get(rev);
  if (!s) throw new Error(`simulator bug: no revision ${rev}`);
  return s;
}

/** The revision after `rev` in the series (mainline after v8), or null. */
export function nextRevision(rev: Revision): Revision | null {
  return REVISIONS[REVISIONS.indexOf(rev) + 1] ?? null;
}
