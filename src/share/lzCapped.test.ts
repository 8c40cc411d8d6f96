/**
 * The capped decompressor gives lz-string's results (round trips, and the same answer on
 * arbitrary input), and stops at its limit however large the output would be.
 */
import fc from 'fast-check';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { decompressUriSafeCapped } from './lzCapped';
import { lzBomb } from './testBomb';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';

describe('decompressUriSafeCapped', () => {
  it('round-trips what lz-string compresses (fixed seed)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const d = decompressUriSafeCapped(compressToEncodedURIComponent(text), 10_000);
        expect(d).toEqual({ ok: true, text });
      }),
      { seed: 20260107, numRuns: 400 },
    );
  });

  it('reads spaces as +, as a query string decodes them', () => {
    const text = 'a scenario with many different letters: {"id":"x-y-z","steps":[1,2,3]} ~ ü €';
    const c = compressToEncodedURIComponent(text);
    expect(c).toMatch(/\+/);
    expect(decompressUriSafeCapped(c.replaceAll('+', ' '), 10_000)).toEqual({ ok: true, text });
  });

  it('agrees with lz-string on arbitrary input, and never throws (fixed seed)', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...ALPHABET),
          maxLength: 300,
        }),
        (input) => {
          const mine = decompressUriSafeCapped(input, 1_000_000);
          let theirs: string | null | undefined;
          try {
            theirs = decompressFromEncodedURIComponent(input) as string | null;
          } catch {
            theirs = undefined; // lz-string can throw on some streams; we report them corrupt
          }
          if (mine.ok) expect(theirs).toBe(mine.text);
          else if (mine.reason === 'empty') expect(input).toBe('');
          else {
            expect(mine.reason).toBe('corrupt');
            // lz-string says "" for a truncated stream and null for a bad code; a first code
            // of 3 (the first letter's top two bits set) it reads on with `undefined`.
            const firstCode3 = ALPHABET.indexOf(input.charAt(0)) >= 48;
            if (!firstCode3) expect(theirs === '' || theirs === null).toBe(true);
          }
        },
      ),
      { seed: 7, numRuns: 1000 },
    );
  });

  it('the hand-made bomb is what it says (checked with lz-string on a small one)', () => {
    expect(decompressFromEncodedURIComponent(lzBomb(10))).toBe('a'.repeat(66));
    expect(decompressUriSafeCapped(lzBomb(10), 66)).toEqual({ ok: true, text: 'a'.repeat(66) });
    expect(decompressUriSafeCapped(lzBomb(10), 65)).toEqual({ ok: false, reason: 'too-large' });
  });

  it('stops at the limit: a 200 KB link that would make 1.8 G characters is refused at once', () => {
    const bomb = lzBomb(60_000);
    expect(bomb.length).toBeLessThan(200_000);
    const t0 = performance.now();
    expect(decompressUriSafeCapped(bomb, 256 * 1024)).toEqual({ ok: false, reason: 'too-large' });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('says empty, corrupt (cut short, bad code) plainly', () => {
    expect(decompressUriSafeCapped('', 10)).toEqual({ ok: false, reason: 'empty' });
    const c = compressToEncodedURIComponent('{"hello":"world, hello world"}');
    expect(decompressUriSafeCapped(c.slice(0, c.length - 3), 100)).toEqual({
      ok: false,
      reason: 'corrupt',
    });
    expect(decompressUriSafeCapped('garbage', 100).ok).toBe(false);
  });
});
