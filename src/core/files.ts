/** Kernel source files the simulated functions model, named in every event. */
export const SYSCALL_C = 'kernel/bpf/syscall.c';
export const CORE_C = 'kernel/bpf/core.c';
export const STRUCT_OPS_C = 'kernel/bpf/bpf_struct_ops.c';
export const HELPERS_C = 'kernel/bpf/helpers.c';
export const VERIFIER_C = 'kernel/bpf/verifier.c';
export const ARRAYMAP_C = 'kernel/bpf/arraymap.c';
export const HASHTAB_C = 'kernel/bpf/hashtab.c';
export const RCU_C = 'kernel/rcu/tree.c';
export const RCU_TASKS_H = 'kernel/rcu/tasks.h';
export const WORKQUEUE_C = 'kernel/workqueue.c';
export const TESTMOD_C = 'tools/testing/selftests/bpf/test_kmods/bpf_testmod.c';
export const EXT_C = 'kernel/sched/ext.c';
export const TRACE_C = 'kernel/trace/bpf_trace.c';
export const TEST_RUN_C = 'net/bpf/test_run.c';
