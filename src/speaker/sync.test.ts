/**
 * The two windows' shared ground: the presenting window sends the scenario it runs (with a
 * console branch), the speaker window accepts only what validates and gets the same timeline,
 * and the presenting window carries out `nav` requests by step and by chapter.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssues, parseScenario } from '../scenario/parse';
import { MAX_SCENARIO_BYTES } from '../scenario/limits';
import type { Scenario } from '../scenario/schema';
import { createSimStore } from '../store/createSimStore';
import { nextStepPoint, pointForStep } from '../store/timeline';
import { navigate, runningScenario, speakerUrl } from './useSpeakerHost';
import { acceptScenario } from './useSpeakerLink';

function library(id: string): Scenario {
  const file = fileURLToPath(new URL(`../scenario/library/${id}.yaml`, import.meta.url));
  const r = parseScenario(readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(formatIssues(r.issues, file));
  return r.scenario;
}

const DEFAULT = library('scx-layered-refresh');

describe('speakerUrl', () => {
  it('is this page with the channel id, keeping only the theme', () => {
    expect(speakerUrl('abcdefgh', { pathname: '/lab/', search: '?scenario=x&present=1' })).toBe(
      '/lab/?speaker=abcdefgh',
    );
    expect(speakerUrl('abcdefgh', { pathname: '/', search: '?theme=dark&step=3' })).toBe(
      '/?speaker=abcdefgh&theme=dark',
    );
  });
});

describe('the scenario a presentation sends', () => {
  it('is accepted and runs to the same timeline in the speaker window', async () => {
    const host = createSimStore(DEFAULT, 5);
    const sent: unknown = structuredClone(runningScenario(host.getState()));
    const r = await acceptScenario(sent);
    if (!r.ok) throw new Error(r.message);
    const speaker = createSimStore(r.scenario);
    const a = host.getState().timeline;
    const b = speaker.getState().timeline;
    expect(b.points.length).toBe(a.points.length);
    expect(b.stepEnd).toEqual(a.stepEnd);
    expect(b.frames.map((f) => f.label)).toEqual(a.frames.map((f) => f.label));
    speaker.getState().goto(host.getState().cursor);
    expect(speaker.getState().cursor).toBe(pointForStep(a, 5));
  });

  it('carries a console branch: the speaker window runs the same steps', async () => {
    const host = createSimStore(library('teach-ebusy'), 3);
    await host.getState().runCommand('settle');
    const s = host.getState();
    expect(s.branch).not.toBeNull();
    const running = runningScenario(s);
    expect(running.steps.length).toBe(4);
    expect(running.steps.at(-1)?.op).toBe('settle');
    const r = await acceptScenario(structuredClone(running));
    if (!r.ok) throw new Error(r.message);
    const speaker = createSimStore(r.scenario);
    expect(speaker.getState().timeline.points.length).toBe(s.timeline.points.length);
  });

  it('without a branch is the store’s own scenario', () => {
    const s = createSimStore(DEFAULT).getState();
    expect(runningScenario(s)).toBe(s.scenario);
  });

  it('is refused when it does not validate, is not plain data, or is too large', async () => {
    const broken = { ...structuredClone(DEFAULT), steps: [{ op: 'no_such_op', say: 'x' }] };
    const a = await acceptScenario(broken);
    expect(a.ok).toBe(false);
    const b = await acceptScenario({ format: 1, id: 2n });
    expect(b).toEqual({ ok: false, message: 'it is not plain data' });
    const huge = { ...structuredClone(DEFAULT), summary: 'x'.repeat(MAX_SCENARIO_BYTES) };
    const c = await acceptScenario(huge);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.message).toMatch(/the limit is 256 KiB/);
  });

  it('keeps markup in notes as text (it is data, not HTML)', async () => {
    const tricky = structuredClone(DEFAULT);
    const first = tricky.steps[0];
    if (!first) throw new Error('no step');
    tricky.steps[0] = { ...first, notes: '<img src=x onerror=alert(1)> and `code`' };
    const r = await acceptScenario(tricky);
    if (!r.ok) throw new Error(r.message);
    expect(r.scenario.steps[0]?.notes).toBe('<img src=x onerror=alert(1)> and `code`');
  });
});

describe('navigate (a speaker window’s request, carried out by the presentation)', () => {
  it('steps forward and back by whole steps', () => {
    const store = createSimStore(DEFAULT);
    const t = store.getState().timeline;
    navigate(store, 'next');
    expect(store.getState().cursor).toBe(t.stepEnd[0]);
    navigate(store, 'next');
    expect(store.getState().cursor).toBe(t.stepEnd[1]);
    navigate(store, 'prev');
    expect(store.getState().cursor).toBe(t.stepEnd[0]);
    // Mid-step, next finishes the step (as the speaker view's "next" preview says).
    const long = t.stepStart.findIndex((start, i) => (t.stepEnd[i] ?? start) > start);
    expect(long).toBeGreaterThanOrEqual(0);
    const mid = t.stepStart[long] ?? 0;
    store.getState().goto(mid);
    navigate(store, 'next');
    expect(store.getState().cursor).toBe(t.stepEnd[long]);
    expect(nextStepPoint(t, mid)).toBe(t.stepEnd[long]);
  });

  it('moves by chapter like the presentation’s [ and ]', () => {
    const store = createSimStore(DEFAULT);
    const t = store.getState().timeline;
    const starts = t.frames.flatMap((f, i) => (f.step.chapter ? [i] : []));
    expect(starts.length).toBeGreaterThan(2);
    const [c1, c2] = starts;
    if (c1 === undefined || c2 === undefined) throw new Error('chapters');
    navigate(store, 'nextChapter');
    expect(store.getState().cursor).toBe(pointForStep(t, c1 + 1));
    navigate(store, 'nextChapter');
    expect(store.getState().cursor).toBe(pointForStep(t, c2 + 1));
    navigate(store, 'prevChapter');
    expect(store.getState().cursor).toBe(pointForStep(t, c1 + 1));
    // At the last chapter, "next chapter" stays put.
    store.getState().gotoStep((starts.at(-1) ?? 0) + 1);
    const before = store.getState().cursor;
    navigate(store, 'nextChapter');
    expect(store.getState().cursor).toBe(before);
  });
});
