/** For embeds: open the scenario, at the step on screen, in the full app in a new tab. */
import { useSim } from '../store/storeContext';
import { stepNumberAt } from '../store/timeline';

const EMBED_ONLY = ['embed', 'controls', 'autoplay', 'dwell', 'present'];

export function OpenLink() {
  const t = useSim((s) => s.timeline);
  const cursor = useSim((s) => s.cursor);
  const id = useSim((s) => s.scenario.id);
  const q = new URLSearchParams(window.location.search);
  for (const k of EMBED_ONLY) q.delete(k);
  if (!q.has('src')) q.set('scenario', id);
  q.set('step', String(stepNumberAt(t, cursor)));
  const href = `${window.location.pathname}?${q.toString()}`;
  return (
    <a
      className="open-link"
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      title="Open in structops-lab (new tab)"
    >
      Open<span className="visually-hidden"> in structops-lab (opens in a new tab)</span>
      <span aria-hidden="true"> ↗</span>
    </a>
  );
}
