/**
 * Name checks for the steps of ops/schemas.ts, and for symbolic fds wherever a step takes an
 * fd, as the parser runs them: every problem is reported at the key that has it (line:column).
 * An fd name must be defined before the step that uses it.
 */
import type { NameTable } from '../names';
import type { Scenario, Step } from '../schema';
import { didYouMean } from '../suggest';

type Add = (path: (string | number)[], message: string) => void;

export class FdChecker {
  /** Names given by `as:` so far. */
  private readonly defined = new Set<string>();

  constructor(
    private readonly s: Scenario,
    private readonly names: NameTable,
  ) {}

  /** Whether `v` names an fd at this point: an `as:` name, a link, a program, a map, `<object>.bss`. */
  isFd(v: string, links: ReadonlySet<string>): boolean {
    if (this.defined.has(v) || links.has(v) || this.names.progs.has(v) || this.names.maps.has(v))
      return true;
    const obj = v.endsWith('.bss') ? v.slice(0, -'.bss'.length) : null;
    return obj !== null && Object.hasOwn(this.s.objects, obj);
  }

  private known(links: ReadonlySet<string>): string[] {
    return [
      ...this.defined,
      ...links,
      ...this.names.progs.keys(),
      ...this.names.maps.keys(),
      ...Object.keys(this.s.objects).map((o) => `${o}.bss`),
    ];
  }

  private fd(i: number, key: string, v: unknown, links: ReadonlySet<string>, add: Add): void {
    if (typeof v === 'string' && !this.isFd(v, links))
      add(['steps', i, key], `no fd named '${v}'${didYouMean(v, this.known(links))}`);
  }

  private process(i: number, key: string, v: string | undefined, add: Add): void {
    if (v !== undefined && !this.names.processes.has(v))
      add(['steps', i, key], `no process '${v}'${didYouMean(v, this.names.processes.keys())}`);
  }

  /** Checks step `i`; `links` are the link names earlier steps created. */
  step(step: Step, i: number, links: ReadonlySet<string>, add: Add): void {
    switch (step.op) {
      case 'link_create':
        this.fd(i, 'map', step.map, links, add);
        this.process(i, 'process', step.process, add);
        break;
      case 'dup':
      case 'obj_pin':
        this.fd(i, 'fd', step.fd, links, add);
        this.process(i, 'process', step.process, add);
        break;
      case 'send_fd':
        this.fd(i, 'fd', step.fd, links, add);
        this.process(i, 'process', step.process, add);
        this.process(i, 'to', step.to, add);
        break;
      case 'fork':
        this.process(i, 'process', step.process, add);
        break;
      case 'obj_get':
      case 'unlink':
        this.process(i, 'process', step.process, add);
        break;
      case 'get_fd_by_id': {
        this.process(i, 'process', step.process, add);
        const id = step.id;
        if (typeof id === 'string') {
          const table =
            step.type === 'prog'
              ? [...this.names.progs.keys()]
              : step.type === 'map'
                ? [...this.names.maps.keys()]
                : [...links];
          if (!table.includes(id))
            add(['steps', i, 'id'], `no ${step.type} '${id}'${didYouMean(id, table)}`);
        }
        break;
      }
      case 'close':
        this.fd(i, 'fd', step.fd, links, add);
        break;
      case 'map_update':
        this.valueFds(i, step.value, ['value'], links, add);
        break;
      default:
        break;
    }
    const oopsProg = step.expect?.oops_at?.prog;
    if (oopsProg !== undefined && !this.names.progs.has(oopsProg))
      add(
        ['steps', i, 'expect', 'oops_at', 'prog'],
        `no program '${oopsProg}'${didYouMean(oopsProg, this.names.progs.keys())}`,
      );
    if ('as' in step && typeof step.as === 'string' && step.op !== 'link_create')
      this.defined.add(step.as);
  }

  private valueFds(
    i: number,
    v: unknown,
    path: (string | number)[],
    links: ReadonlySet<string>,
    add: Add,
  ): void {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'fd' && typeof x === 'string' && !this.isFd(x, links))
        add(['steps', i, ...path, k], `no fd named '${x}'${didYouMean(x, this.known(links))}`);
      else this.valueFds(i, x, [...path, k], links, add);
    }
  }
}
