/**
 * Inlining computed styles into a cloned SVG, so that the file looks like the screen without the
 * app's stylesheet. Pure: works on any tree with the few DOM methods below (a real DOM, or plain
 * objects in tests), and reads styles through a lookup the caller provides (getComputedStyle).
 */

/** Properties inherited by descendants: written where they differ from the parent's. */
export const INHERITED_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'letter-spacing',
  'text-transform',
  'visibility',
] as const;

/** Properties that are not inherited, with the values not worth writing (their defaults). */
export const OWN_PROPS: Readonly<Record<string, (value: string) => boolean>> = {
  opacity: (v) => v !== '1',
  display: (v) => v === 'none',
};

/** Elements that draw nothing and need no style (their text is kept as it is). */
const UNSTYLED = new Set(['title', 'desc', 'metadata', 'style', 'script']);

export interface StyleNode<N> {
  readonly tagName: string;
  readonly children: ArrayLike<N>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  getAttributeNames(): string[];
}

/** A computed-style reader: a property (or custom property `--x`) → its value, '' if none. */
export type StyleLookup = (property: string) => string;

/**
 * `value` with every `var(--name, fallback)` replaced by the custom property's value from
 * `lookup` (or the fallback, itself resolved; '' when neither exists). Nested and repeated
 * references are handled; resolution stops at depth 8 (a cycle would otherwise never end).
 */
export function resolveCssVars(value: string, lookup: StyleLookup, depth = 0): string {
  if (!value.includes('var(')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf('var(', i);
    if (start < 0) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, start);
    // Find the matching close parenthesis.
    let level = 0;
    let end = -1;
    for (let k = start + 3; k < value.length; k++) {
      const ch = value[k];
      if (ch === '(') level++;
      else if (ch === ')' && --level === 0) {
        end = k;
        break;
      }
    }
    if (end < 0) {
      out += value.slice(start);
      break;
    }
    const inner = value.slice(start + 4, end);
    const comma = inner.indexOf(',');
    const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
    const fallback = comma < 0 ? '' : inner.slice(comma + 1).trim();
    const own = depth < 8 ? lookup(name).trim() : '';
    const chosen = own !== '' ? own : fallback;
    out += depth < 8 ? resolveCssVars(chosen, lookup, depth + 1) : '';
    i = end + 1;
  }
  return out;
}

/** The resolved value of `prop` for an element: var() resolved, currentColor made a colour. */
export function resolvedValue(prop: string, lookup: StyleLookup): string {
  let v = resolveCssVars(lookup(prop).trim(), lookup);
  if (v.toLowerCase() === 'currentcolor') v = resolveCssVars(lookup('color').trim(), lookup);
  return v;
}

/**
 * The `style` attribute for an element whose values are `own`, under a parent whose values
 * are `parent` (null for the root, which gets every inherited value written). Properties in
 * `always` are written whatever their value: the element has a presentation attribute of that
 * name (d3 sets some), which the stylesheet overrode on screen and the style must override too.
 */
export function styleText(
  own: ReadonlyMap<string, string>,
  parent: ReadonlyMap<string, string> | null,
  always: ReadonlySet<string> = new Set(),
): string {
  const decls: string[] = [];
  for (const p of INHERITED_PROPS) {
    const v = own.get(p);
    if (v !== undefined && v !== '' && (parent === null || always.has(p) || parent.get(p) !== v))
      decls.push(`${p}: ${v}`);
  }
  for (const [p, worth] of Object.entries(OWN_PROPS)) {
    const v = own.get(p);
    if (v !== undefined && v !== '' && (always.has(p) || worth(v))) decls.push(`${p}: ${v}`);
  }
  return decls.join('; ');
}

/**
 * Walks `live` (the element on screen) and `clone` (its deep copy) side by side: each clone
 * element gets the live one's computed styles as its `style` attribute (replacing any), and
 * attributes that use var() get the values. The two trees must have the same shape.
 */
export function inlineStyles<N extends StyleNode<N>>(
  live: N,
  clone: N,
  computedOf: (element: N) => StyleLookup,
  parent: ReadonlyMap<string, string> | null = null,
): void {
  if (UNSTYLED.has(live.tagName.toLowerCase())) return;
  const lookup = computedOf(live);
  const own = new Map<string, string>();
  for (const p of [...INHERITED_PROPS, ...Object.keys(OWN_PROPS)])
    own.set(p, resolvedValue(p, lookup));
  for (const name of clone.getAttributeNames()) {
    const v = clone.getAttribute(name);
    if (name !== 'style' && v !== null && v.includes('var('))
      clone.setAttribute(name, resolveCssVars(v, lookup));
  }
  const attributes = new Set(clone.getAttributeNames());
  const style = styleText(own, parent, attributes);
  if (style === '') clone.removeAttribute('style');
  else clone.setAttribute('style', style);
  const n = Math.min(live.children.length, clone.children.length);
  for (let i = 0; i < n; i++) {
    const a = live.children[i];
    const b = clone.children[i];
    if (a && b) inlineStyles(a, b, computedOf, own);
  }
}
