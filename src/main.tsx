import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { applyTheme, initialTheme } from './app/theme';
import { readViewOptions } from './app/viewOptions';
import './App.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The theme is on <html> before the first paint, so a dark page never flashes light.
applyTheme(initialTheme(readViewOptions(new URLSearchParams(window.location.search)).theme));

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
