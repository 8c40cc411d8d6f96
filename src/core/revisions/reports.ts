/**
 * How the kernel's own tools would report a revision's bug, at the event where it happens:
 *
 * - kmemleak (mm/kmemleak.c): "unreferenced object 0x… (size N):" with the allocation
 *   backtrace; here also the refcount that keeps it and who should have dropped it.
 * - KASAN (mm/kasan/report.c): "BUG: KASAN: slab-use-after-free in <fn>", the access, the
 *   call trace, "Allocated by task …" and "Freed by task …".
 * - A hazard: a state review found wrong although no tool prints anything by itself (a
 *   cleared BPF_PTR_POISON, a dangling `st_ops_assoc`).
 *
 * Addresses are the simulator's, derived from object ids, so that reports are deterministic.
 */
import { KMEMLEAK_C } from '../files';
import { mapRef, nameOf, progRef } from '../names';
import { mapOf } from '../objects/access';
import { castDraft } from 'immer';
import type { Tx } from '../tx';
import type { KernelReport, KernelState, ObjRef, ReportKind } from '../types';
import { REVIEW_BUGS } from './bugs';

/** A simulated slab address for an object (stable for a given id). */
export function addrOf(ref: ObjRef): string {
  const base = ref.kind === 'map' ? 0x8881_0400_0000 : 0x8881_0500_0000;
  return `ffff${(base + ref.id * 0x400).toString(16)}`;
}

const ALLOC: Readonly<Record<'map' | 'prog', readonly string[]>> = {
  map: [
    ' __kmalloc_node_noprof',
    ' bpf_map_area_alloc',
    ' bpf_struct_ops_map_alloc',
    ' map_create',
    ' __sys_bpf',
  ],
  prog: [' __vmalloc_node_range', ' bpf_prog_alloc_no_stats', ' bpf_prog_load', ' __sys_bpf'],
};

const FREE: Readonly<Record<'map' | 'prog', readonly string[]>> = {
  map: [
    ' kfree',
    ' __bpf_struct_ops_map_free',
    ' bpf_struct_ops_map_free',
    ' bpf_map_free_deferred',
    ' process_one_work',
  ],
  prog: [' vfree', ' bpf_jit_free', ' bpf_prog_free_deferred', ' process_one_work'],
};

function fixedIn(kind: ReportKind, rev: KernelState['revision']) {
  return REVIEW_BUGS.find((b) => b.kind === kind && b.revisions.includes(rev))?.fixedIn ?? null;
}

function record(tx: Tx, report: Omit<KernelReport, 'at' | 'revision' | 'fixedIn'>): void {
  const full: KernelReport = {
    ...report,
    at: tx.state.now,
    revision: tx.state.revision,
    fixedIn: fixedIn(report.kind, tx.state.revision),
  };
  tx.emit(
    {
      kind: report.tool === 'hazard' ? 'warn' : 'oops',
      target: report.target,
      field: report.tool,
      before: null,
      after: report.kind,
      why: `${report.title} ${report.lines.find((l) => l.startsWith('why: '))?.slice(5) ?? ''}`.trim(),
    },
    (d) => {
      d.reports = castDraft([...(d.reports ?? []), full]);
      d.dmesg.push({ at: full.at, msg: report.title });
    },
  );
}

/**
 * A KASAN report: `access` (`Write of size 8`) by the current call chain on the freed
 * object `target`, with the allocation and free stacks of that kind of object.
 */
export function reportKasan(
  tx: Tx,
  kind: 'use-after-free' | 'double-put',
  target: ObjRef,
  access: string,
  why: string,
): void {
  const stack = [...tx.stack].reverse();
  const objKind = target.kind === 'map' ? 'map' : 'prog';
  record(tx, {
    kind,
    tool: 'KASAN',
    target,
    title: `BUG: KASAN: slab-use-after-free in ${stack[0] ?? tx.fn}`,
    lines: [
      `${access} at addr ${addrOf(target)} by task kworker/0:1`,
      `object: ${target.kind} ${nameOf(tx.state, target)} (freed)`,
      'Call Trace:',
      ...stack.map((fn) => ` ${fn}`),
      'Allocated by task 100:',
      ...ALLOC[objKind],
      'Freed by task 12 (kworker/0:1):',
      ...FREE[objKind],
      `why: ${why}`,
    ],
  });
}

/**
 * A kmemleak report for `map`: nothing points at it any more, yet `refcnt` references keep it.
 * `culprit` is the kernel function that took the reference nobody drops.
 */
export function reportLeak(tx: Tx, map: number, culprit: string, why: string): void {
  const m = mapOf(tx.state, map);
  record(tx, {
    kind: 'leak',
    tool: 'kmemleak',
    target: mapRef(map),
    title: `kmemleak: unreferenced object 0x${addrOf(mapRef(map))} (size 1024): ${m.name}`,
    lines: [
      `unreferenced object 0x${addrOf(mapRef(map))} (size 1024):`,
      `  comm "loader", pid 100`,
      `  object: map ${m.name}, refcnt ${m.refcnt}, no holder left`,
      `  should have been dropped by: ${culprit}`,
      '  backtrace:',
      ...ALLOC.map.map((l) => `   ${l.trim()}`),
      `why: ${why}`,
    ],
  });
}

/** A hazard at the event where it happens: no tool prints it, review found it. */
export function reportHazard(
  tx: Tx,
  kind: 'poison-cleared' | 'assoc-cleared' | 'dangling',
  prog: number,
  title: string,
  why: string,
): void {
  record(tx, {
    kind,
    tool: 'hazard',
    target: progRef(prog),
    title,
    lines: [`in ${[...tx.stack].join(' → ') || tx.fn}`, `why: ${why}`],
  });
}

/**
 * kmemleak's scan, run after each operation: a live map whose every remaining reference was
 * leaked by a freed program is unreferenced memory. Reported once per map.
 */
export function kmemleakScan(tx: Tx): void {
  const bugs = tx.state.refBugs ?? [];
  if (!bugs.some((b) => b.kind === 'leaked')) return;
  tx.in('kmemleak_scan', KMEMLEAK_C, () => {
    for (const m of Object.values(tx.state.maps)) {
      if (m.lifecycle !== 'live') continue;
      if ((tx.state.reports ?? []).some((r) => r.kind === 'leak' && r.target.id === m.id)) continue;
      const leaked = bugs.filter((b) => b.kind === 'leaked' && b.map === m.id);
      if (leaked.length === 0 || leaked.length !== m.refcnt) continue;
      if (leaked.some((b) => tx.state.progs[b.prog]?.lifecycle !== 'freed')) continue;
      const by = leaked[0]?.by ?? 'bpf_prog_assoc_struct_ops';
      reportLeak(
        tx,
        m.id,
        `bpf_prog_disassoc_struct_ops (a second put), for the reference ${by} took`,
        `Every fd is closed and every program that used ${m.name} is freed, yet ${leaked.length} reference(s) taken by ${by} remain: the map can never be freed.`,
      );
    }
  });
}

/**
 * Right after a map's memory is freed: a non-struct_ops program's association still pointing
 * at it is dangling (its reference was dropped by someone else). Called from `markMapFreed`.
 */
export function afterMapFreed(tx: Tx, map: number): void {
  for (const p of Object.values(tx.state.progs)) {
    const a = p.aux.st_ops_assoc;
    if (a === null || a === 'POISON' || a.map !== map || p.lifecycle === 'freed') continue;
    // A struct_ops program's stale association (a failed update) is the merged code's own
    // hazard, listed by the invariant checker; a counted one dangles only through a bug.
    if (p.type === 'BPF_PROG_TYPE_STRUCT_OPS') continue;
    // Reported by the function that freed the memory (`__bpf_struct_ops_map_free`).
    reportHazard(
      tx,
      'dangling',
      p.id,
      `dangling st_ops_assoc: ${p.name} still points at freed ${mapOf(tx.state, map).name}`,
      `${mapOf(tx.state, map).name} was freed while ${p.name}'s association still names it; the next read of st_ops_assoc touches freed memory.`,
    );
  }
}
