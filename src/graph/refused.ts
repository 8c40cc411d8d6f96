/**
 * A refused operation drawn as the edge it tried to make: read from a failed step's events,
 * the objects its syscall got hold of (the temporary references of `bpf_prog_get` and
 * `bpf_map_get`) tell what it tried to tie together. Pure.
 */
import { errnoName } from '../core/errno';
import type { KEvent } from '../core/tx';
import type { ObjRef } from '../core/types';
import { nodeByRef } from './nodeByRef';
import type { Graph } from './toGraph';

export interface RefusedEdge {
  /** `edge.refused.<from name>.<to name>` (the DOM contract's test id). */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** The errno name, e.g. `EBUSY`. */
  readonly errno: string;
  /** What the edge would have been, e.g. `st_ops_assoc`. */
  readonly label: string;
}

/** Objects a syscall took a temporary reference on, in order (`bpf_prog_get`, `bpf_map_get`). */
function gets(events: readonly KEvent[], getter: string): ObjRef[] {
  return events
    .filter(
      (e) =>
        e.kind === 'refcnt' &&
        e.stack.includes(getter) &&
        e.target !== null &&
        Number(e.after) > Number(e.before),
    )
    .flatMap((e) => (e.target ? [e.target] : []));
}

/**
 * The attempt of a step that returned `-errno` (`ret`): for `BPF_PROG_ASSOC_STRUCT_OPS`, the
 * association from the program to the map (kernel/bpf/syscall.c `prog_assoc_struct_ops`);
 * for a struct_ops `BPF_MAP_UPDATE_ELEM`, the map's slot to the program it refused
 * (kernel/bpf/bpf_struct_ops.c `bpf_struct_ops_map_update_elem`). Null when the step did not
 * fail, or failed before it held both objects.
 */
export function refusedEdge(
  events: readonly KEvent[],
  ret: number | null,
  graph: Graph,
): RefusedEdge | null {
  if (ret === null || ret >= 0) return null;
  const errno = errnoName(ret);
  const start = events.findLastIndex((e) => e.kind === 'syscall');
  if (!errno || start < 0) return null;
  const call = events.slice(start);
  const cmd = call[0]?.field ?? '';
  const progs = gets(call, 'bpf_prog_get');
  const maps = gets(call, 'bpf_map_get');
  let from: ObjRef | undefined;
  let to: ObjRef | undefined;
  let label = '';
  if (cmd === 'BPF_PROG_ASSOC_STRUCT_OPS') {
    [from, to, label] = [progs[0], maps[0], 'st_ops_assoc'];
  } else if (cmd === 'BPF_MAP_UPDATE_ELEM') {
    const update = call.find((e) => e.fn === 'bpf_struct_ops_map_update_elem' && e.target);
    [from, to, label] = [update?.target ?? undefined, progs[progs.length - 1], 'kdata slot'];
  }
  const byRef = nodeByRef(graph);
  const a = byRef(from);
  const b = byRef(to);
  if (!a || !b) return null;
  return { id: `edge.refused.${a.name}.${b.name}`, from: a.id, to: b.id, errno, label };
}
