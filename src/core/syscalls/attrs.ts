/**
 * `union bpf_attr` for the commands the simulated kernel implements, keyed by command.
 * Field names are the kernel's. Where the kernel passes BTF ids, the model names the BTF type
 * (`attach_btf_id: 'sched_ext_ops'`, `btf_vmlinux_value_type_id: 'bpf_testmod_multi_st_ops'`),
 * and where it passes instructions, the model passes a parsed program body. Like the uapi
 * header, it imports only types from core/types.ts, so every layer of the core may use it.
 */
import type { MapType, ProgBody, ProgType, Val } from '../types';

export interface ProgLoadAttr {
  readonly prog_type: ProgType;
  readonly prog_name: string;
  readonly insns: ProgBody;
  /** `BPF_F_SLEEPABLE` makes `prog->sleepable` (libbpf sets it for `syscall` and `.s` sections). */
  readonly prog_flags?: readonly 'BPF_F_SLEEPABLE'[];
  readonly expected_attach_type?: string | number;
  readonly attach_btf_id?: string;
  /** The maps the program's instructions reference, by the name its body uses → map fd. */
  readonly fd_array?: Readonly<Record<string, number>>;
}

export interface MapCreateAttr {
  readonly map_type: MapType;
  readonly map_name: string;
  readonly key_size: number;
  readonly value_size: number;
  readonly max_entries: number;
  readonly map_flags?: readonly string[];
  readonly btf_vmlinux_value_type_id?: string;
}

/** The value user space passes: `common` (must be zero) and the struct's members. */
export interface StructOpsValue {
  readonly common?: { readonly refcnt?: number; readonly state?: number };
  /** Function members hold program fds (0 = none); data members hold values. */
  readonly data: Readonly<Record<string, Val>>;
}

export type MapValue = StructOpsValue | Readonly<Record<string, Val>>;

export interface MapElemAttr {
  readonly map_fd: number;
  readonly key: number | string;
  readonly value?: MapValue;
  readonly flags?: number;
}

export interface LinkCreateAttr {
  readonly prog_fd?: number;
  /** For BPF_STRUCT_OPS: the struct_ops map (the kernel reads it from the same attr slot). */
  readonly map_fd?: number;
  readonly attach_type:
    'BPF_STRUCT_OPS' | 'BPF_TRACE_RAW_TP' | 'BPF_TRACE_FENTRY' | 'BPF_TRACE_KPROBE_MULTI';
  /** kprobe_multi.syms: the kernel functions to probe. */
  readonly syms?: readonly string[];
}

export interface LinkUpdateAttr {
  readonly link_fd: number;
  readonly new_map_fd?: number;
  readonly old_map_fd?: number;
  /** `BPF_F_REPLACE` = 4. */
  readonly flags?: number;
}

export interface LinkDetachAttr {
  readonly link_fd: number;
}

export interface ProgAssocAttr {
  readonly map_fd: number;
  readonly prog_fd: number;
  readonly flags?: number;
}

export interface ObjPinAttr {
  readonly bpf_fd: number;
  readonly pathname: string;
}

export interface ObjGetAttr {
  readonly pathname: string;
}

export interface GetFdByIdAttr {
  /** prog_id / map_id / link_id, by the command. */
  readonly id: number;
}

export type ByIdCmd = 'BPF_PROG_GET_FD_BY_ID' | 'BPF_MAP_GET_FD_BY_ID' | 'BPF_LINK_GET_FD_BY_ID';

export interface TestRunAttr {
  readonly prog_fd: number;
  readonly flags?: number;
}

export type BpfCommand =
  | { readonly cmd: 'BPF_PROG_LOAD'; readonly attr: ProgLoadAttr }
  | { readonly cmd: 'BPF_MAP_CREATE'; readonly attr: MapCreateAttr }
  | { readonly cmd: 'BPF_MAP_UPDATE_ELEM'; readonly attr: MapElemAttr }
  | { readonly cmd: 'BPF_MAP_DELETE_ELEM'; readonly attr: MapElemAttr }
  | { readonly cmd: 'BPF_MAP_LOOKUP_ELEM'; readonly attr: MapElemAttr }
  | { readonly cmd: 'BPF_LINK_CREATE'; readonly attr: LinkCreateAttr }
  | { readonly cmd: 'BPF_LINK_UPDATE'; readonly attr: LinkUpdateAttr }
  | { readonly cmd: 'BPF_LINK_DETACH'; readonly attr: LinkDetachAttr }
  | { readonly cmd: 'BPF_PROG_ASSOC_STRUCT_OPS'; readonly attr: ProgAssocAttr }
  /** v1 (RFC) of the series: the same command number, `struct_ops_assoc_prog {map_fd, prog_fd}`. */
  | { readonly cmd: 'BPF_STRUCT_OPS_ASSOCIATE_PROG'; readonly attr: ProgAssocAttr }
  | { readonly cmd: 'BPF_PROG_TEST_RUN'; readonly attr: TestRunAttr }
  | { readonly cmd: 'BPF_OBJ_PIN'; readonly attr: ObjPinAttr }
  | { readonly cmd: 'BPF_OBJ_GET'; readonly attr: ObjGetAttr }
  | { readonly cmd: ByIdCmd; readonly attr: GetFdByIdAttr };

export type BpfCmd = BpfCommand['cmd'];

/** `enum bpf_cmd` values (include/uapi/linux/bpf.h). */
export const BPF_CMD_NUMBER: Readonly<Record<BpfCmd, number>> = {
  BPF_MAP_CREATE: 0,
  BPF_MAP_LOOKUP_ELEM: 1,
  BPF_MAP_UPDATE_ELEM: 2,
  BPF_MAP_DELETE_ELEM: 3,
  BPF_PROG_LOAD: 5,
  BPF_OBJ_PIN: 6,
  BPF_OBJ_GET: 7,
  BPF_PROG_TEST_RUN: 10,
  BPF_PROG_GET_FD_BY_ID: 13,
  BPF_MAP_GET_FD_BY_ID: 14,
  BPF_LINK_CREATE: 28,
  BPF_LINK_UPDATE: 29,
  BPF_LINK_GET_FD_BY_ID: 30,
  BPF_LINK_DETACH: 34,
  BPF_PROG_ASSOC_STRUCT_OPS: 38,
  BPF_STRUCT_OPS_ASSOCIATE_PROG: 38,
};
