/** For tests only (no app code imports it): a hostile share-link payload. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';

/**
 * A hand-made lz-string stream: the letter `a`, then `codes` codes that each name the entry
 * about to be made (the "KwKwK" case), so the k-th outputs k+1 letters: `codes` codes give about
 * codes²/2 characters. 60,000 codes (about 200 KiB of link) would be 1.8 G characters.
 */
export function lzBomb(codes: number): string {
  const bits: number[] = [];
  const put = (value: number, n: number) => {
    for (let i = 0, v = value; i < n; i++, v = Math.floor(v / 2)) bits.push(v % 2);
  };
  put(0, 2);
  put('a'.charCodeAt(0), 8);
  let dictSize = 4;
  let enlargeIn = 4;
  let numBits = 3;
  for (let k = 0; k < codes; k++) {
    put(dictSize, numBits);
    dictSize++;
    enlargeIn--;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
  put(2, numBits);
  let out = '';
  for (let i = 0; i < bits.length; i += 6) {
    let v = 0;
    for (let j = 0; j < 6; j++) v = v * 2 + (bits[i + j] ?? 0);
    out += ALPHABET[v];
  }
  return out;
}
