/**
 * The lookup path's segments carry their lengths, so its draw-in (useLookupPath) dashes by
 * them and never asks the browser to measure a path (a layout of the whole graph per step).
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Box, Layout } from '../graph/layout';
import type { LookupPath } from '../graph/lookupPath';
import { StepMarks } from './StepMarks';

const box = (x: number, y: number): Box => ({ x, y, w: 200, h: 90 });

describe('StepMarks lookup path', () => {
  it('writes each segment’s length on its line and glow', () => {
    const layout: Layout = {
      boxes: new Map([
        ['prog.refresh', box(0, 0)],
        ['map.layered', box(300, 200)],
      ]),
      lanes: [],
      width: 600,
      height: 400,
    };
    const path: LookupPath = {
      key: 'k',
      kfunc: 'scx_bpf_kick_cpu',
      hops: [
        { n: 0, what: 'program', node: 'prog.refresh', label: 'refresh', event: 0 },
        { n: 1, what: 'map', node: 'map.layered', label: 'layered', event: 1 },
      ],
      stop: null,
      result: 'kicked CPU 0',
    };
    const html = renderToStaticMarkup(
      <svg>
        <StepMarks marks={{ refused: null, lookups: [path] }} layout={layout} pathOf={() => ''} />
      </svg>,
    );
    // From the program's right edge at its title (200, 20) into the map at its title (300, 220).
    const len = Math.hypot(300 - 200, 220 - 20).toFixed(1);
    const segments = html.match(/<path class="lookup-(seg|glow)"[^>]*>/g) ?? [];
    expect(segments).toHaveLength(2);
    for (const s of segments) expect(s).toContain(`data-length="${len}"`);
  });
});
