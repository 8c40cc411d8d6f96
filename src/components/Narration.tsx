/** What this step does and why, in words; and the kernel event the cursor stands on. */
import { useSim } from '../store/storeContext';
import { Prose } from './Prose';
import { StepResult } from './StepResult';

export function Narration() {
  const t = useSim((s) => s.timeline);
  const cursor = useSim((s) => s.cursor);
  const p = t.points[cursor];
  const frame = p && p.step >= 0 ? t.frames[p.step] : undefined;
  const ev = p?.ev ?? null;
  const result = frame?.result ?? null;
  const failed = result !== null && result.ret < 0;
  return (
    <section className="narration" aria-labelledby="narration-title">
      <h2 id="narration-title" className="visually-hidden">
        Narration
      </h2>
      <div data-testid="narration">
        {frame ? (
          <>
            {frame.step.chapter ? <p className="chapter">{frame.step.chapter}</p> : null}
            <p className="call">
              <code>{frame.label}</code>
              <StepResult result={result} />
              {result?.oops ? <span className="ret ret-err">{' kernel oops'}</span> : null}
            </p>
            {failed && result.reason ? (
              <p className="reason">
                <Prose text={result.reason} />
              </p>
            ) : null}
            <p className="say">
              <Prose text={frame.step.say} />
            </p>
            {frame.failures.length > 0 ? (
              <p className="reason">{`Expectation not met: ${frame.failures.join('; ')}`}</p>
            ) : null}
          </>
        ) : (
          <p className="say">The kernel has just booted: nothing is loaded.</p>
        )}
      </div>
      {ev ? (
        <p className="event-why" data-testid="event-why">
          <code>{ev.fn}</code>
          {': '}
          <Prose text={ev.why} />
        </p>
      ) : null}
    </section>
  );
}

/** Announces each step's change to screen readers. */
export function LiveAnnouncer() {
  const t = useSim((s) => s.timeline);
  const cursor = useSim((s) => s.cursor);
  const p = t.points[cursor];
  const frame = p && p.step >= 0 ? t.frames[p.step] : undefined;
  const text =
    !p || p.step < 0
      ? 'Initial state.'
      : p.ev
        ? `Step ${p.step + 1}: ${p.ev.fn}. ${p.ev.why}`
        : `Step ${p.step + 1}: ${frame?.label ?? ''}`;
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="announcer">
      {text}
    </div>
  );
}
