/**
 * A command in flight: the current immutable state plus the ordered events it has produced.
 *
 * Every change to the kernel state goes through {@link Tx.emit}, which applies a recipe
 * (copy-on-write: structural sharing, frozen results; see `cow.ts`) and records an event carrying the state after
 * it. So the state after every event is reachable, and a viewer can step inside a command.
 */
import type { Draft } from 'immer';
import { produceFrozen, updateIn } from './cow';
import type { StmtPath } from './prog/ast';
import type { KernelState, ObjRef } from './types';

export type EventKind =
  | 'syscall'
  | 'call'
  | 'refcnt'
  | 'usercnt'
  | 'assoc'
  | 'state'
  | 'alloc'
  | 'free'
  | 'fd'
  | 'slot'
  | 'link'
  | 'defer'
  | 'timer'
  | 'value'
  | 'sched'
  | 'kick'
  | 'reg'
  | 'oops'
  | 'warn'
  | 'exec'
  | 'clock'
  | 'check'
  | 'verifier'
  | 'return';

/** Where a running BPF program is: which program, which body, which statement. */
export interface ExecPoint {
  readonly prog: number;
  /** `main` or the subprogram (callback) name. */
  readonly where: string;
  readonly path: StmtPath;
  readonly src: string;
}

/** One fine-grained kernel event, with the state right after it. */
export interface KEvent {
  readonly seq: number;
  /** The kernel function acting, verbatim (`bpf_prog_assoc_struct_ops`, `bpf_map_put`, ...). */
  readonly fn: string;
  /** The kernel source file that function lives in. */
  readonly file: string;
  /** The call chain from the command's entry to `fn`. */
  readonly stack: readonly string[];
  readonly kind: EventKind;
  readonly target: ObjRef | null;
  readonly field: string | null;
  readonly before: string | null;
  readonly after: string | null;
  /** One plain sentence saying why. */
  readonly why: string;
  readonly exec: ExecPoint | null;
  readonly state: KernelState;
}

export interface EventSpec {
  readonly kind: EventKind;
  readonly target?: ObjRef | null;
  readonly field?: string | null;
  readonly before?: string | number | null;
  readonly after?: string | number | null;
  readonly why: string;
  readonly exec?: ExecPoint | null;
}

interface Frame {
  readonly fn: string;
  readonly file: string;
}

export type Recipe = (draft: Draft<KernelState>) => void;

/** A state's keys, in the order `createKernel` makes them (and every change keeps). */
const STATE_KEYS: readonly (keyof KernelState)[] = [
  'revision',
  'nrCpus',
  'rcuGracePeriodNs',
  'rcuTasksTraceGracePeriodNs',
  'now',
  'ids',
  'processes',
  'tasks',
  'progs',
  'maps',
  'links',
  'timers',
  'pending',
  'inflight',
  'testmod',
  'scx',
  'oopses',
  'dmesg',
  'bpffs',
  'cgroups',
];

/**
 * A shallow copy of a state with exactly {@link STATE_KEYS}, as an object literal (several
 * times faster than any generic copy of a frozen object); null for any other shape (a state
 * with reports, say), which the generic copy handles.
 */
function copyState(s: KernelState): KernelState | null {
  if (Object.getPrototypeOf(s) !== Object.prototype) return null;
  const keys = Object.keys(s);
  if (keys.length !== STATE_KEYS.length) return null;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== STATE_KEYS[i]) return null;
  return {
    revision: s.revision,
    nrCpus: s.nrCpus,
    rcuGracePeriodNs: s.rcuGracePeriodNs,
    rcuTasksTraceGracePeriodNs: s.rcuTasksTraceGracePeriodNs,
    now: s.now,
    ids: s.ids,
    processes: s.processes,
    tasks: s.tasks,
    progs: s.progs,
    maps: s.maps,
    links: s.links,
    timers: s.timers,
    pending: s.pending,
    inflight: s.inflight,
    testmod: s.testmod,
    scx: s.scx,
    oopses: s.oopses,
    dmesg: s.dmesg,
    bpffs: s.bpffs,
    cgroups: s.cgroups,
  };
}

export class Tx {
  private readonly frames: Frame[] = [];
  /** `stack` for the frames as they are now; events in the same frame share it. */
  private stackNow: readonly string[] | null = null;
  readonly events: KEvent[] = [];

  constructor(
    public state: KernelState,
    /** The calling process (whose fd table the command uses). */
    readonly pid: number,
    private readonly onEvent?: (e: KEvent) => void,
  ) {}

  /** Runs `body` as kernel function `fn` (in `file`); events inside name it. */
  in<T>(fn: string, file: string, body: () => T): T {
    this.frames.push({ fn, file });
    this.stackNow = null;
    try {
      return body();
    } finally {
      this.frames.pop();
      this.stackNow = null;
    }
  }

  /** The kernel functions on the call chain right now, outermost first. */
  get stack(): readonly string[] {
    return (this.stackNow ??= Object.freeze(this.frames.map((f) => f.fn)));
  }

  get fn(): string {
    return this.frames[this.frames.length - 1]?.fn ?? 'bpf';
  }

  /** Records an event, applying `recipe` to the state first if given. */
  emit(spec: EventSpec, recipe?: Recipe): void {
    if (recipe) this.state = produceFrozen(this.state, recipe, copyState);
    const top = this.frames[this.frames.length - 1];
    const event: KEvent = {
      seq: this.events.length,
      fn: top?.fn ?? 'bpf',
      file: top?.file ?? 'kernel/bpf/syscall.c',
      stack: this.stack,
      kind: spec.kind,
      target: spec.target ?? null,
      field: spec.field ?? null,
      before: spec.before === undefined || spec.before === null ? null : String(spec.before),
      after: spec.after === undefined || spec.after === null ? null : String(spec.after),
      why: spec.why,
      exec: spec.exec ?? null,
      state: this.state,
    };
    this.events.push(event);
    this.onEvent?.(event);
  }

  /**
   * Records an event whose change is one value: the one at `path` in the state becomes
   * `update(old)`. The same state as `emit` with a recipe assigning it, made without drafts.
   */
  emitUpdate(
    spec: EventSpec,
    path: readonly PropertyKey[],
    update: (old: unknown) => unknown,
  ): void {
    this.state = updateIn(this.state, path, update, copyState);
    this.emit(spec);
  }

  /** Applies a change that is bookkeeping only (no event); use sparingly. */
  quietly(recipe: Recipe): void {
    this.state = produceFrozen(this.state, recipe, copyState);
  }
}
