/** First / Previous / Next / Last, Play / Pause with speed, and the step counter. */
import { useSim } from '../app/storeContext';
import { Icon } from './Icon';
import { SPEEDS } from '../store/createSimStore';
import { stepNumberAt } from '../store/timeline';

export function Controls() {
  const s = useSim((x) => x);
  const total = s.timeline.stepEnd.length;
  const atStart = s.cursor === 0;
  const atEnd = s.cursor === s.timeline.points.length - 1;
  const point = s.timeline.points[s.cursor];
  return (
    <div className="controls" role="toolbar" aria-label="Stepping">
      <button
        type="button"
        onClick={s.first}
        disabled={atStart}
        aria-label="First step"
        title="First step (Home)"
      >
        <Icon name="first" />
      </button>
      <button
        type="button"
        onClick={s.prevStep}
        disabled={atStart}
        aria-label="Previous step"
        title="Previous step (Shift+←)"
      >
        <Icon name="prevStep" />
      </button>
      <button
        type="button"
        onClick={s.prevEvent}
        disabled={atStart}
        aria-label="Previous event"
        title="Previous kernel event (←)"
      >
        <Icon name="prevEvent" />
      </button>
      {s.playing ? (
        <button
          type="button"
          onClick={() => s.setPlaying(false)}
          aria-label="Pause"
          title="Pause (Space)"
          className="primary"
        >
          <Icon name="pause" />
        </button>
      ) : (
        <button
          type="button"
          onClick={() => s.setPlaying(true)}
          disabled={atEnd}
          aria-label="Play"
          title="Play (Space)"
          className="primary"
        >
          <Icon name="play" />
        </button>
      )}
      <button
        type="button"
        onClick={s.nextEvent}
        disabled={atEnd}
        aria-label="Next event"
        title="Next kernel event (→)"
      >
        <Icon name="nextEvent" />
      </button>
      <button
        type="button"
        onClick={s.nextStep}
        disabled={atEnd}
        aria-label="Next step"
        title="Next step (Shift+→)"
      >
        <Icon name="nextStep" />
      </button>
      <button
        type="button"
        onClick={s.last}
        disabled={atEnd}
        aria-label="Last step"
        title="Last step (End)"
      >
        <Icon name="last" />
      </button>
      <label className="speed">
        <span>Speed</span>
        <select value={s.speed} onChange={(e) => s.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((v) => (
            <option key={v} value={v}>{`${v}×`}</option>
          ))}
        </select>
      </label>
      <span className="counter" data-testid="step-counter" aria-live="off">
        {`${stepNumberAt(s.timeline, s.cursor)} / ${total}`}
      </span>
      <span className="event-counter" data-testid="event-counter">
        {point && point.event >= 0
          ? `event ${point.event + 1} / ${s.timeline.frames[point.step]?.events.length ?? 0}`
          : ''}
      </span>
    </div>
  );
}
