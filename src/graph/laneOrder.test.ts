/**
 * The lane ordering's input and output: fds stand for their process, edges within a lane and
 * chips are left out, edges point left to right; ranks sort a lane and leave the unlisted
 * below. And elkjs, given lanes as layers, uncrosses what can be uncrossed.
 */
import { describe, expect, it } from 'vitest';
import { graph, mk, ref } from '../testing/graphFixtures';
import { elkLaneOrder } from './elkOrder';
import { laneRanks, laneTops, orderInput, sortByRank, unionGraph } from './laneOrder';
import type { Graph } from './toGraph';

describe('orderInput', () => {
  it('folds fds into their process and keeps only edges between lanes, left to right', () => {
    const g: Graph = {
      nodes: [
        mk('process.p', 'process', 'user'),
        mk('fd.p:3', 'fd', 'user', { parent: 'process.p' }),
        mk('fd.p:4', 'fd', 'user', { parent: 'process.p' }),
        mk('prog.a', 'prog', 'progs'),
        mk('prog.b', 'prog', 'progs'),
        mk('map.m', 'map', 'maps'),
        mk('fold.p', 'fold', 'maps'),
      ],
      edges: [
        ref('fd.p:3', 'prog.a'),
        ref('fd.p:4', 'prog.a'),
        ref('prog.a', 'prog.b'),
        ref('map.m', 'prog.b'),
        ref('fd.p:3', 'fold.p'),
      ],
    };
    const input = orderInput(g, () => 10);
    expect(input.nodes).toEqual([
      { id: 'process.p', lane: 0, h: 30 },
      { id: 'prog.a', lane: 2, h: 10 },
      { id: 'prog.b', lane: 2, h: 10 },
      { id: 'map.m', lane: 3, h: 10 },
    ]);
    expect(input.edges).toEqual([
      { from: 'process.p', to: 'prog.a' },
      { from: 'prog.b', to: 'map.m' },
    ]);
  });

  it('unionGraph keeps the first of each node and of each edge', () => {
    const a = mk('prog.a', 'prog', 'progs');
    const u = unionGraph([
      { nodes: [a], edges: [ref('prog.a', 'map.m')] },
      { nodes: [a, mk('map.m', 'map', 'maps')], edges: [ref('prog.a', 'map.m')] },
    ]);
    expect(u.nodes.map((n) => n.id)).toEqual(['prog.a', 'map.m']);
    expect(u.edges).toHaveLength(1);
    expect(unionGraph([graph()])).toEqual({ nodes: [], edges: [] });
  });
});

describe('ranks', () => {
  it('sort a lane by the order and leave what it does not list below, as it came', () => {
    const ranks = laneRanks({ progs: ['prog.c', 'prog.a'], maps: ['map.m'] });
    expect(sortByRank(['prog.a', 'prog.b', 'prog.c', 'prog.d'], ranks)).toEqual([
      'prog.c',
      'prog.a',
      'prog.b',
      'prog.d',
    ]);
    expect(laneRanks(undefined).size).toBe(0);
  });

  it('read only the lanes an order has as its own', () => {
    const hostile = JSON.parse('{"__proto__": ["x"], "progs": ["prog.a"]}') as Record<
      string,
      string[]
    >;
    expect([...laneRanks(hostile).keys()]).toEqual(['prog.a']);
    const tops = JSON.parse(
      '{"progs": ["prog.a", "prog.b"], "top": {"progs": [10, "x"], "__proto__": [5]}}',
    ) as Parameters<typeof laneTops>[0];
    expect([...laneTops(tops)]).toEqual([['prog.a', 10]]);
  });
});

describe('elkLaneOrder', () => {
  it('uncrosses two edges that first appearance crosses', async () => {
    // a→y and b→x cross when each lane stacks in first-appearance order.
    const order = await elkLaneOrder({
      nodes: [
        { id: 'a', lane: 0, h: 40 },
        { id: 'b', lane: 0, h: 40 },
        { id: 'x', lane: 2, h: 40 },
        { id: 'y', lane: 2, h: 40 },
      ],
      edges: [
        { from: 'a', to: 'y' },
        { from: 'b', to: 'x' },
      ],
    });
    const user = order.user ?? [];
    const progs = order.progs ?? [];
    expect([...user].sort()).toEqual(['a', 'b']);
    expect([...progs].sort()).toEqual(['x', 'y']);
    // Uncrossed: a and its target are both first, or both second.
    expect(user.indexOf('a')).toBe(progs.indexOf('y'));
  });

  it('gives nothing for nothing', async () => {
    expect(await elkLaneOrder({ nodes: [], edges: [] })).toEqual({});
  });
});

describe('elkLaneOrder, read back aligned', () => {
  it('lines a card up with the card it connects to, and flipping keeps the lanes consistent', async () => {
    // One tall card on the left feeds the lower of two cards on the right.
    const input = {
      nodes: [
        { id: 'a', lane: 0, h: 40 },
        { id: 'b', lane: 0, h: 200 },
        { id: 'x', lane: 2, h: 40 },
      ],
      edges: [{ from: 'b', to: 'x' }],
    };
    const order = await elkLaneOrder(input, {}, { aligned: true });
    const top = laneTops(order);
    expect([...top.keys()].sort()).toEqual(['a', 'b', 'x']);
    // x sits beside b, not at the top of its lane.
    const mid = (id: string, h: number) => (top.get(id) ?? 0) + h / 2;
    expect(Math.abs(mid('x', 40) - mid('b', 200))).toBeLessThan(
      Math.abs(mid('x', 40) - mid('a', 40)),
    );
    const flipped = await elkLaneOrder(input, {}, { aligned: true, flipped: true });
    expect(flipped.user).toEqual([...(order.user ?? [])].reverse());
    expect(Math.min(...laneTops(flipped).values())).toBe(0);
    // Without alignment, only the order.
    expect(laneTops(await elkLaneOrder(input)).size).toBe(0);
  });
});
