/**
 * The whole scenario as text: every step's call, what it returned and its narration, in
 * order, with chapters. Pure; the Transcript view renders it as React text (never as HTML),
 * and the same lines are what "Copy" puts on the clipboard.
 */
import { formatRet } from '../core/errno';
import type { StepFrame } from '../scenario/run';

export interface TranscriptEntry {
  /** 1-based step number, as the step counter shows it. */
  readonly n: number;
  readonly chapter: string | null;
  readonly label: string;
  /** `formatRet` of what the step returned, or null for steps that are not a call. */
  readonly ret: string | null;
  readonly failed: boolean;
  readonly reason: string | null;
  readonly say: string;
  /** The scenario's own short caption for the step, or null. */
  readonly caption: string | null;
}

export function transcriptOf(
  frames: readonly Pick<StepFrame, 'step' | 'label' | 'result'>[],
): TranscriptEntry[] {
  return frames.map((f, i) => {
    const r = f.result;
    const failed = r !== null && r.ret < 0;
    return {
      n: i + 1,
      chapter: f.step.chapter ?? null,
      label: f.label,
      ret: r ? formatRet(r.ret) : null,
      failed,
      reason: failed && r.reason ? r.reason : null,
      say: f.step.say,
      caption: f.step.caption ?? null,
    };
  });
}

/** Plain text: a title, then for each step `N. label = ret` and its narration, indented. */
export function transcriptText(title: string, entries: readonly TranscriptEntry[]): string {
  const lines: string[] = [title, ''];
  for (const e of entries) {
    if (e.chapter) lines.push(`## ${e.chapter}`, '');
    lines.push(`${e.n}. ${e.label}${e.ret !== null ? ` = ${e.ret}` : ''}`);
    if (e.reason) lines.push(`   ${e.reason}`);
    lines.push(`   ${e.say}`, '');
  }
  return lines.join('\n').trimEnd() + '\n';
}
