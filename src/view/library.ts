/**
 * The scenario library as the app ships it: every file in src/scenario/library, validated at
 * build time by the same parser untrusted scenarios go through (see vite.config.ts).
 */
import type { LaneOrders } from '../graph/laneOrder';
import type { Scenario } from '../scenario/schema';

/** A library scenario's module: the scenario, and its lane orders computed at build time. */
interface LibraryModule {
  readonly default: Scenario;
  readonly laneOrders: LaneOrders;
}

const files = import.meta.glob<LibraryModule>('../scenario/library/*.yaml', { eager: true });

export interface LibraryEntry {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly scenario: Scenario;
  /** Where each object goes in its lane, per detail level (fewest crossings; build time). */
  readonly laneOrders: LaneOrders;
}

export const DEFAULT_SCENARIO_ID = 'scx-layered-refresh';

function load(): LibraryEntry[] {
  const out = Object.values(files).map(({ default: scenario, laneOrders }) => ({
    id: scenario.id,
    title: scenario.title,
    summary: scenario.summary,
    scenario,
    laneOrders,
  }));
  // The default first, then the scx scenarios, the selftests, the teaching scenarios, and
  // "The review history" (one scenario per review bug, on its revision).
  const rank = (id: string) =>
    id === DEFAULT_SCENARIO_ID
      ? 0
      : id.startsWith('scx-')
        ? 1
        : id.startsWith('selftest-')
          ? 2
          : id.startsWith('history-')
            ? 4
            : 3;
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
