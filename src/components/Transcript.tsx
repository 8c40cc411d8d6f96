/**
 * The whole scenario as text, in a modal dialog: every step's call, what it returned and its
 * narration (React text only, never HTML), a button to show any step, and Copy.
 */
import { useMemo, useRef, useState } from 'react';
import { transcriptOf, transcriptText } from '../view/transcript';
import type { StepFrame } from '../scenario/run';
import { Prose } from './Prose';

export interface TranscriptProps {
  readonly title: string;
  readonly frames: readonly StepFrame[];
  /** Shows step `n` (1-based) in the viewer. */
  readonly onGo: (n: number) => void;
}

export function Transcript({ title, frames, onGo }: TranscriptProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const entries = useMemo(() => transcriptOf(frames), [frames]);
  const [copied, setCopied] = useState('');
  const copy = () => {
    const text = transcriptText(title, entries);
    const done = (msg: string) => setCopied(msg);
    if (typeof navigator.clipboard?.writeText !== 'function') return done('Copy is not available');
    navigator.clipboard.writeText(text).then(
      () => done('Copied'),
      () => done('Copy was refused'),
    );
  };
  return (
    <>
      <button
        type="button"
        className="head-button"
        aria-haspopup="dialog"
        onClick={() => {
          setCopied('');
          dialog.current?.showModal();
        }}
      >
        Transcript
      </button>
      <dialog
        ref={dialog}
        className="transcript"
        aria-labelledby="transcript-title"
        data-testid="transcript"
        onClick={(e) => {
          // A click on the backdrop (the dialog element itself) closes it.
          if (e.target === dialog.current) dialog.current.close();
        }}
        // Keys typed in the dialog are the dialog's: the viewer behind it does not step.
        onKeyDown={(e) => e.stopPropagation()}
      >
        <div className="transcript-head">
          <h2 id="transcript-title">{`Transcript: ${title}`}</h2>
          <span className="transcript-tools">
            <span role="status" className="hint">
              {copied}
            </span>
            <button type="button" onClick={copy}>
              Copy as text
            </button>
            <button type="button" onClick={() => dialog.current?.close()}>
              Close
            </button>
          </span>
        </div>
        <ol className="transcript-steps">
          {entries.map((e) => (
            <li key={e.n} data-testid="transcript-step">
              {e.chapter ? <h3 className="transcript-chapter">{e.chapter}</h3> : null}
              <p className="call">
                <span className="step-n">{`${e.n}.`}</span>
                <code>{e.label}</code>
                {e.ret !== null ? (
                  <span className={e.failed ? 'ret ret-err' : 'ret ret-ok'}>{` = ${e.ret}`}</span>
                ) : null}{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    onGo(e.n);
                    dialog.current?.close();
                  }}
                >{`Show step ${e.n}`}</button>
              </p>
              {e.reason ? (
                <p className="reason">
                  <Prose text={e.reason} />
                </p>
              ) : null}
              <p className="say">
                <Prose text={e.say} />
              </p>
            </li>
          ))}
        </ol>
      </dialog>
    </>
  );
}
