/**
 * Style inlining on a tiny hand-made tree (plain objects with the few DOM methods it uses):
 * values come from the computed-style lookup, var() is resolved, inherited values are written
 * once where they change, and presentation attributes are overridden.
 */
import { describe, expect, it } from 'vitest';
import {
  inlineStyles,
  resolveCssVars,
  resolvedValue,
  styleText,
  type StyleLookup,
  type StyleNode,
} from './inlineStyles';

class FakeNode implements StyleNode<FakeNode> {
  readonly attrs = new Map<string, string>();
  constructor(
    readonly tagName: string,
    readonly styles: Record<string, string>,
    readonly children: FakeNode[] = [],
    attrs: Record<string, string> = {},
  ) {
    for (const [k, v] of Object.entries(attrs)) this.attrs.set(k, v);
  }
  getAttribute(name: string): string | null {
    return this.attrs.get(name) ?? null;
  }
  setAttribute(name: string, value: string): void {
    this.attrs.set(name, value);
  }
  removeAttribute(name: string): void {
    this.attrs.delete(name);
  }
  getAttributeNames(): string[] {
    return [...this.attrs.keys()];
  }
  clone(): FakeNode {
    return new FakeNode(
      this.tagName,
      {},
      this.children.map((c) => c.clone()),
      Object.fromEntries(this.attrs),
    );
  }
}

const VARS: Record<string, string> = {
  '--fg': '#1b1f24',
  '--blue': '#0072b2',
  '--alias': 'var(--blue)',
};

/** A computed-style lookup: the element's own styles, then the page's custom properties. */
const computed =
  (n: FakeNode): StyleLookup =>
  (p) =>
    n.styles[p] ?? VARS[p] ?? '';

const base = {
  fill: 'rgb(0, 0, 0)',
  stroke: 'none',
  'stroke-width': '1px',
  'font-family': 'system-ui, "Segoe UI", sans-serif',
  'font-size': '15px',
  'font-weight': '400',
  'text-anchor': 'start',
  opacity: '1',
};

describe('resolveCssVars', () => {
  const look: StyleLookup = (p) => VARS[p] ?? '';
  it('replaces references, nested ones and fallbacks', () => {
    expect(resolveCssVars('var(--fg)', look)).toBe('#1b1f24');
    expect(resolveCssVars('1px solid var(--blue)', look)).toBe('1px solid #0072b2');
    expect(resolveCssVars('var(--alias)', look)).toBe('#0072b2');
    expect(resolveCssVars('var(--nope, var(--fg))', look)).toBe('#1b1f24');
    expect(resolveCssVars('var(--nope, rgb(1, 2, 3))', look)).toBe('rgb(1, 2, 3)');
    expect(resolveCssVars('var(--nope)', look)).toBe('');
    expect(resolveCssVars('url(#arrow)', look)).toBe('url(#arrow)');
  });
  it('stops on cycles and unclosed references', () => {
    const cyc: StyleLookup = (p) => (p === '--a' ? 'var(--b)' : p === '--b' ? 'var(--a)' : '');
    expect(resolveCssVars('var(--a)', cyc)).toBe('');
    expect(resolveCssVars('x var(--fg', look)).toBe('x var(--fg');
  });
  it('makes currentColor the colour', () => {
    const l: StyleLookup = (p) =>
      ({ fill: 'currentcolor', color: 'var(--fg)' })[p] ?? VARS[p] ?? '';
    expect(resolvedValue('fill', l)).toBe('#1b1f24');
  });
});

describe('styleText', () => {
  const own = new Map(Object.entries({ ...base, fill: 'red', opacity: '0.5' }));
  it('writes every inherited value on the root', () => {
    expect(styleText(own, null)).toBe(
      'fill: red; stroke: none; stroke-width: 1px; font-family: system-ui, "Segoe UI", sans-serif; font-size: 15px; font-weight: 400; text-anchor: start; opacity: 0.5',
    );
  });
  it('writes only what differs from the parent, and own properties off their default', () => {
    const parent = new Map(Object.entries(base));
    expect(styleText(own, parent)).toBe('fill: red; opacity: 0.5');
    expect(styleText(new Map(Object.entries(base)), parent)).toBe('');
    expect(styleText(new Map(Object.entries(base)), parent, new Set(['stroke-width']))).toBe(
      'stroke-width: 1px',
    );
  });
});

describe('inlineStyles', () => {
  it('inlines a tiny graph the way it looks', () => {
    const live = new FakeNode('svg', { ...base }, [
      new FakeNode('defs', { ...base }, [
        new FakeNode('marker', { ...base }, [new FakeNode('path', { ...base, fill: 'var(--fg)' })]),
      ]),
      new FakeNode(
        'g',
        { ...base },
        [
          new FakeNode(
            'g',
            { ...base, opacity: '0.45' },
            [
              new FakeNode(
                'rect',
                {
                  ...base,
                  fill: 'rgb(255, 255, 255)',
                  stroke: 'rgb(0, 114, 178)',
                  'stroke-width': '3.5px',
                },
                [],
                { 'stroke-width': '5', class: 'node-frame' },
              ),
              new FakeNode('title', { ...base }, [], {}),
              new FakeNode('text', { ...base, 'font-size': '13.5px', 'font-weight': '700' }),
            ],
            { transform: 'translate(10,20)', 'data-testid': 'node.prog.a' },
          ),
        ],
        { transform: 'translate(40,0) scale(2)' },
      ),
      new FakeNode('text', { ...base }, [], { fill: 'var(--blue)', style: 'cursor: pointer' }),
    ]);
    const clone = live.clone();
    inlineStyles(live, clone, computed);

    const style = (n: FakeNode | undefined) => n?.getAttribute('style') ?? null;
    expect(style(clone)).toBe(
      'fill: rgb(0, 0, 0); stroke: none; stroke-width: 1px; font-family: system-ui, "Segoe UI", sans-serif; font-size: 15px; font-weight: 400; text-anchor: start',
    );
    const [defs, zoom, label] = clone.children;
    expect(style(defs)).toBeNull();
    expect(style(defs?.children[0]?.children[0])).toBe('fill: #1b1f24');
    expect(style(zoom)).toBeNull();
    const node = zoom?.children[0];
    expect(style(node)).toBe('opacity: 0.45');
    expect(node?.getAttribute('data-testid')).toBe('node.prog.a');
    const [frame, title, text] = node?.children ?? [];
    // The stylesheet beat d3's stroke-width attribute on screen: the style beats it in the file.
    expect(style(frame)).toBe(
      'fill: rgb(255, 255, 255); stroke: rgb(0, 114, 178); stroke-width: 3.5px',
    );
    expect(style(title)).toBeNull();
    expect(style(text)).toBe('font-size: 13.5px; font-weight: 700');
    // Attributes that use var() get values; an old style attribute is replaced.
    expect(label?.getAttribute('fill')).toBe('#0072b2');
    expect(style(label)).toBe('fill: rgb(0, 0, 0)');
    // The live tree is untouched.
    expect(live.getAttribute('style')).toBeNull();
  });
});
