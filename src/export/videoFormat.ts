/**
 * Which video the browser can record: the first container and codec `MediaRecorder` supports,
 * WebM (VP9, then VP8, then any) before MP4 (Safari records only MP4), and whether video
 * export can work here at all (it needs `MediaRecorder` and `canvas.captureStream`).
 */
import type { VideoExtension } from './fileName';

export interface VideoFormat {
  /** What `MediaRecorder` is asked for. */
  readonly mimeType: string;
  readonly extension: VideoExtension;
  /** How the menu names it: "WebM" or "MP4". */
  readonly label: string;
}

/** In order of preference. */
export const VIDEO_FORMATS: readonly VideoFormat[] = [
  { mimeType: 'video/webm;codecs=vp9', extension: 'webm', label: 'WebM' },
  { mimeType: 'video/webm;codecs=vp8', extension: 'webm', label: 'WebM' },
  { mimeType: 'video/webm', extension: 'webm', label: 'WebM' },
  { mimeType: 'video/mp4;codecs=avc1', extension: 'mp4', label: 'MP4' },
  { mimeType: 'video/mp4', extension: 'mp4', label: 'MP4' },
];

/** The first of `VIDEO_FORMATS` that `isTypeSupported` accepts (one that throws: no), or null. */
export function chooseVideoFormat(
  isTypeSupported: (mimeType: string) => boolean,
): VideoFormat | null {
  for (const f of VIDEO_FORMATS) {
    let ok = false;
    try {
      ok = isTypeSupported(f.mimeType);
    } catch {
      ok = false;
    }
    if (ok) return f;
  }
  return null;
}

export type VideoSupport =
  | { readonly ok: true; readonly format: VideoFormat }
  | { readonly ok: false; readonly reason: string };

/** What a browser offers for recording a canvas (see `detectVideoSupport`). */
export interface RecordingEnvironment {
  /** `MediaRecorder.isTypeSupported`, or null when there is no `MediaRecorder`. */
  readonly isTypeSupported: ((mimeType: string) => boolean) | null;
  /** Whether canvases have `captureStream`. */
  readonly canvasCapture: boolean;
}

/** Whether (and in which format) video can be recorded in `env`; else why not, in words. */
export function videoSupportOf(env: RecordingEnvironment): VideoSupport {
  if (env.isTypeSupported === null)
    return { ok: false, reason: 'this browser cannot record video (no MediaRecorder)' };
  if (!env.canvasCapture)
    return { ok: false, reason: 'this browser cannot record a canvas (no captureStream)' };
  const format = chooseVideoFormat(env.isTypeSupported);
  return format
    ? { ok: true, format }
    : { ok: false, reason: 'this browser records neither WebM nor MP4' };
}

/** `videoSupportOf` for the page's browser. */
export function detectVideoSupport(): VideoSupport {
  const recorder = typeof MediaRecorder === 'function' ? MediaRecorder : null;
  const isTypeSupported =
    recorder !== null && typeof recorder.isTypeSupported === 'function'
      ? (t: string) => recorder.isTypeSupported(t)
      : null;
  const canvasCapture =
    typeof HTMLCanvasElement === 'function' &&
    typeof HTMLCanvasElement.prototype.captureStream === 'function';
  return videoSupportOf({ isTypeSupported, canvasCapture });
}
