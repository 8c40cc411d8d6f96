/**
 * Writes docs/scenario.schema.json, the JSON Schema editors use to check and complete scenario
 * files, from the zod schema in src/scenario/schema.ts (`scenarioJsonSchema`).
 *
 *   npm run schema
 *
 * The file is formatted with the repository's Prettier settings so that `prettier --check`
 * accepts it as written. src/scenario/schema.test.ts fails when the committed file differs
 * from what this script would write now, so the schema cannot go stale.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { scenarioJsonSchema } from '../src/scenario/schema';

/** Where the schema is written, from the repository root. */
export const SCHEMA_FILE = resolve(
  fileURLToPath(new URL('..', import.meta.url)),
  'docs/scenario.schema.json',
);

export const SCHEMA_ID = 'urn:structops-lab:scenario-format:1';
export const SCHEMA_TITLE = 'structops-lab scenario (format 1)';

/** The schema document: `scenarioJsonSchema()` with `$id`, `title` and `description` first. */
export function schemaDocument(): Record<string, unknown> {
  const generated = scenarioJsonSchema();
  if (generated === null || typeof generated !== 'object' || Array.isArray(generated))
    throw new Error('scenarioJsonSchema() did not return an object');
  const { $schema, ...rest } = generated as Record<string, unknown>;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: SCHEMA_TITLE,
    description:
      'A structops-lab scenario: BPF objects and the steps a speaker walks through on the simulated kernel. Generated from src/scenario/schema.ts by `npm run schema`; the format is documented in docs/scenario-format.md.',
    ...rest,
  };
}

/** The file's text: pretty JSON in the repository's Prettier style, ending in a newline. */
export async function renderSchema(): Promise<string> {
  const options = (await resolveConfig(SCHEMA_FILE)) ?? {};
  const text = await format(`${JSON.stringify(schemaDocument(), null, 2)}\n`, {
    ...options,
    parser: 'json',
  });
  return text.endsWith('\n') ? text : `${text}\n`;
}

async function main(): Promise<void> {
  writeFileSync(SCHEMA_FILE, await renderSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
