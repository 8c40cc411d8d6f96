import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SCENARIO_BYTES } from '../scenario/limits';
import {
  envelop,
  MAX_STEP,
  pinnedOrigin,
  PROTOCOL,
  PROTOCOL_VERSION,
  receiveCommand,
  receiveEvent,
} from './protocol';

const msg = (body: Record<string, unknown>) => ({
  protocol: PROTOCOL,
  v: PROTOCOL_VERSION,
  ...body,
});

describe('receiveCommand', () => {
  it('accepts every command with a valid body', () => {
    const good = [
      { type: 'goto', step: 0 },
      { type: 'goto', step: 42 },
      { type: 'next' },
      { type: 'prev' },
      { type: 'first' },
      { type: 'last' },
      { type: 'play' },
      { type: 'pause' },
      { type: 'get-state' },
      { type: 'set-theme', theme: 'dark' },
      { type: 'load', text: 'id: x' },
      { type: 'load', text: 'id: x', name: 'x.yaml' },
      { type: 'load-error', name: 'x.yaml', message: 'HTTP 404' },
    ];
    for (const body of good) {
      const r = receiveCommand(msg(body));
      expect(r, JSON.stringify(body)).toEqual({ kind: 'ok', message: msg(body) });
    }
  });

  it('ignores what is not ours, silently', () => {
    for (const data of [
      null,
      undefined,
      3,
      'goto',
      [],
      [PROTOCOL],
      { type: 'goto', step: 1 },
      { protocol: 'other', v: 1, type: 'goto', step: 1 },
      Object.create({ protocol: PROTOCOL }),
    ]) {
      expect(receiveCommand(data)).toEqual({ kind: 'foreign' });
    }
  });

  it('refuses malformed commands, naming the request and the field', () => {
    const cases: [Record<string, unknown>, string | null, RegExp][] = [
      [{ type: 'goto', step: -1 }, 'goto', /step/],
      [{ type: 'goto', step: 1.5 }, 'goto', /step/],
      [{ type: 'goto', step: '3' }, 'goto', /step/],
      [{ type: 'goto', step: MAX_STEP + 1 }, 'goto', /step/],
      [{ type: 'goto', step: Number.NaN }, 'goto', /step/],
      [{ type: 'goto' }, 'goto', /step/],
      [{ type: 'set-theme', theme: 'sepia' }, 'set-theme', /theme/],
      [{ type: 'load', text: 7 }, 'load', /text/],
      [{ type: 'load', text: 'x'.repeat(MAX_SCENARIO_BYTES + 1) }, 'load', /text/],
      [{ type: 'explode' }, 'explode', /./],
      [{ step: 1 }, null, /./],
    ];
    for (const [body, request, reason] of cases) {
      const r = receiveCommand(msg(body));
      expect(r.kind, JSON.stringify(body).slice(0, 80)).toBe('invalid');
      if (r.kind === 'invalid') {
        expect(r.request).toBe(request);
        expect(r.reason).toMatch(reason);
      }
    }
  });

  it('refuses another protocol version', () => {
    const r = receiveCommand({ protocol: PROTOCOL, v: 2, type: 'play' });
    expect(r).toMatchObject({ kind: 'invalid', request: 'play' });
    if (r.kind === 'invalid') expect(r.reason).toMatch(/version 2/);
  });

  it('never throws and never accepts junk (fuzz)', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const r = receiveCommand(junk);
        if (r.kind === 'ok') {
          // Only a well-formed command can get through.
          expect(r.message.protocol).toBe(PROTOCOL);
          expect(typeof r.message.type).toBe('string');
        }
      }),
      { seed: 7, numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.record({ type: fc.string(), step: fc.anything(), theme: fc.anything() }),
        (body) => {
          const r = receiveCommand(msg(body));
          expect(r.kind).not.toBe('foreign');
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('receiveEvent', () => {
  it('accepts the events a frame sends', () => {
    const events = [
      envelop({
        type: 'ready',
        scenario: 'teach-ebusy',
        title: 'EBUSY',
        step: 0,
        steps: 7,
        playing: false,
      }),
      envelop({
        type: 'step',
        scenario: 'teach-ebusy',
        step: 3,
        steps: 7,
        playing: true,
        say: 'A second association fails with `-EBUSY`.',
      }),
      envelop({
        type: 'error',
        message: 'invalid scenario',
        request: 'load',
        issues: [{ line: 3, column: 5, message: 'unknown op' }],
      }),
    ];
    for (const e of events) expect(receiveEvent(e)).toEqual({ kind: 'ok', message: e });
  });

  it('refuses an event with a wrong field', () => {
    expect(receiveEvent(msg({ type: 'step', scenario: 'x', step: 1, steps: 2 })).kind).toBe(
      'invalid',
    );
    expect(
      receiveEvent(msg({ type: 'ready', scenario: 'x', title: 't', step: 1, steps: 2, playing: 1 }))
        .kind,
    ).toBe('invalid');
  });
});

describe('pinnedOrigin', () => {
  it('is any page without a pin', () => {
    expect(pinnedOrigin(null)).toBe('*');
    expect(pinnedOrigin('')).toBe('*');
  });
  it('is the origin when the pin is one', () => {
    expect(pinnedOrigin('https://docs.example.org')).toBe('https://docs.example.org');
    expect(pinnedOrigin('http://localhost:4173')).toBe('http://localhost:4173');
  });
  it('switches the API off for anything else, never widening', () => {
    for (const bad of [
      'docs.example.org',
      'https://docs.example.org/',
      'https://docs.example.org/page',
      'javascript:alert(1)',
      'null',
      '*',
      'file:///tmp',
    ]) {
      expect(pinnedOrigin(bad), bad).toBeNull();
    }
  });
});
