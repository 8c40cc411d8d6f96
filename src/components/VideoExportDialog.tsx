/**
 * "Export a video": a modal dialog (native <dialog>) that records a range of steps as a video
 * for slides. The user picks the steps (from/to, as the step counter numbers them), how long
 * each stays on screen, the frame size and whether the narration is written under the graph;
 * Record copies the steps from the viewer (which shows each in turn, then goes back to the
 * user's step), records them (src/export/recordVideo.ts, loaded on demand) and saves
 * `structops-lab_<scenario-id>_steps-<a>-<b>.webm` (`.mp4` where only MP4 can be recorded).
 * While it works: a progress bar (step k of n) and Cancel, which stops cleanly (no file, the
 * viewer back where it was). Escape closes the dialog (cancelling a recording); keys typed in
 * it do not reach the viewer behind it. Opened by the Export menu (./ExportMenu.tsx).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { downloadBlob } from '../export/download';
import { videoFileName } from '../export/fileName';
import type { VideoFormat } from '../export/videoFormat';
import {
  clampRange,
  clampSecondsPerStep,
  defaultRange,
  DEFAULT_SECONDS_PER_STEP,
  MAX_SECONDS_PER_STEP,
  MIN_SECONDS_PER_STEP,
  rangeSummary,
  VIDEO_SIZES,
} from '../export/videoRange';
import { isCancelled, type VideoSource } from '../export/videoSteps';
import './VideoExportDialog.css';

export interface VideoExportDialogProps {
  readonly open: boolean;
  readonly source: VideoSource;
  readonly format: VideoFormat;
  /** The viewer's graph SVG. */
  readonly findGraph: () => SVGSVGElement | null;
  /** The dialog closed (Escape, Close): the opener takes the focus back. */
  readonly onClose: () => void;
}

type Phase =
  | { readonly kind: 'idle' }
  | {
      readonly kind: 'preparing' | 'recording';
      readonly k: number;
      readonly n: number;
    };

const PHASE_TEXT = {
  preparing: 'Preparing step',
  recording: 'Recording step',
};

/** A file size for people: `388 KB`, `1.2 MB`. */
function sizeText(bytes: number): string {
  return bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The video dialog (module comment); shown while `open`, mounted by the Export menu. */
export function VideoExportDialog({
  open,
  source,
  format,
  findGraph,
  onClose,
}: VideoExportDialogProps) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const recordButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const abort = useRef<AbortController | null>(null);
  const [count, setCount] = useState(0);
  const [from, setFrom] = useState('1');
  const [to, setTo] = useState('1');
  const [seconds, setSeconds] = useState(String(DEFAULT_SECONDS_PER_STEP));
  const [sizeIndex, setSizeIndex] = useState(0);
  const [caption, setCaption] = useState(true);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [status, setStatus] = useState('');
  const busy = phase.kind !== 'idle';

  // Opening: the range starts from the viewer's step (videoRange.defaultRange says why).
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      const n = source.count();
      const r = defaultRange(source.current(), n);
      setCount(n);
      setFrom(String(r.from));
      setTo(String(r.to));
      setStatus('');
      d.showModal();
      first.current?.focus();
    } else if (!open && d.open) d.close();
  }, [open, source]);

  // Gone (another scenario, another mode): a recording in progress stops.
  useEffect(() => () => abort.current?.abort(), []);

  // Focus follows the one button that acts: Cancel while working, Record after.
  const wasBusy = useRef(false);
  useEffect(() => {
    if (busy) cancelButton.current?.focus();
    else if (wasBusy.current && dialog.current?.open) recordButton.current?.focus();
    wasBusy.current = busy;
  }, [busy]);

  const range = clampRange(Number(from), Number(to), count);
  const secondsPerStep = clampSecondsPerStep(Number(seconds));
  const size = VIDEO_SIZES[sizeIndex] ?? VIDEO_SIZES[0];
  const fileName = videoFileName(source.scenarioId, range.from, range.to, format.extension);

  const record = async (e: FormEvent) => {
    e.preventDefault();
    if (abort.current || !size) return;
    setFrom(String(range.from));
    setTo(String(range.to));
    setSeconds(String(secondsPerStep));
    setStatus('');
    const ac = new AbortController();
    abort.current = ac;
    const n = range.to - range.from + 1;
    setPhase({ kind: 'preparing', k: 0, n });
    try {
      const steps = await source.capture({
        range,
        findGraph,
        onStep: (k, total) => setPhase({ kind: 'preparing', k, n: total }),
        signal: ac.signal,
      });
      const { recordVideo } = await import('../export/recordVideo');
      const blob = await recordVideo({
        steps,
        secondsPerStep,
        width: size.width,
        height: size.height,
        caption,
        format,
        signal: ac.signal,
        onProgress: (p) => setPhase({ kind: p.phase, k: p.k, n: p.n }),
      });
      downloadBlob(blob, fileName);
      setStatus(`Saved ${fileName} (${sizeText(blob.size)}).`);
    } catch (err) {
      setStatus(
        isCancelled(err)
          ? 'Cancelled: no video was saved.'
          : `The video could not be made: ${err instanceof Error ? err.message : String(err)}.`,
      );
    } finally {
      abort.current = null;
      setPhase({ kind: 'idle' });
    }
  };

  const progressText =
    phase.kind === 'idle' ? '' : `${PHASE_TEXT[phase.kind]} ${Math.max(1, phase.k)} of ${phase.n}`;

  return (
    <dialog
      ref={dialog}
      className="video-dialog"
      aria-labelledby={`${id}-title`}
      data-testid="video-dialog"
      onClose={() => {
        abort.current?.abort();
        onClose();
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself) closes it, unless recording.
        if (e.target === dialog.current && !busy) dialog.current.close();
      }}
      // Keys typed in the dialog are the dialog's: the viewer behind it does not step.
      onKeyDown={(e) => e.stopPropagation()}
    >
      <form className="video-form" onSubmit={(e) => void record(e)}>
        <h2 id={`${id}-title`}>Export a video</h2>
        <p className="video-hint">
          {`The graph of each step, as on screen, one after the other (${format.label}).`}
        </p>
        <fieldset className="video-fields" disabled={busy}>
          <legend className="visually-hidden">Video settings</legend>
          <div className="video-row">
            <label htmlFor={`${id}-from`}>From step</label>
            <input
              ref={first}
              id={`${id}-from`}
              type="number"
              inputMode="numeric"
              min={0}
              max={count}
              step={1}
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
            <label htmlFor={`${id}-to`}>to step</label>
            <input
              id={`${id}-to`}
              type="number"
              inputMode="numeric"
              min={0}
              max={count}
              step={1}
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
            <span className="video-of">{`of ${count}`}</span>
          </div>
          <div className="video-row">
            <label htmlFor={`${id}-seconds`}>Seconds per step</label>
            <input
              id={`${id}-seconds`}
              type="number"
              inputMode="decimal"
              min={MIN_SECONDS_PER_STEP}
              max={MAX_SECONDS_PER_STEP}
              step={0.5}
              value={seconds}
              onChange={(e) => setSeconds(e.target.value)}
            />
          </div>
          <div className="video-row">
            <label htmlFor={`${id}-size`}>Size</label>
            <select
              id={`${id}-size`}
              value={sizeIndex}
              onChange={(e) => setSizeIndex(Number(e.target.value))}
            >
              {VIDEO_SIZES.map((s, i) => (
                <option key={s.label} value={i}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <div className="video-row">
            <input
              id={`${id}-caption`}
              type="checkbox"
              checked={caption}
              onChange={(e) => setCaption(e.target.checked)}
            />
            <label htmlFor={`${id}-caption`}>Include the narration as a caption</label>
          </div>
        </fieldset>
        <p className="video-summary" data-testid="video-summary">
          {`${rangeSummary(range, secondsPerStep)}, saved as`}
          <span className="video-file">{fileName}</span>
        </p>
        {phase.kind !== 'idle' ? (
          <div className="video-progress">
            <span id={`${id}-progress`}>{`${progressText}…`}</span>
            <progress
              aria-labelledby={`${id}-progress`}
              aria-valuetext={progressText}
              max={phase.n}
              value={phase.k}
            />
          </div>
        ) : null}
        <p role="status" aria-live="polite" className="video-status" data-testid="video-status">
          {status}
        </p>
        <div className="video-actions">
          {/* Keyed apart: were Cancel's button reused for Record, the click that cancels (whose
              default action comes after the cancelling re-render) would submit the form. */}
          {phase.kind !== 'idle' ? (
            <button
              key="cancel"
              ref={cancelButton}
              type="button"
              onClick={() => abort.current?.abort()}
            >
              Cancel
            </button>
          ) : (
            <button key="record" ref={recordButton} type="submit" className="primary">
              Record
            </button>
          )}
          <button type="button" onClick={() => dialog.current?.close()} disabled={busy}>
            Close
          </button>
        </div>
      </form>
    </dialog>
  );
}
