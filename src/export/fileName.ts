/** Names of exported files: `structops-lab_<scenario-id>_step-<n>.<ext>`. */

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

export function exportFileName(scenarioId: string, step: number, format: ExportFormat): string {
  const n = Number.isInteger(step) && step >= 0 ? step : 0;
  return `structops-lab_${fileNamePart(scenarioId)}_step-${n}.${format}`;
}
