/**
 * The library scenario the page shows: loaded on demand (each is a module of its own, see
 * src/view/library.ts), at once when it has been loaded before. `onError` hears a load that
 * failed (the network).
 */
import { useEffect, useState } from 'react';
import type { Scenario } from '../scenario/schema';
import { libraryScenario, loadLibraryScenario } from '../view/library';

export function useLibraryScenario(
  id: string | null,
  onError: (id: string, message: string) => void,
): Scenario | undefined {
  const scenario = id ? libraryScenario(id) : undefined;
  // Bumped when a load finishes, so the page renders again and finds the scenario loaded.
  const [, setLoads] = useState(0);
  useEffect(() => {
    if (!id || libraryScenario(id)) return;
    let live = true;
    loadLibraryScenario(id).then(
      () => {
        if (live) setLoads((n) => n + 1);
      },
      (e: unknown) => {
        if (live) onError(id, e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      live = false;
    };
  }, [id, onError]);
  return scenario;
}
