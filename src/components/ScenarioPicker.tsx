/** Choose a scenario from the library; its summary and the kernel revision it models. */
import type { LibraryEntry } from '../view/library';
import type { ReactNode } from 'react';
import { Prose } from './Prose';

export interface ScenarioPickerProps {
  readonly entries: readonly LibraryEntry[];
  /** The library id shown, or '' when a scenario file from elsewhere is open. */
  readonly current: string;
  /** What the option for a scenario from elsewhere says (`File: <url>`, `Edited: <title>`), if any. */
  readonly external: string | null;
  readonly onPick: (id: string) => void;
  readonly revision: string;
  /** The revision selector (replaces the fixed revision badge when given). */
  readonly revisionControl?: ReactNode;
}

export function ScenarioPicker({
  entries,
  current,
  external,
  onPick,
  revision,
  revisionControl,
}: ScenarioPickerProps) {
  const entry = entries.find((e) => e.id === current);
  return (
    <div className="picker">
      <label>
        <span>Scenario</span>
        <select
          value={current}
          onChange={(e) => onPick(e.target.value)}
          data-testid="scenario-picker"
        >
          {external !== null ? <option value="">{external}</option> : null}
          {entries.map((e) => (
            <option key={e.id} value={e.id}>
              {e.title}
            </option>
          ))}
        </select>
      </label>
      {revisionControl ?? (
        <span
          className="revision"
          title="The patch revision the simulated kernel runs"
        >{`kernel ${revision}`}</span>
      )}
      {entry ? (
        <p className="summary">
          <Prose text={entry.summary} />
        </p>
      ) : null}
    </div>
  );
}
