/**
 * A step's caption: the one short line presentation mode, embeds and videos show large. The
 * scenario's own `caption` when it has one; otherwise the first sentence of its narration when
 * that is short enough; otherwise nothing (the call and its result speak for the step).
 */
import { MAX_CAPTION_CHARS } from './captionLimit';

export { MAX_CAPTION_CHARS };

/** The sentence `text` starts with (up to its first ". ", "! " or "? "), or all of it. */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = /[.!?](?=\s)/.exec(flat);
  return end ? flat.slice(0, end.index + 1) : flat;
}

/** The caption shown for a step, or null when it has none and its narration is too long. */
export function captionOf(step: {
  readonly caption?: string | undefined;
  readonly say: string;
}): string | null {
  if (step.caption !== undefined) return step.caption;
  const first = firstSentence(step.say);
  return first !== '' && first.length <= MAX_CAPTION_CHARS ? first : null;
}
