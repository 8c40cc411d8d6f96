/**
 * lz-string, whichever way it was loaded. It is a CommonJS module: bundlers (Vite, Vitest) give
 * its functions as named exports, Node's own ESM loader (Playwright's tests) only as `default`.
 */
import * as lzNamespace from 'lz-string';

type LzString = typeof lzNamespace;

function api(): LzString {
  const ns = lzNamespace as LzString & { readonly default?: LzString };
  return typeof ns.compressToEncodedURIComponent === 'function' ? ns : (ns.default ?? ns);
}

/** lz-string's `compressToEncodedURIComponent` (its alphabet: A-Z a-z 0-9 + - $). */
export function compressToEncodedURIComponent(text: string): string {
  return api().compressToEncodedURIComponent(text);
}
