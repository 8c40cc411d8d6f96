/**
 * Encodes captured steps (./videoSteps) as a video, with WebCodecs through mediabunny: each
 * step's frame is drawn (./videoFrame: the heavy part, where the browser rasterizes the step's
 * graph), then handed to the encoder stamped with its time in the video, `i × secondsPerStep`,
 * lasting `secondsPerStep`. One frame per step, each a key frame, so a player seeks to any step
 * at once. The times are the file's own, not the clock's: a busy machine makes the export
 * slower, never a step shorter, and the tab need not stay in front. Loaded on demand (a dynamic
 * import) by the video dialog.
 */
import { BufferTarget, CanvasSource, Mp4OutputFormat, Output, WebMOutputFormat } from 'mediabunny';
import { captionSizes, fitCaptions } from './videoCaption';
import type { VideoFormat } from './videoFormat';
import { canvasMeasure, captionPadX, composeFrame, readFrameTheme } from './videoFrame';
import { frameLayout, unionRect } from './videoGeometry';
import { cancelledError, type CapturedStep } from './videoSteps';

export interface RecordProgress {
  /** Encoding the k-th step of n. */
  readonly phase: 'recording';
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

/** Bits per second: plenty for still drawings with text. */
function bitrate(width: number, height: number): number {
  return Math.round(width * height * 5);
}

/** Records the steps; resolves to the video, rejects with an AbortError when cancelled. */
export async function recordVideo(o: RecordOptions): Promise<Blob> {
  const n = o.steps.length;
  if (n === 0) throw new Error('there are no steps to record');
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

  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas in this browser');
  const target = new BufferTarget();
  const output = new Output({
    format:
      o.format.extension === 'mp4'
        ? new Mp4OutputFormat({ fastStart: 'in-memory' })
        : new WebMOutputFormat(),
    target,
  });
  const source = new CanvasSource(canvas, {
    codec: o.format.codec,
    bitrate: bitrate(width, height),
    keyFrameInterval: 0,
  });
  output.addVideoTrack(source);
  try {
    await output.start();
    for (const [i, step] of o.steps.entries()) {
      if (o.signal.aborted) throw cancelledError();
      const frame = await composeFrame(
        step.svg,
        captions?.layouts[i] ?? null,
        layout,
        width,
        height,
        theme,
        measure,
      );
      ctx.drawImage(frame, 0, 0);
      frame.width = 0;
      frame.height = 0;
      if (o.signal.aborted) throw cancelledError();
      await source.add(i * o.secondsPerStep, o.secondsPerStep);
      o.onProgress({ phase: 'recording', k: i + 1, n });
    }
    if (o.signal.aborted) throw cancelledError();
    await output.finalize();
  } catch (e) {
    if (output.state !== 'canceled' && output.state !== 'finalized') await output.cancel();
    throw e;
  } finally {
    canvas.width = 0;
    canvas.height = 0;
  }
  const buffer = target.buffer;
  if (!buffer || buffer.byteLength === 0) throw new Error('the encoder made nothing');
  return new Blob([buffer], { type: o.format.mimeType });
}
