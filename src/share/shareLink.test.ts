/**
 * Share links: what encodeShare writes, decodeShare reads back unchanged (library and inline
 * scenarios, with step and view options); every malformed or hostile link gets a clear message
 * and nothing throws.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import type { Scenario } from '../scenario/schema';
import {
  decodeShare,
  encodeShare,
  hasInlineShare,
  iframeSnippet,
  MAX_SHARE_PAYLOAD,
  type DecodeResult,
  type ShareState,
} from './shareLink';
import { lzBomb } from './testBomb';

const LIB = join(import.meta.dirname, '..', 'scenario', 'library');
const library: Scenario[] = readdirSync(LIB)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => {
    const r = parseScenario(readFileSync(join(LIB, f), 'utf8'));
    if (!r.ok) throw new Error(`${f} does not parse`);
    return r.scenario;
  });

const SMALL = `format: 1
id: shared-small
title: A small shared scenario
summary: Loads one object and associates a program with a map.
objects:
  obj:
    maps:
      ops_map:
        type: struct_ops
        struct: bpf_testmod_multi_st_ops
        members: { test_1: test_1 }
    progs:
      test_1:
        section: struct_ops/test_1
        body: [return 1]
      helper:
        section: syscall
        body: [return 0]
steps:
  - op: open_and_load
    object: obj
    say: Load.
  - op: assoc
    prog: helper
    map: ops_map
    say: Associate.
`;

function small(): Scenario {
  const r = parseScenario(SMALL);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.scenario;
}

const BASE = 'https://example.org/lab/index.html?scenario=old&step=9#frag';
const searchOf = (url: string) => new URL(url).search;

function failure(r: DecodeResult): string {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r).slice(0, 200)}`);
  return r.message;
}

/** `?s=1.<payload>` for arbitrary text, compressed as encodeShare would. */
const inlineText = (text: string, version = '1') =>
  `?s=${version}.${compressToEncodedURIComponent(text)}`;

describe('encodeShare', () => {
  it('writes library scenarios as ?scenario=<id>&step=<n>, replacing the query and fragment', () => {
    expect(encodeShare({ scenario: { kind: 'library', id: 'teach-ebusy' }, step: 3 }, BASE)).toBe(
      'https://example.org/lab/index.html?scenario=teach-ebusy&step=3',
    );
  });

  it('leaves out step 0 and view options that are off', () => {
    expect(
      encodeShare(
        {
          scenario: { kind: 'library', id: 'teach-ebusy' },
          step: 0,
          view: { embed: false, present: false },
        },
        'http://localhost:4173/',
      ),
    ).toBe('http://localhost:4173/?scenario=teach-ebusy');
  });

  it('writes view options', () => {
    const url = encodeShare(
      {
        scenario: { kind: 'library', id: 'teach-ebusy' },
        step: 2,
        view: { embed: true, present: true, theme: 'dark' },
      },
      BASE,
    );
    expect(searchOf(url)).toBe('?scenario=teach-ebusy&step=2&embed=1&present=1&theme=dark');
  });

  it('writes inline scenarios as ?s=1.<lz-string payload>', () => {
    const url = encodeShare({ scenario: { kind: 'inline', scenario: small() }, step: 1 }, BASE);
    expect(url).toMatch(/^https:\/\/example\.org\/lab\/index\.html\?s=1\.[A-Za-z0-9+$-]+&step=1$/);
    expect(hasInlineShare(searchOf(url))).toBe(true);
    expect(hasInlineShare('?scenario=teach-ebusy')).toBe(false);
  });

  it('is deterministic: the same scenario gives the same link', () => {
    const a = encodeShare({ scenario: { kind: 'inline', scenario: small() }, step: 0 }, BASE);
    const b = encodeShare({ scenario: { kind: 'inline', scenario: small() }, step: 0 }, BASE);
    expect(a).toBe(b);
  });

  it('refuses a step that is not a whole number ≥ 0 (a programming error)', () => {
    const s = { kind: 'library', id: 'x' } as const;
    expect(() => encodeShare({ scenario: s, step: -1 }, BASE)).toThrow(RangeError);
    expect(() => encodeShare({ scenario: s, step: 1.5 }, BASE)).toThrow(RangeError);
  });
});

describe('round trips', () => {
  const cases: ShareState[] = [
    { scenario: { kind: 'library', id: 'teach-ebusy' }, step: 0, view: {} },
    { scenario: { kind: 'library', id: 'scx-layered-refresh' }, step: 7, view: { embed: true } },
    {
      scenario: { kind: 'library', id: 'teach-poison' },
      step: 4,
      view: { embed: true, present: true, theme: 'light' },
    },
    { scenario: { kind: 'inline', scenario: small() }, step: 2, view: { theme: 'dark' } },
    { scenario: { kind: 'inline', scenario: small() }, step: 0, view: { present: true } },
  ];
  for (const c of cases) {
    it(`${c.scenario.kind} at step ${c.step} with ${JSON.stringify(c.view)}`, () => {
      const r = decodeShare(searchOf(encodeShare(c, BASE)));
      expect(r).toEqual({ ok: true, ...c });
    });
  }

  it('every library scenario, shared inline, comes back equal (and the links stay short)', () => {
    for (const s of library) {
      const url = encodeShare({ scenario: { kind: 'inline', scenario: s }, step: 1 }, BASE);
      expect(url.length, s.id).toBeLessThan(20_000);
      const r = decodeShare(searchOf(url));
      expect(r, s.id).toEqual({
        ok: true,
        scenario: { kind: 'inline', scenario: s },
        step: 1,
        view: {},
      });
    }
  });

  it('reads a whole URL too, and a query whose + became %2B or a space', () => {
    const url = encodeShare({ scenario: { kind: 'inline', scenario: small() }, step: 1 }, BASE);
    expect(decodeShare(url).ok).toBe(true);
    const payload = new URLSearchParams(searchOf(url)).get('s') ?? '';
    expect(decodeShare(`?s=${encodeURIComponent(payload)}&step=1`).ok).toBe(true);
    expect(decodeShare(`?s=${payload.replaceAll('+', ' ')}&step=1`).ok).toBe(true);
  });

  it('reads view options as the app does: its words for yes and no, unknown values left out', () => {
    const view = (q: string) => {
      const r = decodeShare(`?scenario=x&${q}`);
      return r.ok ? r.view : null;
    };
    expect(view('embed=yes&present=ON&theme=System')).toEqual({
      embed: true,
      present: true,
      theme: 'system',
    });
    expect(view('embed&present=off')).toEqual({ embed: true });
    expect(view('embed=maybe&present=2&theme=neon')).toEqual({});
  });

  it('an inline scenario wins over ?scenario= (the URL sync writes it beside ?s=)', () => {
    const url = encodeShare({ scenario: { kind: 'inline', scenario: small() }, step: 1 }, BASE);
    const r = decodeShare(`${searchOf(url)}&scenario=shared-small`);
    expect(r.ok && r.scenario?.kind).toBe('inline');
    expect(decodeShare(`${searchOf(url)}&scenario=NOT%20AN%20ID`).ok).toBe(true);
  });

  it('a link naming no scenario is fine (the app opens its default)', () => {
    expect(decodeShare('')).toEqual({ ok: true, scenario: null, step: 0, view: {} });
    expect(decodeShare('?step=2&theme=dark')).toEqual({
      ok: true,
      scenario: null,
      step: 2,
      view: { theme: 'dark' },
    });
  });
});

describe('decodeShare refuses, with a clear message', () => {
  it('an unknown format version', () => {
    expect(failure(decodeShare('?s=9.x'))).toMatch(
      /share format version 9, which this version of structops-lab does not know \(it reads version 1\)/,
    );
    expect(failure(decodeShare('?s=2.' + compressToEncodedURIComponent('{}')))).toMatch(
      /version 2/,
    );
  });

  it('a payload without a version', () => {
    for (const s of ['?s=', '?s=garbage', '?s=.abc', '?s=v1.abc', '?s=1234567.abc']) {
      expect(failure(decodeShare(s)), s).toMatch(/should read <version>\.<data>/);
    }
  });

  it('an empty payload, and one with characters lz-string never writes', () => {
    expect(failure(decodeShare('?s=1.'))).toMatch(/scenario data is empty/);
    expect(failure(decodeShare('?s=1.abc%3Cscript%3E'))).toMatch(/never contains/);
    expect(failure(decodeShare('?s=1.ab\u00e9'))).toMatch(/never contains/);
  });

  it('a payload that does not decompress (corrupted, cut short)', () => {
    expect(failure(decodeShare('?s=1.garbage'))).toMatch(/damaged|cut short/);
    const url = encodeShare({ scenario: { kind: 'inline', scenario: small() }, step: 0 }, BASE);
    const cut = searchOf(url).slice(0, -10);
    expect(failure(decodeShare(cut))).toMatch(
      /could not be decompressed: the link is damaged or cut short/,
    );
  });

  it('a payload that decompresses to something other than a JSON object', () => {
    expect(failure(decodeShare(inlineText('hello world')))).toMatch(/not a scenario/);
    expect(failure(decodeShare(inlineText('[1,2,3]')))).toMatch(/not a scenario/);
  });

  it('an invalid scenario, with the validator’s line:column findings', () => {
    const r = decodeShare(inlineText('{"format": 1, "id": "x"}'));
    expect(failure(r)).toMatch(/^the shared scenario is not valid: 1:\d+ .*\(and \d+ more\)$/);
    expect(r.ok ? [] : r.issues.length).toBeGreaterThan(1);
    const bad = JSON.stringify({ ...small(), steps: [{ op: 'assocc', say: 'x' }] });
    expect(failure(decodeShare(inlineText(bad)))).toMatch(/unknown op 'assocc'/);
  });

  it('a payload longer than the limit, before decompressing anything', () => {
    const long = `?s=1.${'A'.repeat(MAX_SHARE_PAYLOAD - 1)}`; // 's' is 1 character too long
    expect(failure(decodeShare(long))).toMatch(
      new RegExp(
        `too long: ${MAX_SHARE_PAYLOAD + 1} characters; the limit is ${MAX_SHARE_PAYLOAD}`,
      ),
    );
  });

  it('a decompression bomb: a short link that would decompress to gigabytes', () => {
    const bomb = lzBomb(60_000); // under the length limit; would make ~1.8 G characters
    expect(bomb.length).toBeLessThan(MAX_SHARE_PAYLOAD);
    const t0 = performance.now();
    expect(failure(decodeShare(`?s=1.${bomb}`))).toBe(
      'the shared scenario decompresses to more than 256 KiB, the limit for a scenario: the link is damaged or was made to be harmful',
    );
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a decompressed scenario over the byte limit (multi-byte characters counted as UTF-8)', () => {
    // 100 Ki characters of 3 bytes each: under the character cap, over the byte limit.
    const text = JSON.stringify({ ...small(), summary: '€'.repeat(100 * 1024) });
    expect(failure(decodeShare(inlineText(text)))).toMatch(
      /too large: 301 KiB; the limit is 256 KiB/,
    );
  });

  it('a step that is not a whole number, or past the shared scenario’s end', () => {
    for (const step of ['-1', '1.5', 'abc', '', '1e3', '9999999']) {
      expect(failure(decodeShare(`?scenario=teach-ebusy&step=${step}`)), step).toMatch(
        /'step' should be a whole number such as 3, not "/,
      );
    }
    const url = encodeShare({ scenario: { kind: 'inline', scenario: small() }, step: 0 }, BASE);
    expect(failure(decodeShare(`${searchOf(url)}&step=3`))).toBe(
      'the link asks for step 3, but the shared scenario has 2 steps',
    );
  });

  it('a scenario id that is not one', () => {
    for (const id of ['', 'Teach', '../x', '<b>x</b>', 'a'.repeat(200)]) {
      expect(failure(decodeShare(`?scenario=${encodeURIComponent(id)}`)), id).toMatch(
        /'scenario' should be a scenario id/,
      );
    }
  });

  it('a parameter given twice', () => {
    expect(failure(decodeShare('?scenario=x&scenario=y'))).toBe(
      "the link has 2 'scenario' parameters; it should have one",
    );
    expect(failure(decodeShare('?s=1.abc&step=1&s=1.def'))).toMatch(/2 's' parameters/);
  });

  it('quotes untrusted values shortened, as text', () => {
    const m = failure(decodeShare(`?scenario=${'<img src=x onerror=alert(1)>'.repeat(5)}`));
    expect(m.length).toBeLessThan(140);
    expect(m).toContain('…"');
  });
});

describe('hostile input never throws (fixed seeds)', () => {
  const check = (r: DecodeResult) => {
    expect(typeof r.ok).toBe('boolean');
    if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
  };

  it('random payloads after 1.', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (s) => {
        check(decodeShare(`?s=1.${encodeURIComponent(s)}`));
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('random payloads in the link alphabet', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$',
          ),
          maxLength: 2000,
        }),
        (s) => {
          check(decodeShare(`?s=1.${s}`));
        },
      ),
      { seed: 4242, numRuns: 500 },
    );
  });

  it('damaged real links (one character changed, or cut)', () => {
    const url = encodeShare({ scenario: { kind: 'inline', scenario: small() }, step: 1 }, BASE);
    const search = searchOf(url);
    fc.assert(
      fc.property(
        fc.nat({ max: search.length - 1 }),
        fc.constantFrom(...'AZaz09+-$. %&=?'),
        fc.boolean(),
        (at, ch, cut) => {
          const damaged = cut
            ? search.slice(0, at)
            : search.slice(0, at) + ch + search.slice(at + 1);
          check(decodeShare(damaged));
        },
      ),
      { seed: 99, numRuns: 500 },
    );
  });

  it('random whole queries', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        check(decodeShare(s));
        check(decodeShare(`?${s}`));
      }),
      { seed: 1234, numRuns: 500 },
    );
  });
});

describe('iframeSnippet', () => {
  it('is the embed code, with attribute values escaped', () => {
    expect(iframeSnippet('https://x.org/?scenario=a&embed=1', 'EBUSY "explained" <here>')).toBe(
      '<iframe src="https://x.org/?scenario=a&amp;embed=1" width="800" height="450" title="structops-lab: EBUSY &quot;explained&quot; &lt;here&gt;" loading="lazy"></iframe>',
    );
  });
});
