/**
 * Presentation mode's bar: chapters (a list, and `[` / `]`), auto-advance with its dwell per
 * step, full screen, the speaker view and leaving. The stepping controls sit beside it
 * (Controls).
 */
import type { Chapter } from '../view/chapters';

export interface PresentBarProps {
  readonly chapters: readonly Chapter[];
  /** Index into `chapters` of the chapter on screen, or -1 before the first. */
  readonly chapter: number;
  readonly onChapter: (index: number) => void;
  readonly onPrevChapter: () => void;
  readonly onNextChapter: () => void;
  readonly auto: boolean;
  readonly onAuto: (on: boolean) => void;
  readonly dwell: number;
  readonly onDwell: (seconds: number) => void;
  readonly fullscreen: boolean;
  readonly onFullscreen: () => void;
  readonly onExit: () => void;
  /** Opens the speaker view in a second window (absent: no button). */
  readonly onSpeakerView?: (() => void) | undefined;
  /** The camera follows what each step changed when the whole graph is too small to read. */
  readonly follow: boolean;
  readonly onFollow: (on: boolean) => void;
}

const DWELLS: readonly number[] = [2, 3, 4, 5, 6, 8, 10, 15, 20, 30];

export function PresentBar(p: PresentBarProps) {
  const dwells = DWELLS.includes(p.dwell) ? DWELLS : [...DWELLS, p.dwell].sort((a, b) => a - b);
  return (
    <div className="present-tools">
      {p.chapters.length > 0 ? (
        <nav className="chapters" aria-label="Chapters">
          <button
            type="button"
            onClick={p.onPrevChapter}
            aria-label="Previous chapter"
            title="Previous chapter ([)"
          >
            {'[ ‹'}
          </button>
          <label>
            <span className="visually-hidden">Chapter</span>
            <select
              value={p.chapter}
              onChange={(e) => p.onChapter(Number(e.target.value))}
              data-testid="chapter-select"
            >
              {p.chapter < 0 ? <option value={-1}>Start</option> : null}
              {p.chapters.map((c, i) => (
                <option key={`${c.start}`} value={i}>{`${i + 1}. ${c.title}`}</option>
              ))}
            </select>
          </label>
          <button
            type="button"
            onClick={p.onNextChapter}
            aria-label="Next chapter"
            title="Next chapter (])"
          >
            {'› ]'}
          </button>
        </nav>
      ) : null}
      <div className="auto-advance">
        <button
          type="button"
          aria-pressed={p.auto}
          onClick={() => p.onAuto(!p.auto)}
          aria-label={p.auto ? 'Stop auto-advance' : 'Start auto-advance'}
          title={`${p.auto ? 'Stop' : 'Start'} auto-advance (Space)`}
          className={p.auto ? 'primary' : undefined}
        >
          Auto-advance
        </button>
        <label>
          <span className="visually-hidden">Seconds per step</span>
          <select value={p.dwell} onChange={(e) => p.onDwell(Number(e.target.value))}>
            {dwells.map((d) => (
              <option key={d} value={d}>{`${d} s`}</option>
            ))}
          </select>
        </label>
      </div>
      <button
        type="button"
        onClick={() => p.onFollow(!p.follow)}
        aria-pressed={p.follow}
        title="Zoom in on what each step changes when the whole graph is too small to read (Z)"
        data-testid="follow-changes"
      >
        Follow changes
      </button>
      <button
        type="button"
        onClick={p.onFullscreen}
        aria-pressed={p.fullscreen}
        title="Full screen (F)"
      >
        Full screen
      </button>
      {p.onSpeakerView ? (
        <button type="button" onClick={p.onSpeakerView} title="Speaker view in a second window (S)">
          Speaker view
        </button>
      ) : null}
      <button
        type="button"
        onClick={p.onExit}
        aria-label="Leave presentation"
        title="Leave presentation (Escape)"
      >
        Leave
      </button>
    </div>
  );
}
