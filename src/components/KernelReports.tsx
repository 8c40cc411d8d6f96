/**
 * What the kernel's own tools said at this point of the run: kmemleak and KASAN reports, and
 * hazards at the event where the state went wrong (core/revisions/reports.ts). Newest first;
 * a report made by the current step is marked new. Each names the revision that fixed it.
 */
import { REVIEW_BUGS } from '../core/revisions/bugs';
import type { KernelReport } from '../core/types';

export function ReportList({
  reports,
  fresh,
}: {
  readonly reports: readonly KernelReport[];
  /** How many of the last reports the current step made. */
  readonly fresh: number;
}) {
  if (reports.length === 0) return null;
  return (
    <section className="kernel-reports" data-testid="kernel-reports" aria-label="Kernel reports">
      <h2>Kernel reports</h2>
      <ol>
        {reports
          .map((r, i) => ({ r, i }))
          .reverse()
          .map(({ r, i }) => {
            const bug = REVIEW_BUGS.find(
              (b) => b.kind === r.kind && b.revisions.includes(r.revision),
            );
            return (
              <li
                key={i}
                className={`report report-${r.tool.toLowerCase()}`}
                data-testid={`report.${r.tool}`}
                data-kind={r.kind}
                data-new={i >= reports.length - fresh ? 'true' : 'false'}
              >
                <p className="report-head">
                  <span className="report-tool">{r.tool}</span>
                  {i >= reports.length - fresh ? <span className="report-new">new</span> : null}
                  {bug?.inferred ? (
                    <span
                      className="report-inferred"
                      title="The mechanism is inferred from the code, not stated by a source"
                    >
                      inferred
                    </span>
                  ) : null}
                  <code>{r.title}</code>
                </p>
                <pre>{r.lines.filter((l) => !l.startsWith('why: ')).join('\n')}</pre>
                <p className="report-why">
                  {r.lines.find((l) => l.startsWith('why: '))?.slice(5)}
                  {r.fixedIn ? ` Fixed in ${r.fixedIn}.` : ''}
                </p>
              </li>
            );
          })}
      </ol>
    </section>
  );
}
