/**
 * The middle of an edge drawn between two boxes across lanes (from the side facing the other
 * box, at mid-height): where an edge's label, a refused attempt's cross and errno sit. The
 * graph's horizontal links are symmetric curves, so this point lies on them.
 */
import type { Box } from './layout';

export function edgeMidpoint(a: Box, b: Box): readonly [number, number] {
  const forward = b.x >= a.x + a.w / 2;
  const sx = forward ? a.x + a.w : a.x;
  const tx = forward ? b.x : b.x + b.w;
  return [(sx + tx) / 2, (a.y + a.h / 2 + b.y + b.h / 2) / 2];
}
