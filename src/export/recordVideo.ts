/**
 * Records captured steps (./videoSteps) as a video. First every frame is drawn (./videoFrame:
 * the heavy part, where the browser rasterizes each step's graph) and kept as a PNG; then a
 * `MediaRecorder` records a canvas's `captureStream` while the frames are shown in turn, each
 * decoded ahead of its time off the main thread, so that recording does little more than hand
 * pictures to the encoder. Frames are asked for at a steady rate and on each change of step
 * (./videoSchedule), so every step lasts its seconds in the file; should a picture not be ready
 * in time, the recorder pauses until it is, so that no step is cut short. Loaded on demand (a
 * dynamic import) by the video dialog.
 */
import { captionSizes, fitCaptions } from './videoCaption';
import type { VideoFormat } from './videoFormat';
import { canvasMeasure, captionPadX, composeFrame, readFrameTheme } from './videoFrame';
import { frameLayout, unionRect } from './videoGeometry';
import { nextFrameDelay, planVideo, stepAt } from './videoSchedule';
import { cancelledError, type CapturedStep } from './videoSteps';

export interface RecordProgress {
  /** Drawing the frames, then recording them. */
  readonly phase: 'drawing' | 'recording';
  /** The k-th of n. */
  readonly k: number;
  readonly n: number;
}

export interface RecordOptions {
  readonly steps: readonly CapturedStep[];
  readonly secondsPerStep: number;
  readonly width: number;
  readonly height: number;
  /** Write each step's caption in a band under the graph. */
  readonly caption: boolean;
  readonly format: VideoFormat;
  readonly signal: AbortSignal;
  readonly onProgress: (progress: RecordProgress) => void;
}

/** The caption band's tallest height, as a share of the frame. */
const MAX_BAND_SHARE = 0.4;

/** How long the stream stays open after the last frame is asked for (it is taken later). */
const FINAL_FRAME_GRACE_MS = 250;

/** How long the recorder may take to start before the browser is deemed unable to record. */
const START_TIMEOUT_MS = 10_000;

/** Bits per second: plenty for still drawings with text. */
function bitrate(width: number, height: number): number {
  return Math.round(width * height * 5);
}

/** Waits `ms`, or less if `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(id);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const id = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

function pngOf(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('the canvas made no picture'))),
      'image/png',
    );
  });
}

/** Every frame of the video, drawn and kept as PNG (module comment). */
async function drawFrames(o: RecordOptions): Promise<Blob[]> {
  const { width, height } = o;
  const theme = readFrameTheme();
  const probe = document.createElement('canvas').getContext('2d');
  if (!probe) throw new Error('no 2D canvas in this browser');
  const measure = canvasMeasure(probe, theme);
  const captions = o.caption
    ? fitCaptions(
        o.steps.map((s) => s.caption),
        width - 2 * captionPadX(width),
        Math.round(height * MAX_BAND_SHARE),
        captionSizes(height),
        measure,
      )
    : null;
  const drawing = unionRect(o.steps.map((s) => s.drawing)) ?? { x: 0, y: 0, w: width, h: height };
  const content = unionRect(o.steps.map((s) => s.content)) ?? drawing;
  const layout = frameLayout(width, height, captions?.height ?? 0, content, drawing);
  const out: Blob[] = [];
  for (const [i, step] of o.steps.entries()) {
    if (o.signal.aborted) throw cancelledError();
    const canvas = await composeFrame(
      step.svg,
      captions?.layouts[i] ?? null,
      layout,
      width,
      height,
      theme,
      measure,
    );
    out.push(await pngOf(canvas));
    canvas.width = 0;
    canvas.height = 0;
    o.onProgress({ phase: 'drawing', k: i + 1, n: o.steps.length });
  }
  return out;
}

/** Decoded frames, asked for ahead of their time and closed once shown. */
function pictures(pngs: readonly Blob[]) {
  const pending = new Map<number, Promise<ImageBitmap>>();
  const ready = new Map<number, ImageBitmap>();
  return {
    get(i: number): Promise<ImageBitmap> {
      let p = pending.get(i);
      if (!p) {
        const png = pngs[i];
        p = png
          ? createImageBitmap(png).then((b) => {
              ready.set(i, b);
              return b;
            })
          : Promise.reject(new Error(`no frame ${i} in this video`));
        // A frame decoded ahead and never waited for must not report an unhandled rejection.
        p.catch(() => undefined);
        pending.set(i, p);
      }
      return p;
    },
    ready: (i: number) => ready.has(i),
    closeBefore(i: number) {
      for (const [k, b] of ready)
        if (k < i) {
          b.close();
          ready.delete(k);
          pending.delete(k);
        }
    },
    closeAll() {
      for (const b of ready.values()) b.close();
      ready.clear();
      pending.clear();
    },
  };
}

/** Records the steps; resolves to the video, rejects with an AbortError when cancelled. */
export async function recordVideo(o: RecordOptions): Promise<Blob> {
  const n = o.steps.length;
  if (n === 0) throw new Error('there are no steps to record');
  const pngs = await drawFrames(o);
  if (o.signal.aborted) throw cancelledError();

  const canvas = document.createElement('canvas');
  canvas.width = o.width;
  canvas.height = o.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas in this browser');
  const plan = planVideo(n, o.secondsPerStep);
  const frames = pictures(pngs);
  let current = await frames.get(0);
  ctx.drawImage(current, 0, 0);

  // Frames on request where the browser can (every frame then is one we asked for); else a
  // stream at the plan's rate, which takes the canvas as it is each time it is redrawn.
  let stream = canvas.captureStream(0);
  let track = stream.getVideoTracks()[0];
  const requestable = (t: MediaStreamTrack | undefined): t is CanvasCaptureMediaStreamTrack =>
    t !== undefined &&
    typeof (t as Partial<CanvasCaptureMediaStreamTrack>).requestFrame === 'function';
  if (!requestable(track)) {
    stream.getTracks().forEach((t) => t.stop());
    stream = canvas.captureStream(plan.fps);
    track = stream.getVideoTracks()[0];
  }
  const requestFrame = requestable(track) ? () => track.requestFrame() : () => undefined;

  const chunks: Blob[] = [];
  let recorder: MediaRecorder;
  try {
    recorder = new MediaRecorder(stream, {
      mimeType: o.format.mimeType,
      videoBitsPerSecond: bitrate(o.width, o.height),
    });
  } catch (e) {
    stream.getTracks().forEach((t) => t.stop());
    frames.closeAll();
    throw e;
  }
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((resolve, reject) => {
    recorder.onstop = () => resolve();
    recorder.onerror = () => reject(new Error('the browser stopped the recording'));
  });
  stopped.catch(() => undefined);
  const started = new Promise<boolean>((resolve) => {
    recorder.onstart = () => resolve(true);
    setTimeout(() => resolve(false), START_TIMEOUT_MS);
  });

  try {
    // The video's time starts with its first frame: the canvas as it is when the recorder
    // starts (the first step, drawn above), though the recorder says it started a bit later.
    const start = performance.now();
    recorder.start(1000);
    if (!(await started)) throw new Error('the browser did not start recording');
    let paused = 0;
    const now = () => performance.now() - start - paused;
    let shown = -1;
    for (;;) {
      if (o.signal.aborted) throw cancelledError();
      const i = stepAt(plan, now());
      if (i === null) break;
      if (i !== shown) {
        if (!frames.ready(i)) {
          // Not decoded in time: stop the clock of the video until it is.
          recorder.pause();
          const t = performance.now();
          current = await frames.get(i);
          paused += performance.now() - t;
          if (o.signal.aborted) throw cancelledError();
          recorder.resume();
        } else current = await frames.get(i);
        frames.closeBefore(i);
        shown = i;
        o.onProgress({ phase: 'recording', k: i + 1, n });
        if (i + 1 < n) void frames.get(i + 1);
      }
      ctx.drawImage(current, 0, 0);
      requestFrame();
      await sleep(nextFrameDelay(plan, now()), o.signal);
    }
    // The last frame, at the very end: it sets the video's duration. A requested frame is
    // taken at the page's next rendering, so the track must outlive it a little.
    ctx.drawImage(current, 0, 0);
    requestFrame();
    await sleep(FINAL_FRAME_GRACE_MS, o.signal);
    if (o.signal.aborted) throw cancelledError();
    recorder.stop();
    await stopped;
    const video = new Blob(chunks, { type: recorder.mimeType || o.format.mimeType });
    if (video.size === 0) throw new Error('the browser recorded nothing');
    return video;
  } catch (e) {
    if (recorder.state !== 'inactive') recorder.stop();
    chunks.length = 0;
    throw e;
  } finally {
    stream.getTracks().forEach((t) => t.stop());
    frames.closeAll();
  }
}
