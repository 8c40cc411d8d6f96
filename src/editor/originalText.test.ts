import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIBRARY_SCENARIOS } from '../testing/library';
import { parseScenario } from '../scenario/parse';
import { libraryText, originalText } from './originalText';

describe('originalText', () => {
  it('a library scenario starts from its own file, comments included (the `?raw` text)', async () => {
    expect(LIBRARY_SCENARIOS.length).toBeGreaterThan(5);
    for (const e of LIBRARY_SCENARIOS) {
      const text = await originalText({ kind: 'library', id: e.id, scenario: e });
      const file = readFileSync(
        new URL(`../scenario/library/${e.id}.yaml`, import.meta.url),
        'utf8',
      );
      expect(text, e.id).toBe(file);
    }
    expect(await libraryText('teach-ebusy')).toMatch(/^# /);
    expect(await libraryText('no-such-scenario')).toBeNull();
  });

  it("a file's text is kept as fetched", async () => {
    expect(await originalText({ kind: 'text', text: '# mine\nformat: 1\n' })).toBe(
      '# mine\nformat: 1\n',
    );
  });

  it('a scenario that came as data is written as YAML that parses back to it', async () => {
    for (const e of LIBRARY_SCENARIOS) {
      const text = await originalText({ kind: 'scenario', scenario: e });
      const r = parseScenario(text);
      expect(r.ok, e.id).toBe(true);
      if (r.ok) expect(r.scenario).toEqual(e);
    }
  });
});
