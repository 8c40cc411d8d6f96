/**
 * The policy the app and its example pages ship: every inline script and style of an example
 * page is allowed by its hash (so editing one without its hash fails here, not in a visitor's
 * browser), the element's own style is allowed where the element is used and in the docs, and
 * the app's policy allows no inline script and no eval.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELEMENT_STYLE } from '../element/elementStyle';
import { APP_POLICY, policyText } from './contentSecurityPolicy';

const ROOT = join(import.meta.dirname, '..', '..');
const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

function directives(html: string): Map<string, string[]> {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
  const out = new Map<string, string[]>();
  for (const part of (meta?.[1] ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name, sources);
  }
  return out;
}

const inline = (html: string, tag: string) =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] ?? '');

describe('Content Security Policy', () => {
  const pages = readdirSync(join(ROOT, 'public')).filter((f) => f.endsWith('.html'));

  it('the app allows scripts from its own files only, and nothing inline or evaluated', () => {
    expect(APP_POLICY['script-src']).toEqual(["'self'"]);
    const text = policyText(APP_POLICY);
    expect(text).not.toMatch(/unsafe-eval/);
    expect(text).toMatch(/script-src 'self';/);
    expect(text).toMatch(/object-src 'none'/);
  });

  it.each(pages)(
    '%s allows each of its inline scripts and styles by hash, and nothing else inline',
    (page) => {
      const html = readFileSync(join(ROOT, 'public', page), 'utf8');
      const csp = directives(html);
      expect(csp.size).toBeGreaterThan(0);
      for (const s of inline(html, 'script')) expect(csp.get('script-src')).toContain(hash(s));
      for (const s of inline(html, 'style')) expect(csp.get('style-src')).toContain(hash(s));
      expect([...csp.values()].flat().join(' ')).not.toMatch(/unsafe-(inline|eval)/);
      // No inline event handlers, which only 'unsafe-inline' would allow.
      expect(html).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
    },
  );

  it("the element's own style is allowed where it is used, and the docs give its hash", () => {
    const html = readFileSync(join(ROOT, 'public', 'element-example.html'), 'utf8');
    expect(directives(html).get('style-src')).toContain(hash(ELEMENT_STYLE));
    const docs = readFileSync(join(ROOT, 'docs', 'embedding.md'), 'utf8');
    expect(docs).toContain(hash(ELEMENT_STYLE));
    expect(docs).toContain(policyText(APP_POLICY));
  });
});
