/**
 * The kernel function acting in the current event, as short pseudo-code (our paraphrase, not
 * kernel source) with the current line highlighted and its file named; when a BPF program is
 * running, its body as C-like code with the current statement highlighted.
 */
import { useEffect, useState } from 'react';
import { useSim } from '../app/storeContext';
import type { codeFor as CodeFor } from './kernelCode';
import { currentLine, programLines } from './programCode';

/**
 * The paraphrased kernel functions are a large table: they load after the page (a chunk of
 * their own, fetched once), so the first graph does not wait for them.
 */
let kernelCode: Promise<typeof CodeFor> | null = null;
function loadKernelCode(): Promise<typeof CodeFor> {
  kernelCode ??= import('./kernelCode').then((m) => m.codeFor);
  return kernelCode;
}

function useCodeFor(): typeof CodeFor | null {
  const [fn, setFn] = useState<typeof CodeFor | null>(null);
  useEffect(() => {
    let live = true;
    void loadKernelCode().then((f) => {
      if (live) setFn(() => f);
    });
    return () => {
      live = false;
    };
  }, []);
  return fn;
}

export function KernelPane() {
  const p = useSim((s) => s.timeline.points[s.cursor]);
  const ev = p?.ev ?? null;
  const codeFor = useCodeFor();
  const code = ev && codeFor ? codeFor(ev) : null;
  const exec = ev?.exec ?? null;
  const prog = exec ? p?.state.progs[exec.prog] : undefined;
  const lines = prog ? programLines(prog.name, prog.type, prog.body) : [];
  const cur = exec && prog ? currentLine(lines, exec) : -1;
  return (
    <section className="kernel-pane" aria-labelledby="kernel-pane-title">
      <h2 id="kernel-pane-title">Kernel</h2>
      {code ? (
        <figure className="code" data-testid="kernel-code">
          <figcaption>
            <code>{code.fn}()</code> <span className="file">{code.file}</span>
          </figcaption>
          {/* Focusable: the code may scroll sideways, and keyboard users must be able to scroll it. */}
          <pre tabIndex={0}>
            {code.lines.map((l, i) => (
              <span
                key={i}
                className={i === code.current ? 'line line-current' : 'line'}
                {...(i === code.current ? { 'aria-current': 'step' as const } : {})}
              >
                {`${l}\n`}
              </span>
            ))}
          </pre>
        </figure>
      ) : (
        <p className="hint">
          {ev && !codeFor
            ? 'Loading the kernel code…'
            : p && p.step >= 0
              ? 'This step made no system call.'
              : 'Step forward to watch the kernel work.'}
        </p>
      )}
      {prog && exec ? (
        <figure className="code code-prog" data-testid="program-code">
          <figcaption>
            <code>{prog.name}</code> <span className="file">{prog.type}</span>
          </figcaption>
          <pre tabIndex={0}>
            {lines.map((l, i) => (
              <span
                key={i}
                className={i === cur ? 'line line-current' : 'line'}
                {...(i === cur ? { 'aria-current': 'step' as const } : {})}
              >
                {`${'  '.repeat(l.indent)}${l.text}\n`}
              </span>
            ))}
          </pre>
        </figure>
      ) : null}
    </section>
  );
}
