/**
 * Stepping: First / Previous / Play / Next / Last move by whole scenario steps; the kernel
 * events group moves one event at a time, and its "Event by event" switch makes → and Play
 * go by events too. Speed, the step counter (`N / M` in steps) and the event counter.
 * `compact` (presentation mode) keeps only the step buttons and the counter.
 */
import { useSim } from '../store/storeContext';
import { SPEEDS } from '../store/simStore';
import { stepNumberAt } from '../store/timeline';
import { Icon, type IconName } from './Icon';

interface Control {
  readonly label: string;
  readonly title: string;
  readonly icon: IconName;
  readonly onClick: () => void;
  readonly disabled: boolean;
  readonly primary?: boolean;
}

function ControlButton({ c }: { readonly c: Control }) {
  return (
    <button
      type="button"
      onClick={c.onClick}
      disabled={c.disabled}
      aria-label={c.label}
      title={c.title}
      className={c.primary ? 'primary' : undefined}
    >
      <Icon name={c.icon} />
    </button>
  );
}

export function Controls({ compact = false }: { readonly compact?: boolean }) {
  const s = useSim((x) => x);
  const total = s.timeline.stepEnd.length;
  const atStart = s.cursor === 0;
  const atEnd = s.cursor === s.timeline.points.length - 1;
  const point = s.timeline.points[s.cursor];
  const byEvent = s.granularity === 'event';
  const arrow = (key: '→' | '←', unit: 'step' | 'event') =>
    (unit === 'event') === byEvent ? key : `Shift+${key}`;
  const play: Control = s.playing
    ? {
        label: 'Pause',
        title: 'Pause (Space)',
        icon: 'pause',
        onClick: () => s.setPlaying(false),
        disabled: false,
        primary: true,
      }
    : {
        label: 'Play',
        title: byEvent
          ? 'Play, one kernel event at a time (Space)'
          : 'Play, step by step, each long enough to read (Space)',
        icon: 'play',
        onClick: () => s.setPlaying(true),
        disabled: atEnd,
        primary: true,
      };
  const steps: Control[] = [
    {
      label: 'First step',
      title: 'First step (Home)',
      icon: 'first',
      onClick: s.first,
      disabled: atStart,
    },
    {
      label: 'Previous step',
      title: `Previous step (${arrow('←', 'step')})`,
      icon: 'prevStep',
      onClick: s.prevStep,
      disabled: atStart,
    },
    play,
    {
      label: 'Next step',
      title: `Next step (${arrow('→', 'step')})`,
      icon: 'nextStep',
      onClick: s.nextStep,
      disabled: atEnd,
    },
    {
      label: 'Last step',
      title: 'Last step (End)',
      icon: 'last',
      onClick: s.last,
      disabled: atEnd,
    },
  ];
  const events: Control[] = [
    {
      label: 'Previous event',
      title: `Previous kernel event (${arrow('←', 'event')})`,
      icon: 'prevEvent',
      onClick: s.prevEvent,
      disabled: atStart,
    },
    {
      label: 'Next event',
      title: `Next kernel event (${arrow('→', 'event')})`,
      icon: 'nextEvent',
      onClick: s.nextEvent,
      disabled: atEnd,
    },
  ];
  const counter = (
    <span className="counter" data-testid="step-counter">
      {`${stepNumberAt(s.timeline, s.cursor)} / ${total}`}
    </span>
  );
  if (compact)
    return (
      <div className="controls" role="toolbar" aria-label="Stepping">
        {steps.map((c) => (
          <ControlButton key={c.label} c={c} />
        ))}
        {counter}
      </div>
    );
  return (
    <div className="controls" role="toolbar" aria-label="Stepping">
      <div className="step-buttons">
        {steps.map((c) => (
          <ControlButton key={c.label} c={c} />
        ))}
      </div>
      {counter}
      <div
        className="event-stepping"
        role="group"
        aria-label="Kernel events"
        title={`One kernel event at a time: ${arrow('→', 'event')} / ${arrow('←', 'event')}`}
      >
        {events.map((c) => (
          <ControlButton key={c.label} c={c} />
        ))}
        <label className="by-event">
          <input
            type="checkbox"
            checked={byEvent}
            onChange={(e) => s.setGranularity(e.target.checked ? 'event' : 'step')}
          />
          <span>Event by event</span>
        </label>
      </div>
      <label className="speed">
        <span>Speed</span>
        <select value={s.speed} onChange={(e) => s.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((v) => (
            <option key={v} value={v}>{`${v}×`}</option>
          ))}
        </select>
      </label>
      <span className="event-counter" data-testid="event-counter">
        {point && point.event >= 0
          ? `event ${point.event + 1} / ${s.timeline.frames[point.step]?.events.length ?? 0}`
          : ''}
      </span>
    </div>
  );
}
