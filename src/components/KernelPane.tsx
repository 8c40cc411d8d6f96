/**
 * The kernel function acting in the current event, as short pseudo-code (our paraphrase, not
 * kernel source) with the current line highlighted and its file named; when a BPF program is
 * running, its body as C-like code with the current statement highlighted.
 */
import { useEffect, useRef, useState } from 'react';
import { useSim } from '../store/storeContext';
import { kernelPanePoint } from '../store/timeline';
import type { codeFor as CodeFor } from '../content/kernelCode';
import { currentLine, programLines } from '../content/programCode';

/**
 * The paraphrased kernel functions are a large table: they load after the page (a chunk of
 * their own, fetched once), so the first graph does not wait for them.
 */
let kernelCode: Promise<typeof CodeFor> | null = null;
function loadKernelCode(): Promise<typeof CodeFor> {
  kernelCode ??= import('../content/kernelCode').then((m) => m.codeFor);
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

/**
 * Scrolls `pre` so that its current line is in sight, from its start: back to the left edge
 * (the current line wraps in place), and down or up if the line is outside the box.
 */
function scrollLineIntoView(pre: HTMLElement, line: HTMLElement): void {
  if (pre.scrollLeft !== 0) pre.scrollLeft = 0;
  const top = line.offsetTop - pre.offsetTop;
  if (top < pre.scrollTop || top + line.offsetHeight > pre.scrollTop + pre.clientHeight)
    pre.scrollTop = Math.max(0, top - pre.clientHeight / 3);
}

/**
 * Brings a code view's current line into sight (see {@link scrollLineIntoView}) without
 * reading the layout while a step renders: reading it there made the browser lay the page out
 * once more on every step. An IntersectionObserver reports where the line is once the next
 * frame is laid out, and the view is scrolled then, only if it must be (a view scrolled
 * sideways, or a line out of the box). Without IntersectionObserver it scrolls at once.
 */
function useCurrentLineInView(key: string) {
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = pre.current;
    const line = el?.querySelector<HTMLElement>('.line-current');
    if (!el || !line) return;
    if (typeof IntersectionObserver === 'undefined') {
      scrollLineIntoView(el, line);
      return;
    }
    const seen = new IntersectionObserver(
      (entries) => {
        seen.disconnect();
        const at = entries[entries.length - 1];
        const box = at?.rootBounds;
        if (!at || !box) return;
        const r = at.boundingClientRect;
        if (el.scrollLeft !== 0 || r.top < box.top || r.bottom > box.bottom)
          scrollLineIntoView(el, line);
      },
      { root: el },
    );
    seen.observe(line);
    return () => seen.disconnect();
  }, [key]);
  return pre;
}

/**
 * Shows the event of the point under the cursor; at the end of a step (where stepping by step
 * lands), the step's key event instead (core/keyEvent.ts), so that a refused step shows the
 * function that refused rather than the reference it dropped on the way out. `point`, while a
 * lookup path plays, is the hop being drawn: the pane walks its lines in step with the graph.
 */
export function KernelPane({ point = null }: { point?: number | null }) {
  const p = useSim((s) => s.timeline.points[point ?? kernelPanePoint(s.timeline, s.cursor)]);
  const isKey = useSim((s) => point === null && kernelPanePoint(s.timeline, s.cursor) !== s.cursor);
  const ev = p?.ev ?? null;
  const codeFor = useCodeFor();
  const code = ev && codeFor ? codeFor(ev) : null;
  const codePre = useCurrentLineInView(`${code?.fn ?? ''}:${code?.current ?? -1}:${ev?.seq ?? -1}`);
  const exec = ev?.exec ?? null;
  const prog = exec ? p?.state.progs[exec.prog] : undefined;
  const lines = prog ? programLines(prog.name, prog.type, prog.body) : [];
  const cur = exec && prog ? currentLine(lines, exec) : -1;
  const progPre = useCurrentLineInView(`${prog?.id ?? -1}:${cur}`);
  return (
    <section
      className="kernel-pane"
      aria-labelledby="kernel-pane-title"
      data-testid="kernel-pane"
      data-function={code?.fn ?? ev?.fn ?? ''}
      data-key={isKey ? 'true' : 'false'}
      data-hop-following={point !== null ? 'true' : 'false'}
    >
      <h2 id="kernel-pane-title">Kernel</h2>
      {isKey && ev ? (
        <p className="key-note" data-testid="kernel-key-note">
          Key event of this step
        </p>
      ) : null}
      {code ? (
        <figure className="code" data-testid="kernel-code">
          <figcaption>
            <code>{code.fn}()</code> <span className="file">{code.file}</span>
          </figcaption>
          {/* Focusable: the code may scroll sideways, and keyboard users must be able to scroll it. */}
          <pre tabIndex={0} ref={codePre}>
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
          <pre tabIndex={0} ref={progPre}>
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
