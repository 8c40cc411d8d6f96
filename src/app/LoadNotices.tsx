/**
 * The notices above the page: what is wrong with the URL (dismissable), a load in progress
 * (with Cancel), waiting for the host page, and a scenario that was not loaded with its first
 * problems at line:column (the editor lists them all).
 */
import type { useLoadJob } from './loader/useLoadJob';
import { LoadNotice } from './loader/LoadNotice';
import type { Loaded } from './loadScenario';
import { UrlNotice } from './UrlNotice';

/** How many of a refused scenario's problems the page lists (the editor shows them all). */
const LISTED_ISSUES = 12;

export interface LoadNoticesProps {
  readonly problems: readonly string[];
  readonly onDismiss: () => void;
  readonly loaded: Loaded;
  readonly job: ReturnType<typeof useLoadJob>;
}

export function LoadNotices({ problems, onDismiss, loaded, job }: LoadNoticesProps) {
  return (
    <>
      {problems.length > 0 ? <UrlNotice problems={problems} onDismiss={onDismiss} /> : null}
      {loaded.kind === 'loading' || loaded.kind === 'simulating' || job.progress ? (
        <LoadNotice
          what={
            loaded.kind === 'loading' || loaded.kind === 'simulating'
              ? loaded.src
              : loaded.kind === 'loading-share'
                ? 'the scenario in this link'
                : 'the edited scenario'
          }
          progress={job.progress}
          onCancel={job.cancel}
        />
      ) : null}
      {loaded.kind === 'awaiting-host' ? (
        <p className="notice">Waiting for the page to send its scenario…</p>
      ) : null}
      {loaded.kind === 'loading-share' && !job.progress ? (
        <p className="notice">Opening the scenario in this link…</p>
      ) : null}
      {loaded.kind === 'error' ? (
        <section className="notice notice-error" aria-labelledby="load-error">
          <h2 id="load-error">{`${loaded.what} was not loaded: ${loaded.message}.`}</h2>
          {loaded.issues.length > 0 ? (
            <ul data-testid="scenario-errors">
              {loaded.issues.slice(0, LISTED_ISSUES).map((i, k) => (
                <li key={k}>
                  <code>{`${i.line}:${i.column}`}</code> {i.message}
                </li>
              ))}
            </ul>
          ) : null}
          {loaded.issues.length > LISTED_ISSUES ? (
            <p>{`… and ${loaded.issues.length - LISTED_ISSUES} more: open it in the editor to see them all.`}</p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
