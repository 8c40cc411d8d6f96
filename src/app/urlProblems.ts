/**
 * What is wrong with the page's own URL, in a short polite sentence each: a step that is not a
 * step number or is past the scenario's end, a scenario the library does not have, an empty or
 * refused `?src=`. The page still opens the nearest sensible view; these say which, and why.
 * Pure; untrusted values are quoted shortened, as text.
 */

/** An untrusted value for a message: on one line, at most `max` characters, in quotes. */
export function quoteInput(value: string, max = 60): string {
  const line = value.replace(/[\r\n\u2028\u2029]+/g, ' ');
  return JSON.stringify(line.length > max ? `${line.slice(0, max - 1)}…` : line);
}

/** Why `?src=` cannot be loaded (empty, or a scheme other than http:/https:), or null. */
export function srcProblem(src: string, base: string): string | null {
  if (src.trim() === '')
    return 'The link’s src= is empty: it should be the address of a scenario file.';
  let url: URL;
  try {
    url = new URL(src, base);
  } catch {
    return `The link’s src= (${quoteInput(src)}) is not an address a scenario file can be loaded from.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `The link’s src= uses ${quoteInput(url.protocol)}: only http:, https: and relative addresses are loaded, so nothing was fetched.`;
  return null;
}

/** Why `?scenario=` names nothing the library has (`ids`), or null (absent, or found). */
export function scenarioProblem(
  id: string | null,
  ids: readonly string[],
  opened: string,
): string | null {
  if (id === null || ids.includes(id)) return null;
  if (id.trim() === '') return `The link’s scenario= is empty: showing ${opened}.`;
  return `There is no scenario called ${quoteInput(id)} in the library: showing ${opened}.`;
}

/** `?step=` as the link asked: absent, a whole number, or text that is not one. */
export type StepParam =
  | { readonly kind: 'none' }
  | { readonly kind: 'number'; readonly step: number }
  | { readonly kind: 'bad'; readonly text: string };

export function readStepParam(q: URLSearchParams): StepParam {
  const text = q.get('step');
  if (text === null) return { kind: 'none' };
  if (/^\s*\d{1,9}\s*$/.test(text)) return { kind: 'number', step: Number(text) };
  return { kind: 'bad', text };
}

/**
 * Why `?step=` could not be honoured for a scenario of `steps` steps, or null. Step 0 is the
 * start (before the first step), `steps` the end.
 */
export function stepProblem(p: StepParam, steps: number): string | null {
  if (p.kind === 'none') return null;
  if (p.kind === 'bad') {
    const what = /^\s*-/.test(p.text)
      ? 'is negative'
      : /^\s*[\d.e+]+\s*$/i.test(p.text)
        ? 'is not a whole number of a sensible size'
        : 'is not a number';
    return `The link’s step= (${quoteInput(p.text, 24)}) ${what}: showing the start. Steps go from 0 to ${steps}.`;
  }
  if (p.step > steps)
    return `This scenario has ${steps} steps, not ${p.step.toLocaleString('en')}: showing the last.`;
  return null;
}
