/**
 * Parses and validates a scenario (YAML, or JSON, which is YAML too). Every problem is
 * reported at once with its line and column and a sentence a person understands; nothing
 * is thrown, nothing is evaluated, and oversized input is refused up front.
 */
import type { Document } from 'yaml';
import type { z } from 'zod';
import { ERRNO } from '../core/errno';
import { compileBody } from '../core/prog/compile';
import type { SrcStmt } from '../core/prog/ast';
import { findStructOpsType, structOpsTypeNames } from '../core/register';
import { aliasProblem } from './aliases';
import { checkExpectPath } from './expect';
import { REVISIONS } from '../core/revisions/spec';
import { buildNames, type NameTable } from './names';
import { FdChecker } from './ops/check';
import { LineIndex, positionOf, type LinePositions, type Path } from './positions';
import {
  expectSchema,
  mapSchema,
  objectSchema,
  progSchema,
  scenarioSchema,
  stepSchema,
  STEP_OPS,
  type Scenario,
  type Step,
} from './schema';
import { didYouMean } from './suggest';

import { MAX_SCENARIO_BYTES, MAX_SCENARIO_NESTING } from './limits';
import { parseNested } from './nesting';
import { own } from '../core/own';

export { MAX_SCENARIO_BYTES };

export interface ScenarioIssue {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly path: Path;
}

export type ParseResult =
  | { readonly ok: true; readonly scenario: Scenario; readonly stepLines: readonly number[] }
  | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

/** Every key the format knows, for did-you-mean on unknown keys. */
const KNOWN_KEYS = [
  ...[
    'format',
    'id',
    'title',
    'summary',
    'kernel',
    'processes',
    'objects',
    'focus',
    'steps',
    'revision',
    'cpus',
    'name',
    'pid',
  ],
  ...[
    'process',
    'instance',
    'globals',
    'maps',
    'progs',
    'subprogs',
    'autoload',
    'section',
    'body',
    'type',
    'struct',
  ],
  ...[
    'members',
    'max_entries',
    'key_size',
    'value_size',
    'flags',
    'if',
    'then',
    'else',
    'for',
    'do',
  ],
  ...[
    'op',
    'say',
    'caption',
    'notes',
    'chapter',
    'expect',
    'ret',
    'retval',
    'state',
    'reports',
    'on',
    'object',
    'prog',
    'map',
    'link',
    'fd',
  ],
  ...[
    'as',
    'old_map',
    'key',
    'value',
    'index',
    'task',
    'nr',
    'func',
    'sched',
    'member',
    'by',
    'tid',
    'tgid',
  ],
  ...['parent_tgid', 'prog_fd', 'map_fd'],
];

class Issues {
  readonly list: ScenarioIssue[] = [];
  constructor(
    private readonly doc: Document,
    private readonly lc: LinePositions,
    private readonly source: string,
  ) {}
  add(path: Path, message: string, opts: { onKey?: boolean; column?: number } = {}): void {
    const p = positionOf(this.doc, this.lc, path, { ...opts, source: this.source });
    this.list.push({ line: p.line, column: p.column, message, path });
  }
}

const has = (o: object | undefined, key: string): boolean =>
  o !== undefined && Object.hasOwn(o, key);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shapeKeys(schema: { shape: Record<string, unknown> }): string[] {
  return Object.keys(schema.shape);
}

/**
 * The keys a mapping at `path` may hold (for did-you-mean on an unknown key), or every key the
 * format knows when the place is not one of the format's fixed mappings.
 */
function keysAt(path: Path, data: unknown): readonly string[] {
  const [a, b, c] = path;
  if (path.length === 0) return shapeKeys(scenarioSchema);
  if (a === 'kernel' && path.length === 1)
    return shapeKeys(scenarioSchema.shape.kernel.def.innerType);
  if (a === 'processes' && path.length === 2)
    return shapeKeys(scenarioSchema.shape.processes.unwrap().element);
  if (a === 'objects' && path.length === 2) return shapeKeys(objectSchema);
  if (a === 'objects' && c === 'progs' && path.length === 4) return shapeKeys(progSchema);
  if (a === 'objects' && c === 'maps' && path.length === 4) {
    const type = valueAt(data, [...path, 'type']);
    const variant = mapSchema.options.find((o) => o.shape.type.safeParse(type).success);
    return variant ? shapeKeys(variant) : [...new Set(mapSchema.options.flatMap(shapeKeys))];
  }
  if (a === 'steps' && typeof b === 'number') {
    if (path.length === 3 && c === 'expect') return shapeKeys(expectSchema);
    if (path.length === 2) {
      const op = valueAt(data, [...path, 'op']);
      const variant = stepSchema.options.find((o) => o.shape.op.value === op);
      if (variant) return shapeKeys(variant);
    }
  }
  return KNOWN_KEYS;
}

function zodMessage(issue: z.core.$ZodIssue, data: unknown): string {
  const here = valueAt(data, issue.path);
  const key = issue.path.at(-1);
  const missing = here === undefined && typeof key === 'string';
  switch (issue.code) {
    case 'invalid_type':
      return missing
        ? `missing '${key}' (${issue.expected === 'record' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`})`
        : `expected ${issue.expected}, got ${describe(here)}`;
    case 'invalid_value':
      return missing
        ? `missing '${key}' (${issue.values.map((v) => JSON.stringify(v)).join(' or ')})`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(here)}`;
    case 'invalid_union': {
      // A discriminated union reports an unknown or missing discriminator at the discriminator's
      // own path (steps.3.op, objects.o.maps.m.type); other unions at the value's path.
      const atDisc = issue.discriminator !== undefined && key === issue.discriminator;
      const owner = atDisc ? issue.path.slice(0, -1) : issue.path;
      if (owner.at(-2) === 'steps') {
        const op = valueAt(data, [...owner, 'op']);
        if (op === undefined) return `a step needs an 'op' (one of ${STEP_OPS.join(', ')})`;
        return typeof op === 'string'
          ? `unknown op '${op}'${didYouMean(op, STEP_OPS)}`
          : `an op is a name such as 'assoc', not ${describe(op)}`;
      }
      if (owner.at(-2) === 'maps') {
        const type = valueAt(data, [...owner, 'type']);
        return type === undefined
          ? "a map needs a 'type': struct_ops, array or hash"
          : `unknown map type '${String(type)}': use struct_ops, array or hash`;
      }
      return `this value has none of the allowed shapes (got ${describe(here)})`;
    }
    case 'too_small':
      return issue.origin === 'array'
        ? `needs at least ${String(issue.minimum)} item(s)`
        : issue.message;
    default:
      return issue.message;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  // A whole file can be one scalar (a binary file, say): quote only its start.
  const text = JSON.stringify(typeof v === 'string' && v.length > 40 ? `${v.slice(0, 39)}…` : v);
  return `${typeof v} ${text}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    // Own properties only: a key named `constructor` or `toString` is not there by inheritance.
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function toPath(p: readonly PropertyKey[]): Path {
  return p.map((s) => (typeof s === 'number' ? s : String(s)));
}

/** Each name of the Story view's `focus:` list is a map, program or process of the scenario. */
function checkFocus(s: Scenario, names: NameTable, issues: Issues): void {
  (s.focus ?? []).forEach((n, i) => {
    if (names.maps.has(n) || names.progs.has(n) || names.processes.has(n)) return;
    if (/\.(bss|data|rodata|kconfig)$/.test(n)) return;
    issues.add(
      ['focus', i],
      `no map, program or process '${n}'${didYouMean(n, [...names.maps.keys(), ...names.progs.keys()])}`,
    );
  });
}

/** Paths of program bodies compile; sections, members and names resolve. */
function checkObjects(s: Scenario, names: NameTable, issues: Issues): void {
  const seen = new Map<string, string>();
  for (const [objName, o] of Object.entries(s.objects)) {
    const base: Path = ['objects', objName];
    if (o.process !== undefined && !names.processes.has(o.process)) {
      issues.add(
        [...base, 'process'],
        `no process '${o.process}'${didYouMean(o.process, names.processes.keys())}`,
      );
    }
    const kinds: [string, Iterable<string>][] = [
      ['progs', Object.keys(o.progs)],
      ['maps', Object.keys(o.maps ?? {})],
    ];
    for (const [kind, list] of kinds) {
      for (const cname of list) {
        const k = names.kname(objName, cname);
        const prev = seen.get(k);
        if (prev !== undefined)
          issues.add(
            [...base, kind, cname],
            `the kernel name '${k}' is already used by ${prev}; give one object an 'instance'`,
            { onKey: true },
          );
        else seen.set(k, `objects.${objName}.${kind}.${cname}`);
      }
    }
    const bodies: [Path, readonly unknown[]][] = [
      ...Object.entries(o.progs).map(([n, p]): [Path, readonly unknown[]] => [
        [...base, 'progs', n, 'body'],
        p.body,
      ]),
      ...Object.entries(o.subprogs ?? {}).map(([n, b]): [Path, readonly unknown[]] => [
        [...base, 'subprogs', n],
        b,
      ]),
    ];
    for (const [path, body] of bodies) {
      const c = compileBody(body as readonly SrcStmt[]);
      if (c.ok) continue;
      for (const e of c.errors) {
        const stmtPath: Path = [...path, ...e.path];
        const stmt = valueAt(s, stmtPath as PropertyKey[]);
        const sub =
          stmt && typeof stmt === 'object' && !Array.isArray(stmt)
            ? 'if' in stmt
              ? ['if']
              : 'for' in stmt
                ? ['for']
                : []
            : [];
        issues.add(
          [...stmtPath, ...sub],
          e.message,
          e.column !== undefined ? { column: e.column } : {},
        );
      }
    }
    for (const [pname, p] of Object.entries(o.progs)) {
      if (!names.progs.get(names.kname(objName, pname))?.section) {
        issues.add(
          [...base, 'progs', pname, 'section'],
          `unknown section '${p.section}': use syscall, tp_btf/<tracepoint>, fentry/<function>, kprobe/<function> (prefix ? to not autoload) or struct_ops/<name>`,
        );
      }
    }
    for (const [k, a] of (o.autoload ?? []).entries()) {
      if (!has(o.progs, a))
        issues.add(
          [...base, 'autoload', k],
          `no program '${a}' in this object${didYouMean(a, Object.keys(o.progs))}`,
        );
    }
    for (const [mname, m] of Object.entries(o.maps ?? {})) {
      if (m.type !== 'struct_ops') continue;
      const type = findStructOpsType(m.struct);
      if (!type) {
        issues.add(
          [...base, 'maps', mname, 'struct'],
          `unknown struct_ops type '${m.struct}'${didYouMean(m.struct, structOpsTypeNames())}`,
        );
        continue;
      }
      for (const [member, v] of Object.entries(m.members)) {
        const mem = type.members.find((x) => x.name === member);
        const at: Path = [...base, 'maps', mname, 'members', member];
        if (!mem) {
          issues.add(
            at,
            `${m.struct} has no member '${member}'${didYouMean(
              member,
              type.members.map((x) => x.name),
            )}`,
            { onKey: true },
          );
        } else if (mem.kind === 'func') {
          const prog = typeof v === 'string' ? own(o.progs, v) : undefined;
          if (!prog)
            issues.add(
              at,
              `'${String(v)}' is not a program of this object${typeof v === 'string' ? didYouMean(v, Object.keys(o.progs)) : ''}`,
            );
          else if (!prog.section.replace(/^\?/, '').startsWith('struct_ops'))
            issues.add(at, `'${String(v)}' is not a struct_ops program (section ${prog.section})`);
        }
      }
    }
  }
}

/** Every name a step uses exists at that point; expectations name real things. */
function checkSteps(
  s: Scenario,
  names: NameTable,
  issues: Issues,
  broken: ReadonlySet<number> = new Set(),
): void {
  const links = new Set<string>();
  // A step the schema refused may have created links: after one, link names go unchecked.
  const firstBroken = Math.min(...broken);
  const progNames = [...names.progs.keys()];
  const mapNames = [...names.maps.keys()];
  const objNames = Object.keys(s.objects);
  const needProg = (i: number, key: string, v: string) => {
    if (!names.progs.has(v))
      issues.add(['steps', i, key], `no program '${v}'${didYouMean(v, progNames)}`);
  };
  const needMap = (i: number, key: string, v: string) => {
    if (!names.maps.has(v))
      issues.add(['steps', i, key], `no map '${v}'${didYouMean(v, mapNames)}`);
  };
  const needObj = (i: number, v: string) => {
    if (!has(s.objects, v))
      issues.add(['steps', i, 'object'], `no object '${v}'${didYouMean(v, objNames)}`);
  };
  const needLink = (i: number, key: string, v: string) => {
    if (!links.has(v) && i < firstBroken)
      issues.add(
        ['steps', i, key],
        `no link '${v}' has been created by an earlier step${didYouMean(v, links)}`,
      );
  };
  const fdCheck = new FdChecker(s, names);
  const needTask = (i: number, v: string | number | undefined) => {
    if (typeof v === 'string' && !names.tasks.has(v))
      issues.add(['steps', i, 'task'], `no task '${v}'${didYouMean(v, names.tasks.keys())}`);
  };
  s.steps.forEach((step, i) => {
    if (i < firstBroken) fdCheck.step(step, i, links, (path, msg) => issues.add(path, msg));
    switch (step.op) {
      case 'open_and_load':
      case 'open':
      case 'load':
      case 'skel_attach':
      case 'skel_destroy':
        needObj(i, step.object);
        break;
      case 'set_autoload':
        needProg(i, 'prog', step.prog);
        break;
      case 'assoc':
        needProg(i, 'prog', step.prog);
        needMap(i, 'map', step.map);
        break;
      case 'bpf_prog_assoc_struct_ops':
        // Any fd name will do; a program or map name is the common case, so suggest those.
        if (typeof step.prog_fd === 'string' && !fdCheck.isFd(step.prog_fd, links))
          needProg(i, 'prog_fd', step.prog_fd);
        if (typeof step.map_fd === 'string' && !fdCheck.isFd(step.map_fd, links))
          needMap(i, 'map_fd', step.map_fd);
        break;
      case 'attach_struct_ops':
      case 'map_update':
      case 'map_delete':
      case 'map_lookup':
        needMap(i, 'map', step.map);
        break;
      case 'attach':
      case 'test_run':
        needProg(i, 'prog', step.prog);
        break;
      case 'link_destroy':
      case 'link_detach':
        needLink(i, 'link', step.link);
        break;
      case 'link_update':
        needLink(i, 'link', step.link);
        needMap(i, 'map', step.map);
        if (step.old_map !== undefined) needMap(i, 'old_map', step.old_map);
        break;
      case 'close': {
        const set = [step.prog, step.map, step.link, step.fd].filter((x) => x !== undefined);
        if (set.length !== 1)
          issues.add(
            ['steps', i, 'op'],
            "close takes exactly one of 'prog', 'map', 'link' or 'fd'",
          );
        if (step.prog !== undefined) needProg(i, 'prog', step.prog);
        if (step.map !== undefined) needMap(i, 'map', step.map);
        if (step.link !== undefined) needLink(i, 'link', step.link);
        if (step.process !== undefined && !names.processes.has(step.process))
          issues.add(['steps', i, 'process'], `no process '${step.process}'`);
        break;
      }
      case 'write_global': {
        const withGlobals = Object.entries(s.objects).filter(([, o]) => has(o.globals, step.name));
        if (step.object !== undefined) {
          needObj(i, step.object);
          const g = own(s.objects, step.object)?.globals ?? {};
          if (has(s.objects, step.object) && !has(g, step.name))
            issues.add(
              ['steps', i, 'name'],
              `object '${step.object}' has no global '${step.name}'${didYouMean(step.name, Object.keys(g))}`,
            );
        } else if (withGlobals.length === 0) {
          issues.add(['steps', i, 'name'], `no object has a global '${step.name}'`);
        } else if (withGlobals.length > 1) {
          issues.add(
            ['steps', i, 'name'],
            `several objects have a global '${step.name}': say which with 'object'`,
          );
        }
        break;
      }
      case 'syscall':
      case 'kernel_func':
      case 'scx_op':
        needTask(i, step.task);
        if (step.op === 'scx_op' && !/^sch\d+$/.test(step.sched)) needMap(i, 'sched', step.sched);
        break;
      case 'process_exit':
        if (!names.processes.has(step.process) && !names.tasks.has(step.process))
          issues.add(['steps', i, 'process'], `no process '${step.process}'`);
        break;
      default:
        break;
    }
    for (const l of names.linksAt.get(i) ?? []) links.add(l);
    const ex = step.expect;
    // The common expectation, then each revision's own (`on.<revision>`).
    const outcomes: [Path, Omit<NonNullable<typeof ex>, 'on'> | undefined][] = [
      [['steps', i, 'expect'], ex],
      ...Object.entries(ex?.on ?? {}).map(([rev, o]): [Path, typeof o] => [
        ['steps', i, 'expect', 'on', rev],
        o,
      ]),
    ];
    for (const [at, o] of outcomes) {
      if (typeof o?.ret === 'string' && !has(ERRNO, o.ret.replace(/^-/, ''))) {
        issues.add(
          [...at, 'ret'],
          `unknown errno '${o.ret}'${didYouMean(o.ret.replace(/^-/, ''), Object.keys(ERRNO))}`,
        );
      }
      for (const path of Object.keys(o?.state ?? {})) {
        const problem = checkExpectPath(path, names, s);
        if (problem) issues.add([...at, 'state', path], problem, { onKey: true });
      }
    }
  });
}

/**
 * What JavaScript objects cannot hold safely: `__proto__` keys (a plain object would take them
 * as its prototype) and cycles (an alias inside the node it names, `&a [*a]`), which would send
 * every recursive check round forever. Each object is visited once, so shared (aliased) data
 * costs nothing extra.
 */
function scanData(data: unknown): { protos: Path[]; cycles: Path[] } {
  const out = { protos: [] as Path[], cycles: [] as Path[] };
  const open = new Set<object>();
  const done = new Set<object>();
  const visit = (v: unknown, path: Path): void => {
    if (typeof v !== 'object' || v === null || done.has(v)) return;
    if (open.has(v)) {
      out.cycles.push(path);
      return;
    }
    open.add(v);
    if (Array.isArray(v)) v.forEach((x: unknown, i) => visit(x, [...path, i]));
    else {
      for (const k of Object.keys(v)) {
        if (k === '__proto__') out.protos.push([...path, k]);
        visit((v as Record<string, unknown>)[k], [...path, k]);
      }
    }
    open.delete(v);
    done.add(v);
  };
  visit(data, []);
  return out;
}

/**
 * After the schema refused the file: the parts that are well formed, so that the name and
 * expectation checks can still report their problems in the same pass. Objects (and processes)
 * must be valid as a whole, since every step resolves names against them; a step the schema
 * refused becomes a `drain` (which names nothing) and is listed in `broken`.
 */
function salvage(data: unknown): { scenario: Scenario; broken: Set<number> } | null {
  if (!isRecord(data)) return null;
  const objects = scenarioSchema.shape.objects.safeParse(data['objects']);
  const processes = scenarioSchema.shape.processes.safeParse(data['processes']);
  if (!objects.success || !processes.success) return null;
  const rawSteps = Array.isArray(data['steps']) ? (data['steps'] as unknown[]) : [];
  const broken = new Set<number>();
  const steps = rawSteps.map((raw, i): Step => {
    const r = stepSchema.safeParse(raw);
    if (r.success) return r.data;
    broken.add(i);
    return { op: 'drain', say: '-' };
  });
  const scenario: Scenario = {
    format: 1,
    id: 'salvaged',
    title: '-',
    summary: '-',
    kernel: { revision: 'v8', cpus: 4 },
    objects: objects.data,
    steps,
    ...(processes.data ? { processes: processes.data } : {}),
  };
  return { scenario, broken };
}

/** The UTF-8 size of `text` in bytes (what a file of it weighs), counted without encoding it. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Parses and validates scenario text; never throws. */
export function parseScenario(text: string): ParseResult {
  // Each character is at least one byte: only text that may fit is measured exactly.
  const bytes = text.length > MAX_SCENARIO_BYTES ? text.length : utf8Length(text);
  if (bytes > MAX_SCENARIO_BYTES) {
    return {
      ok: false,
      issues: [
        {
          line: 1,
          column: 1,
          path: [],
          message: `the scenario is too large: ${Math.ceil(bytes / 1024)} KiB${text.length > MAX_SCENARIO_BYTES ? ' or more' : ''}; the limit is ${MAX_SCENARIO_BYTES / 1024} KiB`,
        },
      ],
    };
  }
  const lines = new LineIndex(text);
  let parsed: ReturnType<typeof parseNested>;
  try {
    // Lexed once: the depth is checked token by token before anything is composed.
    parsed = parseNested(text, MAX_SCENARIO_NESTING, { uniqueKeys: true, strict: true });
  } catch (e) {
    return {
      ok: false,
      issues: [
        {
          line: 1,
          column: 1,
          path: [],
          message: `unreadable: ${e instanceof Error ? e.message : String(e)}`,
        },
      ],
    };
  }
  if ('tooDeepAt' in parsed) {
    const deep = parsed.tooDeepAt;
    const before = text.slice(0, deep);
    const line = before.split('\n').length;
    return {
      ok: false,
      issues: [
        {
          line,
          column: deep - before.lastIndexOf('\n'),
          path: [],
          message: `the scenario nests too deeply here: more than ${MAX_SCENARIO_NESTING} levels`,
        },
      ],
    };
  }
  const { doc } = parsed;
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: sortIssues(
        doc.errors.map((e) => {
          // Without prettyErrors the yaml library leaves linePos unset: compute it from pos.
          const p = lines.linePos(e.pos[0]);
          return {
            line: p.line,
            column: p.col,
            path: [],
            message: e.message.split('\n')[0] ?? e.message,
          };
        }),
      ),
    };
  }
  const aliases = aliasProblem(doc);
  if (aliases) {
    const p = lines.linePos(aliases.offset);
    return {
      ok: false,
      issues: [{ line: p.line, column: p.col, path: [], message: aliases.message }],
    };
  }
  const issues = new Issues(doc, lines, text);
  let data: unknown;
  try {
    // aliasProblem bounded the expansion; the library's own count re-walks the document per alias.
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    return {
      ok: false,
      issues: sortIssues([
        { line: 1, column: 1, path: [], message: e instanceof Error ? e.message : String(e) },
      ]),
    };
  }
  const scan = scanData(data);
  for (const path of scan.cycles)
    issues.add(path, 'this alias names a node that contains it: the data would be infinite');
  if (scan.cycles.length > 0) return { ok: false, issues: sortIssues(issues.list) };
  for (const path of scan.protos)
    issues.add(path, "'__proto__' cannot be used as a key or a name", { onKey: true });
  try {
    return validate(doc, lines, data, issues);
  } catch (e) {
    // Deeply nested input can exhaust the stack in the recursive checks: say so, never throw.
    if (!(e instanceof RangeError)) throw e;
    return {
      ok: false,
      issues: [
        ...issues.list,
        {
          line: 1,
          column: 1,
          path: [],
          message: `the scenario is nested too deeply (${e.message})`,
        },
      ],
    };
  }
}

/** Schema, then names, sections, bodies and expectations; every issue goes into `issues`. */
function validate(doc: Document, lc: LinePositions, data: unknown, issues: Issues): ParseResult {
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = toPath(issue.path);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          if (key === '__proto__') continue;
          const what = path.at(-1) === 'on' ? 'revision' : 'key';
          const known = what === 'revision' ? REVISIONS : keysAt(path, data);
          issues.add([...path, key], `unknown ${what} '${key}'${didYouMean(key, known)}`, {
            onKey: true,
          });
        }
      } else {
        issues.add(path, zodMessage(issue, data));
      }
    }
    const partial = salvage(data);
    if (partial) {
      const names = buildNames(partial.scenario);
      checkObjects(partial.scenario, names, issues);
      checkSteps(partial.scenario, names, issues, partial.broken);
    }
    return { ok: false, issues: sortIssues(issues.list) };
  }
  const scenario = parsed.data;
  const names = buildNames(scenario);
  checkObjects(scenario, names, issues);
  checkSteps(scenario, names, issues);
  checkFocus(scenario, names, issues);
  if (issues.list.length > 0) return { ok: false, issues: sortIssues(issues.list) };
  const stepLines = scenario.steps.map((_, i) => positionOf(doc, lc, ['steps', i]).line);
  return { ok: true, scenario, stepLines };
}

/** The longest message an issue carries: names quoted from the input are cut short. */
const MAX_MESSAGE = 240;

function sortIssues(list: ScenarioIssue[]): ScenarioIssue[] {
  const short = (m: string) => {
    const line = m.replace(/[\r\n]+/g, ' ');
    return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line;
  };
  return list
    .map((i) => ({ ...i, message: short(i.message) }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/** `line:column: message`, one per line. */
export function formatIssues(issues: readonly ScenarioIssue[], file = ''): string {
  return issues
    .map((i) => `${file ? `${file}:` : ''}${i.line}:${i.column}: ${i.message}`)
    .join('\n');
}
