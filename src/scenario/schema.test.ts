/**
 * The committed JSON Schema (docs/scenario.schema.json) is what `npm run schema` writes now,
 * and it describes every step op, so editors never check files against a stale format.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSchema, SCHEMA_FILE, SCHEMA_ID, schemaDocument } from '../../scripts/write-schema';
import { scenarioJsonSchema, STEP_OPS } from './schema';

const committedText = readFileSync(SCHEMA_FILE, 'utf8');
const committed: unknown = JSON.parse(committedText);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `op` constants of the step variants in a JSON Schema document. */
function stepOpsIn(schema: unknown): string[] {
  if (!isRecord(schema) || !isRecord(schema['properties'])) return [];
  const steps = schema['properties']['steps'];
  const items = isRecord(steps) ? steps['items'] : undefined;
  const variants = isRecord(items) ? (items['oneOf'] ?? items['anyOf']) : undefined;
  if (!Array.isArray(variants)) return [];
  return variants.flatMap((v: unknown) => {
    const props = isRecord(v) ? v['properties'] : undefined;
    const op = isRecord(props) ? props['op'] : undefined;
    return isRecord(op) && typeof op['const'] === 'string' ? [op['const']] : [];
  });
}

describe('docs/scenario.schema.json', () => {
  it('is exactly what `npm run schema` writes now (run it after changing schema.ts)', async () => {
    expect(committedText).toBe(await renderSchema());
  });

  it('equals a fresh scenarioJsonSchema() plus $id, title and description', () => {
    const fresh = scenarioJsonSchema();
    expect(isRecord(fresh)).toBe(true);
    expect(committed).toEqual(schemaDocument());
    expect(committed).toEqual({
      ...(fresh as Record<string, unknown>),
      $id: SCHEMA_ID,
      title: expect.any(String),
      description: expect.any(String),
    });
  });

  it('declares the 2020-12 dialect, an $id and a title', () => {
    expect(committed).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: SCHEMA_ID,
      title: expect.stringContaining('scenario'),
    });
    expect(committedText.endsWith('}\n')).toBe(true);
  });

  it('lists every op of STEP_OPS, and no other', () => {
    const ops = stepOpsIn(committed);
    expect(STEP_OPS.length).toBeGreaterThan(20);
    expect([...ops].sort()).toEqual([...STEP_OPS].sort());
    for (const op of STEP_OPS) expect(ops).toContain(op);
  });
});
