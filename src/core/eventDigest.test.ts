/**
 * A guard on the kernel's exact output: a digest of every event, result and state that every
 * library scenario and two generated scenarios make, run through the scenario runner and
 * replayed from their recorded ops. Any change to an event's fields, to a state's contents
 * (including the order of its keys) or to how states share unchanged objects changes the
 * digest; a deliberate change of behaviour updates the expected values here.
 *
 * States are digested object by object (each distinct object once, a Merkle hash), so the
 * whole run costs little; the number of distinct objects is part of the digest, so losing
 * structural sharing shows too. Every object reached must be frozen.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { runScenario } from '../scenario/run';
import { generateScenario } from '../testing/generateScenario';
import { replay, type Frame } from './machine';
import type { KEvent } from './tx';
import type { KernelState } from './types';
import { isSettled } from '../testing/settled';

/** FNV-1a over a string, 32 bits, two lanes with different offsets: 16 hex digits. */
function hash(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

class Digester {
  private readonly seen = new Map<object, string>();

  /** Distinct objects digested so far. */
  get objects(): number {
    return this.seen.size;
  }

  value(v: unknown): string {
    if (typeof v !== 'object' || v === null) return JSON.stringify(v) ?? String(v);
    const known = this.seen.get(v);
    if (known) return known;
    // Digests are kept by object: sound as long as nothing in a state is ever written again.
    if (!isSettled(v)) throw new Error('a state object is neither frozen nor a dense id table');
    const parts = Array.isArray(v) ? ['['] : ['{'];
    for (const k of Object.keys(v))
      parts.push(`${JSON.stringify(k)}:${this.value((v as Record<string, unknown>)[k])},`);
    const h = `#${hash(parts.join(''))}`;
    this.seen.set(v, h);
    return h;
  }

  event(e: KEvent): string {
    const { state, ...rest } = e;
    return `${JSON.stringify(rest)}@${this.value(state as KernelState)}`;
  }

  frames(frames: readonly Frame[]): string {
    const lines: string[] = [];
    for (const f of frames) {
      lines.push(`${JSON.stringify(f.op)}=>${JSON.stringify(f.result)}@${this.value(f.state)}`);
      for (const e of f.events) lines.push(this.event(e));
    }
    return hash(lines.join('\n'));
  }
}

interface Digest {
  readonly run: string;
  readonly replay: string;
  readonly events: number;
  readonly objects: number;
}

function digestOf(yamlOrScenario: Parameters<typeof runScenario>[0]): Digest {
  const run = runScenario(yamlOrScenario);
  const d = new Digester();
  const runLines: string[] = [];
  let events = 0;
  for (const f of run.frames) {
    runLines.push(`${JSON.stringify(f.result)}@${d.value(f.state)}`);
    for (const e of f.events) runLines.push(d.event(e));
    events += f.events.length;
  }
  const ops = run.frames.flatMap((f) => f.ops);
  const again = new Digester().frames(replay(run.initial, ops));
  return { run: hash(runLines.join('\n')), replay: again, events, objects: d.objects };
}

const LIBRARY = resolve('src/scenario/library');

function library(): [string, Digest][] {
  return readdirSync(LIBRARY)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const p = parseScenario(readFileSync(join(LIBRARY, f), 'utf8'));
      if (!p.ok) throw new Error(`${f}: ${p.issues[0]?.message ?? 'invalid'}`);
      return [f, digestOf(p.scenario)];
    });
}

describe('event digest', () => {
  it('every library scenario makes exactly the events and states it made before', () => {
    expect(Object.fromEntries(library())).toEqual(EXPECTED_LIBRARY);
  });

  it('generated scenarios make exactly the events and states they made before', () => {
    expect({
      small: digestOf(generateScenario({ objects: 24, steps: 60 })),
      large: digestOf(generateScenario({ objects: 100, steps: 350 })),
    }).toEqual(EXPECTED_GENERATED);
  });

  it('the digest sees a changed field, a changed key order and lost sharing', () => {
    const shared = Object.freeze({ z: 2 });
    const d = new Digester();
    const hashes = [
      Object.freeze({ x: 1, y: shared }),
      Object.freeze({ x: 2, y: shared }),
      Object.freeze({ y: shared, x: 1 }),
    ].map((s) => d.value(s));
    expect(new Set(hashes).size).toBe(3);
    expect(d.objects).toBe(4);
    const unshared = new Digester();
    unshared.value(Object.freeze({ x: 1, y: Object.freeze({ z: 2 }) }));
    unshared.value(Object.freeze({ x: 2, y: Object.freeze({ z: 2 }) }));
    expect(unshared.objects).toBe(4);
    const sharing = new Digester();
    sharing.value(Object.freeze({ x: 1, y: shared }));
    sharing.value(Object.freeze({ x: 2, y: shared }));
    expect(sharing.objects).toBe(3);
    expect(() => new Digester().value({ x: 1 })).toThrow('neither frozen nor a dense id table');
    expect(new Digester().value({ 1: shared, 2: shared })).toMatch(/^#/);
  });
});

const EXPECTED_LIBRARY: Record<string, Digest> = {
  'history-getter-stray-put.yaml': {
    run: '4ac8d5308cced70e',
    replay: '052c089b145d6f9b',
    events: 40,
    objects: 197,
  },
  'history-poison-cleared.yaml': {
    run: 'b369108bc40a6b74',
    replay: '927c6fdd0b31e382',
    events: 47,
    objects: 263,
  },
  'history-reassoc-leak.yaml': {
    run: '004a09529124d1cb',
    replay: '9319d4373dfa7c46',
    events: 30,
    objects: 180,
  },
  'history-timer-dangling.yaml': {
    run: '060d39a29d9c3235',
    replay: 'ce9518c0075239f0',
    events: 103,
    objects: 437,
  },
  'history-update-double-put.yaml': {
    run: '65c76ff5b52e83fb',
    replay: 'ccf1c2979162212a',
    events: 32,
    objects: 185,
  },
  'scx-layered-gpu.yaml': {
    run: '24c2adb7006e003e',
    replay: '94b3bdd7b717a7d5',
    events: 762,
    objects: 3633,
  },
  'scx-layered-refresh.yaml': {
    run: 'e44b15c0f4c18137',
    replay: '928429f727fd6a9d',
    events: 807,
    objects: 3971,
  },
  'selftest-st-ops-assoc-in-timer-no-uref.yaml': {
    run: '98afccff925f8e78',
    replay: 'c1efe8dfdfe007c5',
    events: 123,
    objects: 534,
  },
  'selftest-st-ops-assoc-in-timer.yaml': {
    run: '2a5c2c572df21490',
    replay: '088f0db0386492e4',
    events: 124,
    objects: 531,
  },
  'selftest-st-ops-assoc-reuse.yaml': {
    run: 'a9bef8fddfb48b77',
    replay: '3fa2eddcd1424f27',
    events: 158,
    objects: 678,
  },
  'selftest-st-ops-assoc.yaml': {
    run: '2d626f127939e728',
    replay: '1d02205329341ff4',
    events: 231,
    objects: 1045,
  },
  'teach-ebusy.yaml': {
    run: '8b664a86c638abef',
    replay: 'e55f18317d21fe3d',
    events: 53,
    objects: 258,
  },
  'teach-failed-update.yaml': {
    run: '3ea8df646a1a5326',
    replay: '1e6f0165779cdcb8',
    events: 121,
    objects: 567,
  },
  'teach-poison.yaml': {
    run: '13016de72d906294',
    replay: '77a1d0b8e6f2d981',
    events: 174,
    objects: 621,
  },
  'teach-sharing-fds.yaml': {
    run: '89d1373a61447643',
    replay: 'b4e90ed9a80e79fc',
    events: 85,
    objects: 400,
  },
  'teach-timer-after-map.yaml': {
    run: '34d8851dc818a229',
    replay: '17022d178d776d2d',
    events: 100,
    objects: 429,
  },
  'teach-who-keeps-the-map-alive.yaml': {
    run: '2718b31365b2a89b',
    replay: '5d865dd807f8ef92',
    events: 59,
    objects: 280,
  },
};
const EXPECTED_GENERATED: Record<string, Digest> = {
  small: { run: '18e3f97062e1b048', replay: '5094de34dba5c9b2', events: 707, objects: 2159 },
  large: { run: '8f32449741e7bdee', replay: '42f3b9b82629c567', events: 7309, objects: 14724 },
};
