import './app/loader/earlyStart';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { applyTheme, initialTheme } from './view/theme';
import { readViewOptions } from './view/viewOptions';
import './App.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const query = new URLSearchParams(window.location.search);
// The theme is on <html> before the first paint, so a dark page never flashes light.
applyTheme(initialTheme(readViewOptions(query).theme));

// `?speaker=<id>`: the speaker view of a presentation in another window (its own chunk).
const SpeakerApp = lazy(() => import('./speaker/SpeakerApp'));

createRoot(root).render(
  <StrictMode>
    {query.has('speaker') ? (
      <Suspense fallback={null}>
        <SpeakerApp id={query.get('speaker') ?? ''} />
      </Suspense>
    ) : (
      <App />
    )}
  </StrictMode>,
);
