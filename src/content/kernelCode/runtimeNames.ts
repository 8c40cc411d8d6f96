/**
 * Pseudo-code for kernel functions whose names the core builds at run time: a struct_ops
 * type's `.reg`/`.unreg`/`.update`, sched_ext's `SCX_CALL_OP`, the struct_ops trampolines, and
 * the call sites tracing programs attach to.
 */
import {
  EXT_C,
  L,
  SIMULATED_CALL_SITE,
  STRUCT_OPS_C,
  TESTMOD_C,
  TRAMPOLINE_C,
  any,
  calls,
  code,
  ev,
  on,
  weak,
  type KernelFunctionCode,
} from './dsl';

/** `.reg`/`.unreg` of each struct_ops type: the `struct bpf_struct_ops` table naming them. */
const ST_OPS_TABLES: ReadonlyMap<string, { var: string; prefix: string; file: string }> = new Map([
  ['sched_ext_ops', { var: 'bpf_sched_ext_ops', prefix: 'bpf_scx', file: EXT_C }],
  [
    'bpf_testmod_multi_st_ops',
    { var: 'testmod_multi_st_ops', prefix: 'multi_st_ops', file: TESTMOD_C },
  ],
]);

export function stOpsOpCode(type: string, op: string): KernelFunctionCode {
  const t = ST_OPS_TABLES.get(type) ?? { var: `bpf_${type}`, prefix: type, file: STRUCT_OPS_C };
  const impl = (o: string) => `${t.prefix}_${o}`;
  return code(`${type}.${op}`, t.file, [
    L(`static struct bpf_struct_ops ${t.var} = {      /* st_ops->${op}(kdata, link) */`),
    L(`  .reg = ${impl('reg')},`, ...(op === 'reg' ? [calls(/./), weak(on(any))] : [])),
    L(`  .unreg = ${impl('unreg')},`, ...(op === 'unreg' ? [calls(/./), weak(on(any))] : [])),
    L(`  .update = ${impl('update')},`, ...(op === 'update' ? [calls(/./), weak(on(any))] : [])),
    L(`  .name = "${type}",`),
    L('};'),
  ]);
}

export function scxCallOpCode(name: string, op: string): KernelFunctionCode {
  return code(name, EXT_C, [
    L(`SCX_CALL_OP(sch, SCX_KF_REST, ${op}, rq, ...)     /* the core scheduler calls ops.${op} */`),
    L(`  if (!SCX_HAS_OP(sch, ${op}))`),
    L(
      '    return;                           /* not implemented: the core skips it */',
      on(ev('check', { target: null })),
    ),
    L('  update_locked_rq(rq);'),
    L(
      `  sch->ops.${op}(args);                /* the BPF program in that kdata slot */`,
      calls(/./),
      on(ev(['check', 'oops'])),
    ),
    L('  update_locked_rq(NULL);'),
  ]);
}

export function trampolineCode(name: string, member: string): KernelFunctionCode {
  return code(name, TRAMPOLINE_C, [
    L(`/* the struct_ops trampoline behind .${member} (bpf_struct_ops_prepare_trampoline) */`),
    L('start = __bpf_prog_enter_recur(prog, &run_ctx);   /* nested on this CPU: skipped */'),
    L('if (start)'),
    L('  ret = prog->bpf_func(args, prog->insnsi);', calls(/./), weak(on(any))),
    L('__bpf_prog_exit_recur(prog, start, &run_ctx);'),
    L('return ret;'),
  ]);
}

export function callSiteCode(name: string): KernelFunctionCode {
  return code(name, SIMULATED_CALL_SITE, [
    L(
      `${name}(...)                 /* a kernel function with BPF programs attached */`,
      on(ev('call')),
    ),
    L('  /* fentry: its BPF trampoline runs the programs before the body */'),
    L('  __bpf_prog_enter(prog, &run_ctx);  prog->bpf_func(ctx, prog->insnsi);', calls(/./)),
    L('  /* kprobe_multi: the fprobe entry handler → bpf_prog_run(link->link.prog, regs) */'),
    L('  /* ... then the function body runs */', weak(on(any))),
  ]);
}
