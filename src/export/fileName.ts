/**
 * Names of exported files: `structops-lab_<scenario-id>_step-<n>.<ext>` for a picture of one
 * step, `structops-lab_<scenario-id>_steps-<a>-<b>.<ext>` for a video of a range of steps.
 */

export type ExportFormat = 'svg' | 'png';

/** The scenario id as a file-name part: lowercase letters, digits and -, never empty. */
export function fileNamePart(id: string): string {
  const safe = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return safe === '' ? 'scenario' : safe;
}

/** A step number as a file-name part: a whole number ≥ 0, else 0. */
function stepPart(step: number): number {
  return Number.isInteger(step) && step >= 0 ? step : 0;
}

/** `structops-lab_<scenario-id>_step-<n>.<ext>`: a picture of step `n`. */
export function exportFileName(scenarioId: string, step: number, format: ExportFormat): string {
  return `structops-lab_${fileNamePart(scenarioId)}_step-${stepPart(step)}.${format}`;
}

/** What a recorded video is saved as (./videoFormat chooses between them). */
export type VideoExtension = 'webm' | 'mp4';

/**
 * `structops-lab_<scenario-id>_steps-<a>-<b>.<ext>` for a video of steps `a` to `b` (as the
 * step counter numbers them, 0 the initial state). The two are put in order; a step that is
 * not a whole number ≥ 0 is written as 0.
 */
export function videoFileName(
  scenarioId: string,
  from: number,
  to: number,
  ext: VideoExtension,
): string {
  const [a, b] = [stepPart(from), stepPart(to)].sort((x, y) => x - y);
  return `structops-lab_${fileNamePart(scenarioId)}_steps-${a ?? 0}-${b ?? 0}.${ext}`;
}
