/**
 * The scenario library as the app ships it: every file in src/scenario/library, parsed and
 * validated at start-up by the same parser untrusted scenarios go through.
 */
import { parseScenario } from '../scenario/parse';
import type { Scenario } from '../scenario/schema';

const files = import.meta.glob<string>('../scenario/library/*.yaml', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export interface LibraryEntry {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly scenario: Scenario;
}

export const DEFAULT_SCENARIO_ID = 'scx-layered-refresh';

function load(): LibraryEntry[] {
  const out: LibraryEntry[] = [];
  for (const [path, text] of Object.entries(files)) {
    const r = parseScenario(text);
    if (!r.ok) {
      // A broken library file is a build defect; tests catch it. Skip it rather than break the page.
      console.warn(`structops-lab: ${path} does not validate`, r.issues);
      continue;
    }
    out.push({
      id: r.scenario.id,
      title: r.scenario.title,
      summary: r.scenario.summary,
      scenario: r.scenario,
    });
  }
  // The default first, then the scx scenarios, the selftests and the teaching scenarios.
  const rank = (id: string) =>
    id === DEFAULT_SCENARIO_ID ? 0 : id.startsWith('scx-') ? 1 : id.startsWith('selftest-') ? 2 : 3;
  return out.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}

export const LIBRARY: readonly LibraryEntry[] = load();

export function findScenario(id: string | null): LibraryEntry | undefined {
  return (
    LIBRARY.find((e) => e.id === id) ??
    LIBRARY.find((e) => e.id === DEFAULT_SCENARIO_ID) ??
    LIBRARY[0]
  );
}
