import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { runDefaultScenario } from './demo/defaultScenario';
import './App.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The run is pure and deterministic: compute it once, before the first render.
createRoot(root).render(
  <StrictMode>
    <App run={runDefaultScenario()} />
  </StrictMode>,
);
