/** Associating a program with a struct_ops map: through libbpf, or the raw command. */
import type { StepHandlers } from './handler';

export const associationSteps: StepHandlers<'assoc' | 'bpf_prog_assoc_struct_ops'> = {
  assoc: (step, ctx) => {
    const p = ctx.progOf(step.prog);
    const m = ctx.mapOf(step.map);
    if (!p.it || !m.it) return ctx.noObject(`${step.prog} or ${step.map}`);
    return p.lib.bpf_program__assoc_struct_ops(
      p.it,
      m.it,
      step.flags !== undefined ? { flags: step.flags } : undefined,
    );
  },
  bpf_prog_assoc_struct_ops: (step, ctx) => {
    const pfd = ctx.fds.resolve(step.prog_fd);
    const mfd = ctx.fds.resolve(step.map_fd);
    const place = typeof step.prog_fd === 'string' ? ctx.fds.place(step.prog_fd) : undefined;
    const lib = place ? ctx.libForPid(place.pid) : ctx.libFor();
    return lib.bpf_prog_assoc_struct_ops(
      pfd,
      mfd,
      step.flags !== undefined ? { flags: step.flags } : undefined,
    );
  },
};
