/**
 * Video export, on the real page: Export → "Video (WebM)…" opens a dialog; Record saves
 * `structops-lab_<id>_steps-<a>-<b>.webm`, a WebM that a <video> element plays for about
 * steps × seconds, one picture per step; Cancel saves nothing and leaves the viewer where it
 * was; the dialog is a keyboard citizen; it works in the embed's dock; and a browser without
 * a WebCodecs VideoEncoder is told video export is not available instead of crashing.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, test, libraryScenarios, watchErrors } from './support';

const ID = 'teach-ebusy';
const TOTAL = libraryScenarios().find((s) => s.id === ID)?.steps.length ?? 0;
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];

async function openVideoDialog(page: Page) {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Video (WebM)…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export a video' });
  await expect(dialog).toBeVisible();
  return dialog;
}

interface Playback {
  readonly duration: number;
  readonly reportedAtLoad: number | null;
  readonly width: number;
  readonly height: number;
  /** For each pair of sample times, the share of pixels that differ clearly. */
  readonly changed: readonly (readonly [number, number, number])[];
}

/**
 * Plays the file in a <video> in the page. Should the element not know the duration at once
 * (it says Infinity for a WebM without one in its header), seeking to the end tells it. Also
 * compares frames sampled at `times`.
 */
async function play(page: Page, download: Download, times: readonly number[]): Promise<Playback> {
  const base64 = readFileSync(await download.path()).toString('base64');
  return page.evaluate(
    async ({ base64, times }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const video = document.createElement('video');
      video.muted = true;
      video.src = URL.createObjectURL(new Blob([bytes], { type: 'video/webm' }));
      const once = (event: string) =>
        new Promise<void>((resolve, reject) => {
          video.addEventListener(event, () => resolve(), { once: true });
          video.addEventListener('error', () => reject(new Error('the video does not load')), {
            once: true,
          });
        });
      await once('loadedmetadata');
      const reportedAtLoad = Number.isFinite(video.duration) ? video.duration : null;
      if (!Number.isFinite(video.duration)) {
        const seeked = once('seeked');
        video.currentTime = Number.MAX_SAFE_INTEGER;
        await seeked;
      }
      const duration = video.duration;
      const w = video.videoWidth;
      const h = video.videoHeight;
      const frames: Uint8ClampedArray[] = [];
      for (const t of times) {
        const seeked = once('seeked');
        video.currentTime = t;
        await seeked;
        const canvas = document.createElement('canvas');
        canvas.width = w;
        canvas.height = h;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no canvas');
        ctx.drawImage(video, 0, 0);
        frames.push(ctx.getImageData(0, 0, w, h).data);
      }
      const changed: [number, number, number][] = [];
      for (let i = 0; i < frames.length; i++)
        for (let j = i + 1; j < frames.length; j++) {
          const a = frames[i];
          const b = frames[j];
          if (!a || !b) continue;
          let n = 0;
          for (let k = 0; k < a.length; k += 4) {
            const d = Math.max(
              Math.abs((a[k] ?? 0) - (b[k] ?? 0)),
              Math.abs((a[k + 1] ?? 0) - (b[k + 1] ?? 0)),
              Math.abs((a[k + 2] ?? 0) - (b[k + 2] ?? 0)),
            );
            if (d > 64) n++;
          }
          changed.push([i, j, n / (a.length / 4)]);
        }
      return { duration, reportedAtLoad, width: w, height: h, changed };
    },
    { base64, times },
  );
}

test('records a range of steps as a WebM of steps × seconds, one picture per step', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  await page.goto(`/?scenario=${ID}&step=3`);
  await expect(page.getByTestId('step-counter')).toHaveText(`3 / ${TOTAL}`);
  // The user stands one event before the end of step 3, with a node selected: both come back.
  await page.getByRole('button', { name: 'Previous event' }).click();
  const eventHere = await page.getByTestId('event-counter').textContent();
  const node = page.getByTestId('node.map.map_b');
  await node.click();
  await expect(node).toHaveAttribute('aria-pressed', 'true');
  const dialog = await openVideoDialog(page);
  // It opens on the step on screen, to the end, and puts the focus in its first field.
  await expect(dialog.getByLabel('From step')).toBeFocused();
  await expect(dialog.getByLabel('From step')).toHaveValue('3');
  await expect(dialog.getByLabel('to step')).toHaveValue(String(TOTAL));
  await expect(dialog.getByLabel('Include the narration as a caption')).toBeChecked();

  await dialog.getByLabel('From step').fill('2');
  await dialog.getByLabel('to step').fill('4');
  await dialog.getByLabel('Seconds per step').fill('0.5');
  await expect(dialog.getByTestId('video-summary')).toContainText('3 steps, 1.5 s of video');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    dialog.getByRole('button', { name: 'Record' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`structops-lab_${ID}_steps-2-4.webm`);
  const bytes = readFileSync(await download.path());
  expect([...bytes.subarray(0, 4)]).toEqual(EBML_MAGIC);
  expect(bytes.length).toBeGreaterThan(20_000);
  await expect(dialog.getByTestId('video-status')).toHaveText(
    new RegExp(`^Saved structops-lab_${ID}_steps-2-4\\.webm \\(\\d+(\\.\\d)? [KM]B\\)\\.$`),
  );
  // The viewer is back on the user's step and event, with the same node selected.
  await expect(page.getByTestId('step-counter')).toHaveText(`3 / ${TOTAL}`);
  await expect(page.getByTestId('event-counter')).toHaveText(eventHere ?? '');
  await expect(node).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).not.toHaveAttribute('data-graph-still');

  // Step 2 at 0.25 s, again at 0.45 s; step 3 at 0.75 s; step 4 at 1.25 s and near the end.
  const v = await play(page, download, [0.25, 0.45, 0.75, 1.25, 1.45]);
  expect([v.width, v.height]).toEqual([1280, 720]);
  expect(v.duration).toBeGreaterThan(1.5 - 0.2);
  expect(v.duration).toBeLessThan(1.5 + 0.3);
  const share = (i: number, j: number) => v.changed.find(([a, b]) => a === i && b === j)?.[2];
  // Within a step the picture holds (at most encoder noise: measured 0 to 0.0003 %); between
  // steps the caption (and here the graph) changes: measured about 4 % of the pixels.
  expect(share(0, 1)).toBeLessThan(0.0005);
  expect(share(3, 4)).toBeLessThan(0.0005);
  expect(share(0, 2)).toBeGreaterThan(0.01);
  expect(share(2, 3)).toBeGreaterThan(0.01);
  expect(share(0, 3)).toBeGreaterThan(0.01);
  expect(errors).toEqual([]);
});

/** Change marks the d3 transitions leave on the graph (as in a11y.spec.ts's reduced motion). */
const ANIMATED =
  '.node-pulse[style*="opacity"], path.edge-line[stroke-dashoffset], .delta[transform]';

test('while steps are copied for a video, the change marks stand still', async ({ page }) => {
  // Copying draws each step and takes it at once: a mark caught mid-transition (an edge
  // half drawn in) would not be what the screen shows. Stepping normally animates them…
  await page.goto(`/?scenario=${ID}&step=1`);
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(`2 / ${TOTAL}`);
  await expect.poll(() => page.locator(ANIMATED).count()).toBeGreaterThan(0);
  // …and held still (what the copying does), it does not.
  await page.goto(`/?scenario=${ID}&step=1`);
  await page.evaluate(() => document.documentElement.setAttribute('data-graph-still', ''));
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(`2 / ${TOTAL}`);
  await page.waitForTimeout(300);
  expect(await page.locator(ANIMATED).count()).toBe(0);
  await expect(page.locator('.node-changed')).not.toHaveCount(0);
});

test('Cancel stops the recording: no file, the viewer where it was', async ({ page }) => {
  const { errors } = watchErrors(page);
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  // A long range at the largest size, so that there is time to cancel.
  const LONG = 'scx-layered-refresh';
  const total = libraryScenarios().find((s) => s.id === LONG)?.steps.length ?? 0;
  expect(total).toBeGreaterThan(20);
  await page.goto(`/?scenario=${LONG}&step=1`);
  await expect(page.getByTestId('step-counter')).toHaveText(`1 / ${total}`);
  const dialog = await openVideoDialog(page);
  await dialog.getByLabel('Size').selectOption({ label: '1920 × 1080 (1080p)' });
  await dialog.getByRole('button', { name: 'Record' }).click();
  const progress = dialog.getByRole('progressbar');
  await expect(progress).toHaveAttribute(
    'aria-valuetext',
    new RegExp(`^(Preparing|Recording) step \\d+ of ${total}$`),
  );
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(dialog.getByLabel('From step')).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByTestId('video-status')).toHaveText('Cancelled: no video was saved.');
  await expect(progress).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Record' })).toBeFocused();
  await expect(page.getByTestId('step-counter')).toHaveText(`1 / ${total}`);
  await expect(page).toHaveURL(/[?&]step=1(&|$)/);
  // Longer than the encoder would have needed to finish the file.
  await page.waitForTimeout(1500);
  expect(downloads).toEqual([]);
  expect(errors).toEqual([]);
});

test('the dialog is a keyboard citizen: keys stay in it, Escape closes it', async ({ page }) => {
  await page.goto(`/?scenario=${ID}&step=3`);
  const exportButton = page.getByRole('button', { name: 'Export', exact: true });
  await exportButton.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await expect(page.getByRole('menuitem', { name: 'Video (WebM)…' })).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Export a video' });
  await expect(dialog.getByLabel('From step')).toBeFocused();
  expect(await dialog.evaluate((d) => d.matches(':modal'))).toBe(true);
  // Arrow keys and Space on the dialog's buttons do not step or play the viewer behind it.
  await dialog.getByRole('button', { name: 'Close' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('End');
  await expect(page.getByTestId('step-counter')).toHaveText(`3 / ${TOTAL}`);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(exportButton).toBeFocused();
  // The settings are kept for the next time; the range starts from the step on screen again.
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(`4 / ${TOTAL}`);
  const again = await openVideoDialog(page);
  await expect(again.getByLabel('From step')).toHaveValue('4');
});

test('works in the embed’s dock', async ({ page }) => {
  const { errors } = watchErrors(page);
  await page.setViewportSize({ width: 800, height: 450 });
  await page.goto(`/?scenario=${ID}&step=2&embed=1`);
  await expect(page.getByTestId('step-counter')).toHaveText(`2 / ${TOTAL}`);
  const dialog = await openVideoDialog(page);
  await dialog.getByLabel('From step').fill('1');
  await dialog.getByLabel('to step').fill('2');
  await dialog.getByLabel('Seconds per step').fill('0.5');
  await dialog.getByLabel('Size').selectOption({ label: '1920 × 1080 (1080p)' });
  await dialog.getByLabel('Include the narration as a caption').uncheck();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    dialog.getByRole('button', { name: 'Record' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`structops-lab_${ID}_steps-1-2.webm`);
  expect([...readFileSync(await download.path()).subarray(0, 4)]).toEqual(EBML_MAGIC);
  const v = await play(page, download, [0.25]);
  expect([v.width, v.height]).toEqual([1920, 1080]);
  expect(v.duration).toBeGreaterThan(0.8);
  expect(v.duration).toBeLessThan(1.3);
  await expect(page.getByTestId('step-counter')).toHaveText(`2 / ${TOTAL}`);
  expect(errors).toEqual([]);
});

test('without a VideoEncoder, the menu says video export is not available', async ({ page }) => {
  const { errors } = watchErrors(page);
  await page.addInitScript(() => {
    Reflect.deleteProperty(window, 'VideoEncoder');
  });
  await page.goto(`/?scenario=${ID}&step=1`);
  await page.getByRole('button', { name: 'Export', exact: true }).focus();
  await page.keyboard.press('Enter');
  const item = page.getByRole('menuitem', { name: 'Video: not available in this browser' });
  await expect(item).toHaveAttribute('aria-disabled', 'true');
  await expect(item).toHaveAttribute('title', /no WebCodecs VideoEncoder/);
  // Disabled, it still takes the focus in the menu (so its explanation is read), and does nothing.
  await page.keyboard.press('End');
  await expect(item).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Export a video' })).toHaveCount(0);
  // The pictures still export.
  await expect(page.getByRole('menuitem', { name: 'SVG', exact: true })).toBeEnabled();
  expect(errors).toEqual([]);
});

test('the browser is asked about video only when the reader reaches for Export', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  // Counts the support checks and holds their answers until the test lets them through.
  await page.addInitScript(() => {
    const w = window as unknown as { __videoChecks: number; __releaseVideo: () => void };
    w.__videoChecks = 0;
    let release: () => void = () => {};
    const released = new Promise<void>((r) => {
      release = r;
    });
    w.__releaseVideo = release;
    const check = VideoEncoder.isConfigSupported.bind(VideoEncoder);
    VideoEncoder.isConfigSupported = async (config: VideoEncoderConfig) => {
      w.__videoChecks += 1;
      await released;
      return check(config);
    };
  });
  const checks = () =>
    page.evaluate(() => (window as unknown as { __videoChecks: number }).__videoChecks);
  await page.goto(`/?scenario=${ID}&step=2`);
  await expect(page.getByTestId('step-counter')).toHaveText(`2 / ${TOTAL}`);
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(`3 / ${TOTAL}`);
  expect(await checks()).toBe(0);
  // Opening the menu asks; until the browser answers, the item says so and does nothing.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const pending = page.getByRole('menuitem', { name: 'Video: checking this browser…' });
  await expect(pending).toHaveAttribute('aria-disabled', 'true');
  expect(await checks()).toBeGreaterThan(0);
  await page.keyboard.press('End');
  await expect(pending).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Export a video' })).toHaveCount(0);
  // The answer turns the same item into the video item.
  await page.evaluate(() => (window as unknown as { __releaseVideo: () => void }).__releaseVideo());
  await page.getByRole('menuitem', { name: 'Video (WebM)…' }).click();
  await expect(page.getByRole('dialog', { name: 'Export a video' })).toBeVisible();
  expect(errors).toEqual([]);
});
