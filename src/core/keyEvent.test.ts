import { describe, expect, it } from 'vitest';
import type { StepFrame } from '../scenario/run';
import { libraryRun } from '../testing/libraryRun';
import { keyEvent } from './keyEvent';
import type { KEvent } from './tx';
import type { KernelState } from './types';

function frames(id: string): readonly StepFrame[] {
  return libraryRun(id).frames;
}

function keyOf(id: string, step: number) {
  const f = frames(id)[step - 1];
  if (!f) throw new Error(`${id} has no step ${step}`);
  const before = frames(id)[step - 2]?.state;
  return keyEvent(f.events, f.result?.ret ?? null, before);
}

const STATE = { progs: {} } as unknown as KernelState;

/** A state with one program (id 1) whose association is `assoc`. */
function withAssoc(assoc: KernelState['progs'][number]['aux']['st_ops_assoc']): KernelState {
  return { progs: { 1: { id: 1, aux: { st_ops_assoc: assoc } } } } as unknown as KernelState;
}
function ev(partial: Partial<KEvent> & Pick<KEvent, 'kind' | 'fn'>): KEvent {
  return {
    seq: 0,
    file: 'kernel/bpf/syscall.c',
    stack: [],
    target: null,
    field: null,
    before: null,
    after: null,
    why: '',
    exec: null,
    state: STATE,
    ...partial,
  };
}

describe('keyEvent', () => {
  it('picks the association check that returned -EBUSY, not the closing bpf_prog_put', () => {
    const k = keyOf('scx-layered-refresh', 19);
    expect(k?.reason).toBe('errno');
    expect(k?.event.fn).toBe('bpf_prog_assoc_struct_ops');
  });

  it('picks the poisoning of the association, not bpf_struct_ops_link_create', () => {
    const k = keyOf('teach-poison', 6);
    expect(k?.reason).toBe('assoc');
    expect(k?.event.fn).toBe('bpf_prog_assoc_struct_ops');
    expect(k?.event.after).toBe('BPF_PTR_POISON');
  });

  it('picks the explicit error return of a refused command', () => {
    const k = keyOf('teach-ebusy', 5);
    expect(k?.reason).toBe('errno');
    expect(k?.event.kind).toBe('return');
    expect(k?.event.after).toBe('-EINVAL');
  });

  it('prefers the errno over an association the failed update made first', () => {
    const k = keyOf('teach-failed-update', 3);
    expect(k?.reason).toBe('errno');
    expect(k?.event.fn).toBe('bpf_struct_ops_map_update_elem');
  });

  it('picks the association write of a successful association', () => {
    const k = keyOf('scx-layered-refresh', 2);
    expect(k?.reason).toBe('assoc');
    expect(k?.event.fn).toBe('bpf_map_inc');
    expect(k?.event.stack).toContain('bpf_prog_assoc_struct_ops');
  });

  it('picks the kfunc lookup of a step that runs a program', () => {
    const k = keyOf('scx-layered-refresh', 24);
    expect(k?.reason).toBe('lookup');
    expect(k?.event.fn).toBe('bpf_prog_get_assoc_struct_ops');
  });

  it('picks the lookup that met BPF_PTR_POISON over the one that found its instance', () => {
    const k = keyOf('teach-poison', 7);
    expect(k?.reason).toBe('lookup');
    expect(k?.event.before).toBe('BPF_PTR_POISON');
  });

  it('picks the free when a close frees an object', () => {
    const k = keyOf('scx-layered-refresh', 25);
    expect(k?.reason).toBe('free');
    expect(k?.event.fn).toBe('bpf_link_free');
  });

  it('ranks an association write above an earlier free', () => {
    const events = [
      ev({ kind: 'free', fn: 'bpf_prog_free_deferred', state: withAssoc({ map: 2 }) }),
      ev({ kind: 'assoc', fn: 'bpf_prog_disassoc_struct_ops', state: withAssoc(null) }),
    ];
    expect(keyEvent(events, 0, withAssoc({ map: 2 }))).toMatchObject({ index: 1, reason: 'assoc' });
  });

  it('does not count an association written with the value it had', () => {
    const events = [
      ev({
        kind: 'assoc',
        fn: 'bpf_prog_assoc_struct_ops',
        field: 'st_ops_assoc',
        before: 'm',
        after: 'm',
      }),
      ev({ kind: 'refcnt', fn: 'bpf_prog_put' }),
    ];
    expect(keyEvent(events, 0)).toMatchObject({ index: 1, reason: 'last' });
  });

  it('falls back to the last event, and to null without events', () => {
    const events = [ev({ kind: 'syscall', fn: 'bpf' }), ev({ kind: 'refcnt', fn: 'bpf_map_put' })];
    expect(keyEvent(events, 3)).toMatchObject({ index: 1, reason: 'last' });
    expect(keyEvent([], -16)).toBeNull();
  });
});
