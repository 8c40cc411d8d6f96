/** Input limits for untrusted scenario text (files, URLs, the editor). */
export const MAX_SCENARIO_BYTES = 256 * 1024;
