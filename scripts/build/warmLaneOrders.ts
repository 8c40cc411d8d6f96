/**
 * Vitest's global setup: computes the library scenarios' lane orders once, in one process,
 * before the test workers start, so that the workers (which import library scenarios through
 * vite.config.ts's plugin) read them from the cache instead of each computing them at once.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../../src/scenario/parse';
import { libraryLaneOrders } from './laneOrderCache';

const LIBRARY = join(import.meta.dirname, '..', '..', 'src', 'scenario', 'library');

export default async function warmLaneOrders(): Promise<void> {
  for (const file of readdirSync(LIBRARY).filter((f) => f.endsWith('.yaml'))) {
    const text = readFileSync(join(LIBRARY, file), 'utf8');
    const r = parseScenario(text);
    if (r.ok) await libraryLaneOrders(text, r.scenario);
  }
}
