/**
 * The review bugs of the series, each with the revisions whose code has it, the revision that
 * fixed it, who found it, and the library scenario that replays it ("The review history").
 */
import type { ReportKind, Revision } from '../types';

export interface ReviewBug {
  readonly id: string;
  readonly kind: ReportKind;
  readonly tool: 'kmemleak' | 'KASAN' | 'hazard';
  /** Revisions whose code has the bug. */
  readonly revisions: readonly Revision[];
  readonly fixedIn: Revision;
  readonly foundBy: string;
  /** What goes wrong, in one sentence. */
  readonly summary: string;
  /** The library scenario that shows it on its revision and its fix on the next. */
  readonly scenario: string;
  /** True when the reference marks the mechanism [inferred]. */
  readonly inferred: boolean;
  /** True when no sequence of operations can reach it (kept for the record). */
  readonly unreachable: boolean;
}

const BUGS: readonly (Omit<ReviewBug, 'unreachable'> & { readonly unreachable?: boolean })[] = [
  {
    id: 'reassoc-leak',
    kind: 'leak',
    tool: 'kmemleak',
    revisions: ['v1', 'v2', 'v3'],
    fixedIn: 'v4',
    foundBy: 'Andrii Nakryiko (review of v3 2/4)',
    summary:
      'Associating a program with the map it already has takes one more map reference, and the program drops only one when it is freed: the map is never freed.',
    scenario: 'history-reassoc-leak',
    inferred: false,
  },
  {
    id: 'assoc-cleared',
    kind: 'assoc-cleared',
    tool: 'hazard',
    revisions: ['v1'],
    fixedIn: 'v2',
    foundBy: 'follows from the v1 code (Andrii asked for poison in his v1 review)',
    summary:
      "Freeing a map that reuses a program clears that program's association with the first map, which is still alive.",
    scenario: 'history-poison-cleared',
    inferred: true,
  },
  {
    id: 'poison-cleared',
    kind: 'poison-cleared',
    tool: 'hazard',
    revisions: ['v2'],
    fixedIn: 'v3',
    foundBy: 'Martin KaFai Lau (review of v2 2/4); the v3 changelog credits Andrii',
    summary:
      'Freeing one of two maps that share a poisoned program writes NULL over BPF_PTR_POISON: the program then looks unassociated and can be tied to a third map.',
    scenario: 'history-poison-cleared',
    inferred: false,
  },
  {
    id: 'timer-dangling',
    kind: 'dangling',
    tool: 'hazard',
    revisions: ['v1', 'v2', 'v3'],
    fixedIn: 'v4',
    foundBy: 'the author (v4 changelog: "potential dangling pointer in timer callback")',
    summary:
      'A struct_ops program is disassociated only after the grace period, right before the map memory is freed: a timer callback that read st_ops_assoc just before may use freed memory.',
    scenario: 'history-timer-dangling',
    inferred: true,
  },
  {
    id: 'getter-stray-put',
    kind: 'use-after-free',
    tool: 'KASAN',
    revisions: ['v5'],
    fixedIn: 'v6',
    foundBy: 'the review bot and Martin KaFai Lau (v5 2/7)',
    summary:
      "The getter's INIT path drops a map reference that belongs to the association: the map is freed while still associated, and the program's free puts it again.",
    scenario: 'history-getter-stray-put',
    inferred: false,
  },
  {
    id: 'update-double-put',
    kind: 'double-put',
    tool: 'KASAN',
    revisions: ['v6'],
    fixedIn: 'v7',
    foundBy: 'the review bot (v6 2/6); Martin: drop the check',
    summary:
      "The map update's new error branch would put the program a second time (the link already owns the reference); it is never taken, since assoc never fails for a struct_ops program.",
    scenario: 'history-update-double-put',
    inferred: false,
    unreachable: true,
  },
];

export const REVIEW_BUGS: readonly ReviewBug[] = BUGS.map((b) => ({ unreachable: false, ...b }));

/** The bugs whose code revision `rev` runs. */
export function bugsOf(rev: Revision): readonly ReviewBug[] {
  return REVIEW_BUGS.filter((b) => b.revisions.includes(rev));
}
