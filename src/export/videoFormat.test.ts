import { describe, expect, it } from 'vitest';
import { chooseVideoFormat, videoSupportOf } from './videoFormat';

const only =
  (...types: string[]) =>
  (t: string) =>
    types.includes(t);

describe('chooseVideoFormat', () => {
  it('prefers WebM VP9, then VP8, then any WebM', () => {
    const all = only('video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm', 'video/mp4');
    expect(chooseVideoFormat(all)?.mimeType).toBe('video/webm;codecs=vp9');
    expect(chooseVideoFormat(only('video/webm;codecs=vp8', 'video/webm'))?.mimeType).toBe(
      'video/webm;codecs=vp8',
    );
    expect(chooseVideoFormat(only('video/webm', 'video/mp4'))).toEqual({
      mimeType: 'video/webm',
      extension: 'webm',
      label: 'WebM',
    });
  });

  it('records MP4 where only MP4 is supported (Safari)', () => {
    expect(chooseVideoFormat(only('video/mp4;codecs=avc1', 'video/mp4'))).toEqual({
      mimeType: 'video/mp4;codecs=avc1',
      extension: 'mp4',
      label: 'MP4',
    });
    expect(chooseVideoFormat(only('video/mp4'))?.extension).toBe('mp4');
  });

  it('is null when nothing is supported, and treats a throwing check as no', () => {
    expect(chooseVideoFormat(() => false)).toBeNull();
    expect(
      chooseVideoFormat((t) => {
        if (t.includes('vp9')) throw new Error('bad type');
        return t === 'video/webm;codecs=vp8';
      })?.mimeType,
    ).toBe('video/webm;codecs=vp8');
  });
});

describe('videoSupportOf', () => {
  it('needs MediaRecorder, canvas capture and a format', () => {
    expect(videoSupportOf({ isTypeSupported: null, canvasCapture: true })).toEqual({
      ok: false,
      reason: 'this browser cannot record video (no MediaRecorder)',
    });
    expect(videoSupportOf({ isTypeSupported: () => true, canvasCapture: false })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('captureStream') as string,
    });
    expect(videoSupportOf({ isTypeSupported: () => false, canvasCapture: true })).toMatchObject({
      ok: false,
    });
    expect(
      videoSupportOf({ isTypeSupported: only('video/mp4'), canvasCapture: true }),
    ).toMatchObject({ ok: true, format: { extension: 'mp4' } });
  });
});
