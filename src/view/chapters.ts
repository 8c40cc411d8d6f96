/**
 * Chapters of a scenario (steps that carry `chapter:` start one) and moving between them, for
 * presentation mode's `[` / `]` keys and chapter list. Pure: works on the steps' chapters only.
 */

export interface Chapter {
  readonly title: string;
  /** Index (0-based) of the step that starts the chapter. */
  readonly start: number;
}

export function chaptersOf(steps: readonly { readonly chapter?: string | undefined }[]): Chapter[] {
  const out: Chapter[] = [];
  steps.forEach((s, i) => {
    if (s.chapter) out.push({ title: s.chapter, start: i });
  });
  return out;
}

/** The chapter a step (0-based; -1 = before the first step) belongs to, as an index, or -1. */
export function chapterIndexAt(chapters: readonly Chapter[], step: number): number {
  let at = -1;
  chapters.forEach((c, i) => {
    if (c.start <= step) at = i;
  });
  return at;
}

/** The step index the next chapter starts at, or null when there is no later chapter. */
export function nextChapterStart(chapters: readonly Chapter[], step: number): number | null {
  return chapters.find((c) => c.start > step)?.start ?? null;
}

/**
 * The step index to go back to: the start of the current chapter when past it, else the start
 * of the chapter before; null when there is nothing earlier.
 */
export function prevChapterStart(chapters: readonly Chapter[], step: number): number | null {
  const earlier = chapters.filter((c) => c.start < step);
  return earlier.at(-1)?.start ?? null;
}
