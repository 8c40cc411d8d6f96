/**
 * lz-string's `decompressFromEncodedURIComponent`, rewritten to stop as soon as its output
 * passes a size limit. The library's own version builds the whole output before anyone can
 * measure it, and LZ output can grow with the square of the input: a crafted link of a few
 * hundred KiB would decompress to gigabytes (a decompression bomb). Here the work and memory are
 * bounded by the limit, whatever the input.
 *
 * Same algorithm and same results as lz-string 1.5 (checked against it in lzCapped.test.ts),
 * with lz-string's ambiguous returns (`""` for a truncated stream, `null` for a bad code) made
 * explicit.
 */

const URI_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE = new Map<string, number>([...URI_SAFE].map((c, i) => [c, i]));

export type Decompressed =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: 'empty' | 'corrupt' | 'too-large' };

/**
 * Decompresses an `EncodedURIComponent` payload, refusing output longer than `maxChars`
 * characters. Never throws. Spaces count as `+` (what a query's `+` decodes to); characters
 * outside the alphabet read as 0, as in lz-string.
 */
export function decompressUriSafeCapped(input: string, maxChars: number): Decompressed {
  if (input === '') return { ok: false, reason: 'empty' };
  const length = input.length;
  const valueAt = (index: number): number => {
    const c = input.charAt(index);
    return VALUE.get(c === ' ' ? '+' : c) ?? 0;
  };
  const resetValue = 32;
  let val = valueAt(0);
  let position = resetValue;
  let index = 1;
  const readBits = (n: number): number => {
    let bits = 0;
    for (let power = 1, i = 0; i < n; i++, power *= 2) {
      const b = val & position;
      position >>= 1;
      if (position === 0) {
        position = resetValue;
        val = valueAt(index++);
      }
      if (b > 0) bits += power;
    }
    return bits;
  };

  const dictionary: string[] = [];
  let dictSize = 4;
  let enlargeIn = 4;
  let numBits = 3;
  const out: string[] = [];
  let outLength = 0;

  let w: string;
  switch (readBits(2)) {
    case 0:
      w = String.fromCharCode(readBits(8));
      break;
    case 1:
      w = String.fromCharCode(readBits(16));
      break;
    case 2:
      // The end-of-stream code: an empty text, which lz-string reports as "".
      return { ok: true, text: '' };
    default:
      // 3 is no code at all here (lz-string goes on with `undefined` and may throw).
      return { ok: false, reason: 'corrupt' };
  }
  dictionary[3] = w;
  out.push(w);
  outLength = 1;
  if (outLength > maxChars) return { ok: false, reason: 'too-large' };

  for (;;) {
    // lz-string returns "" when the stream ends without its end code: the link was cut short.
    if (index > length) return { ok: false, reason: 'corrupt' };
    let c = readBits(numBits);
    if (c === 0 || c === 1) {
      dictionary[dictSize++] = String.fromCharCode(readBits(c === 0 ? 8 : 16));
      c = dictSize - 1;
      enlargeIn--;
    } else if (c === 2) {
      return { ok: true, text: out.join('') };
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
    let entry: string;
    const known = dictionary[c];
    if (known !== undefined && known !== '') entry = known;
    else if (c === dictSize) entry = w + w.charAt(0);
    else return { ok: false, reason: 'corrupt' };

    outLength += entry.length;
    if (outLength > maxChars) return { ok: false, reason: 'too-large' };
    out.push(entry);
    dictionary[dictSize++] = w + entry.charAt(0);
    enlargeIn--;
    w = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
}
