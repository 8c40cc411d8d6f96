/** The layout benchmark's measure counts what a reader sees: crossing edges, edges under cards. */
import { describe, expect, it } from 'vitest';
import { mk, ref } from '../testing/graphFixtures';
import { readability } from './crossings';
import type { Box, Layout } from './layout';
import type { Graph } from './toGraph';

function layoutOf(boxes: Record<string, Box>): Layout {
  return { boxes: new Map(Object.entries(boxes)), lanes: [], width: 1000, height: 1000 };
}

const box = (x: number, y: number): Box => ({ x, y, w: 100, h: 40 });

describe('readability', () => {
  const nodes = [
    mk('prog.a', 'prog', 'progs'),
    mk('prog.b', 'prog', 'progs'),
    mk('map.x', 'map', 'maps'),
    mk('map.y', 'map', 'maps'),
  ];

  it('counts two edges that swap sides as one crossing, and parallel ones as none', () => {
    const crossed: Graph = { nodes, edges: [ref('prog.a', 'map.y'), ref('prog.b', 'map.x')] };
    const parallel: Graph = { nodes, edges: [ref('prog.a', 'map.x'), ref('prog.b', 'map.y')] };
    const layout = layoutOf({
      'prog.a': box(0, 0),
      'prog.b': box(0, 100),
      'map.x': box(300, 0),
      'map.y': box(300, 100),
    });
    expect(readability(crossed, layout)).toMatchObject({ crossings: 1, underCards: 0 });
    expect(readability(parallel, layout)).toMatchObject({ crossings: 0, underCards: 0 });
  });

  it('adds up how far edges run up or down', () => {
    const g: Graph = { nodes, edges: [ref('prog.a', 'map.y'), ref('prog.b', 'map.x')] };
    const level = layoutOf({
      'prog.a': box(0, 0),
      'prog.b': box(0, 100),
      'map.x': box(300, 0),
      'map.y': box(300, 100),
    });
    expect(readability(g, level).span).toBe(200);
    const swapped = layoutOf({
      'prog.a': box(0, 0),
      'prog.b': box(0, 100),
      'map.x': box(300, 100),
      'map.y': box(300, 0),
    });
    expect(readability(g, swapped).span).toBe(0);
  });

  it('does not count edges that share an end as crossing', () => {
    const g: Graph = { nodes, edges: [ref('prog.a', 'map.y'), ref('prog.a', 'map.x')] };
    const layout = layoutOf({
      'prog.a': box(0, 0),
      'map.x': box(300, 0),
      'map.y': box(300, 100),
    });
    expect(readability(g, layout).crossings).toBe(0);
  });

  it('counts an edge that runs under a card it does not connect', () => {
    const g: Graph = {
      nodes: [...nodes, mk('link.l', 'link', 'links')],
      edges: [ref('prog.a', 'map.x')],
    };
    const under = layoutOf({ 'prog.a': box(0, 0), 'link.l': box(150, 0), 'map.x': box(300, 0) });
    const clear = layoutOf({ 'prog.a': box(0, 0), 'link.l': box(150, 200), 'map.x': box(300, 0) });
    expect(readability(g, under).underCards).toBe(1);
    expect(readability(g, clear).underCards).toBe(0);
  });
});
