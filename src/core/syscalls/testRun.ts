/**
 * `BPF_PROG_TEST_RUN` (kernel/bpf/syscall.c `bpf_prog_test_run`, net/bpf/test_run.c): runs a
 * syscall program synchronously in the calling task and writes its return to `test.retval`.
 * Program types without a test_run for this model's attach points return -ENOTSUPP, as the
 * kernel does when `prog->aux->ops->test_run` is absent or the attach type is unsupported.
 */
import { findCallable } from '../callables';
import { KernelError, ok, type SysResult } from '../errno';
import { SYSCALL_C, TEST_RUN_C } from '../files';
import { progOf } from '../objects/access';
import { bpf_prog_get, bpf_prog_put_temp } from '../objects/prog';
import { runProgram, show } from '../prog/exec';
import type { Tx } from '../tx';
import type { TestRunAttr } from './attrs';
import { reject } from './common';

const BY = 'bpf_prog_test_run';

export function bpf_prog_test_run(tx: Tx, attr: TestRunAttr): SysResult {
  return tx.in('bpf_prog_test_run', SYSCALL_C, () => {
    const prog = bpf_prog_get(tx, attr.prog_fd, BY);
    if (prog instanceof KernelError) return reject(tx, prog.errno, prog.reason);
    const p = progOf(tx.state, prog);
    if (p.type !== 'BPF_PROG_TYPE_SYSCALL') {
      bpf_prog_put_temp(tx, prog, BY);
      return reject(
        tx,
        'ENOTSUPP',
        `BPF_PROG_TEST_RUN does not run ${p.type} programs attached like ${p.name} (no test_run for it).`,
      );
    }
    if ((attr.flags ?? 0) !== 0) {
      bpf_prog_put_temp(tx, prog, BY);
      return reject(tx, 'EINVAL', 'A syscall program takes no test-run flags.');
    }
    const task = tx.state.tasks[tx.pid] ?? null;
    const run = tx.in('bpf_prog_test_run_syscall', TEST_RUN_C, () =>
      runProgram(tx, findCallable, prog, task),
    );
    bpf_prog_put_temp(tx, prog, BY);
    if (run.oops) return { ret: 0, oops: run.oops.msg, out: { retval: null } };
    const retval = typeof run.ret === 'number' ? run.ret : show(run.ret);
    return ok(0, { retval });
  });
}
