/**
 * Explains every mark on the screen: shapes, line styles and badges, never colour alone. The
 * edge swatches carry the same classes as the graph's edges (`edge edge-<kind> …`), so they
 * are drawn by the same styles and always match what the graph shows.
 */
import { memo, type ReactNode } from 'react';
import { arrowOf } from './GraphView';

function Swatch({ kind, counted, label }: { kind: string; counted: boolean; label?: string }) {
  return (
    <g className={`edge edge-${kind} ${counted ? 'edge-counted' : 'edge-uncounted'}`}>
      <path className="edge-line" d="M2,15 H62" markerEnd={`url(#${arrowOf(kind, counted)})`} />
      {label ? (
        <text className="edge-label" x={32} y={9} textAnchor="middle">
          {label}
        </text>
      ) : null}
    </g>
  );
}

/** It has no inputs: drawn once, not again on every step. */
export const Legend = memo(function Legend() {
  const item = (svg: ReactNode, text: string, testId?: string) => (
    <li {...(testId ? { 'data-testid': testId } : {})}>
      <svg width="96" height="24" aria-hidden="true" className="legend-svg">
        {svg}
      </svg>
      <span>{text}</span>
    </li>
  );
  return (
    <details className="legend" data-testid="legend">
      <summary>Legend</summary>
      <ul>
        {item(
          <Swatch kind="assoc" counted label="st_ops_assoc" />,
          'Thick solid purple arrow, labelled st_ops_assoc: a non-struct_ops program\u2019s association; it holds a map reference.',
          'legend-assoc',
        )}
        {item(
          <Swatch kind="assoc_weak" counted={false} label="st_ops_assoc" />,
          'Thick dashed purple arrow, labelled st_ops_assoc: a struct_ops program\u2019s association; it holds no reference.',
          'legend-assoc_weak',
        )}
        {item(
          <Swatch kind="fd" counted />,
          'Thin grey arrow: a counted reference (the holder keeps the target alive); the number in the circle is refcnt.',
          'legend-counted',
        )}
        {item(
          <Swatch kind="priv" counted={false} />,
          'Dashed orange arrow: ops->priv or a scheduler\u2019s parent (no reference).',
          'legend-priv',
        )}
        {item(
          <Swatch kind="pending" counted={false} />,
          'Dashed grey arrow: what pending work will act on (no reference).',
          'legend-pending',
        )}
        {item(
          <g className="edge edge-refused">
            <path className="edge-line" d="M2,15 H62" />
            <g className="refused-mark" transform="translate(32,15)">
              <circle r={8} />
              <path d="M-4,-4 L4,4 M4,-4 L-4,4" />
            </g>
          </g>,
          'Dashed red line crossed out, with an errno: what a refused operation tried to tie together; it was not made.',
          'legend-refused',
        )}
        {item(
          <g className="lookup">
            <path className="lookup-glow" d="M8,15 H58" />
            <path className="lookup-seg" d="M8,15 H58" />
            <circle className="lookup-dot" cx={8} cy={15} r={5} />
            <circle className="lookup-dot" cx={58} cy={15} r={5} />
          </g>,
          'Highlighted path with dots: a kfunc resolving its instance, hop by hop (program → st_ops_assoc → map → kdata → ops->priv → instance); a red cross where it stops at NULL or BPF_PTR_POISON.',
          'legend-lookup',
        )}
        {item(
          <g>
            <path className="poison-mark" d="M10,4 L16,16 L4,16 Z" />
            <text x={22} y={15} className="legend-text">
              ☠
            </text>
          </g>,
          'Triangle and the text BPF_PTR_POISON: a struct_ops program used by two maps; its association is poisoned for good.',
        )}
        {item(
          <text x={4} y={15} className="legend-text">
            +1 −1
          </text>,
          'A refcount that changed in this step.',
        )}
        {item(
          <rect x={4} y={4} width={44} height={14} rx={4} className="legend-ghost" />,
          'Faded, dashed box marked FREED: the object goes in this step.',
        )}
        {item(
          <text x={4} y={15} className="legend-text">
            u1
          </text>,
          'usercnt of a map (references held by user space).',
        )}
        {item(
          <text x={4} y={15} className="legend-text">
            INIT
          </text>,
          'struct_ops map state: INIT, READY (BPF_F_LINK), INUSE / TOBEFREE (legacy); FREED once gone.',
        )}
        {item(
          <rect x={4} y={4} width={44} height={14} rx={4} className="legend-changed" />,
          'Thick outline: changed in this step.',
        )}
      </ul>
      <p>
        Lanes, left to right: user space (processes and their fds), links, programs, maps, the
        kernel side (schedulers, bpf_testmod), deferred work (RCU callbacks, work items, timers).
      </p>
    </details>
  );
});
