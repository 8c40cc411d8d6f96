/**
 * The kernel revision the scenario runs on: v1 … v8 of the series and today's mainline. The
 * scenario's own revision is marked; choosing another re-runs the scenario on that code.
 */
import { REVISIONS, revisionSpec } from '../core/revisions/spec';
import { isRevision } from '../core/revisions/spec';
import type { Revision } from '../core/types';

export function RevisionSelect({
  value,
  own,
  onChange,
  label = 'Kernel revision',
  testId = 'revision-select',
}: {
  readonly value: Revision;
  /** The scenario's `kernel.revision`. */
  readonly own: Revision;
  readonly onChange: (r: Revision) => void;
  readonly label?: string;
  readonly testId?: string;
}) {
  return (
    <label className="revision" title={revisionSpec(value).changes.join(' ')}>
      <span>{label}</span>
      <select
        value={value}
        aria-label={label}
        data-testid={testId}
        onChange={(e) => {
          if (isRevision(e.target.value)) onChange(e.target.value);
        }}
      >
        {REVISIONS.map((r) => (
          <option key={r} value={r}>
            {`kernel ${revisionSpec(r).label}${r === own ? ' · scenario' : ''}`}
          </option>
        ))}
      </select>
    </label>
  );
}
