/**
 * Kernel source files the simulated functions model, named in every event (`KEvent.file`) and
 * by the pseudo-code the kernel pane shows (src/content/kernelCode). Paths are as in the
 * kernel tree (tools/lib/bpf for libbpf).
 */
export const SYSCALL_C = 'kernel/bpf/syscall.c';
export const CORE_C = 'kernel/bpf/core.c';
export const STRUCT_OPS_C = 'kernel/bpf/bpf_struct_ops.c';
export const HELPERS_C = 'kernel/bpf/helpers.c';
export const VERIFIER_C = 'kernel/bpf/verifier.c';
export const ARRAYMAP_C = 'kernel/bpf/arraymap.c';
export const HASHTAB_C = 'kernel/bpf/hashtab.c';
export const INODE_C = 'kernel/bpf/inode.c';
export const TRAMPOLINE_C = 'kernel/bpf/trampoline.c';
export const RCU_C = 'kernel/rcu/tree.c';
export const RCU_TASKS_H = 'kernel/rcu/tasks.h';
export const WORKQUEUE_C = 'kernel/workqueue.c';
export const TESTMOD_C = 'tools/testing/selftests/bpf/test_kmods/bpf_testmod.c';
export const EXT_C = 'kernel/sched/ext.c';
export const EXT_INTERNAL_H = 'kernel/sched/ext_internal.h';
export const TRACE_C = 'kernel/trace/bpf_trace.c';
export const TEST_RUN_C = 'net/bpf/test_run.c';
export const FILTER_H = 'include/linux/filter.h';
export const FILE_C = 'fs/file.c';
export const FILE_TABLE_C = 'fs/file_table.c';
export const OPEN_C = 'fs/open.c';
export const SCM_H = 'include/net/scm.h';
export const FORK_C = 'kernel/fork.c';
export const EXIT_C = 'kernel/exit.c';
export const CGROUP_C = 'kernel/cgroup/cgroup.c';
export const LIBBPF_C = 'tools/lib/bpf/libbpf.c';
export const RCUPDATE_WAIT_H = 'include/linux/rcupdate_wait.h';
export const WORKQUEUE_H = 'include/linux/workqueue.h';
export const HRTIMER_C = 'kernel/time/hrtimer.c';
export const KMEMLEAK_C = 'mm/kmemleak.c';

/** Every file above: the only files an event or a paraphrase may name. */
export const KERNEL_FILES: ReadonlySet<string> = new Set([
  SYSCALL_C,
  CORE_C,
  STRUCT_OPS_C,
  HELPERS_C,
  VERIFIER_C,
  ARRAYMAP_C,
  HASHTAB_C,
  INODE_C,
  TRAMPOLINE_C,
  RCU_C,
  RCU_TASKS_H,
  WORKQUEUE_C,
  TESTMOD_C,
  EXT_C,
  EXT_INTERNAL_H,
  TRACE_C,
  TEST_RUN_C,
  FILTER_H,
  FILE_C,
  FILE_TABLE_C,
  OPEN_C,
  SCM_H,
  FORK_C,
  EXIT_C,
  CGROUP_C,
  LIBBPF_C,
  RCUPDATE_WAIT_H,
  WORKQUEUE_H,
  HRTIMER_C,
  KMEMLEAK_C,
]);
