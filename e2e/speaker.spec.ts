/**
 * The speaker view: a second window (S, or the present bar's button) that shows the current
 * and next step, the speaker notes and a timer, kept in step with the presenting window in
 * both directions over a BroadcastChannel of its own; it says when the presentation is gone
 * and finds it again when it comes back, ignores malformed messages, and never mixes up two
 * presentations in two tabs.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test, runOf, watchErrors } from './support';

/** Narration and notes as the page shows them: `code` marks are drawn, not printed. */
function plain(text: string | undefined): string {
  if (text === undefined) throw new Error('no text');
  return text.replaceAll('`', '');
}

/** Opens the speaker view by `how` (a key or a click) and waits until it is connected. */
async function openSpeaker(
  context: BrowserContext,
  how: () => Promise<void>,
): Promise<{ speaker: Page; errors: string[] }> {
  const [speaker] = await Promise.all([context.waitForEvent('page'), how()]);
  const { errors } = watchErrors(speaker);
  await expect(speaker.getByTestId('speaker-view')).toBeVisible();
  await expect(speaker.getByTestId('speaker-connection')).toHaveText(
    'Connected to the presentation',
  );
  expect(new URL(speaker.url()).searchParams.get('speaker')).toMatch(/^[0-9a-f]{24}$/);
  return { speaker, errors };
}

test('from presentation mode: current and next step, notes, both windows in step, and the presentation closing', async ({
  page,
  context,
}) => {
  const { errors } = watchErrors(page);
  const id = 'teach-ebusy';
  const run = runOf(id);
  const total = run.frames.length;
  const frame = (n: number) => {
    const f = run.frames[n - 1];
    if (!f) throw new Error(`no step ${n}`);
    return f;
  };
  await page.goto(`/?scenario=${id}&step=2&present=1`);
  await expect(page.getByTestId('presentation')).toBeVisible();
  const counter = page.getByTestId('step-counter');
  const { speaker, errors: speakerErrors } = await openSpeaker(context, () =>
    page.getByRole('button', { name: 'Speaker view' }).click(),
  );

  // The current step: number, narration, graph; the notes; the next step and its preview.
  const step = speaker.getByTestId('speaker-step');
  const current = speaker.getByTestId('speaker-current');
  const notes = speaker.getByTestId('speaker-notes');
  const next = speaker.getByTestId('speaker-next');
  await expect(step).toHaveText(`2 / ${total}`);
  await expect(current).toHaveAttribute('data-step', '2');
  await expect(current.getByTestId('narration')).toContainText(frame(2).label);
  await expect(current.getByTestId('node.prog.helper')).toHaveAttribute('data-assoc', 'map_a');
  await expect(speaker.getByTestId('speaker-chapter')).toHaveText(
    `Chapter 1 of 3: ${frame(1).step.chapter ?? '?'}`,
  );
  await expect(notes).toContainText(plain(frame(2).step.notes));
  await expect(next).toContainText(`3 / ${total}`);
  await expect(next).toContainText(frame(3).label);
  await expect(next.getByTestId('speaker-next-say')).toHaveText(plain(frame(3).step.say));
  await expect(next.getByTestId('graph')).toBeVisible();
  // The preview is a picture: its nodes take no focus.
  await expect(next.locator('[inert]')).toHaveCount(1);
  await expect(speaker).toHaveTitle(`Speaker view: ${run.scenario.title} · structops-lab`);

  // The speaker window drives the presentation: its clicker keys and its buttons.
  await speaker.keyboard.press('PageDown');
  await expect(counter).toHaveText(`3 / ${total}`);
  await expect(step).toHaveText(`3 / ${total}`);
  await expect(notes).toContainText(plain(frame(3).step.notes));
  // Step 4 starts a chapter: the next-step panel says so.
  await expect(next).toContainText(`New chapter: ${frame(4).step.chapter ?? '?'}`);
  await speaker.getByRole('button', { name: 'Next step' }).click();
  await expect(counter).toHaveText(`4 / ${total}`);
  await expect(step).toHaveText(`4 / ${total}`);
  await expect(next).not.toContainText('New chapter');
  await speaker.keyboard.press('ArrowLeft');
  await expect(counter).toHaveText(`3 / ${total}`);
  await speaker.keyboard.press(']');
  await expect(counter).toHaveText(`4 / ${total}`);
  await expect(speaker.getByTestId('speaker-chapter')).toHaveText(
    `Chapter 2 of 3: ${frame(4).step.chapter ?? '?'}`,
  );

  // The presentation drives the speaker window.
  await page.keyboard.press('PageUp');
  await expect(step).toHaveText(`3 / ${total}`);
  await expect(current.getByTestId('narration')).toContainText(frame(3).label);
  await page.keyboard.press('Home');
  await expect(step).toHaveText(`0 / ${total}`);
  await expect(notes).toHaveText(/No notes for this step/);
  await expect(speaker.getByTestId('speaker-chapter')).toHaveText('Before the first step');
  await expect(speaker.getByRole('button', { name: 'Previous step' })).toBeDisabled();
  await page.keyboard.press('End');
  await expect(step).toHaveText(`${total} / ${total}`);
  await expect(next).toContainText('End of scenario');
  await expect(speaker.getByRole('button', { name: 'Next step' })).toBeDisabled();

  // B blanks the audience's screen from either window; both know it.
  await speaker.keyboard.press('b');
  await expect(page.getByTestId('blank-screen')).toBeVisible();
  await expect(speaker.getByTestId('speaker-blank')).toBeVisible();
  await expect(speaker.getByRole('button', { name: 'Blank screen' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.keyboard.press('b');
  await expect(page.getByTestId('blank-screen')).toHaveCount(0);
  await expect(speaker.getByTestId('speaker-blank')).toHaveCount(0);

  // The presentation goes away: the speaker window says so and stops offering moves.
  await page.close();
  await expect(speaker.getByTestId('speaker-connection')).toHaveText(
    'The presentation window is closed',
    // Said at once when the page says goodbye; at the latest when its heartbeat stops.
    { timeout: 10_000 },
  );
  await expect(speaker.getByTestId('speaker-view')).toHaveAttribute('data-connection', 'closed');
  await expect(speaker.getByRole('button', { name: 'Previous step' })).toBeDisabled();
  await expect(step).toHaveText(`${total} / ${total}`);
  expect(errors).toEqual([]);
  expect(speakerErrors).toEqual([]);
});

test('S opens it from the main page; it follows event steps and a console branch; the timer pauses and resets', async ({
  page,
  context,
}) => {
  const id = 'teach-ebusy';
  const run = runOf(id);
  const total = run.frames.length;
  await page.goto(`/?scenario=${id}`);
  await expect(page.getByTestId('graph')).toBeVisible();
  const { speaker, errors } = await openSpeaker(context, () => page.keyboard.press('s'));
  const step = speaker.getByTestId('speaker-step');
  await expect(step).toHaveText(`0 / ${total}`);
  await expect(speaker.getByText('The audience window shows the main page')).toBeVisible();
  // Blanking is for presentation mode only.
  await expect(speaker.getByRole('button', { name: 'Blank screen' })).toBeDisabled();

  // One kernel event into step 1: the next stop is the rest of that step.
  expect(run.frames[0]?.events.length ?? 0).toBeGreaterThan(1);
  // → moves by whole steps; Shift+→ by one kernel event.
  await page.keyboard.press('Shift+ArrowRight');
  await expect(step).toHaveText(`1 / ${total}`);
  await expect(speaker.getByTestId('speaker-next')).toContainText('rest of step 1');
  await expect(speaker.getByTestId('speaker-current').getByTestId('event-why')).toContainText(
    run.frames[0]?.events[0]?.fn ?? '?',
  );

  // A console branch changes the scenario: the speaker window runs the branched one.
  await page.getByTestId('console-input').fill('settle');
  await page.getByTestId('console-input').press('Enter');
  await expect(step).toHaveText('2 / 2');
  await expect(speaker.getByTestId('speaker-current').getByTestId('narration')).toContainText(
    'settle',
  );
  await expect(speaker.getByTestId('speaker-next')).toContainText('End of scenario');

  // The audience window starts presenting: the hint goes.
  await page.getByRole('button', { name: 'Present' }).click();
  await expect(page.getByTestId('presentation')).toBeVisible();
  await expect(speaker.getByText('The audience window shows the main page')).toHaveCount(0);
  await expect(speaker.getByRole('button', { name: 'Blank screen' })).toBeEnabled();

  // The timer: running from the start, paused, reset, resumed; and the wall clock.
  const timer = speaker.getByTestId('speaker-timer');
  await expect(timer).toHaveText(/^\d\d:\d\d$/);
  await speaker.getByRole('button', { name: 'Pause timer' }).click();
  await expect(speaker.getByRole('button', { name: 'Resume timer' })).toBeVisible();
  const held = (await timer.textContent()) ?? '';
  await speaker.waitForTimeout(1500);
  await expect(timer).toHaveText(held);
  await speaker.getByRole('button', { name: 'Reset timer' }).click();
  await expect(timer).toHaveText('00:00');
  await speaker.waitForTimeout(1200);
  await expect(timer).toHaveText('00:00');
  await speaker.getByRole('button', { name: 'Resume timer' }).click();
  await expect(timer).toHaveText('00:01', { timeout: 3000 });
  await expect(speaker.getByRole('button', { name: 'Pause timer' })).toBeVisible();
  await expect(speaker.getByTestId('speaker-clock')).toHaveText(/\d{1,2}:\d\d/);
  expect(errors).toEqual([]);
});

test('two presentations in two tabs do not cross; a reloaded presentation is found again', async ({
  page,
  context,
}) => {
  const ebusy = runOf('teach-ebusy');
  const poison = runOf('teach-poison');
  const other = await context.newPage();
  await page.goto('/?scenario=teach-ebusy&present=1');
  await other.goto('/?scenario=teach-poison&present=1&step=1');
  const a = await openSpeaker(context, () => page.keyboard.press('s'));
  const b = await openSpeaker(context, () => other.keyboard.press('s'));
  expect(a.speaker.url()).not.toBe(b.speaker.url());
  await expect(a.speaker.getByTestId('speaker-scenario')).toHaveText(ebusy.scenario.title);
  await expect(b.speaker.getByTestId('speaker-scenario')).toHaveText(poison.scenario.title);
  const stepA = a.speaker.getByTestId('speaker-step');
  const stepB = b.speaker.getByTestId('speaker-step');
  await expect(stepA).toHaveText(`0 / ${ebusy.frames.length}`);
  await expect(stepB).toHaveText(`1 / ${poison.frames.length}`);

  await a.speaker.keyboard.press('PageDown');
  await expect(page.getByTestId('step-counter')).toHaveText(`1 / ${ebusy.frames.length}`);
  await other.keyboard.press('PageDown');
  await other.keyboard.press('PageDown');
  await expect(stepB).toHaveText(`3 / ${poison.frames.length}`);
  await expect(stepA).toHaveText(`1 / ${ebusy.frames.length}`);
  await expect(other.getByTestId('step-counter')).toHaveText(`3 / ${poison.frames.length}`);

  // The audience page reloads (at its step, from the URL): its speaker window finds it again.
  await page.reload();
  await expect(page.getByTestId('presentation')).toBeVisible();
  await expect(a.speaker.getByTestId('speaker-connection')).toHaveText(
    'Connected to the presentation',
  );
  await page.keyboard.press('PageDown');
  await expect(stepA).toHaveText(`2 / ${ebusy.frames.length}`);
  await a.speaker.keyboard.press('PageDown');
  await expect(page.getByTestId('step-counter')).toHaveText(`3 / ${ebusy.frames.length}`);
  await expect(stepB).toHaveText(`3 / ${poison.frames.length}`);
  expect(a.errors).toEqual([]);
  expect(b.errors).toEqual([]);
});

test('malformed or unknown messages on the channel are ignored by both windows', async ({
  page,
  context,
}) => {
  const total = runOf('teach-ebusy').frames.length;
  await page.goto('/?scenario=teach-ebusy&present=1&step=2');
  const { speaker, errors } = await openSpeaker(context, () => page.keyboard.press('s'));
  const channel = `structops-lab.speaker.${new URL(speaker.url()).searchParams.get('speaker') ?? ''}`;
  const counter = page.getByTestId('step-counter');
  const step = speaker.getByTestId('speaker-step');
  await expect(step).toHaveText(`2 / ${total}`);
  /** Posts messages on the channel from a third party (another page of the same origin). */
  const stranger = await context.newPage();
  await stranger.goto('/embed-example.html');
  const post = (messages: unknown[]) =>
    stranger.evaluate(
      ([name, ms]) => {
        const ch = new BroadcastChannel(name);
        for (const m of ms) ch.postMessage(m);
        ch.close();
      },
      [channel, messages] as const,
    );

  await post([
    { v: 1, type: 'nav', action: 'exit' },
    { v: 2, type: 'nav', action: 'next' },
    { type: 'nav', action: 'next' },
    { v: 1, type: 'nav', action: 'next', extra: 1 },
    { v: 1, type: 'blank', on: 'yes' },
    { v: 1, type: 'state', rev: 'x', cursor: -1, blank: false, presenting: true },
    { v: 1, type: 'state', rev: 'abcdefgh12', cursor: 1.5, blank: false, presenting: true },
    { v: 1, type: 'bye', now: true },
    { v: '1', type: 'bye' },
    'bye',
    null,
    [1, 2, 3],
  ]);
  await page.waitForTimeout(500);
  await expect(counter).toHaveText(`2 / ${total}`);
  await expect(page.getByTestId('blank-screen')).toHaveCount(0);
  await expect(speaker.getByTestId('speaker-connection')).toHaveText(
    'Connected to the presentation',
  );
  // The same channel carries a well-formed request: the presentation follows it.
  await post([{ v: 1, type: 'nav', action: 'next' }]);
  await expect(counter).toHaveText(`3 / ${total}`);
  await expect(step).toHaveText(`3 / ${total}`);
  expect(errors).toEqual([]);
});

test('a speaker view address without a valid id says so', async ({ page }) => {
  const { errors } = watchErrors(page);
  await page.goto('/?speaker=not%20an%20id');
  await expect(page.getByRole('heading', { level: 1, name: 'Speaker view' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('This speaker view address is not valid');
  expect(errors).toEqual([]);
});

test('the speaker view follows a theme switch in the presenting window', async ({
  page,
  context,
}) => {
  await page.goto('/?scenario=teach-ebusy&theme=light');
  await expect(page.getByTestId('graph')).toBeVisible();
  const { speaker, errors } = await openSpeaker(context, () => page.keyboard.press('s'));
  await expect(speaker.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(speaker.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
  await expect(speaker.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(errors).toEqual([]);
});
