/**
 * Which video this browser can encode: the first codec its WebCodecs `VideoEncoder` accepts at
 * the largest frame size offered, VP9 then VP8 in WebM, then H.264 in MP4 (for browsers that
 * encode only that), and whether video export can work here at all (it needs `VideoEncoder`).
 * The check is asynchronous, as `VideoEncoder.isConfigSupported` is.
 */
import type { VideoExtension } from './fileName';

/** The codecs the encoder is asked for (mediabunny's names for them). */
export type VideoCodecName = 'vp9' | 'vp8' | 'avc';

export interface VideoFormat {
  readonly codec: VideoCodecName;
  /** The WebCodecs codec string the support check asks about. */
  readonly codecString: string;
  readonly extension: VideoExtension;
  /** The file's type. */
  readonly mimeType: string;
  /** How the menu names it: "WebM" or "MP4". */
  readonly label: string;
}

/** In order of preference. VP9 profile 0 level 4.0 and H.264 High 4.0 both cover 1080p. */
export const VIDEO_FORMATS: readonly VideoFormat[] = [
  {
    codec: 'vp9',
    codecString: 'vp09.00.40.08',
    extension: 'webm',
    mimeType: 'video/webm',
    label: 'WebM',
  },
  { codec: 'vp8', codecString: 'vp8', extension: 'webm', mimeType: 'video/webm', label: 'WebM' },
  {
    codec: 'avc',
    codecString: 'avc1.640028',
    extension: 'mp4',
    mimeType: 'video/mp4',
    label: 'MP4',
  },
];

/** The largest frame the export offers (videoRange's VIDEO_SIZES): a codec must take it. */
const CHECK_SIZE = { width: 1920, height: 1080 } as const;

/** `VideoEncoder.isConfigSupported`, reduced to its answer. */
export type ConfigCheck = (config: {
  codec: string;
  width: number;
  height: number;
}) => Promise<boolean>;

/** The first of `VIDEO_FORMATS` that `check` accepts (one that throws or rejects: no), or null. */
export async function chooseVideoFormat(check: ConfigCheck): Promise<VideoFormat | null> {
  for (const f of VIDEO_FORMATS) {
    let ok = false;
    try {
      ok = await check({ codec: f.codecString, ...CHECK_SIZE });
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

/** Whether (and in which format) video can be encoded, given the browser's check (null: none). */
export async function videoSupportOf(check: ConfigCheck | null): Promise<VideoSupport> {
  if (check === null)
    return { ok: false, reason: 'this browser cannot encode video (no WebCodecs VideoEncoder)' };
  const format = await chooseVideoFormat(check);
  return format
    ? { ok: true, format }
    : { ok: false, reason: 'this browser encodes neither VP9, VP8 nor H.264' };
}

/** `videoSupportOf` for the page's browser. */
export function detectVideoSupport(): Promise<VideoSupport> {
  const encoder = typeof VideoEncoder === 'function' ? VideoEncoder : null;
  const check: ConfigCheck | null =
    encoder !== null && typeof encoder.isConfigSupported === 'function'
      ? async (config) => (await encoder.isConfigSupported(config)).supported === true
      : null;
  return videoSupportOf(check);
}
