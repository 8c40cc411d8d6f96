/** Plain text in which `backticked` words are code. Always rendered as React text. */
export function Prose({ text }: { text: string }) {
  return text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}
