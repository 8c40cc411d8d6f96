/** The speaker view's messages: what is accepted, and that anything else is ignored (null). */
import { describe, expect, it } from 'vitest';
import {
  channelName,
  isId,
  MAX_CURSOR,
  parseHostMessage,
  parseSpeakerMessage,
  randomId,
  type HostMessage,
  type SpeakerMessage,
} from './protocol';

const REV = 'a1b2c3d4e5f6';
const view = { cursor: 7, blank: false, presenting: true };
const state: HostMessage = { v: 1, type: 'state', rev: REV, ...view };
const scenario: HostMessage = {
  v: 1,
  type: 'scenario',
  rev: REV,
  scenario: { format: 1, id: 'x', steps: [] },
  ...view,
};

describe('ids', () => {
  it('random ids are fresh, and valid ids', () => {
    const a = randomId();
    const b = randomId();
    expect(a).not.toBe(b);
    expect(isId(a)).toBe(true);
    expect(a).toMatch(/^[0-9a-f]{24}$/);
  });

  it('accepts 8 to 64 letters, digits, _ and -, nothing else', () => {
    expect(isId('abcd_EF-')).toBe(true);
    expect(isId('x'.repeat(64))).toBe(true);
    for (const bad of [
      '',
      'short',
      'x'.repeat(65),
      'abc def gh',
      'abcdefg/',
      'abcdefgh\n',
      42,
      null,
    ])
      expect(isId(bad), String(bad)).toBe(false);
  });

  it('names one channel per id', () => {
    expect(channelName('abcdefgh')).toBe('structops-lab.speaker.abcdefgh');
    expect(channelName('abcdefgh')).not.toBe(channelName('abcdefgi'));
  });
});

describe('parseHostMessage', () => {
  it('accepts state, scenario and bye as sent', () => {
    expect(parseHostMessage(state)).toEqual(state);
    expect(parseHostMessage(scenario)).toEqual(scenario);
    expect(parseHostMessage({ v: 1, type: 'bye' })).toEqual({ v: 1, type: 'bye' });
    expect(parseHostMessage({ ...state, cursor: 0 })).toEqual({ ...state, cursor: 0 });
    expect(parseHostMessage({ ...state, cursor: MAX_CURSOR })).toMatchObject({
      cursor: MAX_CURSOR,
    });
  });

  it('ignores other versions, unknown types and things that are not messages', () => {
    for (const bad of [
      { ...state, v: 2 },
      { ...state, v: '1' },
      { ...state, v: undefined },
      { ...state, type: 'State' },
      { v: 1, type: 'hello' },
      { v: 1, type: 'nav', action: 'next' },
      { v: 1 },
      null,
      undefined,
      'state',
      42,
      [state],
      new Date(0),
    ])
      expect(parseHostMessage(bad), JSON.stringify(bad)).toBeNull();
  });

  it('ignores cursors that are not integers in range', () => {
    for (const cursor of [-1, 1.5, MAX_CURSOR + 1, Number.NaN, Infinity, '3', null, 2n])
      expect(parseHostMessage({ ...state, cursor }), String(cursor)).toBeNull();
  });

  it('ignores wrong types, missing fields and extra fields', () => {
    const without = (key: string) =>
      Object.fromEntries(Object.entries(state).filter(([k]) => k !== key));
    const noBlank = without('blank');
    const noRev = without('rev');
    for (const bad of [
      { ...state, blank: 'false' },
      { ...state, presenting: 1 },
      { ...state, rev: 'short' },
      { ...state, rev: 12345678 },
      noBlank,
      noRev,
      { ...state, extra: true },
      { v: 1, type: 'bye', cursor: 0 },
      { ...scenario, scenario: null },
      { ...scenario, scenario: 'format: 1' },
      { ...scenario, scenario: [] },
      { ...state, scenario: {} },
    ])
      expect(parseHostMessage(bad), JSON.stringify(bad)).toBeNull();
  });

  it('ignores objects that are not plain records', () => {
    class Fake {
      v = 1;
      type = 'bye';
    }
    expect(parseHostMessage(new Fake())).toBeNull();
    expect(
      parseHostMessage(Object.assign(Object.create(null) as object, { v: 1, type: 'bye' })),
    ).toEqual({ v: 1, type: 'bye' });
  });
});

describe('parseSpeakerMessage', () => {
  it('accepts hello, ping, every nav action and blank', () => {
    const good: SpeakerMessage[] = [
      { v: 1, type: 'hello' },
      { v: 1, type: 'ping' },
      { v: 1, type: 'nav', action: 'next' },
      { v: 1, type: 'nav', action: 'prev' },
      { v: 1, type: 'nav', action: 'nextChapter' },
      { v: 1, type: 'nav', action: 'prevChapter' },
      { v: 1, type: 'blank', on: true },
      { v: 1, type: 'blank', on: false },
    ];
    for (const m of good) expect(parseSpeakerMessage(m)).toEqual(m);
  });

  it('ignores malformed ones', () => {
    for (const bad of [
      { v: 1, type: 'nav', action: 'exit' },
      { v: 1, type: 'nav', action: 'toString' },
      { v: 1, type: 'nav', action: 'NEXT' },
      { v: 1, type: 'nav' },
      { v: 1, type: 'nav', action: 'next', step: 3 },
      { v: 1, type: 'blank', on: 'true' },
      { v: 1, type: 'blank' },
      { v: 1, type: 'hello', scenario: {} },
      { v: 1, type: 'ping', cursor: 0 },
      { v: 0, type: 'hello' },
      { type: 'hello' },
      { v: 1, type: 'state', rev: REV, ...view },
      { v: 1, type: 'goto', step: 3 },
      { v: 1, type: '__proto__' },
      null,
      'hello',
    ])
      expect(parseSpeakerMessage(bad), JSON.stringify(bad)).toBeNull();
  });
});
