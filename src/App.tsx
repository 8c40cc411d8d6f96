/**
 * structops-lab's main page: pick a scenario from the library and step through it.
 * `?scenario=<id>&step=<n>` opens a library scenario at a step; `?src=<url>` loads a scenario
 * file (untrusted: size-limited, validated, errors shown with line and column, never run as code).
 */
import { useEffect, useMemo, useState } from 'react';
import { findScenario, LIBRARY } from './app/library';
import { readUrl } from './app/useUrlSync';
import { Viewer } from './app/Viewer';
import { ScenarioPicker } from './components/ScenarioPicker';
import { MAX_SCENARIO_BYTES } from './scenario/limits';
import type { ScenarioIssue } from './scenario/parse';
import type { Scenario } from './scenario/schema';
import { createSimStore } from './store/createSimStore';

type Loaded =
  | { readonly kind: 'library'; readonly id: string }
  | { readonly kind: 'loading'; readonly src: string }
  | { readonly kind: 'file'; readonly src: string; readonly scenario: Scenario }
  | {
      readonly kind: 'error';
      readonly src: string;
      readonly message: string;
      readonly issues: readonly ScenarioIssue[];
    };

function initialLoad(): Loaded {
  const q = new URLSearchParams(window.location.search);
  const src = q.get('src');
  if (src) return { kind: 'loading', src };
  return { kind: 'library', id: findScenario(readUrl().scenario)?.id ?? '' };
}

async function fetchScenario(src: string): Promise<Loaded> {
  try {
    const res = await fetch(new URL(src, window.location.href), { credentials: 'omit' });
    if (!res.ok)
      return { kind: 'error', src, message: `could not fetch it: HTTP ${res.status}`, issues: [] };
    const text = await res.text();
    if (text.length > MAX_SCENARIO_BYTES) {
      return {
        kind: 'error',
        src,
        message: `it is ${Math.ceil(text.length / 1024)} KiB; the limit is ${MAX_SCENARIO_BYTES / 1024} KiB`,
        issues: [],
      };
    }
    const { parseScenario } = await import('./scenario/parse');
    const r = parseScenario(text);
    return r.ok
      ? { kind: 'file', src, scenario: r.scenario }
      : { kind: 'error', src, message: 'it is not a valid scenario', issues: r.issues };
  } catch (e) {
    return {
      kind: 'error',
      src,
      message: `could not fetch it: ${e instanceof Error ? e.message : String(e)}`,
      issues: [],
    };
  }
}

export function App() {
  const [loaded, setLoaded] = useState<Loaded>(initialLoad);
  const [startStep, setStartStep] = useState(() => readUrl().step);
  useEffect(() => {
    if (loaded.kind !== 'loading') return;
    let live = true;
    void fetchScenario(loaded.src).then((l) => {
      if (live) setLoaded(l);
    });
    return () => {
      live = false;
    };
  }, [loaded]);

  const scenario =
    loaded.kind === 'library'
      ? findScenario(loaded.id)?.scenario
      : loaded.kind === 'file'
        ? loaded.scenario
        : undefined;
  const store = useMemo(
    () => (scenario ? createSimStore(scenario, startStep) : null),
    [scenario, startStep],
  );

  return (
    <main className="app">
      <header className="app-head">
        <h1>structops-lab</h1>
        <ScenarioPicker
          entries={LIBRARY}
          current={loaded.kind === 'library' ? loaded.id : ''}
          external={loaded.kind === 'library' ? null : loaded.src}
          revision={scenario?.kernel.revision ?? 'v8'}
          onPick={(next) => {
            setStartStep(0);
            setLoaded({ kind: 'library', id: next });
          }}
        />
      </header>
      {loaded.kind === 'loading' ? <p className="notice">{`Loading ${loaded.src}…`}</p> : null}
      {loaded.kind === 'error' ? (
        <section className="notice notice-error" aria-labelledby="load-error">
          <h2 id="load-error">{`The scenario at ${loaded.src} was not loaded: ${loaded.message}.`}</h2>
          {loaded.issues.length > 0 ? (
            <ul data-testid="scenario-errors">
              {loaded.issues.map((i, k) => (
                <li key={k}>
                  <code>{`${i.line}:${i.column}`}</code> {i.message}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      {store && scenario ? <Viewer key={`${scenario.id}:${startStep}`} store={store} /> : null}
    </main>
  );
}
