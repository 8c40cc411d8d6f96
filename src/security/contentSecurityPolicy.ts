/**
 * The Content Security Policy the app ships (a meta tag the build writes into index.html; see
 * vite.config.ts) and that docs/embedding.md asks hosts to send as a header. Scripts come only
 * from the app's own files: no inline script, no eval. Scenario files may be fetched from any
 * http(s) address (`?src=`); nothing else leaves the page.
 */
export const APP_POLICY: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // The scenario editor (CodeMirror) writes its theme as <style> elements at run time.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'", 'https:', 'http:'],
  'worker-src': ["'self'"],
  'frame-src': ["'self'"],
  'media-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

/** A policy as a header (or meta tag) value: `default-src 'self'; script-src 'self'; …`. */
export function policyText(policy: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(policy)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
