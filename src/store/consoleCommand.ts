/**
 * The console's little language: one line → one scenario step (the same steps scenario files
 * use, validated the same way). Pure.
 */
import type { Scenario, Step } from '../scenario/schema';

export type Command =
  { kind: 'step'; step: Step } | { kind: 'help' } | { kind: 'error'; message: string };

export const HELP_TEXT = [
  'assoc <prog> <map> [flags]   BPF_PROG_ASSOC_STRUCT_OPS (the raw command)',
  'libbpf-assoc <prog> <map>    bpf_program__assoc_struct_ops (libbpf checks first)',
  'run <prog>                   BPF_PROG_TEST_RUN',
  'attach <map|prog>            attach a struct_ops map, or a tracing program',
  'detach <link> | destroy <link>',
  'close <fd> | close prog|map|link <name>',
  'lookup <map> [key] | delete <map> [key]',
  'set <global>[i] <value>      write a global (.bss)',
  'syscall [task] | hit <function> <task>',
  'advance <duration> | drain | settle',
  'help',
].join('\n');

const say = (text: string) => `console: ${text}`;

function num(s: string | undefined): number | null {
  if (s === undefined || !/^-?(0x[0-9a-f]+|\d+)$/i.test(s)) return null;
  return Number(s);
}

/** Parses one console line in the context of a scenario (for name kinds). */
export function parseCommand(text: string, scenario: Scenario): Command {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [verb, ...args] = words;
  const base = { say: say(text.trim()) };
  const need = (n: number, usage: string): Command | null =>
    args.length < n ? { kind: 'error', message: `usage: ${usage}` } : null;
  const isMap = (name: string) =>
    Object.entries(scenario.objects).some(([, o]) =>
      Object.keys(o.maps ?? {}).some((m) => (o.instance ? `${m}_${o.instance}` : m) === name),
    );
  switch (verb) {
    case undefined:
      return { kind: 'error', message: 'type a command, or help' };
    case 'help':
      return { kind: 'help' };
    case 'assoc': {
      const bad = need(2, 'assoc <prog> <map> [flags]');
      if (bad) return bad;
      const flags = num(args[2]);
      if (args[2] !== undefined && flags === null)
        return { kind: 'error', message: 'usage: assoc <prog> <map> [flags] (flags is a number)' };
      return {
        kind: 'step',
        step: {
          op: 'bpf_prog_assoc_struct_ops',
          prog_fd: args[0] ?? '',
          map_fd: args[1] ?? '',
          ...(flags !== null ? { flags } : {}),
          ...base,
        },
      };
    }
    case 'libbpf-assoc':
      return (
        need(2, 'libbpf-assoc <prog> <map>') ?? {
          kind: 'step',
          step: { op: 'assoc', prog: args[0] ?? '', map: args[1] ?? '', ...base },
        }
      );
    case 'run':
      return (
        need(1, 'run <prog>') ?? {
          kind: 'step',
          step: { op: 'test_run', prog: args[0] ?? '', ...base },
        }
      );
    case 'attach': {
      const bad = need(1, 'attach <map|prog>');
      if (bad) return bad;
      const name = args[0] ?? '';
      return {
        kind: 'step',
        step: isMap(name)
          ? { op: 'attach_struct_ops', map: name, ...base }
          : { op: 'attach', prog: name, ...base },
      };
    }
    case 'detach':
      return (
        need(1, 'detach <link>') ?? {
          kind: 'step',
          step: { op: 'link_detach', link: args[0] ?? '', ...base },
        }
      );
    case 'destroy':
      return (
        need(1, 'destroy <link>') ?? {
          kind: 'step',
          step: { op: 'link_destroy', link: args[0] ?? '', ...base },
        }
      );
    case 'close': {
      const bad = need(1, 'close <fd> | close prog|map|link <name>');
      if (bad) return bad;
      const fd = num(args[0]);
      if (fd !== null) return { kind: 'step', step: { op: 'close', fd, ...base } };
      const [what, name] = args;
      if ((what === 'prog' || what === 'map' || what === 'link') && name)
        return { kind: 'step', step: { op: 'close', [what]: name, ...base } };
      return { kind: 'error', message: 'usage: close <fd> | close prog|map|link <name>' };
    }
    case 'lookup':
    case 'delete': {
      const bad = need(1, `${verb} <map> [key]`);
      if (bad) return bad;
      const key = num(args[1]) ?? args[1] ?? 0;
      return {
        kind: 'step',
        step: {
          op: verb === 'lookup' ? 'map_lookup' : 'map_delete',
          map: args[0] ?? '',
          key,
          ...base,
        },
      };
    }
    case 'set': {
      const bad = need(2, 'set <global>[i] <value>');
      if (bad) return bad;
      const m = /^([A-Za-z_]\w*)(?:\[(\d+)\])?$/.exec(args[0] ?? '');
      const value = num(args[1]);
      if (!m || value === null)
        return { kind: 'error', message: 'usage: set <global>[i] <value> (a number)' };
      return {
        kind: 'step',
        step: {
          op: 'write_global',
          name: m[1] ?? '',
          value,
          ...(m[2] !== undefined ? { index: Number(m[2]) } : {}),
          ...base,
        },
      };
    }
    case 'syscall': {
      const t = args[0];
      const tid = num(t);
      return {
        kind: 'step',
        step: { op: 'syscall', ...(t !== undefined ? { task: tid ?? t } : {}), ...base },
      };
    }
    case 'hit': {
      const bad = need(2, 'hit <function> <task>');
      if (bad) return bad;
      return {
        kind: 'step',
        step: {
          op: 'kernel_func',
          func: args[0] ?? '',
          task: num(args[1]) ?? args[1] ?? '',
          ...base,
        },
      };
    }
    case 'advance': {
      const bad = need(1, 'advance <duration>, e.g. 500ms');
      if (bad) return bad;
      const d = args.join('');
      const n = num(d);
      if (n === null && !/^\d+(\.\d+)?(ns|us|µs|ms|s)$/.test(d))
        return { kind: 'error', message: 'a duration such as 500ms, 1s, 20us or a number of ns' };
      return { kind: 'step', step: { op: 'advance', by: n ?? d, ...base } };
    }
    case 'drain':
      return { kind: 'step', step: { op: 'drain', ...base } };
    case 'settle':
      return { kind: 'step', step: { op: 'settle', ...base } };
    default:
      return { kind: 'error', message: `unknown command '${verb}'; type help` };
  }
}
