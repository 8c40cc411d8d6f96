/**
 * The `struct bpf_map_ops` of array maps (kernel/bpf/arraymap.c `array_map_ops`) and hash
 * maps (kernel/bpf/hashtab.c `htab_map_ops`), as far as freeing goes: both cancel and free the
 * bpf_timers in their values when user space lets go (`map_release_uref`) and when the map is
 * freed (`map_free`). core/register.ts installs them for their map types.
 */
import { ARRAYMAP_C, HASHTAB_C } from '../files';
import type { Tx } from '../tx';
import { markMapFreed } from './map';
import type { BpfMapOps } from './ops';
import { bpf_timer_cancel_and_free } from './timer';

function freeTimersOf(tx: Tx, mapId: number, because: string): void {
  for (const t of Object.values(tx.state.timers)) {
    if (t.map === mapId && !t.freed)
      bpf_timer_cancel_and_free(tx, t.id, `The timer is cancelled and freed because ${because}.`);
  }
}

/** The free callbacks of a map type whose values may hold bpf_timers. */
function timerMapOps(file: string, releaseUref: string, free: string): BpfMapOps {
  return {
    map_release_uref: (tx, map) =>
      tx.in(releaseUref, file, () =>
        freeTimersOf(tx, map, 'user space dropped its last reference to the map'),
      ),
    map_free: (tx, map) =>
      tx.in(free, file, () => {
        freeTimersOf(tx, map, 'its map is being freed');
        markMapFreed(tx, map, 'The map and its values are freed.');
      }),
  };
}

/** `array_map_ops` (arraymap.c): `array_map_free_timers_wq`, `array_map_free`. */
export const array_map_ops: BpfMapOps = timerMapOps(
  ARRAYMAP_C,
  'array_map_free_timers_wq',
  'array_map_free',
);

/** `htab_map_ops` (hashtab.c): `htab_map_free_timers_and_wq`, `htab_map_free`. */
export const htab_map_ops: BpfMapOps = timerMapOps(
  HASHTAB_C,
  'htab_map_free_timers_and_wq',
  'htab_map_free',
);
