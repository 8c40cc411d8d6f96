import { describe, expect, it } from 'vitest';
import { chooseVideoFormat, videoSupportOf, type ConfigCheck } from './videoFormat';

const only =
  (...codecs: string[]): ConfigCheck =>
  (c) =>
    Promise.resolve(codecs.includes(c.codec));

describe('chooseVideoFormat', () => {
  it('prefers VP9 in WebM, then VP8', async () => {
    expect((await chooseVideoFormat(only('vp09.00.40.08', 'vp8', 'avc1.640028')))?.codec).toBe(
      'vp9',
    );
    expect(await chooseVideoFormat(only('vp8', 'avc1.640028'))).toMatchObject({
      codec: 'vp8',
      extension: 'webm',
      label: 'WebM',
    });
  });

  it('encodes H.264 in MP4 where that is all the browser encodes', async () => {
    expect(await chooseVideoFormat(only('avc1.640028'))).toMatchObject({
      codec: 'avc',
      extension: 'mp4',
      mimeType: 'video/mp4',
      label: 'MP4',
    });
  });

  it('asks about the largest frame size offered', async () => {
    const asked: { width: number; height: number }[] = [];
    await chooseVideoFormat((c) => {
      asked.push({ width: c.width, height: c.height });
      return Promise.resolve(false);
    });
    expect(asked).toHaveLength(3);
    expect(asked.every((a) => a.width === 1920 && a.height === 1080)).toBe(true);
  });

  it('is null when nothing is supported, and treats a check that throws or rejects as no', async () => {
    expect(await chooseVideoFormat(() => Promise.resolve(false))).toBeNull();
    const picky: ConfigCheck = (c) => {
      if (c.codec.startsWith('vp09')) throw new Error('bad codec');
      if (c.codec === 'vp8') return Promise.reject(new Error('no'));
      return Promise.resolve(true);
    };
    expect((await chooseVideoFormat(picky))?.codec).toBe('avc');
  });
});

describe('videoSupportOf', () => {
  it('says why when there is no encoder or no codec', async () => {
    expect(await videoSupportOf(null)).toEqual({
      ok: false,
      reason: 'this browser cannot encode video (no WebCodecs VideoEncoder)',
    });
    expect(await videoSupportOf(() => Promise.resolve(false))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/neither VP9, VP8 nor H\.264/) as unknown,
    });
  });

  it('gives the format where one is encodable', async () => {
    expect(await videoSupportOf(only('vp8'))).toMatchObject({
      ok: true,
      format: { codec: 'vp8', extension: 'webm' },
    });
  });
});
