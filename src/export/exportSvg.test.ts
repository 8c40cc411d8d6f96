/** The pure parts of the exports (the DOM parts are checked in e2e/share-export.spec.ts). */
import { describe, expect, it } from 'vitest';
import { pngScale } from './exportPng';
import { exportMetadata, exportTitle, parseViewBox } from './exportSvg';

describe('export helpers', () => {
  it('metadata is JSON with the scenario id and step', () => {
    expect(JSON.parse(exportMetadata({ scenarioId: 'teach-ebusy', step: 3 }))).toEqual({
      generator: 'structops-lab',
      scenario: 'teach-ebusy',
      step: 3,
    });
    const m = exportMetadata({ scenarioId: 'x', step: 0, title: '</metadata><script>' });
    expect(JSON.parse(m)).toMatchObject({ title: '</metadata><script>' });
  });

  it('the title names the scenario and step', () => {
    expect(exportTitle({ scenarioId: 'x', step: 2, title: 'EBUSY' })).toBe(
      'structops-lab: EBUSY, step 2',
    );
    expect(exportTitle({ scenarioId: 'x', step: 0 })).toBe('structops-lab: x, step 0');
  });

  it('reads viewBox attributes', () => {
    expect(parseViewBox('0 0 1200 640')).toEqual([0, 0, 1200, 640]);
    expect(parseViewBox(' -5,10  300,200 ')).toEqual([-5, 10, 300, 200]);
    expect(parseViewBox(null)).toBeNull();
    expect(parseViewBox('0 0 0 10')).toBeNull();
    expect(parseViewBox('0 0 abc 10')).toBeNull();
    expect(parseViewBox('0 0 10')).toBeNull();
  });

  it('draws PNGs at 2×, less when the canvas would be too large', () => {
    expect(pngScale(1200, 800)).toBe(2);
    expect(pngScale(10_000, 500)).toBeCloseTo(1.6384);
    expect(pngScale(20_000, 20_000)).toBeLessThan(1);
    const s = pngScale(12_000, 12_000);
    expect(12_000 * 12_000 * s * s).toBeLessThanOrEqual(268_000_000 + 1);
  });
});
