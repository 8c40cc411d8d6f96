/**
 * BPF object descriptions, as a BPF C file would define them: globals (`.bss`), maps
 * (array, hash, and struct_ops in `.struct_ops` / `.struct_ops.link`), programs with their
 * ELF section names (`syscall`, `tp_btf/sys_enter`, `fentry/nvidia_open`, `?kprobe/nvidia_poll`,
 * `struct_ops/test_1`) and bodies, and static subprograms (e.g. timer callbacks).
 */
import type { SrcStmt } from '../core/prog/ast';
import type { ProgType, Val } from '../core/types';

export interface StructOpsMapDesc {
  readonly type: 'struct_ops';
  /** `.struct_ops.link` (BPF_F_LINK, attached by a link) or `.struct_ops` (legacy). */
  readonly section: '.struct_ops.link' | '.struct_ops';
  /** The struct_ops type: `bpf_testmod_multi_st_ops`, `sched_ext_ops`. */
  readonly struct: string;
  /** Function members → program names; data members → values. */
  readonly members: Readonly<Record<string, Val>>;
  /**
   * `bpf_map__set_autoattach`: whether skeleton attach attaches the map. libbpf's
   * `init_struct_ops_maps` sets `map->autoattach = true` for every struct_ops map, legacy
   * `.struct_ops` ones included; absent means true.
   */
  readonly autoattach?: boolean;
}

export interface DataMapDesc {
  readonly type: 'array' | 'hash';
  readonly max_entries: number;
  readonly key_size?: number;
  readonly value_size?: number;
  readonly flags?: readonly string[];
}

export type MapDesc = StructOpsMapDesc | DataMapDesc;

export interface ProgDesc {
  /** ELF section name; a leading `?` means not loaded unless autoload is turned on. */
  readonly section: string;
  readonly body: readonly SrcStmt[];
}

export interface ObjectDesc {
  readonly name: string;
  readonly globals?: Readonly<Record<string, Val>>;
  readonly maps?: Readonly<Record<string, MapDesc>>;
  readonly progs: Readonly<Record<string, ProgDesc>>;
  readonly subprogs?: Readonly<Record<string, readonly SrcStmt[]>>;
}

/** What libbpf's section_defs make of a section name. */
export interface SectionInfo {
  readonly type: ProgType;
  readonly expectedAttachType: string | null;
  /** The tracepoint or kernel function; null for syscall and struct_ops programs. */
  readonly target: string | null;
  readonly autoload: boolean;
  /** Whether skeleton attach attaches it (tp_btf, fentry, kprobe). */
  readonly autoattach: boolean;
  /** `SEC_SLEEPABLE` in libbpf's `section_defs`: loaded with BPF_F_SLEEPABLE. */
  readonly sleepable?: boolean;
}

/** Parses a section name as libbpf's `sec_def` table does; null if libbpf would not know it. */
export function parseSection(section: string): SectionInfo | null {
  const autoload = !section.startsWith('?');
  const sec = autoload ? section : section.slice(1);
  const [kind, target] = sec.split('/', 2) as [string, string | undefined];
  switch (kind) {
    case 'syscall':
      return target === undefined
        ? {
            type: 'BPF_PROG_TYPE_SYSCALL',
            expectedAttachType: null,
            target: null,
            autoload,
            autoattach: false,
            sleepable: true,
          }
        : null;
    case 'struct_ops':
    case 'struct_ops.s':
      return {
        type: 'BPF_PROG_TYPE_STRUCT_OPS',
        expectedAttachType: null,
        target: null,
        autoload,
        autoattach: false,
        sleepable: kind === 'struct_ops.s',
      };
    case 'tp_btf':
      return target
        ? {
            type: 'BPF_PROG_TYPE_TRACING',
            expectedAttachType: 'BPF_TRACE_RAW_TP',
            target,
            autoload,
            autoattach: true,
          }
        : null;
    case 'fentry':
      return target
        ? {
            type: 'BPF_PROG_TYPE_TRACING',
            expectedAttachType: 'BPF_TRACE_FENTRY',
            target,
            autoload,
            autoattach: true,
          }
        : null;
    case 'kprobe':
      return target
        ? {
            type: 'BPF_PROG_TYPE_KPROBE',
            expectedAttachType: null,
            target,
            autoload,
            autoattach: true,
          }
        : null;
    default:
      return null;
  }
}
