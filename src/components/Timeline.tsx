/** A scrubbable timeline over every kernel event, marking chapters, errors and oopses. */
import { memo } from 'react';
import type { Timeline as TimelineData } from '../store/timeline';
import { useSim } from '../store/storeContext';

export function Timeline() {
  const t = useSim((s) => s.timeline);
  const cursor = useSim((s) => s.cursor);
  const goto = useSim((s) => s.goto);
  const branch = useSim((s) => s.branch);
  const max = t.points.length - 1;
  return (
    <div className="timeline">
      <input
        type="range"
        min={0}
        max={max}
        value={cursor}
        onChange={(e) => goto(Number(e.target.value))}
        aria-label="Timeline"
        aria-valuetext={`point ${cursor} of ${max}`}
      />
      <TimelineMarks timeline={t} branchAfter={branch?.after ?? null} />
    </div>
  );
}

/**
 * The marks along the timeline: each step's end, chapters, errors and oopses. They change with
 * the timeline, not with the cursor, so stepping does not redraw them (hundreds of marks on a
 * long scenario).
 */
const TimelineMarks = memo(function TimelineMarks({
  timeline: t,
  branchAfter,
}: {
  timeline: TimelineData;
  /** Steps after this one are a branch (null: none). */
  branchAfter: number | null;
}) {
  const max = t.points.length - 1;
  const pct = (i: number) => (max === 0 ? 0 : (i / max) * 100);
  // A chapter's label takes at most the room up to the next chapter (cut short with …), so
  // chapters close together never print over each other.
  const chapterStarts = t.frames.flatMap((f, i) =>
    f.step.chapter ? [pct((t.stepStart[i] ?? 1) - 1)] : [],
  );
  const roomAfter = (start: number) => (chapterStarts.find((c) => c > start) ?? 100) - start;
  return (
    <div className="marks" aria-hidden="true">
      {t.frames.map((f, i) => {
        const at = pct(t.stepEnd[i] ?? 0);
        const start = pct((t.stepStart[i] ?? 1) - 1);
        const branchStep = branchAfter !== null && i > branchAfter;
        return (
          <span key={i}>
            {f.step.chapter ? (
              <span
                className="mark mark-chapter"
                style={{
                  left: `${start}%`,
                  maxWidth: `min(5.5rem, calc(${roomAfter(start)}% - 3px))`,
                }}
                title={f.step.chapter}
              >
                {f.step.chapter}
              </span>
            ) : null}
            <span
              className={`mark mark-step${branchStep ? ' mark-branch' : ''}`}
              style={{ left: `${at}%` }}
            />
            {f.result && f.result.ret < 0 ? (
              <span
                className="mark mark-error"
                style={{ left: `${at}%` }}
                title={`step ${i + 1}: ${f.result.errno ?? f.result.ret}`}
              />
            ) : null}
            {f.result?.oops ? (
              <span
                className="mark mark-oops"
                style={{ left: `${at}%` }}
                title={`step ${i + 1}: oops`}
              />
            ) : null}
          </span>
        );
      })}
    </div>
  );
});
