/**
 * YAML aliases bounded before anything expands them. An alias (`*a`) stands for a copy of the
 * node its anchor (`&a`) names, so a few hundred bytes of aliases to aliases can stand for
 * millions of nodes, and the `yaml` library's own guard (`maxAliasCount`) re-walks the document
 * for every alias, which takes minutes on a long chain. One pass in document order here finds
 * what each alias names (the last anchor of that name before it), what the whole document would
 * weigh once expanded, and aliases inside the node they name (cycles), and stops at the first
 * alias past a limit: its offset is where the problem is reported.
 */
import { isAlias, isCollection, isPair, isScalar, type Document, type Node } from 'yaml';

/** Aliases a scenario may use (the library's largest uses about twenty). */
export const MAX_SCENARIO_ALIASES = 256;
/** Nodes the document may hold once every alias is expanded. */
export const MAX_EXPANDED_NODES = 100_000;

export interface AliasProblem {
  /** Source offset of the alias at fault. */
  readonly offset: number;
  readonly message: string;
}

class Stop extends Error {
  constructor(readonly problem: AliasProblem) {
    super(problem.message);
  }
}

/**
 * The first alias that makes the document too costly to expand (too many aliases, too many
 * nodes once expanded, an alias inside its own anchor, or one that names no anchor before it),
 * or null when expanding it is cheap. Never throws; linear in the document's size.
 */
export function aliasProblem(doc: Document): AliasProblem | null {
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let aliases = 0;
  let total = 0;
  const stop = (node: Node, message: string): never => {
    throw new Stop({ offset: node.range?.[0] ?? 0, message });
  };
  const weigh = (node: unknown): number => {
    if (isPair(node)) return weigh(node.key) + weigh(node.value);
    if (isAlias(node)) {
      aliases += 1;
      if (aliases > MAX_SCENARIO_ALIASES)
        stop(node, `too many aliases: a scenario may use at most ${MAX_SCENARIO_ALIASES}`);
      const target = anchors.get(node.source);
      if (!target) return stop(node, `the alias *${node.source} names no anchor before it`);
      if (open.has(target))
        stop(node, 'this alias names a node that contains it: the data would be infinite');
      const size = sizes.get(target) ?? 1;
      total += size;
      if (total > MAX_EXPANDED_NODES)
        stop(
          node,
          `aliases expand the scenario past ${MAX_EXPANDED_NODES.toLocaleString('en')} nodes here`,
        );
      return size;
    }
    if (!isCollection(node) && !isScalar(node)) return 0;
    if (node.anchor) anchors.set(node.anchor, node);
    total += 1;
    let size = 1;
    if (isCollection(node)) {
      open.add(node);
      for (const item of node.items) size += weigh(item);
      open.delete(node);
    }
    sizes.set(node, size);
    return size;
  };
  try {
    weigh(doc.contents);
    return null;
  } catch (e) {
    if (e instanceof Stop) return e.problem;
    throw e;
  }
}
