/** "Loading x… simulating step 120 of 2,000" with a Cancel button, while a scenario loads. */
import type { LoadProgress } from '../../scenario/worker/loadJob';
import { describeProgress } from './useLoadJob';

export function LoadNotice({
  what,
  progress,
  onCancel,
}: {
  readonly what: string;
  readonly progress: LoadProgress | null;
  readonly onCancel: () => void;
}) {
  return (
    <div className="notice notice-loading" role="status" data-testid="load-progress">
      <span>{`Loading ${what}${progress ? `: ${describeProgress(progress)}` : ''}…`}</span>
      {progress ? (
        <button type="button" className="head-button" onClick={onCancel}>
          Cancel loading
        </button>
      ) : null}
    </div>
  );
}
