/** Shared by the command handlers: failing with an event that says why. */
import { fail, type Errno, type SysResult } from '../errno';
import type { Tx } from '../tx';

export function reject(tx: Tx, errno: Errno, reason: string): SysResult {
  tx.emit({ kind: 'return', why: reason, after: `-${errno}` });
  return fail(errno, reason);
}

export function dropInflight(by: string, kind: 'prog' | 'map' | 'link', id: number) {
  return (d: { inflight: { target: { kind: string; id: number }; by: string }[] }): void => {
    const i = d.inflight.findIndex(
      (t) => t.target.kind === kind && t.target.id === id && t.by === by,
    );
    if (i >= 0) d.inflight.splice(i, 1);
  };
}
