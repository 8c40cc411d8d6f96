/** Every library scenario, loaded at once, for tests (the app loads one at a time). */
import type { Scenario } from '../scenario/schema';
import { findScenario } from '../view/library';

const files = import.meta.glob<Scenario>('../scenario/library/*.yaml', {
  import: 'default',
  eager: true,
});

export const LIBRARY_SCENARIOS: readonly Scenario[] = Object.values(files);

/** Library scenario `id` (or the default, as the page opens it for an unknown id). */
export function libraryScenarioFor(id: string | null): Scenario | undefined {
  const entry = findScenario(id);
  return LIBRARY_SCENARIOS.find((s) => s.id === entry?.id);
}
