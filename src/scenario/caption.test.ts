import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { captionOf, firstSentence, MAX_CAPTION_CHARS } from './caption';
import { parseScenario } from './parse';
import { labelOf } from './run';

const LIBRARY_DIR = fileURLToPath(new URL('./library/', import.meta.url));
const files = readdirSync(LIBRARY_DIR).filter((f) => f.endsWith('.yaml'));

describe('captionOf', () => {
  it("uses the step's own caption", () => {
    expect(captionOf({ caption: 'Short.', say: 'A long narration. More.' })).toBe('Short.');
  });

  it('falls back to the first sentence of a short narration', () => {
    expect(captionOf({ say: 'The link goes.  Then the map.' })).toBe('The link goes.');
    expect(firstSentence('refcnt 1 → 2: `bpf_map_inc`.\nNext')).toBe(
      'refcnt 1 → 2: `bpf_map_inc`.',
    );
  });

  it('keeps "e.g." style dots inside a word and gives nothing for a long first sentence', () => {
    expect(firstSentence('ops.runnable runs')).toBe('ops.runnable runs');
    expect(captionOf({ say: `${'word '.repeat(30)}end. Short.` })).toBeNull();
  });
});

describe('library captions', () => {
  it('finds the library', () => {
    expect(files.length).toBeGreaterThanOrEqual(11);
  });

  it.each(files)('%s: every step has its own caption of at most 100 characters', (file) => {
    const r = parseScenario(readFileSync(`${LIBRARY_DIR}${file}`, 'utf8'));
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
    r.scenario.steps.forEach((step, i) => {
      expect(step.caption, `${file} step ${i + 1}`).toBeTypeOf('string');
      expect(step.caption?.trim(), `${file} step ${i + 1}`).not.toBe('');
      expect(step.caption?.length ?? 0, `${file} step ${i + 1}`).toBeLessThanOrEqual(
        MAX_CAPTION_CHARS,
      );
      // The caption is narration, not an argument of the call.
      expect(labelOf(step)).not.toContain(step.caption ?? '?');
    });
  });
});
