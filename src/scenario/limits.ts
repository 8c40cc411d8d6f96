/** Input limits for untrusted scenario text (files, URLs, the editor). */
export const MAX_SCENARIO_BYTES = 256 * 1024;

/**
 * How deeply scenario text may nest (block levels, indicators on a line and flow collections
 * counted together). Real scenarios stay under 20; far deeper text can exhaust the parser's stack.
 */
export const MAX_SCENARIO_NESTING = 64;

/**
 * How long loading an untrusted scenario (reading, checking and simulating it, off the page's
 * thread) may take before it is stopped. The library's largest takes well under a second.
 */
export const LOAD_BUDGET_MS = 15_000;
