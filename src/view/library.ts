/**
 * The scenario library as the app ships it: every file in src/scenario/library, validated at
 * build time by the same parser untrusted scenarios go through (see vite.config.ts). The page
 * starts with each scenario's id, title and summary only; a scenario itself is a module of its
 * own, loaded when it is opened (`loadLibraryScenario`).
 */
import type { LaneOrders } from '../graph/laneOrder';
import type { Scenario } from '../scenario/schema';

/** A library scenario's module: the scenario, and its lane orders computed at build time. */
interface LibraryModule {
  readonly default: Scenario;
  readonly laneOrders: LaneOrders;
}

/** What the picker lists of a library scenario. */
export interface LibraryEntry {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
}

const metas = import.meta.glob<LibraryEntry>('../scenario/library/*.yaml', {
  query: '?meta',
  import: 'default',
  eager: true,
});
const files = import.meta.glob<LibraryModule>('../scenario/library/*.yaml');

export const DEFAULT_SCENARIO_ID = 'scx-layered-refresh';

function load(): LibraryEntry[] {
  const out = Object.values(metas).map(({ id, title, summary }) => ({ id, title, summary }));
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

/** Each library scenario's module, by scenario id. */
const loaders = new Map<string, () => Promise<LibraryModule>>(
  Object.entries(metas).flatMap(([path, meta]) => {
    const f = files[path];
    return f ? [[meta.id, f] as const] : [];
  }),
);

export function findScenario(id: string | null): LibraryEntry | undefined {
  return (
    LIBRARY.find((e) => e.id === id) ??
    LIBRARY.find((e) => e.id === DEFAULT_SCENARIO_ID) ??
    LIBRARY[0]
  );
}

const loading = new Map<string, Promise<Scenario>>();
const loaded = new Map<string, LibraryModule>();

/** Library scenario `id`, once it has loaded (undefined before, or when there is none). */
export function libraryScenario(id: string): Scenario | undefined {
  return loaded.get(id)?.default;
}

/**
 * The lane orders of `scenario` when it is a library scenario as loaded, or the same on
 * another revision (its steps the very same, not an edited copy), computed when the app was
 * built; undefined otherwise.
 */
export function libraryLaneOrders(scenario: Scenario): LaneOrders | undefined {
  const m = loaded.get(scenario.id);
  return m && m.default.steps === scenario.steps ? m.laneOrders : undefined;
}

/** Loads library scenario `id` (once; later calls share the load). */
export function loadLibraryScenario(id: string): Promise<Scenario> {
  const known = loading.get(id);
  if (known) return known;
  const load = loaders.get(id);
  if (!load) return Promise.reject(new Error(`there is no library scenario ${id}`));
  const p = load().then((m) => {
    loaded.set(id, m);
    return m.default;
  });
  // A failed load (the network) is tried again next time.
  p.catch(() => loading.delete(id));
  loading.set(id, p);
  return p;
}
