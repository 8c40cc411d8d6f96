/** Steps on BPF objects as a skeleton sees them: open, load, autoload and globals. */
import { ERRNO } from '../../core/errno';
import { isOpenError, type BpfObject } from '../../libbpf/libbpf';
import type { ObjectDesc } from '../../libbpf/object';
import { own } from '../../core/own';
import type { Scenario } from '../schema';
import type { RunContext } from './context';
import type { StepHandlers } from './handler';

function toDesc(name: string, o: Scenario['objects'][string]): ObjectDesc {
  // The schema checked the shapes; its inferred types are looser than ObjectDesc's in places
  // (statement lists are `unknown[]` because they are recursive).
  const desc: { -readonly [K in keyof ObjectDesc]?: ObjectDesc[K] } = {
    name,
    progs: o.progs as ObjectDesc['progs'],
  };
  if (o.globals) desc.globals = o.globals;
  if (o.maps) desc.maps = o.maps as NonNullable<ObjectDesc['maps']>;
  if (o.subprogs) desc.subprogs = o.subprogs as NonNullable<ObjectDesc['subprogs']>;
  return desc as ObjectDesc;
}

/** `<object>__open()`: the object, or the error libbpf returned. */
function open(object: string, ctx: RunContext): BpfObject | number {
  const spec = own(ctx.scenario.objects, object);
  if (!spec) return -ERRNO.EINVAL;
  const obj = ctx.libOfObject(object).bpf_object__open(toDesc(object, spec), spec.instance);
  if (isOpenError(obj)) return obj.err;
  for (const p of spec.autoload ?? []) {
    const prog = obj.progs.get(p);
    if (prog) prog.autoload = true;
  }
  ctx.objects.set(object, obj);
  return obj;
}

/** `<object>__load()`, remembering its .bss map. */
function load(object: string, obj: BpfObject, ctx: RunContext): number {
  const err = ctx.libOfObject(object).bpf_object__load(obj);
  ctx.recordBss(object, obj);
  return err;
}

export const objectSteps: StepHandlers<
  'open' | 'open_and_load' | 'load' | 'set_autoload' | 'write_global'
> = {
  open: (step, ctx) => {
    const obj = open(step.object, ctx);
    return typeof obj === 'number' ? obj : 0;
  },
  open_and_load: (step, ctx) => {
    const obj = open(step.object, ctx);
    return typeof obj === 'number' ? obj : load(step.object, obj, ctx);
  },
  load: (step, ctx) => {
    const obj = ctx.objects.get(step.object);
    return obj ? load(step.object, obj, ctx) : ctx.noObject(step.object);
  },
  set_autoload: (step, ctx) => {
    const { it: prog } = ctx.progOf(step.prog);
    if (!prog) return ctx.noObject(step.prog);
    prog.autoload = step.value;
    return 0;
  },
  write_global: (step, ctx) => {
    const key =
      step.object ??
      Object.entries(ctx.scenario.objects).find(
        ([, o]) => o.globals && Object.hasOwn(o.globals, step.name),
      )?.[0];
    const obj = key ? ctx.objects.get(key) : undefined;
    if (!obj || !key) return ctx.noObject(step.name);
    return ctx.libOfObject(key).set_global(obj, step.name, step.value, step.index);
  },
};
