import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema, STEP_OPS } from '../scenario/schema';
import type { Path } from '../scenario/positions';
import type { ScalarEntries } from './yamlCursor';
import {
  keySuggestions,
  schemasAt,
  valueSuggestions,
  type ValueSources,
} from './schemaSuggestions';

const schema = scenarioJsonSchema();
const none: ScalarEntries = new Map();
/** Levels for `path` with the scalar entries `here` on the mapping at its end. */
const levels = (path: Path, here: Record<string, unknown> = {}): ScalarEntries[] => [
  ...path.map(() => none),
  new Map(Object.entries(here)),
];
const keys = (path: Path, here: Record<string, unknown> = {}, present: string[] = []) =>
  keySuggestions(schema, path, levels(path, here), new Set(present));
const labels = (list: readonly { label: string }[]) => list.map((s) => s.label);

const sources: ValueSources = {
  names: { objects: ['obj'], progs: ['prog_a'], maps: ['map_a'], tasks: ['loader'] },
  errnos: [
    ['EBUSY', 16],
    ['EINVAL', 22],
  ],
  structOps: ['sched_ext_ops'],
};
/** Values of the key at `path`; `siblings` are the other entries of its mapping. */
const values = (path: Path, siblings: Record<string, unknown> = {}) =>
  valueSuggestions(schema, path, [...levels(path.slice(0, -1), siblings)], sources);

describe('keySuggestions', () => {
  it('the top-level keys, less those already there, with types and required marks', () => {
    const s = keys([], {}, ['format', 'id']);
    expect(labels(s)).toEqual([
      'title',
      'summary',
      'kernel',
      'processes',
      'objects',
      'focus',
      'steps',
    ]);
    expect(s.find((x) => x.label === 'steps')).toMatchObject({
      apply: 'steps: ',
      detail: 'list · required',
      type: 'property',
      boost: 1,
    });
    expect(s.find((x) => x.label === 'kernel')?.detail).toBe('mapping');
  });

  it('a step without its op: the op first, then what every step has', () => {
    const s = keys(['steps', 0]);
    expect(labels(s)).toEqual(['op', 'say', 'caption', 'notes', 'chapter', 'expect']);
    expect(s[0]).toMatchObject({ boost: 2, detail: `one of ${STEP_OPS.length} · required` });
    expect(s.find((x) => x.label === 'say')?.info).toContain('narration');
  });

  it("a step's keys follow its op", () => {
    expect(labels(keys(['steps', 3], { op: 'assoc' }, ['op']))).toEqual([
      'prog',
      'map',
      'flags',
      'say',
      'caption',
      'notes',
      'chapter',
      'expect',
    ]);
    expect(labels(keys(['steps', 0], { op: 'advance', say: 'x' }, ['op', 'say']))).toEqual([
      'by',
      'caption',
      'notes',
      'chapter',
      'expect',
    ]);
  });

  it('a misspelt op offers the keys common to all steps', () => {
    expect(labels(keys(['steps', 0], { op: 'asoc' }, ['op']))).toEqual([
      'say',
      'caption',
      'notes',
      'chapter',
      'expect',
    ]);
  });

  it('nested mappings: expect, kernel, an object, a map by its type, a program', () => {
    expect(labels(keys(['steps', 0, 'expect']))).toEqual([
      'ret',
      'retval',
      'state',
      'reports',
      'bpf',
      'called',
      'not_called',
      'dmesg',
      'oops_at',
      'value',
      'on',
    ]);
    expect(labels(keys(['kernel']))).toEqual(['revision', 'cpus']);
    expect(labels(keys(['objects', 'any_name']))).toContain('progs');
    expect(labels(keys(['objects', 'o', 'maps', 'm'], { type: 'array' }))).toEqual([
      'type',
      'max_entries',
      'key_size',
      'value_size',
      'flags',
    ]);
    expect(labels(keys(['objects', 'o', 'maps', 'm']))).toEqual(['type']);
    expect(labels(keys(['objects', 'o', 'progs', 'p']))).toEqual(['section', 'body']);
    expect(labels(keys(['processes', 0]))).toEqual(['name', 'pid']);
  });

  it('a key being renamed is completed without a second colon', () => {
    const s = keySuggestions(schema, [], levels([]), new Set(), true);
    expect(s.find((x) => x.label === 'title')?.apply).toBe('title');
  });

  it('nothing where the format has free names or no mapping, and nothing inherited', () => {
    expect(keys(['objects'])).toEqual([]);
    expect(keys(['steps', 0, 'say'])).toEqual([]);
    expect(keys(['__proto__'])).toEqual([]);
    expect(keys(['constructor', 'prototype'])).toEqual([]);
    expect(keys(['steps', 'toString'])).toEqual([]);
    expect(keySuggestions(null, [], [], new Set())).toEqual([]);
  });
});

describe('valueSuggestions', () => {
  it('every op, each with its description, whatever keys the step has', () => {
    const s = values(['steps', 2, 'op']);
    expect(labels(s)).toEqual([...STEP_OPS]);
    expect(labels(values(['steps', 2, 'op'], { prog: 'p', map: 'm', op: undefined }))).toEqual([
      ...STEP_OPS,
    ]);
    expect(s.find((x) => x.label === 'assoc')?.info).toContain('BPF_PROG_ASSOC_STRUCT_OPS');
    expect(s.every((x) => x.type === 'enum' && (x.info ?? '').length > 0)).toBe(true);
  });

  it('constants and enums: format, revision, map types and sections, booleans', () => {
    expect(labels(values(['format']))).toEqual(['1']);
    expect(labels(values(['kernel', 'revision']))).toEqual([
      'v1',
      'v2',
      'v3',
      'v4',
      'v5',
      'v6',
      'v7',
      'v8',
      'mainline',
    ]);
    expect(labels(values(['objects', 'o', 'maps', 'm', 'type']))).toEqual([
      'struct_ops',
      'array',
      'hash',
    ]);
    expect(
      labels(values(['objects', 'o', 'maps', 'm', 'section'], { type: 'struct_ops' })),
    ).toEqual(['.struct_ops.link', '.struct_ops']);
    expect(labels(values(['steps', 0, 'value'], { op: 'set_autoload' }))).toEqual([
      'true',
      'false',
    ]);
  });

  it('errno names for an expected return, names for what a step names', () => {
    expect(values(['steps', 0, 'expect', 'ret'])).toEqual([
      { label: 'EBUSY', detail: '-16', info: 'the call fails with -EBUSY', type: 'constant' },
      { label: 'EINVAL', detail: '-22', info: 'the call fails with -EINVAL', type: 'constant' },
    ]);
    expect(labels(values(['steps', 0, 'prog'], { op: 'assoc' }))).toEqual(['prog_a']);
    expect(labels(values(['steps', 0, 'map_fd']))).toEqual(['map_a']);
    expect(labels(values(['steps', 0, 'object'], { op: 'open' }))).toEqual(['obj']);
    expect(labels(values(['steps', 0, 'task'], { op: 'syscall' }))).toEqual(['loader']);
    expect(labels(values(['objects', 'o', 'maps', 'm', 'struct']))).toEqual(['sched_ext_ops']);
  });

  it('nothing for free text, nor for keys named like Object members', () => {
    expect(values(['title'])).toEqual([]);
    expect(values(['steps', 0, 'say'], { op: 'drain' })).toEqual([]);
    expect(values(['__proto__'])).toEqual([]);
    expect(values(['steps', 0, 'constructor'])).toEqual([]);
  });
});

describe('schemasAt', () => {
  it('follows $ref into the recursive program body, and a key there picks the variant', () => {
    const stmt = ['objects', 'o', 'progs', 'p', 'body', 0];
    expect(schemasAt(schema, stmt, []).length).toBeGreaterThan(0);
    expect(labels(keys(stmt, { if: 'x > 1' }, ['if']))).toEqual(['then', 'else']);
    expect(labels(keys([...stmt, 'then', 2], { for: 'i in 0..3' }, ['for']))).toEqual(['do']);
  });

  it('a key the mapping has narrows an undecided union', () => {
    expect(
      labels(keys(['objects', 'o', 'maps', 'm'], { members: undefined }, ['members'])),
    ).toEqual(['type', 'section', 'struct', 'autoattach']);
  });

  it('is empty off the format', () => {
    expect(schemasAt(schema, ['nope'], [])).toEqual([]);
    expect(schemasAt('not a schema', [], [])).toEqual([]);
  });
});
