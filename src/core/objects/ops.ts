/**
 * The ops tables through which the object layer (maps, links, programs) calls the code above
 * it, as the kernel's generic object code calls `map->ops->map_free` or `link->ops->dealloc`
 * without knowing which subsystem implements them. The layers above register their tables
 * here (core/register.ts does it once, before any machine runs); the object layer imports
 * nothing above it.
 */
import type { Tx } from '../tx';
import type { LinkType, MapType } from '../types';

/**
 * Per-map-type callbacks: models `struct bpf_map_ops` (include/linux/bpf.h), of which the
 * object layer calls the two that run when references drop. The table per map type models
 * `bpf_map_types[]` (kernel/bpf/syscall.c, filled from include/linux/bpf_types.h).
 */
export interface BpfMapOps {
  /** `map_release_uref`: user space dropped its last reference (usercnt reached 0). */
  readonly map_release_uref?: (tx: Tx, map: number) => void;
  /** `map_free`: run by the `bpf_map_free_deferred` work item once refcnt reached 0. */
  readonly map_free: (tx: Tx, map: number) => void;
}

/**
 * Per-link-type callbacks: models `struct bpf_link_ops` (include/linux/bpf.h), of which the
 * object layer calls `dealloc` from `bpf_link_free` for the link types registered here.
 */
export interface BpfLinkOps {
  /** `dealloc`: releases what the link holds; `bpf_link_free` then frees the link itself. */
  readonly dealloc: (tx: Tx, link: number) => void;
}

/**
 * What the program free path calls outside the object layer: models the call
 * `bpf_prog_free_deferred` (kernel/bpf/core.c) makes to `bpf_prog_disassoc_struct_ops`
 * (kernel/bpf/bpf_struct_ops.c), which the association series added.
 */
export interface BpfProgFreeOps {
  /** `bpf_prog_disassoc_struct_ops(prog)`, of the kernel revision the machine runs. */
  readonly bpf_prog_disassoc_struct_ops: (tx: Tx, prog: number) => void;
}

/**
 * What the map free path reports to the simulated kernel's memory checkers once a map's memory
 * is gone: models the KASAN/kmemleak instrumentation around `kfree` of the map, which reports
 * an association still naming the freed map (core/revisions/reports.ts).
 */
export interface BpfMapFreeObserver {
  readonly map_freed: (tx: Tx, map: number) => void;
}

const mapOps = new Map<MapType, BpfMapOps>();
const linkOps = new Map<LinkType, BpfLinkOps>();
let progFreeOps: BpfProgFreeOps | null = null;
let mapFreeObserver: BpfMapFreeObserver | null = null;

function unregistered(what: string): Error {
  return new Error(
    `${what} is not registered: registerKernel() (core/register.ts) installs the ops tables before a machine runs.`,
  );
}

/** Installs the `struct bpf_map_ops` of map type `type` (`BPF_MAP_TYPE(type, ops)`). */
export function registerMapOps(type: MapType, ops: BpfMapOps): void {
  mapOps.set(type, ops);
}

/** Installs the `struct bpf_link_ops` of link type `type`. */
export function registerLinkOps(type: LinkType, ops: BpfLinkOps): void {
  linkOps.set(type, ops);
}

/** Installs the struct_ops calls of the program free path. */
export function registerProgFreeOps(ops: BpfProgFreeOps): void {
  progFreeOps = ops;
}

/** Installs the memory checkers' view of a map being freed. */
export function registerMapFreeObserver(observer: BpfMapFreeObserver): void {
  mapFreeObserver = observer;
}

/** `map->ops` for a map of type `type`. */
export function bpfMapOps(type: MapType): BpfMapOps {
  const ops = mapOps.get(type);
  if (!ops) throw unregistered(`struct bpf_map_ops of ${type}`);
  return ops;
}

/** `link->ops` for a link of type `type` (a type whose ops the layers above register). */
export function bpfLinkOps(type: LinkType): BpfLinkOps {
  const ops = linkOps.get(type);
  if (!ops) throw unregistered(`struct bpf_link_ops of ${type} links`);
  return ops;
}

/** The registered struct_ops calls of the program free path. */
export function progFreeHooks(): BpfProgFreeOps {
  if (!progFreeOps) throw unregistered('bpf_prog_disassoc_struct_ops');
  return progFreeOps;
}

/** The registered map free observer. */
export function mapFreeHooks(): BpfMapFreeObserver {
  if (!mapFreeObserver) throw unregistered('The map free observer');
  return mapFreeObserver;
}
