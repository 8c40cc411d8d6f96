/**
 * A struct_ops type a subsystem registers (`struct bpf_struct_ops`): its members in BTF order
 * (a program's `expected_attach_type` is its member index), and its `reg`/`unreg`/`update`.
 */
import type { Tx } from '../tx';
import type { Val } from '../types';

export interface StructOpsMember {
  readonly name: string;
  /** Function pointers take programs; data members take values. */
  readonly kind: 'func' | 'data';
}

export interface StructOpsType {
  /** The struct name, e.g. `bpf_testmod_multi_st_ops`, `sched_ext_ops`. */
  readonly name: string;
  readonly file: string;
  readonly members: readonly StructOpsMember[];
  /**
   * `st_ops->init_member(t, member, kdata, udata)`: 1 when the subsystem has taken the
   * member's value itself, 0 when it leaves it to `bpf_struct_ops_map_update_elem` (which
   * then accepts only program fds for function pointers and zero for anything else), or a
   * negative errno.
   */
  readonly init_member: (member: string, value: Val) => number;
  /** `st_ops->reg(kdata, link)`: 0 or a negative errno (with a reason when failing). */
  readonly reg: (tx: Tx, map: number, link: number | null) => { ret: number; reason?: string };
  readonly unreg: (tx: Tx, map: number, link: number | null) => void;
  /** `st_ops->update(new_kdata, old_kdata, link)`; absent means -EOPNOTSUPP for link update. */
  readonly update?: (
    tx: Tx,
    newMap: number,
    oldMap: number,
    link: number,
  ) => { ret: number; reason?: string };
}
