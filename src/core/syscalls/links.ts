/**
 * `BPF_LINK_CREATE`, `BPF_LINK_UPDATE`, `BPF_LINK_DETACH` (kernel/bpf/syscall.c `link_create`,
 * `link_update`, `link_detach`). struct_ops links are handled in structops/link.ts; tracing
 * programs attach through tp_btf (raw_tp link), fentry (tracing link) or kprobe_multi links,
 * and those links hold the program reference `bpf_prog_get` took.
 */
import { KernelError, ok, type SysResult } from '../errno';
import { SYSCALL_C, TRACE_C } from '../files';
import { linkRef } from '../names';
import { linkOf, progOf } from '../objects/access';
import { installFd, nextFd } from '../objects/fd';
import { bpf_link_get_from_fd, bpf_link_put_temp } from '../objects/link';
import { bpf_map_get, bpf_map_put_temp } from '../objects/map';
import { bpf_prog_get, bpf_prog_put_temp } from '../objects/prog';
import {
  bpf_struct_ops_link_create,
  bpf_struct_ops_map_link_detach,
  bpf_struct_ops_map_link_update,
} from '../structops/link';
import type { Tx } from '../tx';
import type { LinkType } from '../types';
import type { LinkCreateAttr, LinkDetachAttr, LinkUpdateAttr } from './attrs';
import { dropInflight, reject } from './common';

const BY = 'link_create';

export function link_create(tx: Tx, attr: LinkCreateAttr): SysResult {
  return tx.in('link_create', SYSCALL_C, () => {
    if (attr.attach_type === 'BPF_STRUCT_OPS') {
      const fd = attr.map_fd ?? attr.prog_fd;
      if (fd === undefined)
        return reject(tx, 'EBADF', 'BPF_STRUCT_OPS needs the struct_ops map fd.');
      return bpf_struct_ops_link_create(tx, fd);
    }
    const prog = bpf_prog_get(tx, attr.prog_fd ?? -1, BY);
    if (prog instanceof KernelError) return reject(tx, prog.errno, prog.reason);
    const p = progOf(tx.state, prog);
    let type: LinkType;
    let target: string | null;
    let fn: string;
    let file: string;
    if (attr.attach_type === 'BPF_TRACE_KPROBE_MULTI') {
      if (p.type !== 'BPF_PROG_TYPE_KPROBE') {
        bpf_prog_put_temp(tx, prog, BY);
        return reject(tx, 'EINVAL', `${p.name} is not a kprobe program.`);
      }
      const syms = attr.syms ?? [];
      if (syms.length !== 1 || !syms[0]) {
        bpf_prog_put_temp(tx, prog, BY);
        return reject(
          tx,
          'EINVAL',
          'kprobe_multi.syms must name the kernel function to probe (one, in this model).',
        );
      }
      [type, target, fn, file] = ['kprobe_multi', syms[0], 'bpf_kprobe_multi_link_attach', TRACE_C];
    } else {
      if (p.type !== 'BPF_PROG_TYPE_TRACING' || p.expected_attach_type !== attr.attach_type) {
        bpf_prog_put_temp(tx, prog, BY);
        return reject(
          tx,
          'EINVAL',
          `${p.name} was not loaded for ${attr.attach_type} (bpf_prog_attach_check_attach_type).`,
        );
      }
      const raw = attr.attach_type === 'BPF_TRACE_RAW_TP';
      [type, target, fn, file] = [
        raw ? 'raw_tp' : 'tracing',
        p.attach_btf_name,
        raw ? 'bpf_raw_tp_link_attach' : 'bpf_tracing_prog_attach',
        SYSCALL_C,
      ];
    }
    const id = tx.state.ids.link + 1;
    const fd = nextFd(tx);
    tx.in(fn, file, () =>
      tx.emit(
        {
          kind: 'link',
          target: linkRef(id),
          field: 'prog',
          before: null,
          after: p.name,
          why: `${p.name} is hooked to ${String(target)} through a ${type} link (fd ${fd}); the link keeps the reference bpf_prog_get took.`,
        },
        (d) => {
          dropInflight(BY, 'prog', prog)(d);
          d.ids.link = id;
          d.links[id] = { id, type, refcnt: 1, lifecycle: 'live', prog, map: null, target };
          installFd(tx.pid, fd, { kind: 'link', id })(d);
        },
      ),
    );
    return ok(fd);
  });
}

export function link_update(tx: Tx, attr: LinkUpdateAttr): SysResult {
  return tx.in('link_update', SYSCALL_C, () => {
    const flags = attr.flags ?? 0;
    if ((flags & ~4) !== 0) return reject(tx, 'EINVAL', 'Only BPF_F_REPLACE is accepted.');
    const link = bpf_link_get_from_fd(tx, attr.link_fd, 'link_update');
    if (link instanceof KernelError) return reject(tx, link.errno, link.reason);
    const done = (r: SysResult) => {
      bpf_link_put_temp(tx, link, 'link_update');
      return r;
    };
    if (linkOf(tx.state, link).type !== 'struct_ops') {
      return done(
        reject(
          tx,
          'EINVAL',
          `link#${link} (${linkOf(tx.state, link).type}) cannot be updated in this model (no update_prog).`,
        ),
      );
    }
    const newMap = bpf_map_get(tx, attr.new_map_fd ?? -1, 'link_update_map');
    if (newMap instanceof KernelError) return done(reject(tx, newMap.errno, newMap.reason));
    let oldMap: number | null = null;
    if (flags & 4) {
      const got = bpf_map_get(tx, attr.old_map_fd ?? -1, 'link_update_map(old)');
      if (got instanceof KernelError) {
        bpf_map_put_temp(tx, newMap, 'link_update_map');
        return done(reject(tx, got.errno, got.reason));
      }
      oldMap = got;
    } else if (attr.old_map_fd) {
      bpf_map_put_temp(tx, newMap, 'link_update_map');
      return done(reject(tx, 'EINVAL', 'old_map_fd is set without BPF_F_REPLACE.'));
    }
    const r = bpf_struct_ops_map_link_update(tx, link, newMap, oldMap);
    if (oldMap !== null) bpf_map_put_temp(tx, oldMap, 'link_update_map(old)');
    bpf_map_put_temp(tx, newMap, 'link_update_map');
    return done(r);
  });
}

export function link_detach(tx: Tx, attr: LinkDetachAttr): SysResult {
  return tx.in('link_detach', SYSCALL_C, () => {
    const link = bpf_link_get_from_fd(tx, attr.link_fd, 'link_detach');
    if (link instanceof KernelError) return reject(tx, link.errno, link.reason);
    const l = linkOf(tx.state, link);
    const r =
      l.type === 'struct_ops'
        ? bpf_struct_ops_map_link_detach(tx, link)
        : reject(
            tx,
            'EOPNOTSUPP',
            `A ${l.type} link has no detach operation; close its fd instead.`,
          );
    bpf_link_put_temp(tx, link, 'link_detach');
    return r;
  });
}
