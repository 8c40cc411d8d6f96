/**
 * `BPF_PROG_LOAD` (kernel/bpf/syscall.c `bpf_prog_load`): checks the attach target, takes the
 * referenced maps into `used_maps` (as `resolve_pseudo_ldimm64` does), runs the verifier with
 * the `__prog` fix-up, and returns a program fd holding the first reference.
 */
import { findCallable } from '../callables';
import { castDraft } from 'immer';
import { KernelError, ok, type SysResult } from '../errno';
import { SYSCALL_C, VERIFIER_C } from '../files';
import { progRef } from '../names';
import { mapOf } from '../objects/access';
import { installFd, nextFd } from '../objects/fd';
import { bpf_map_get, bpf_map_put_temp } from '../objects/map';
import { verifyProgram } from '../prog/verifier';
import { kfuncMissingOn } from '../revisions/kfuncs';
import { findStructOps } from '../subsys/registry';
import type { Tx } from '../tx';
import type { ProgLoadAttr } from './attrs';
import { dropInflight, reject } from './common';
import { emptyRecord } from '../own';

const BY = 'bpf_prog_load';

function checkAttach(attr: ProgLoadAttr): { member: string | null } | string {
  switch (attr.prog_type) {
    case 'BPF_PROG_TYPE_STRUCT_OPS': {
      const type = attr.attach_btf_id ? findStructOps(attr.attach_btf_id) : undefined;
      if (!type)
        return `attach_btf_id must name a struct_ops type this kernel has (got ${String(attr.attach_btf_id)})`;
      const idx = attr.expected_attach_type;
      const member = typeof idx === 'number' ? type.members[idx] : undefined;
      if (!member || member.kind !== 'func')
        return `${type.name} has no function member at index ${String(idx)}`;
      return { member: member.name };
    }
    case 'BPF_PROG_TYPE_TRACING':
      if (
        attr.expected_attach_type !== 'BPF_TRACE_RAW_TP' &&
        attr.expected_attach_type !== 'BPF_TRACE_FENTRY'
      ) {
        return 'a tracing program needs expected_attach_type BPF_TRACE_RAW_TP (tp_btf) or BPF_TRACE_FENTRY';
      }
      if (!attr.attach_btf_id)
        return 'a tracing program needs attach_btf_id (the tracepoint or function it attaches to)';
      return { member: null };
    default:
      return { member: null };
  }
}

export function bpf_prog_load(tx: Tx, attr: ProgLoadAttr): SysResult {
  return tx.in('bpf_prog_load', SYSCALL_C, () => {
    const attach = checkAttach(attr);
    if (typeof attach === 'string') return reject(tx, 'EINVAL', attach);
    const sleepable = attr.prog_flags?.includes('BPF_F_SLEEPABLE') ?? false;
    // check_attach_btf_id (verifier.c): "Syscall programs can only be sleepable".
    if (attr.prog_type === 'BPF_PROG_TYPE_SYSCALL' && !sleepable)
      return reject(tx, 'EINVAL', 'verifier: Syscall programs can only be sleepable');
    const used: number[] = [];
    const names = emptyRecord<number>();
    const putAll = () => used.forEach((m) => bpf_map_put_temp(tx, m, BY));
    for (const [name, fd] of Object.entries(attr.fd_array ?? {})) {
      const map = bpf_map_get(tx, fd, BY);
      if (map instanceof KernelError) {
        putAll();
        return reject(tx, map.errno, `map ${name}: ${map.reason}`);
      }
      if (used.includes(map)) {
        bpf_map_put_temp(tx, map, BY);
      } else {
        used.push(map);
      }
      names[name] = map;
    }
    const bss = names['.bss'];
    const globals = bss === undefined ? [] : Object.keys(mapOf(tx.state, bss).entries['0'] ?? {});
    const missing = kfuncMissingOn(tx.state.revision, attr.insns);
    if (missing) {
      putAll();
      return reject(tx, 'EINVAL', `verifier: ${missing}`);
    }
    const v = tx.in('bpf_check', VERIFIER_C, () =>
      verifyProgram({
        type: attr.prog_type,
        body: attr.insns,
        mapNames: Object.keys(names),
        globals,
        resolve: findCallable,
      }),
    );
    if (!v.ok) {
      putAll();
      return reject(tx, v.errno, `verifier: ${v.reason}`);
    }
    for (const f of v.fixups) {
      tx.in('fixup_kfunc_call', VERIFIER_C, () =>
        tx.emit({
          kind: 'verifier',
          field: f.param,
          before: 'what the program passed',
          after: 'env->prog->aux',
          why: `${f.kfunc}'s ${f.param} argument is rewritten to this program's aux (the __prog suffix).`,
        }),
      );
    }
    const id = tx.state.ids.prog + 1;
    const fd = nextFd(tx);
    tx.emit(
      {
        kind: 'alloc',
        target: progRef(id),
        field: 'refcnt',
        before: null,
        after: 1,
        why: `${attr.prog_name} is loaded (${attr.prog_type}) and published as fd ${fd}, which holds its first reference${used.length ? '; its used_maps keep the maps it references' : ''}.`,
      },
      (d) => {
        for (const m of used) dropInflight(BY, 'map', m)(d);
        d.ids.prog = id;
        d.progs[id] = {
          id,
          name: attr.prog_name,
          type: attr.prog_type,
          expected_attach_type: attr.expected_attach_type ?? null,
          attach_btf_name: attr.attach_btf_id ?? null,
          member: attach.member,
          refcnt: 1,
          aux: { st_ops_assoc: null, used_maps: used, map_names: names, fixups: [...v.fixups] },
          body: castDraft(attr.insns),
          lifecycle: 'live',
          sleepable,
          run_cnt: 0,
        };
        installFd(tx.pid, fd, { kind: 'prog', id })(d);
      },
    );
    return ok(fd);
  });
}
