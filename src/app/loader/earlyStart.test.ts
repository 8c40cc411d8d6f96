import { beforeEach, describe, expect, it, vi } from 'vitest';
import { startEarly } from './earlyStart';

const calls = vi.hoisted(() => ({ warm: [] as boolean[], fetched: [] as string[] }));
vi.mock('./workers', () => ({
  warmWorker: (forText = false) => calls.warm.push(forText),
}));
vi.mock('./earlyFetch', () => ({
  fetchEarly: (src: string) => calls.fetched.push(src),
}));

const PAGE = 'https://example.org/lab/';

describe('startEarly (what the page starts before it renders)', () => {
  beforeEach(() => {
    calls.warm.length = 0;
    calls.fetched.length = 0;
  });

  it('fetches a ?src= file and starts the worker with its parser', () => {
    startEarly(`${PAGE}?src=${encodeURIComponent('scenarios/a.yaml')}&step=3`);
    expect(calls).toEqual({ warm: [true], fetched: ['scenarios/a.yaml'] });
  });

  it('fetches nothing it may not: a refused src= opens the library, so only the worker starts', () => {
    startEarly(`${PAGE}?src=${encodeURIComponent('javascript:alert(1)')}`);
    expect(calls).toEqual({ warm: [false], fetched: [] });
    startEarly(`${PAGE}?src=`);
    expect(calls).toEqual({ warm: [false, false], fetched: [] });
  });

  it('starts the worker with its parser for a share link, and without for a library scenario', () => {
    startEarly(`${PAGE}?s=1.abc&step=2`);
    startEarly(`${PAGE}?scenario=scx-layered-trigger`);
    startEarly(PAGE);
    expect(calls).toEqual({ warm: [true, false, false], fetched: [] });
  });

  it('starts nothing for a speaker view or a page that waits for its host', () => {
    startEarly(`${PAGE}?speaker=abc`);
    startEarly(`${PAGE}?load=host&src=a.yaml`);
    expect(calls).toEqual({ warm: [], fetched: [] });
  });
});
