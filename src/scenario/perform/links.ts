/** Steps that make, update, detach and destroy links. */
import type { StepHandlers } from './handler';

const show = (ref: string | number) => String(ref);

export const linkSteps: StepHandlers<
  | 'attach_struct_ops'
  | 'attach'
  | 'link_create'
  | 'skel_attach'
  | 'skel_destroy'
  | 'link_destroy'
  | 'link_detach'
  | 'link_update'
> = {
  attach_struct_ops: (step, ctx) => {
    const m = ctx.mapOf(step.map);
    if (!m.it || !m.obj) return ctx.noObject(step.map);
    return ctx.saveLink(
      step.as ?? `${step.map}_link`,
      m.lib,
      m.lib.bpf_map__attach_struct_ops(m.obj, m.it),
    );
  },
  attach: (step, ctx) => {
    const p = ctx.progOf(step.prog);
    if (!p.it) return ctx.noObject(step.prog);
    return ctx.saveLink(step.as ?? `${step.prog}_link`, p.lib, p.lib.bpf_program__attach(p.it));
  },
  link_create: (step, ctx) => {
    const pid = ctx.pidFor(step.process, step.map);
    const fd = ctx.run(
      {
        op: 'bpf',
        pid,
        cmd: 'BPF_LINK_CREATE',
        attr: { map_fd: ctx.fds.resolve(step.map), attach_type: 'BPF_STRUCT_OPS' },
      },
      `bpf_link_create(${show(step.map)}, 0, BPF_STRUCT_OPS)`,
    );
    if (fd >= 0)
      ctx.saveLink(step.as ?? `${show(step.map)}_link`, ctx.libForPid(pid), {
        fd,
        legacyMap: null,
        destroyed: false,
      });
    return fd;
  },
  skel_attach: (step, ctx, i) => {
    const obj = ctx.objects.get(step.object);
    if (!obj) return ctx.noObject(step.object);
    const lib = ctx.libOfObject(step.object);
    const before = obj.links.length;
    const err = lib.skel_attach(obj);
    const created = ctx.names.linksAt.get(i) ?? [];
    obj.links.slice(before).forEach((l, k) => {
      const n = created[k];
      if (n) ctx.saveLink(n, lib, l);
    });
    return err;
  },
  skel_destroy: (step, ctx) => {
    const obj = ctx.objects.get(step.object);
    if (!obj) return ctx.noObject(step.object);
    ctx.libOfObject(step.object).skel_destroy(obj);
    for (const l of ctx.links.values()) if (obj.links.includes(l.link)) l.link.destroyed = true;
    return 0;
  },
  link_destroy: (step, ctx) => {
    const l = ctx.links.get(step.link);
    return l ? l.lib.bpf_link__destroy(l.link) : ctx.noObject(step.link);
  },
  link_detach: (step, ctx) => {
    const l = ctx.links.get(step.link);
    if (!l) return ctx.noObject(step.link);
    return ctx.run(
      { op: 'bpf', pid: l.lib.pid, cmd: 'BPF_LINK_DETACH', attr: { link_fd: l.link.fd } },
      `bpf_link__detach(${step.link})`,
    );
  },
  link_update: (step, ctx) => {
    const l = ctx.links.get(step.link);
    const m = ctx.mapOf(step.map);
    if (!l || !m.it) return ctx.noObject(step.link);
    const old = step.old_map !== undefined ? ctx.mapOf(step.old_map).it : undefined;
    return ctx.run(
      {
        op: 'bpf',
        pid: l.lib.pid,
        cmd: 'BPF_LINK_UPDATE',
        attr: {
          link_fd: l.link.fd,
          new_map_fd: m.it.fd,
          ...(old ? { old_map_fd: old.fd, flags: 4 } : {}),
        },
      },
      `bpf_link__update_map(${step.link}, ${step.map})`,
    );
  },
};
