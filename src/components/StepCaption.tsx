/**
 * What presentation mode and embeds show under the graph: the step's short caption, large,
 * with a small line above it naming the chapter and the call with its result. Before the
 * first step, the start hint instead (what to press). The full narration stays in the side
 * panel, the transcript and the speaker view.
 */
import { useSim } from '../store/storeContext';
import { captionOf } from '../scenario/caption';
import { Prose } from './Prose';
import { StepResult } from './StepResult';

export type HintMode = 'full' | 'embed' | 'present';

/** One line saying what to press, for each way the viewer is shown. */
export function StartHint({ mode }: { readonly mode: HintMode }) {
  return (
    <p className={`start-hint start-hint-${mode}`} data-testid="start-hint">
      {mode === 'present' ? (
        <>
          Press <kbd>→</kbd> to run step 1 · <kbd>Space</kbd> advances by itself
        </>
      ) : mode === 'embed' ? (
        <>
          Press <strong>Next step</strong> (<kbd>→</kbd>) to run step 1, or <strong>Play</strong>
        </>
      ) : (
        <>
          <span className="hint-keys">
            Press <kbd>→</kbd> to run step 1 · <kbd>Space</kbd> plays ·{' '}
            <span className="nowrap">
              <kbd>Shift</kbd>+<kbd>→</kbd>
            </span>{' '}
            one kernel event
          </span>
          <span className="hint-touch">
            Tap <strong>Next step</strong> to run step 1, or <strong>Play</strong>
          </span>
        </>
      )}
    </p>
  );
}

/**
 * The narration as presentation mode and embeds show it (`data-testid="narration"`, as in the
 * side panel): the caption, or the start hint before the first step.
 */
export function StepCaption({ mode }: { readonly mode: 'embed' | 'present' }) {
  const t = useSim((s) => s.timeline);
  const cursor = useSim((s) => s.cursor);
  const p = t.points[cursor];
  const frame = p && p.step >= 0 ? t.frames[p.step] : undefined;
  const result = frame?.result ?? null;
  const text = frame ? captionOf(frame.step) : null;
  return (
    <section className={`step-caption step-caption-${mode}`} aria-labelledby="caption-title">
      <h2 id="caption-title" className="visually-hidden">
        Caption
      </h2>
      <div data-testid="narration">
        {frame ? (
          <>
            <p className="caption-call">
              {frame.step.chapter ? (
                <span className="caption-chapter">{frame.step.chapter}</span>
              ) : null}
              <code>{frame.label}</code>
              <StepResult result={result} />
            </p>
            {text ? (
              <p className="caption-text" data-testid="caption">
                <Prose text={text} />
              </p>
            ) : null}
          </>
        ) : (
          <StartHint mode={mode} />
        )}
      </div>
    </section>
  );
}
