import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { runScenario } from '../scenario/run';
import { adjacency, arrowDirection, nextNode, type Direction } from './keyboardNav';
import { layoutTimeline, type Box } from './layout';
import { toGraph } from './toGraph';

const box = (x: number, y: number): Box => ({ x, y, w: 10, h: 10 });

describe('nextNode', () => {
  const boxes = new Map<string, Box>([
    ['a', box(0, 0)],
    ['b', box(100, 0)],
    ['c', box(40, 5)],
    ['d', box(100, 100)],
    ['lonely', box(0, 200)],
  ]);
  const n = adjacency([
    { from: 'a', to: 'b' },
    { from: 'b', to: 'd' },
  ]);

  it('follows an edge in the direction of the key, even past a nearer unjoined node', () => {
    expect(nextNode('a', 'right', n, boxes)).toBe('b');
    expect(nextNode('b', 'left', n, boxes)).toBe('a');
    expect(nextNode('b', 'down', n, boxes)).toBe('d');
    expect(nextNode('d', 'up', n, boxes)).toBe('b');
  });

  it('falls back to the nearest node that way when no edge leads there', () => {
    expect(nextNode('a', 'down', n, boxes)).toBe('lonely');
    expect(nextNode('lonely', 'up', n, boxes)).toBe('a');
    expect(nextNode('lonely', 'right', n, boxes)).toBe('d');
  });

  it('stays put at the edge of the graph', () => {
    expect(nextNode('a', 'left', n, boxes)).toBeNull();
    expect(nextNode('a', 'up', n, boxes)).toBeNull();
    expect(nextNode('missing', 'up', n, boxes)).toBeNull();
  });

  it('reads only the arrow keys', () => {
    expect(arrowDirection('ArrowUp')).toBe('up');
    expect(arrowDirection('ArrowLeft')).toBe('left');
    expect(arrowDirection('Enter')).toBeNull();
  });
});

describe('every node is reachable with the arrow keys alone', () => {
  const lib = join(import.meta.dirname, '..', 'scenario', 'library');
  const dirs: Direction[] = ['left', 'right', 'up', 'down'];
  for (const file of readdirSync(lib).filter((f) => f.endsWith('.yaml'))) {
    it(file, () => {
      const r = parseScenario(readFileSync(join(lib, file), 'utf8'));
      if (!r.ok) throw new Error(`${file} does not parse`);
      const run = runScenario(r.scenario);
      const states = [run.initial, ...run.frames.map((f) => f.state)];
      const graphs = states.map((s) => toGraph(s, undefined));
      const layout = layoutTimeline(states.map((s) => toGraph(s, undefined, { nodesOnly: true })));
      // Every step's graph, from its first node.
      graphs.forEach((g, step) => {
        const boxes = new Map(
          g.nodes.flatMap((node) => {
            const b = layout.boxes.get(node.id);
            return b ? [[node.id, b] as const] : [];
          }),
        );
        const neighbours = adjacency(g.edges);
        const start = g.nodes[0]?.id;
        if (!start) return;
        const seen = new Set([start]);
        const queue = [start];
        while (queue.length > 0) {
          const at = queue.shift() as string;
          for (const d of dirs) {
            const to = nextNode(at, d, neighbours, boxes);
            if (to && !seen.has(to)) {
              seen.add(to);
              queue.push(to);
            }
          }
        }
        const missed = [...boxes.keys()].filter((id) => !seen.has(id));
        expect(missed, `${file}, step ${step}`).toEqual([]);
      });
    });
  }
});
