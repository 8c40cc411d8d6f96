/** Explains every mark on the screen: shapes, line styles and badges, never colour alone. */
export function Legend() {
  const item = (svg: React.ReactNode, text: string) => (
    <li>
      <svg width="56" height="22" aria-hidden="true" className="legend-svg">
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
          <path
            className="edge-line legend-counted"
            d="M2,11 H50"
            markerEnd="url(#arrow-counted)"
          />,
          'Solid arrow: a counted reference (the holder keeps the target alive); the number in the circle is refcnt.',
        )}
        {item(
          <path className="edge-line legend-assoc" d="M2,11 H50" />,
          'Thick purple arrow: a non-struct_ops program\u2019s association, which holds a map reference.',
        )}
        {item(
          <path className="edge-line legend-weak" d="M2,11 H50" />,
          'Dashed arrow: no reference (a struct_ops program\u2019s association, ops->priv, pending work).',
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
          'Faded box marked \u201cfreed\u201d: the object goes in this step.',
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
}
