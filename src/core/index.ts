/**
 * structops-lab's simulated kernel: a pure, deterministic model of BPF_PROG_ASSOC_STRUCT_OPS
 * as merged (v8), with the objects, references and deferred work around it.
 */
export { createKernel, step, replay, DEFAULT_PID } from './machine';
export type { Op, StepResult, Frame, KernelOptions } from './machine';
export type { KEvent, EventKind, ExecPoint } from './tx';
export { ERRNO, errnoName, formatRet } from './errno';
export type { Errno, SysResult } from './errno';
export { checkInvariants, findLeaks, isQuiescent } from './invariants';
export { holdersOf } from './refs';
export type { Holder, HolderKind } from './refs';
export { nameOf, assocText } from './names';
export { BPF_CMD_NUMBER } from './syscalls/attrs';
export type * from './syscalls/attrs';
export type * from './types';
