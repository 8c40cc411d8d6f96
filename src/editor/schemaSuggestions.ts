/**
 * What may be typed at a place of a scenario, from the format's JSON Schema (the one
 * docs/scenario.schema.json holds, generated from the zod schema): the keys a mapping may hold
 * and the values a key takes (constants and enums, with their descriptions), plus the names
 * and errno names the parser checks values against.
 */
import type { Path } from '../scenario/positions';
import type { ScalarEntries } from './yamlCursor';
import type { ScenarioNames } from './scenarioNames';

export interface Suggestion {
  readonly label: string;
  /** Inserted instead of the label (`op: ` for the key `op`). */
  readonly apply?: string;
  /** Short, beside the label: the type or the value's kind. */
  readonly detail?: string;
  /** Longer text shown for the selected suggestion (the schema's description). */
  readonly info?: string;
  readonly type: 'property' | 'enum' | 'variable' | 'constant';
  /** Higher first: required keys and discriminators (`op`, `type`). */
  readonly boost?: number;
}

/** Values a place takes besides the schema's own: names defined in the text, errno names. */
export interface ValueSources {
  readonly names: ScenarioNames;
  readonly errnos: readonly (readonly [string, number])[];
  readonly structOps: readonly string[];
}

type Schema = Readonly<Record<string, unknown>>;

function asSchema(v: unknown): Schema | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : null;
}

/** An own property of a schema object (never one inherited, whatever the key is called). */
function own(o: Schema | null, key: string): unknown {
  return o !== null && Object.hasOwn(o, key) ? o[key] : undefined;
}

/** Follows a local `$ref` (`#/$defs/x`). */
function deref(root: Schema, s: Schema): Schema {
  let cur = s;
  for (let hops = 0; hops < 16; hops++) {
    const ref = own(cur, '$ref');
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return cur;
    let target: Schema | null = root;
    for (const seg of ref.slice(2).split('/')) target = asSchema(own(target, seg));
    if (!target) return cur;
    cur = target;
  }
  return cur;
}

/** The alternatives a schema allows (`anyOf`, `oneOf`, `allOf` members), each dereferenced. */
function alternatives(root: Schema, s: Schema, depth = 0): Schema[] {
  const d = deref(root, s);
  if (depth > 16) return [d];
  const parts = ['anyOf', 'oneOf', 'allOf'].flatMap((k) => {
    const list = own(d, k);
    return Array.isArray(list) ? list : [];
  });
  if (parts.length === 0) return [d];
  return parts.flatMap((p) => {
    const ps = asSchema(p);
    return ps ? alternatives(root, ps, depth + 1) : [];
  });
}

/** The values a schema pins (`const`, `enum`), or null when it pins none. */
function pinned(root: Schema, s: Schema): unknown[] | null {
  const d = deref(root, s);
  if (Object.hasOwn(d, 'const')) return [d['const']];
  const e = own(d, 'enum');
  return Array.isArray(e) ? e : null;
}

/**
 * The object variants that agree with the data already there: a variant whose `op` (or any
 * key with pinned values) disagrees with the mapping's value drops out, and with `byKeys` one
 * that has no place for a key the mapping has. When none agrees (a misspelt op), all stay.
 */
function agreeing(root: Schema, variants: Schema[], data: ScalarEntries, byKeys = false): Schema[] {
  const fits = variants.filter((v) => {
    const props = asSchema(own(v, 'properties'));
    const closed = own(v, 'additionalProperties') === false;
    for (const [k, value] of data) {
      const p = asSchema(own(props, k));
      if (!p && closed && byKeys) return false;
      const allowed = p ? pinned(root, p) : null;
      if (allowed && value !== undefined && !allowed.includes(value)) return false;
    }
    return true;
  });
  return fits.length > 0 ? fits : variants;
}

/**
 * The schemas that apply at `path` (several while a union is undecided). Only pinned values
 * choose among variants on the way, so the values of `op` are all the ops whatever other keys
 * the step has.
 */
export function schemasAt(
  rootValue: unknown,
  path: Path,
  levels: readonly ScalarEntries[],
): Schema[] {
  const root = asSchema(rootValue);
  if (!root) return [];
  let current: Schema[] = [root];
  for (const [i, seg] of path.entries()) {
    const here = levels[i] ?? new Map<string, unknown>();
    const variants = agreeing(
      root,
      current.flatMap((s) => alternatives(root, s)),
      here,
    );
    const next: Schema[] = [];
    for (const v of variants) {
      if (typeof seg === 'number') {
        const items = asSchema(own(v, 'items'));
        if (items) next.push(items);
        continue;
      }
      const prop = asSchema(own(asSchema(own(v, 'properties')), seg));
      const extra = asSchema(own(v, 'additionalProperties'));
      if (prop) next.push(prop);
      else if (extra) next.push(extra);
    }
    current = next;
  }
  return current;
}

function describeType(root: Schema, s: Schema): string {
  const labels = new Set<string>();
  for (const a of alternatives(root, s)) {
    const values = pinned(root, a);
    if (values) {
      for (const v of values) labels.add(JSON.stringify(v));
      continue;
    }
    const t = own(a, 'type');
    labels.add(
      t === 'array'
        ? 'list'
        : t === 'object'
          ? 'mapping'
          : t === 'integer'
            ? 'integer'
            : typeof t === 'string'
              ? t
              : 'value',
    );
  }
  const list = [...labels];
  return list.length > 4 ? `${list.slice(0, 4).join(' | ')} | …` : list.join(' | ');
}

function description(root: Schema, s: Schema): string | undefined {
  const d = own(deref(root, s), 'description');
  return typeof d === 'string' ? d : undefined;
}

/** The keys the mapping at `path` may still take, with their types and descriptions. */
export function keySuggestions(
  schema: unknown,
  path: Path,
  levels: readonly ScalarEntries[],
  present: ReadonlySet<string>,
  keyHasColon = false,
): Suggestion[] {
  const root = asSchema(schema);
  if (!root) return [];
  const here = levels[path.length] ?? new Map<string, unknown>();
  // The keys already there choose too (an `if` statement takes `then`, not `do`).
  const objects = agreeing(
    root,
    schemasAt(root, path, levels).flatMap((s) => alternatives(root, s)),
    here,
    true,
  ).filter((v) => asSchema(own(v, 'properties')) !== null);
  const first = objects[0];
  if (!first) return [];
  const propsOf = (v: Schema) => asSchema(own(v, 'properties')) ?? {};
  // Undecided (a step without its op yet): the keys every variant has.
  const names = Object.keys(propsOf(first)).filter((k) =>
    objects.every((v) => Object.hasOwn(propsOf(v), k)),
  );
  const out: Suggestion[] = [];
  for (const key of names) {
    if (present.has(key)) continue;
    const props = objects.map((v) => asSchema(own(propsOf(v), key))).filter((p) => p !== null);
    const p = props[0];
    if (!p) continue;
    const values = new Set(props.flatMap((x) => pinned(root, x) ?? []));
    const discriminator = objects.length > 1 && values.size > 1;
    const required = objects.every((v) => {
      const r = own(v, 'required');
      return Array.isArray(r) && r.includes(key);
    });
    const info = discriminator
      ? `${values.size} choices; the other keys depend on it`
      : description(root, p);
    out.push({
      label: key,
      apply: keyHasColon ? key : `${key}: `,
      detail: `${discriminator ? `one of ${values.size}` : describeType(root, p)}${required ? ' · required' : ''}`,
      ...(info !== undefined ? { info } : {}),
      type: 'property',
      boost: discriminator ? 2 : required ? 1 : 0,
    });
  }
  return out;
}

function yamlText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const PROG_KEYS = new Set(['prog', 'prog_fd']);
const MAP_KEYS = new Set(['map', 'map_fd', 'old_map', 'sched']);
const TASK_KEYS = new Set(['process', 'task']);

/** Names and errno names the value of the key at `path` may be. */
function sourcedValues(path: Path, sources: ValueSources): Suggestion[] {
  const key = path.at(-1);
  if (typeof key !== 'string') return [];
  const inStep = path[0] === 'steps' && path.length === 3;
  const name = (list: readonly string[], detail: string): Suggestion[] =>
    list.map((label) => ({ label, detail, type: 'variable' }));
  if (path[0] === 'steps' && key === 'ret' && path.at(-2) === 'expect')
    return sources.errnos.map(([label, n]) => ({
      label,
      detail: `-${n}`,
      info: `the call fails with -${label}`,
      type: 'constant',
    }));
  if (inStep && key === 'object') return name(sources.names.objects, 'object');
  if (inStep && PROG_KEYS.has(key)) return name(sources.names.progs, 'program');
  if (inStep && MAP_KEYS.has(key)) return name(sources.names.maps, 'map');
  if (inStep && TASK_KEYS.has(key)) return name(sources.names.tasks, 'process or task');
  if (path[0] === 'objects' && path[2] === 'maps' && key === 'struct')
    return name(sources.structOps, 'struct_ops type');
  return [];
}

/** The values the key at `path` takes: the schema's constants and enums, then known names. */
export function valueSuggestions(
  schema: unknown,
  path: Path,
  levels: readonly ScalarEntries[],
  sources: ValueSources,
): Suggestion[] {
  const root = asSchema(schema);
  if (!root) return [];
  const out = new Map<string, Suggestion>();
  for (const s of schemasAt(root, path, levels)) {
    const info = description(root, s);
    for (const a of alternatives(root, s)) {
      const values = pinned(root, a) ?? (own(a, 'type') === 'boolean' ? [true, false] : []);
      const about = description(root, a) ?? info;
      for (const v of values) {
        const label = yamlText(v);
        if (out.has(label)) continue;
        out.set(label, {
          label,
          ...(typeof v !== 'string' ? { detail: typeof v } : {}),
          ...(about !== undefined ? { info: about } : {}),
          type: 'enum',
        });
      }
    }
  }
  for (const s of sourcedValues(path, sources)) if (!out.has(s.label)) out.set(s.label, s);
  return [...out.values()];
}
