/** How long a step's `caption` may be: one or two lines of large type on a slide. */
export const MAX_CAPTION_CHARS = 100;
