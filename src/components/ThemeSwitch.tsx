/** Light, dark or the system's theme: a labelled select ("Theme"). */
import type { ThemeChoice } from '../view/viewOptions';

const CHOICES: readonly { readonly value: ThemeChoice; readonly label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function ThemeSwitch({
  value,
  onChange,
}: {
  value: ThemeChoice;
  onChange: (v: ThemeChoice) => void;
}) {
  return (
    <label className="theme-switch">
      <span>Theme</span>
      <select
        value={value}
        data-testid="theme-select"
        onChange={(e) => {
          const v = CHOICES.find((c) => c.value === e.target.value)?.value;
          if (v) onChange(v);
        }}
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
