import { describe, expect, it } from 'vitest';
import { exportFileName, fileNamePart, videoFileName } from './fileName';

describe('exportFileName', () => {
  it('is structops-lab_<scenario-id>_step-<n>.<ext>', () => {
    expect(exportFileName('teach-ebusy', 3, 'svg')).toBe('structops-lab_teach-ebusy_step-3.svg');
    expect(exportFileName('scx-layered-refresh', 0, 'png')).toBe(
      'structops-lab_scx-layered-refresh_step-0.png',
    );
  });

  it('keeps only safe characters of an id, and never an empty part', () => {
    expect(fileNamePart('../../etc/passwd')).toBe('etc-passwd');
    expect(fileNamePart('My Scenario: v2!')).toBe('my-scenario-v2');
    expect(fileNamePart('')).toBe('scenario');
    expect(fileNamePart('///')).toBe('scenario');
    expect(fileNamePart('a'.repeat(79) + '-b')).toBe('a'.repeat(79));
    expect(fileNamePart('x'.repeat(500))).toHaveLength(80);
  });

  it('writes a step that is not a whole number ≥ 0 as 0', () => {
    expect(exportFileName('a', -1, 'svg')).toBe('structops-lab_a_step-0.svg');
    expect(exportFileName('a', 1.5, 'svg')).toBe('structops-lab_a_step-0.svg');
  });
});

describe('videoFileName', () => {
  it('is structops-lab_<scenario-id>_steps-<a>-<b>.<ext>', () => {
    expect(videoFileName('teach-ebusy', 2, 4, 'webm')).toBe(
      'structops-lab_teach-ebusy_steps-2-4.webm',
    );
    expect(videoFileName('teach-poison', 0, 14, 'mp4')).toBe(
      'structops-lab_teach-poison_steps-0-14.mp4',
    );
    expect(videoFileName('teach-poison', 3, 3, 'webm')).toBe(
      'structops-lab_teach-poison_steps-3-3.webm',
    );
  });

  it('puts the steps in order, cleans the id, and writes a bad step as 0', () => {
    expect(videoFileName('a', 9, 2, 'webm')).toBe('structops-lab_a_steps-2-9.webm');
    expect(videoFileName('../x y', 1, 2, 'webm')).toBe('structops-lab_x-y_steps-1-2.webm');
    expect(videoFileName('a', -3, 1.5, 'webm')).toBe('structops-lab_a_steps-0-0.webm');
    expect(videoFileName('a', Number.NaN, 5, 'mp4')).toBe('structops-lab_a_steps-0-5.mp4');
  });
});
