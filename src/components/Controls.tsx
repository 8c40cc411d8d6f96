/** First / Previous / Next / Last, Play / Pause with speed, and the step counter. */
import { useSim } from '../app/storeContext';
import { SPEEDS } from '../store/createSimStore';
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

export function Controls() {
  const s = useSim((x) => x);
  const total = s.timeline.stepEnd.length;
  const atStart = s.cursor === 0;
  const atEnd = s.cursor === s.timeline.points.length - 1;
  const point = s.timeline.points[s.cursor];
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
        title: 'Play (Space)',
        icon: 'play',
        onClick: () => s.setPlaying(true),
        disabled: atEnd,
        primary: true,
      };
  const controls: Control[] = [
    {
      label: 'First step',
      title: 'First step (Home)',
      icon: 'first',
      onClick: s.first,
      disabled: atStart,
    },
    {
      label: 'Previous step',
      title: 'Previous step (Shift+←)',
      icon: 'prevStep',
      onClick: s.prevStep,
      disabled: atStart,
    },
    {
      label: 'Previous event',
      title: 'Previous kernel event (←)',
      icon: 'prevEvent',
      onClick: s.prevEvent,
      disabled: atStart,
    },
    play,
    {
      label: 'Next event',
      title: 'Next kernel event (→)',
      icon: 'nextEvent',
      onClick: s.nextEvent,
      disabled: atEnd,
    },
    {
      label: 'Next step',
      title: 'Next step (Shift+→)',
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
  return (
    <div className="controls" role="toolbar" aria-label="Stepping">
      {controls.map((c) => (
        <button
          key={c.label}
          type="button"
          onClick={c.onClick}
          disabled={c.disabled}
          aria-label={c.label}
          title={c.title}
          className={c.primary ? 'primary' : undefined}
        >
          <Icon name={c.icon} />
        </button>
      ))}
      <label className="speed">
        <span>Speed</span>
        <select value={s.speed} onChange={(e) => s.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((v) => (
            <option key={v} value={v}>{`${v}×`}</option>
          ))}
        </select>
      </label>
      <span className="counter" data-testid="step-counter">
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
