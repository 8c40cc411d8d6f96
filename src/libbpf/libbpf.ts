/**
 * A libbpf-style facade over the simulated kernel (tools/lib/bpf/libbpf.c, bpf.c): what scenario
 * authors and BPF developers think in. Return values follow libbpf: 0 or an fd on success, a
 * negative errno on failure (`libbpf_err`). Paths where libbpf refuses by itself make no
 * system call (e.g. `bpf_program__assoc_struct_ops` on a struct_ops program).
 */
import type { SysResult } from '../core/errno';
import { DEFAULT_PID } from '../core/machine';
import { compileBody } from '../core/prog/compile';
import type { ProgBody, Val } from '../core/types';
import type { MapDesc, ObjectDesc, SectionInfo } from './object';
import { parseSection } from './object';
import type { Sim } from './sim';
import { findStructOpsType } from '../core/register';
import { referencedMaps, structOpsUsers } from './relocations';
import { emptyRecord, own } from '../core/own';
import { retargetKfuncBody } from '../core/revisions/kfuncs';
import { revisionSpec } from '../core/revisions/spec';

const EINVAL = -22;
const EBUSY = -16;

export interface BpfProgram {
  /** The C name in the object (what bodies and struct_ops members refer to). */
  readonly name: string;
  /** The name the kernel sees (`prog_name`): the C name plus the instance suffix, if any. */
  readonly kname: string;
  readonly section: SectionInfo;
  readonly body: ProgBody;
  autoload: boolean;
  fd: number;
}

export interface BpfMapHandle {
  readonly name: string;
  /** The name the kernel sees (`map_name`). */
  readonly kname: string;
  readonly desc: MapDesc;
  fd: number;
}

export interface BpfLink {
  /** The link fd; -1 for a legacy struct_ops "link", whose destroy deletes the map element. */
  fd: number;
  readonly legacyMap: BpfMapHandle | null;
  destroyed: boolean;
}

export interface BpfObject {
  readonly name: string;
  readonly pid: number;
  readonly desc: ObjectDesc;
  readonly progs: ReadonlyMap<string, BpfProgram>;
  readonly maps: ReadonlyMap<string, BpfMapHandle>;
  /** The `.bss` map holding the globals, once loaded. */
  bss: BpfMapHandle | null;
  /** Links made by skeleton attach, destroyed by skeleton destroy. */
  readonly links: BpfLink[];
  loaded: boolean;
}

export interface OpenError {
  readonly err: number;
  readonly errors: readonly string[];
}

/** The label a frame carries: the call, with the object's names. */
const call = (fn: string, ...args: (string | number)[]) => `${fn}(${args.join(', ')})`;

/**
 * libbpf over one process of a simulated machine. Several instances (several loaders, as
 * with two scheduler instances) can share one {@link Sim}.
 */
export class Libbpf {
  constructor(
    readonly sim: Sim,
    readonly pid: number = DEFAULT_PID,
  ) {}

  private run(op: Parameters<Sim['run']>[0], label: string): SysResult {
    return this.sim.run(op, label);
  }

  /**
   * `bpf_object__open`: parses the object (compiles program bodies); no system call.
   * `instance` suffixes the names the kernel sees (`layered_2`), so that two loaded copies of
   * one object read apart in the views; bodies keep using the object's own names.
   */
  bpf_object__open(desc: ObjectDesc, instance?: string): BpfObject | OpenError {
    const k = (name: string) => (instance ? `${name}_${instance}` : name);
    const errors: string[] = [];
    const progs = new Map<string, BpfProgram>();
    const subprogs: Record<string, ProgBody['main']> = {};
    for (const [name, src] of Object.entries(desc.subprogs ?? {})) {
      const c = compileBody(retargetKfuncBody(src, this.sim.state.revision));
      if (c.ok) subprogs[name] = c.stmts;
      else errors.push(...c.errors.map((e) => `${name}: ${e.message}`));
    }
    for (const [name, p] of Object.entries(desc.progs)) {
      const section = parseSection(p.section);
      if (!section) {
        errors.push(`${name}: unknown section '${p.section}'`);
        continue;
      }
      const c = compileBody(retargetKfuncBody(p.body, this.sim.state.revision));
      if (!c.ok) {
        errors.push(...c.errors.map((e) => `${name}: ${e.message}`));
        continue;
      }
      progs.set(name, {
        name,
        kname: k(name),
        section,
        body: { main: c.stmts, subprogs },
        autoload: section.autoload,
        fd: -1,
      });
    }
    // bpf_object__collect_st_ops_relos: a struct_ops program may be reused by several maps,
    // but only for the same struct type and the same function-pointer member.
    const firstUse = new Map<string, { struct: string; member: string }>();
    for (const [name, m] of Object.entries(desc.maps ?? {})) {
      if (m.type !== 'struct_ops') continue;
      for (const [member, v] of Object.entries(m.members)) {
        if (typeof v !== 'string' || !progs.has(v)) continue;
        const prior = firstUse.get(v);
        if (!prior) firstUse.set(v, { struct: m.struct, member });
        else if (prior.struct !== m.struct || prior.member !== member) {
          errors.push(
            `struct_ops reloc ${name}: cannot use prog ${v} for func ptr ${member} (it is already ${prior.struct}.${prior.member})`,
          );
        }
      }
    }
    for (const [name, m] of Object.entries(desc.maps ?? {})) {
      if (m.type !== 'struct_ops') continue;
      const type = findStructOpsType(m.struct);
      if (!type) errors.push(`${name}: unknown struct_ops type ${m.struct}`);
      for (const [member, v] of Object.entries(m.members)) {
        const mem = type?.members.find((x) => x.name === member);
        if (type && !mem) errors.push(`${name}: ${m.struct} has no member ${member}`);
        if (
          mem?.kind === 'func' &&
          (typeof v !== 'string' || progs.get(v)?.section.type !== 'BPF_PROG_TYPE_STRUCT_OPS')
        ) {
          errors.push(`${name}.${member}: ${String(v)} is not a struct_ops program of this object`);
        }
      }
    }
    if (errors.length) {
      errors.forEach((e) => this.sim.warn(e));
      return { err: EINVAL, errors };
    }
    const maps = new Map<string, BpfMapHandle>(
      Object.entries(desc.maps ?? {}).map(([name, d]) => [
        name,
        { name, kname: k(name), desc: d, fd: -1 },
      ]),
    );
    return {
      name: k(desc.name),
      pid: this.pid,
      desc,
      progs,
      maps,
      bss: null,
      links: [],
      loaded: false,
    };
  }

  /** `bpf_object__load`: creates the maps, then loads every autoload program. */
  bpf_object__load(obj: BpfObject): number {
    if (obj.loaded) return EINVAL;
    const pid = this.pid;
    if (obj.desc.globals && Object.keys(obj.desc.globals).length > 0) {
      const name = `${obj.name}.bss`;
      const r = this.run(
        {
          op: 'bpf',
          pid,
          cmd: 'BPF_MAP_CREATE',
          attr: {
            map_type: 'BPF_MAP_TYPE_ARRAY',
            map_name: name,
            key_size: 4,
            value_size: 8 * Object.keys(obj.desc.globals).length,
            max_entries: 1,
            map_flags: ['BPF_F_MMAPABLE'],
          },
        },
        call('bpf_object__load', obj.name) + ` → create ${name}`,
      );
      if (r.ret < 0) return this.unload(obj, r.ret);
      obj.bss = { name, kname: name, desc: { type: 'array', max_entries: 1 }, fd: r.ret };
      const w = this.run(
        {
          op: 'bpf',
          pid,
          cmd: 'BPF_MAP_UPDATE_ELEM',
          attr: { map_fd: r.ret, key: 0, value: { ...obj.desc.globals } },
        },
        call('bpf_object__load', obj.name) + ` → initialise ${name}`,
      );
      if (w.ret < 0) return this.unload(obj, w.ret);
    }
    for (const m of obj.maps.values()) {
      const d = m.desc;
      const attr =
        d.type === 'struct_ops'
          ? {
              map_type: 'BPF_MAP_TYPE_STRUCT_OPS' as const,
              map_name: m.kname,
              key_size: 4,
              value_size: 8 * Object.keys(d.members).length + 8,
              max_entries: 1,
              map_flags: d.section === '.struct_ops.link' ? ['BPF_F_LINK'] : [],
              btf_vmlinux_value_type_id: d.struct,
            }
          : {
              map_type:
                d.type === 'array'
                  ? ('BPF_MAP_TYPE_ARRAY' as const)
                  : ('BPF_MAP_TYPE_HASH' as const),
              map_name: m.kname,
              key_size: d.key_size ?? 4,
              value_size: d.value_size ?? 8,
              max_entries: d.max_entries,
              map_flags: [...(d.flags ?? [])],
            };
      const r = this.run(
        { op: 'bpf', pid, cmd: 'BPF_MAP_CREATE', attr },
        call('bpf_object__load', obj.name) + ` → create ${m.kname}`,
      );
      if (r.ret < 0) return this.unload(obj, r.ret);
      m.fd = r.ret;
    }
    // The maps a program can name, and the struct_ops member each program fills: the same for
    // every program of the object, so found once (per program, a load of an object with many
    // programs and maps took time quadratic in its size).
    const named = new Map<string, number>();
    if (obj.bss) named.set('.bss', obj.bss.fd);
    for (const m of obj.maps.values()) if (m.desc.type !== 'struct_ops') named.set(m.name, m.fd);
    const users = structOpsUsers(obj.maps.values());
    for (const p of obj.progs.values()) {
      if (!p.autoload) continue;
      let attach: { attach_btf_id?: string; expected_attach_type?: string | number } = {};
      if (p.section.type === 'BPF_PROG_TYPE_STRUCT_OPS') {
        const user = users.get(p.name);
        if (!user) continue; // libbpf does not load struct_ops programs no map uses
        attach = { attach_btf_id: user.struct, expected_attach_type: user.index };
      } else if (p.section.target !== null && p.section.type === 'BPF_PROG_TYPE_TRACING') {
        attach = {
          attach_btf_id: p.section.target,
          expected_attach_type: p.section.expectedAttachType ?? '',
        };
      }
      const r = this.run(
        {
          op: 'bpf',
          pid,
          cmd: 'BPF_PROG_LOAD',
          attr: {
            prog_type: p.section.type,
            prog_name: p.kname,
            insns: p.body,
            fd_array: referencedMaps(p.body, named),
            ...(p.section.sleepable ? { prog_flags: ['BPF_F_SLEEPABLE' as const] } : {}),
            ...attach,
          },
        },
        call('bpf_object__load', obj.name) + ` → load ${p.kname}`,
      );
      if (r.ret < 0) {
        this.sim.warn(`prog '${p.name}': failed to load: ${r.reason ?? r.ret}`);
        return this.unload(obj, r.ret);
      }
      p.fd = r.ret;
    }
    obj.loaded = true;
    return 0;
  }

  private unload(obj: BpfObject, err: number): number {
    this.closeAll(obj, call('bpf_object__load', obj.name) + ' → clean up');
    return err;
  }

  private closeAll(obj: BpfObject, label: string): void {
    const fds = [
      obj.bss?.fd ?? -1,
      ...[...obj.maps.values()].map((m) => m.fd),
      ...[...obj.progs.values()].map((p) => p.fd),
    ];
    for (const fd of fds) if (fd >= 0) this.run({ op: 'close', pid: this.pid, fd }, label);
    if (obj.bss) obj.bss.fd = -1;
    obj.maps.forEach((m) => (m.fd = -1));
    obj.progs.forEach((p) => (p.fd = -1));
  }

  bpf_object__open_and_load(desc: ObjectDesc, instance?: string): BpfObject | OpenError {
    const obj = this.bpf_object__open(desc, instance);
    if ('err' in obj) return obj;
    const err = this.bpf_object__load(obj);
    return err < 0 ? { err, errors: [`load failed: ${err}`] } : obj;
  }

  bpf_program__fd(prog: BpfProgram): number {
    return prog.fd >= 0 ? prog.fd : EINVAL;
  }

  bpf_map__fd(map: BpfMapHandle): number {
    return map.fd >= 0 ? map.fd : EINVAL;
  }

  /**
   * `bpf_prog_assoc_struct_ops(prog_fd, map_fd, opts)` (bpf.c, LIBBPF_1.7.0): OPTS_VALID,
   * then the system call with `flags = OPTS_GET(opts, flags, 0)`; returns 0 or -errno.
   */
  bpf_prog_assoc_struct_ops(
    progFd: number,
    mapFd: number,
    opts?: {
      readonly sz?: number;
      readonly flags?: number;
      readonly [k: string]: number | undefined;
    },
    label?: string,
  ): number {
    if (
      opts &&
      Object.entries(opts).some(
        ([k, v]) => k !== 'sz' && k !== 'flags' && v !== undefined && v !== 0,
      )
    )
      return EINVAL;
    // The revision's UAPI: v1 is BPF_STRUCT_OPS_ASSOCIATE_PROG {map_fd, prog_fd} (no flags),
    // called as bpf_struct_ops_associate_prog(map_fd, prog_fd, opts).
    const rev = revisionSpec(this.sim.state.revision);
    if (!rev.uapi.hasFlags && (opts?.flags ?? 0) !== 0) {
      // OPTS_VALID: v1's opts end at sz, so a non-zero byte after it is refused by libbpf.
      this.sim.warn(`${rev.libbpf.low}: unknown non-zero opts field (v1 has no flags)`);
      return EINVAL;
    }
    const attr = rev.uapi.hasFlags
      ? { map_fd: mapFd, prog_fd: progFd, flags: opts?.flags ?? 0 }
      : { map_fd: mapFd, prog_fd: progFd };
    return this.run(
      { op: 'bpf', pid: this.pid, cmd: rev.uapi.cmd, attr },
      label ??
        (rev.libbpf.low === 'bpf_struct_ops_associate_prog'
          ? call(rev.libbpf.low, mapFd, progFd)
          : call(rev.libbpf.low, progFd, mapFd)),
    ).ret;
  }

  /** `bpf_program__assoc_struct_ops(prog, map, opts)` (libbpf.c): libbpf's own checks first. */
  bpf_program__assoc_struct_ops(
    prog: BpfProgram,
    map: BpfMapHandle,
    opts?: { readonly flags?: number },
  ): number {
    const rev = revisionSpec(this.sim.state.revision);
    if (!rev.libbpf.high) {
      // v1 and v2 have no bpf_program__assoc_struct_ops: the call becomes that revision's
      // low-level one, with none of libbpf's own checks (the kernel does them all).
      const low = rev.libbpf.low;
      return this.bpf_prog_assoc_struct_ops(
        prog.fd,
        map.fd,
        opts,
        low === 'bpf_struct_ops_associate_prog'
          ? call(low, `${map.kname} fd`, `${prog.kname} fd`)
          : call(low, `${prog.kname} fd`, `${map.kname} fd`),
      );
    }
    if (prog.fd < 0) {
      this.sim.warn(`prog '${prog.name}': can't associate BPF program without FD (was it loaded?)`);
      return EINVAL;
    }
    if (prog.section.type === 'BPF_PROG_TYPE_STRUCT_OPS') {
      this.sim.warn(`prog '${prog.name}': can't associate struct_ops program`);
      return EINVAL;
    }
    if (map.fd < 0) {
      this.sim.warn(`map '${map.name}': can't associate BPF map without FD (was it created?)`);
      return EINVAL;
    }
    if (map.desc.type !== 'struct_ops') {
      this.sim.warn(`map '${map.name}': can't associate non-struct_ops map`);
      return EINVAL;
    }
    return this.bpf_prog_assoc_struct_ops(
      prog.fd,
      map.fd,
      opts,
      call('bpf_program__assoc_struct_ops', prog.kname, map.kname),
    );
  }

  /**
   * `bpf_map__attach_struct_ops(map)`: updates the map with the program fds (this is where the
   * struct_ops programs get associated), then creates the link (BPF_F_LINK maps; -EBUSY from
   * the update is tolerated so a detached map can attach again). Legacy maps return a link
   * whose destroy deletes the map element.
   */
  bpf_map__attach_struct_ops(obj: BpfObject, map: BpfMapHandle): BpfLink | number {
    const d = map.desc;
    if (d.type !== 'struct_ops' || map.fd < 0) return EINVAL;
    const data = emptyRecord<Val>();
    for (const [member, v] of Object.entries(d.members)) {
      const prog = typeof v === 'string' ? obj.progs.get(v) : undefined;
      data[member] =
        prog !== undefined
          ? prog.fd
          : member.endsWith('cgroup_id') && typeof v === 'string'
            ? this.cgroupId(v)
            : v;
    }
    const label = call('bpf_map__attach_struct_ops', map.kname);
    const u = this.run(
      {
        op: 'bpf',
        pid: this.pid,
        cmd: 'BPF_MAP_UPDATE_ELEM',
        attr: { map_fd: map.fd, key: 0, value: { data } },
      },
      `${label} → update`,
    );
    const isLink = d.section === '.struct_ops.link';
    if (u.ret < 0 && !(isLink && u.ret === EBUSY)) return u.ret;
    if (!isLink) return { fd: -1, legacyMap: map, destroyed: false };
    const l = this.run(
      {
        op: 'bpf',
        pid: this.pid,
        cmd: 'BPF_LINK_CREATE',
        attr: { map_fd: map.fd, attach_type: 'BPF_STRUCT_OPS' },
      },
      `${label} → link`,
    );
    return l.ret < 0 ? l.ret : { fd: l.ret, legacyMap: null, destroyed: false };
  }

  /**
   * What a loader does for `ops->sub_cgroup_id` (scx_qmap's `-c`, the sub_sched selftest):
   * the cgroup's id is the inode number `stat(path)` reports. A cgroup that does not exist
   * yet is created first (`mkdir`), as the sub-scheduler selftest does.
   */
  cgroupId(path: string): number {
    const found = Object.entries(this.sim.state.cgroups).find(([, p]) => p === path);
    if (found) return Number(found[0]);
    const r = this.run({ op: 'cgroup_mkdir', path }, `mkdir ${path}; stat(${path}).st_ino`);
    return r.ret > 0 ? r.ret : 0;
  }

  /** `bpf_program__attach(prog)`: tp_btf, fentry and kprobe programs, by their section. */
  bpf_program__attach(prog: BpfProgram): BpfLink | number {
    if (prog.fd < 0) return EINVAL;
    const s = prog.section;
    const attach_type =
      s.type === 'BPF_PROG_TYPE_KPROBE'
        ? 'BPF_TRACE_KPROBE_MULTI'
        : s.expectedAttachType === 'BPF_TRACE_FENTRY'
          ? 'BPF_TRACE_FENTRY'
          : 'BPF_TRACE_RAW_TP';
    if (s.type !== 'BPF_PROG_TYPE_KPROBE' && s.type !== 'BPF_PROG_TYPE_TRACING') return EINVAL;
    const r = this.run(
      {
        op: 'bpf',
        pid: this.pid,
        cmd: 'BPF_LINK_CREATE',
        attr: {
          prog_fd: prog.fd,
          attach_type,
          ...(s.target && s.type === 'BPF_PROG_TYPE_KPROBE' ? { syms: [s.target] } : {}),
        },
      },
      call('bpf_program__attach', prog.kname),
    );
    return r.ret < 0 ? r.ret : { fd: r.ret, legacyMap: null, destroyed: false };
  }

  /** `bpf_link__destroy(link)`: closes the link fd (legacy struct_ops: deletes the element). */
  bpf_link__destroy(link: BpfLink): number {
    if (link.destroyed) return 0;
    link.destroyed = true;
    if (link.legacyMap) {
      return this.run(
        {
          op: 'bpf',
          pid: this.pid,
          cmd: 'BPF_MAP_DELETE_ELEM',
          attr: { map_fd: link.legacyMap.fd, key: 0 },
        },
        call('bpf_link__destroy', link.legacyMap.kname),
      ).ret;
    }
    return this.run(
      { op: 'close', pid: this.pid, fd: link.fd },
      call('bpf_link__destroy', `fd ${link.fd}`),
    ).ret;
  }

  /**
   * Skeleton `__attach()` (`bpf_object__attach_skeleton`): every loaded program with an
   * auto-attach section, then every struct_ops map whose `autoattach` is set (libbpf's default
   * for all of them, legacy `.struct_ops` maps included: update, `reg`, INUSE) through
   * `bpf_map__attach_struct_ops`.
   */
  skel_attach(obj: BpfObject): number {
    for (const p of obj.progs.values()) {
      if (p.fd < 0 || !p.section.autoattach) continue;
      const l = this.bpf_program__attach(p);
      if (typeof l === 'number') return l;
      obj.links.push(l);
    }
    for (const m of obj.maps.values()) {
      if (m.desc.type !== 'struct_ops' || m.desc.autoattach === false) continue;
      const l = this.bpf_map__attach_struct_ops(obj, m);
      if (typeof l === 'number') return l;
      obj.links.push(l);
    }
    return 0;
  }

  /** Skeleton `__destroy()`: destroys the links, then `bpf_object__close` (maps, then programs). */
  skel_destroy(obj: BpfObject): void {
    for (const l of obj.links) this.bpf_link__destroy(l);
    this.closeAll(obj, call('bpf_object__close', obj.name));
  }

  /** `bpf_prog_test_run_opts(prog_fd, opts)`: 0 or -errno; `retval` is what the program returned. */
  bpf_prog_test_run_opts(
    progFd: number,
    label?: string,
  ): { err: number; retval: Val; oops: string | null } {
    const r = this.run(
      { op: 'bpf', pid: this.pid, cmd: 'BPF_PROG_TEST_RUN', attr: { prog_fd: progFd } },
      label ?? call('bpf_prog_test_run_opts', progFd),
    );
    const retval = (r.out?.['retval'] ?? null) as Val;
    return { err: r.ret, retval, oops: r.oops ?? null };
  }

  /** User space writes a global through the skeleton's mmap'ed `.bss` (`skel->bss->name = v`). */
  set_global(obj: BpfObject, name: string, value: Val, index?: number): number {
    if (!obj.bss) return EINVAL;
    return this.run(
      {
        op: 'mem_write',
        pid: this.pid,
        map_fd: obj.bss.fd,
        field: name,
        value,
        ...(index !== undefined ? { index } : {}),
      },
      `skel->bss->${name}${index !== undefined ? `[${index}]` : ''} = ${JSON.stringify(value)}`,
    ).ret;
  }

  /** Reads a global from `.bss` (the mmap'ed view). */
  get_global(obj: BpfObject, name: string): Val | undefined {
    const entry = obj.bss ? this.sim.state.processes[this.pid]?.fds[obj.bss.fd] : undefined;
    return entry?.kind === 'map'
      ? own(this.sim.state.maps[entry.id]?.entries['0'], name)
      : undefined;
  }

  /** `close(fd)`. */
  close(fd: number, label?: string): number {
    return this.run({ op: 'close', pid: this.pid, fd }, label ?? call('close', fd)).ret;
  }
}

export function isOpenError(x: BpfObject | OpenError): x is OpenError {
  return 'err' in x;
}
