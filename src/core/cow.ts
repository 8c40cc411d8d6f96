/**
 * Copy-on-write for the kernel state: `produceFrozen(base, recipe)` runs a recipe that
 * mutates a draft of a state `base` and returns the next state, frozen (but for its dense id
 * tables, below), sharing every object the recipe did not change.
 *
 * It is the part of immer's `produce` this model needs, made for states that are immutable all
 * the way down (every state the kernel hands out is), which keeps one event's change cheap:
 *
 * - reading through a draft copies nothing: an object is copied the first time the recipe
 *   writes to it (or to something under it), once per object and change;
 * - finishing visits only the objects the recipe touched and the values it assigned, never
 *   the untouched entries of a record (immer walks every key of each copied object).
 *
 * Every object of a state is frozen but one kind: a dense record keyed by kernel ids (the
 * programs, the maps, a process's fds) that this module copied is left unfrozen (a sparse
 * one, such as processes by pid, stays frozen). A change copies such a table whole, and V8
 * copies an unfrozen one with spread 20 to 40 times faster than a frozen one key by key (300
 * and 1,000 entries, in Node and in Chromium). Nothing writes to an object once it is in a
 * state: the recipe reads every object through a draft (frozen or not, old or new), and a
 * draft writes to a copy.
 *
 * So an object's provenance, not its frozen flag, says whether it is "already in a state": an
 * object read from a state's own object, at a key the recipe did not assign, is old; what the
 * recipe assigned is new unless frozen. New objects are frozen, with the drafts they hold
 * replaced by their final values, when the change is finished. Drafts live only while the
 * recipe runs; the recipe's return value is ignored.
 */
import type { Draft } from 'immer';

type Obj = Record<PropertyKey, unknown>;

interface Node {
  readonly base: Obj;
  /** The base is in a state (see the module's comment); otherwise it is new in this change. */
  readonly old: boolean;
  readonly parent: Node | null;
  /** The key this object has in its parent. */
  readonly key: PropertyKey;
  /** The shallow copy the recipe writes to; null while the object is unchanged. */
  copy: Obj | null;
  /**
   * Drafts handed out for properties of this object: a short list while there are a few (most
   * changes touch one or two), by key in `childMap` beyond that.
   */
  children: Node[] | null;
  childMap: Map<PropertyKey, Node> | null;
  /** Keys the recipe assigned, each once: their values may be new objects or drafts. */
  assigned: PropertyKey[] | null;
  /** The finished value, once computed. */
  done: Obj | null;
  proxy: Obj;
  /**
   * For a record keyed by array indices only (objects by id): its keys as numbers, while the
   * recipe has added or deleted none; the copy then has the same keys.
   */
  indexKeys: readonly number[] | null;
  /**
   * The copy is a dense id-keyed record of an old base: it stays unfrozen in the next state
   * (see the module's comment). Null: it is frozen.
   */
  table: TableShape | null;
  /** A faster copy of this object, if the caller knows its shape (null: not that shape). */
  copyRoot: ((base: Obj) => Obj | null) | null;
}

/**
 * How many keys an unfrozen table has and its largest, where known (`size` -1: unknown, and
 * then its keys are its base's, which was dense). A table whose largest key outgrows four
 * times its size (and 16) is frozen: V8 keeps such an object's elements as a dictionary, and
 * spread would give the copy elements as long as the largest key.
 */
interface TableShape {
  size: number;
  max: number;
}

/** Whether a table of this shape stays unfrozen. */
function dense(t: TableShape): boolean {
  return t.size < 0 || t.max < 4 * t.size + 16;
}

/**
 * A canonical array index (what V8 keeps among an object's elements, in ascending order) as
 * a number, or -1.
 */
function indexOf(key: PropertyKey): number {
  const n = typeof key === 'number' ? key : typeof key === 'string' ? Number(key) : NaN;
  if (!(Number.isInteger(n) && n >= 0 && n < 4294967295)) return -1;
  return typeof key === 'string' && String(n) !== key ? -1 : n;
}

/** The shape after adding `key`; null when it is not known to stay a table. */
function grown(t: TableShape | null, key: PropertyKey): TableShape | null {
  const k = indexOf(key);
  if (!t || t.size < 0 || k < 0) return null;
  t.size += 1;
  t.max = Math.max(t.max, k);
  return t;
}

/** The shape after deleting `key`; null when it is not known to stay a table. */
function shrunk(t: TableShape | null, key: PropertyKey): TableShape | null {
  if (!t || t.size < 0 || indexOf(key) < 0) return null;
  t.size -= 1;
  return t;
}

/**
 * Something known of the last few records copied (consecutive changes mostly copy the same
 * few records, each change the previous change's copy): looked up by identity in a short
 * list, which holds them no longer than a few changes and costs the garbage collector
 * nothing (a WeakMap of notes on every copy slowed the core by 29 %).
 */
class Recent<V> {
  private readonly records: (object | null)[] = new Array<object | null>(8).fill(null);
  private readonly values: (V | null)[] = new Array<V | null>(8).fill(null);
  private next = 0;

  get(record: object): V | undefined {
    for (let i = 0; i < this.records.length; i++)
      if (this.records[i] === record) return this.values[i] ?? undefined;
    return undefined;
  }

  set(record: object, value: V): void {
    this.records[this.next] = record;
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.records.length;
  }
}

/** The shapes of the unfrozen tables made last. */
const tableShapes = new Recent<TableShape>();

/** The key under which a proxy's target (and, through the proxy, a draft) holds its node. */
const NODE: unique symbol = Symbol('cow node');

type Target = Obj & { [NODE]: Node };

/** The node of a draft; undefined for any other value. */
function nodeOf(v: Obj): Node | undefined {
  return v[NODE] as Node | undefined;
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null;
}

function current(n: Node): Obj {
  return n.copy ?? n.base;
}

/**
 * A shallow copy of a plain object or array (key by key where V8 would copy a frozen object
 * with spread or `Object.assign` several times slower).
 */
export function shallowCopy(base: object): Record<PropertyKey, unknown> {
  return copyOf(base, null);
}

/**
 * Keys of frozen records keyed by array indices only, as numbers, for the records copied
 * last. Copying such a record by these is about twice as fast as by `Object.keys` (which
 * makes a string of every index), and a copy with the same keys shares the list. A frozen
 * record's keys never change; this only remembers, it never decides.
 */
const indexKeys = new Recent<readonly number[]>();

/** `Object.keys` of an index-keyed record as numbers; null if any key is not an index. */
function indexKeysOf(src: object, keys: readonly string[]): readonly number[] | null {
  const nums = new Array<number>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const n = indexOf(keys[i] as string);
    if (n < 0) return null;
    nums[i] = n;
  }
  // Only a frozen record's keys are sure to stay these.
  if (Object.isFrozen(src)) indexKeys.set(src, nums);
  return nums;
}

/** What {@link copyOf} notes about a copy it makes for a draft (or for `updateIn`). */
interface CopyNote {
  /** The base is in a state. */
  readonly old: boolean;
  indexKeys: readonly number[] | null;
  table: TableShape | null;
}

/**
 * The copy `shallowCopy` makes; for a node, notes an index-keyed record's keys on it, and
 * whether the copy is a dense table of an old base.
 */
function copyOf(base: object, n: CopyNote | null): Record<PropertyKey, unknown> {
  if (Array.isArray(base)) return base.slice() as unknown as Record<PropertyKey, unknown>;
  const src = base as Record<PropertyKey, unknown>;
  const proto = Object.getPrototypeOf(base) as object | null;
  if (n?.old && proto === Object.prototype && !Object.isFrozen(base)) {
    // An unfrozen table an earlier change left: spread copies its elements in one go.
    const shape = tableShapes.get(base);
    n.table = shape ? { size: shape.size, max: shape.max } : { size: -1, max: -1 };
    return spreadTable(src);
  }
  // Same prototype as the base: a record made with no prototype (entries keyed by names from
  // input) stays one, so a key such as `__proto__` remains an own property.
  let nums = indexKeys.get(base);
  if (!nums) {
    const keys = Object.keys(src);
    // A plain object with named keys only (integer keys come first in key order): spread is
    // the fastest copy V8 has for those.
    if (proto === Object.prototype && (keys.length === 0 || !isIndex(keys[0] as string)))
      return { ...src };
    nums = isIndex(keys[0] ?? '') ? (indexKeysOf(base, keys) ?? undefined) : undefined;
    if (!nums) {
      const copy = Object.create(proto) as Record<string, unknown>;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        copy[k] = src[k];
      }
      return copy;
    }
  }
  // A literal for the usual prototype: the tables then share V8's few object shapes, and the
  // spread in `spreadTable` stays fast (past four shapes it is several times slower).
  const copy = (proto === Object.prototype ? {} : Object.create(proto)) as Record<number, unknown>;
  const max = nums[nums.length - 1];
  const sparse = max !== undefined && max >= 4 * nums.length + 16;
  if (sparse) {
    // A sparse record (processes by pid, say 100 or 1000 and 2000): V8 would give the copy a
    // backing store as long as the largest key (24 KB for pid 2000, per copy); a key past
    // every gap limit, added and removed at once, makes it a dictionary of its entries
    // instead. Keys, order and values are the same either way.
    copy[SPARSE_PROBE] = null;
    delete copy[SPARSE_PROBE];
  }
  for (let i = 0; i < nums.length; i++) {
    const k = nums[i] as number;
    copy[k] = src[k];
  }
  if (n) {
    n.indexKeys = nums;
    // A sparse record stays frozen: spread would give its copy elements as long as its largest
    // key (V8 keeps the original's as a dictionary), so it is copied key by key, as here.
    n.table =
      n.old && !sparse && proto === Object.prototype ? { size: nums.length, max: max ?? -1 } : null;
  }
  return copy;
}

/**
 * A copy of an unfrozen table, made by spread at this one place: V8 copies the elements of
 * the few shapes tables have in one go here, where a spread that also saw records of many
 * shapes would copy key by key.
 */
function spreadTable(table: Obj): Obj {
  return { ...table };
}

/** The largest array index: storing it in an empty object makes its elements a dictionary. */
const SPARSE_PROBE = 4294967294;

/** Whether `k` starts like an array index (every key after an index key is one too). */
function isIndex(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** Gives `n` (and every object above it) its own copy, so it can be written. */
function willChange(n: Node): Obj {
  if (n.copy) return n.copy;
  const copy = n.copyRoot?.(n.base) ?? copyOf(n.base, n);
  n.copy = copy;
  if (n.parent) willChange(n.parent);
  return copy;
}

/** Children kept in a list before they move to a map. */
const FEW_CHILDREN = 8;

function childOf(n: Node, key: PropertyKey, value: Obj, old: boolean): Obj {
  let known: Node | undefined;
  if (n.childMap) known = n.childMap.get(key);
  else if (n.children) {
    for (const c of n.children) {
      if (c.key === key) {
        known = c;
        break;
      }
    }
  }
  if (known && known.base === value) return known.proxy;
  const child = createNode(value, n, key, old);
  if (n.childMap) n.childMap.set(key, child);
  else if (!n.children) n.children = [child];
  else if (known) n.children[n.children.indexOf(known)] = child;
  else if (n.children.length < FEW_CHILDREN) n.children.push(child);
  else {
    n.childMap = new Map(n.children.map((c) => [c.key, c]));
    n.childMap.set(key, child);
    n.children = null;
  }
  return child.proxy;
}

function forgetChild(n: Node, key: PropertyKey): void {
  if (n.childMap) n.childMap.delete(key);
  else if (n.children) n.children = n.children.filter((c) => c.key !== key);
}

const handler: ProxyHandler<Target> = {
  get(target, key) {
    const n = target[NODE];
    if (key === NODE) return n;
    const src = current(n);
    const v = src[key];
    // Every object gets a draft, so nothing in a state is ever written (an unfrozen table is
    // as old as a frozen record); drafts the recipe placed are returned as they are.
    if (!isObject(v) || !Object.hasOwn(src, key)) return v;
    if (Object.isFrozen(v)) return childOf(n, key, v, true);
    if (nodeOf(v)) return v;
    return childOf(n, key, v, n.old && !(n.assigned?.includes(key) ?? false));
  },
  set(target, key, value) {
    const n = target[NODE];
    const src = current(n);
    const had = Object.hasOwn(src, key);
    if (had && Object.is(src[key], value)) return true;
    const copy = willChange(n);
    if (!had) {
      n.indexKeys = null;
      n.table = grown(n.table, key);
    }
    copy[key] = value;
    if (!n.assigned) n.assigned = [key];
    else if (!n.assigned.includes(key)) n.assigned.push(key);
    return true;
  },
  deleteProperty(target, key) {
    const n = target[NODE];
    if (!Object.hasOwn(current(n), key)) return true;
    const copy = willChange(n);
    delete copy[key];
    n.indexKeys = null;
    n.table = shrunk(n.table, key);
    forgetChild(n, key);
    if (n.assigned?.includes(key)) n.assigned = n.assigned.filter((k) => k !== key);
    return true;
  },
  has(target, key) {
    return key in current(target[NODE]);
  },
  ownKeys(target) {
    return Reflect.ownKeys(current(target[NODE]));
  },
  getOwnPropertyDescriptor(target, key) {
    const src = current(target[NODE]);
    const desc = Reflect.getOwnPropertyDescriptor(src, key);
    if (!desc) return undefined;
    // An array target's `length` is not configurable, and a proxy must say so.
    const fixed = Array.isArray(target) && key === 'length';
    return {
      value: (handler.get as (t: Target, k: PropertyKey) => unknown)(target, key),
      writable: true,
      enumerable: desc.enumerable ?? false,
      configurable: !fixed,
    };
  },
  defineProperty() {
    throw new TypeError('a kernel state draft takes assignments only');
  },
  getPrototypeOf(target) {
    return Reflect.getPrototypeOf(target[NODE].base);
  },
  setPrototypeOf() {
    throw new TypeError('a kernel state draft keeps its prototype');
  },
};

function createNode(base: Obj, parent: Node | null, key: PropertyKey, old: boolean): Node {
  const node: Node = {
    base,
    old,
    parent,
    key,
    copy: null,
    children: null,
    childMap: null,
    assigned: null,
    done: null,
    proxy: base,
    indexKeys: null,
    table: null,
    copyRoot: null,
  };
  // The proxy's target holds the node: the node itself for an object, an empty array holding
  // it for an array (so Array.isArray stays true of the draft).
  const target = (Array.isArray(base) ? [] : node) as unknown as Target;
  target[NODE] = node;
  node.proxy = new Proxy(target, handler);
  return node;
}

/** A value the recipe assigned: drafts become their final values, new objects are frozen. */
function settleValue(v: unknown): unknown {
  if (!isObject(v)) return v;
  const n = nodeOf(v);
  if (n) return finish(n);
  if (Object.isFrozen(v)) return v;
  if (Array.isArray(v)) {
    // By index: an array's own keys would be a string per element (ids, say) and `length`.
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = settleValue(x);
      if (y !== x) v[i] = y;
    }
    return Object.freeze(v);
  }
  for (const key of Reflect.ownKeys(v)) {
    const x = v[key];
    const y = settleValue(x);
    if (y !== x) v[key] = y;
  }
  return Object.freeze(v);
}

function finish(n: Node): Obj {
  if (n.done) return n.done;
  const copy = n.copy;
  // Unchanged: the base, settled if it is new (the recipe may have moved its draft elsewhere).
  if (!copy) return (n.done = n.old ? n.base : (settleValue(n.base) as Obj));
  n.done = copy;
  const children = n.children ?? n.childMap?.values();
  if (children) {
    for (const child of children) {
      const key = child.key;
      if (child.copy && copy[key] === child.base) copy[key] = finish(child);
    }
  }
  // A copy of a new object holds new values the recipe did not assign through the draft.
  const settle = n.old ? n.assigned : Reflect.ownKeys(copy);
  if (settle) {
    for (const key of settle) {
      const x = copy[key];
      const y = settleValue(x);
      if (y !== x) copy[key] = y;
    }
  }
  if (n.table && dense(n.table)) {
    if (n.table.size >= 0) tableShapes.set(copy, n.table);
    return copy;
  }
  if (n.indexKeys) indexKeys.set(copy, n.indexKeys);
  return Object.freeze(copy);
}

/**
 * Runs `recipe` on a draft of the state `base` and returns the resulting state, frozen (but
 * for its dense id tables) and structurally shared with `base`; `base` itself when nothing changed. `copyRoot`,
 * if given, copies `base` faster when it has the shape it knows (it returns null otherwise),
 * with the same own keys in the same order.
 */
export function produceFrozen<T extends object>(
  base: T,
  recipe: (draft: Draft<T>) => void,
  copyRoot?: (base: T) => T | null,
): T {
  const root = createNode(base as unknown as Obj, null, '', true);
  if (copyRoot) root.copyRoot = copyRoot as unknown as (base: Obj) => Obj | null;
  recipe(root.proxy as unknown as Draft<T>);
  return finish(root) as unknown as T;
}

/**
 * The state `produceFrozen(base, (d) => { d[path[0]]…[last] = update(old) })` makes, made
 * directly: copies the objects on `path` (each an object the previous one holds as an own
 * property), assigns the new value (new objects in it are frozen) and freezes the copies (but
 * dense id tables);
 * `base` itself when the value is the same. For the most frequent one-field changes, without
 * the drafts' cost. `copyRoot` as for {@link produceFrozen}.
 */
export function updateIn<T extends object>(
  base: T,
  path: readonly PropertyKey[],
  update: (old: unknown) => unknown,
  copyRoot?: (base: T) => T | null,
): T {
  const objs: Obj[] = [base as unknown as Obj];
  let o = base as unknown as Obj;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as PropertyKey;
    const v = Object.hasOwn(o, key) ? o[key] : undefined;
    if (!isObject(v)) throw new Error(`simulator bug: no ${String(key)} to update`);
    objs.push(v);
    o = v;
  }
  const last = path[path.length - 1] as PropertyKey;
  const had = Object.hasOwn(o, last);
  const old = had ? o[last] : undefined;
  const value = settleValue(update(old));
  if (had && Object.is(old, value)) return base;
  let next: unknown = value;
  const keys: CopyNote = { old: true, indexKeys: null, table: null };
  for (let i = path.length - 1; i >= 0; i--) {
    const src = objs[i] as Obj;
    keys.indexKeys = null;
    keys.table = null;
    const copy =
      (i === 0 && copyRoot ? (copyRoot(src as unknown as T) as unknown as Obj | null) : null) ??
      copyOf(src, keys);
    copy[path[i] as PropertyKey] = next;
    // Same keys as its base unless the last key is new.
    const sameKeys = had || i < path.length - 1;
    const table = sameKeys ? keys.table : grown(keys.table, path[i] as PropertyKey);
    if (table && dense(table)) {
      if (table.size >= 0) tableShapes.set(copy, table);
      next = copy;
      continue;
    }
    if (keys.indexKeys && sameKeys) indexKeys.set(copy, keys.indexKeys);
    next = Object.freeze(copy);
  }
  return next as T;
}
