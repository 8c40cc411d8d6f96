import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchEarly, takeEarlyFetch } from './earlyFetch';

describe('the early ?src= fetch', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is started once per file, without credentials, and taken once', async () => {
    const fetch = vi.fn(async () => new Response('steps: []'));
    vi.stubGlobal('window', { location: { href: 'https://example.org/lab/?src=a.yaml' } });
    vi.stubGlobal('fetch', fetch);
    fetchEarly('a.yaml');
    fetchEarly('a.yaml');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(new URL('https://example.org/lab/a.yaml'), {
      credentials: 'omit',
    });
    expect(takeEarlyFetch('b.yaml')).toBeNull();
    fetchEarly('a.yaml');
    const taken = takeEarlyFetch('a.yaml');
    expect(taken).not.toBeNull();
    expect(await (await taken)?.text()).toBe('steps: []');
    expect(takeEarlyFetch('a.yaml')).toBeNull();
  });

  it('keeps a failed fetch for its taker, not as an unhandled rejection', async () => {
    vi.stubGlobal('window', { location: { href: 'https://example.org/' } });
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
    fetchEarly('c.yaml');
    await new Promise((done) => setTimeout(done, 0));
    await expect(takeEarlyFetch('c.yaml')).rejects.toThrow('offline');
  });
});
