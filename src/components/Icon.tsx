/** Small stroke icons for the stepping controls (inline SVG: no icon font, no emoji). */
const PATHS = {
  first: 'M5 4v12M15 4l-7 6 7 6z',
  prevStep: 'M10 4l-7 6 7 6zM18 4l-7 6 7 6z',
  prevEvent: 'M14 4l-8 6 8 6z',
  play: 'M6 4l10 6-10 6z',
  pause: 'M6 4v12M14 4v12',
  nextEvent: 'M6 4l8 6-8 6z',
  nextStep: 'M2 4l7 6-7 6zM10 4l7 6-7 6z',
  last: 'M15 4v12M5 4l7 6-7 6z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  const filled = name !== 'pause' && name !== 'first' && name !== 'last';
  return (
    <svg className="icon" width="16" height="16" viewBox="0 0 20 20" aria-hidden="true">
      <path
        d={PATHS[name]}
        fill={filled ? 'currentColor' : 'currentColor'}
        stroke="currentColor"
        strokeWidth={name === 'pause' ? 3 : 1.5}
        strokeLinejoin="round"
      />
    </svg>
  );
}
