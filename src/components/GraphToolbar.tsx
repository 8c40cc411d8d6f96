/**
 * The graph's own toolbar, over its top-right corner in every view: the detail level (Story or
 * All objects) and "Whole graph" (stop following the steps and show everything; press again to
 * follow). Zoom and pan stay on the graph itself (Ctrl/⌘ + wheel, drag).
 */
import { DETAIL_LABELS, DETAILS, type Detail } from '../graph/story';

export function GraphToolbar({
  detail,
  onDetail,
  whole,
  onWhole,
}: {
  detail: Detail;
  onDetail: (d: Detail) => void;
  whole: boolean;
  onWhole: (whole: boolean) => void;
}) {
  return (
    <div className="graph-toolbar" role="toolbar" aria-label="Graph view">
      <label className="graph-detail">
        <span>Detail</span>
        <select
          value={detail}
          onChange={(e) => {
            const d = DETAILS.find((x) => x === e.target.value);
            if (d) onDetail(d);
          }}
        >
          {DETAILS.map((d) => (
            <option key={d} value={d}>
              {DETAIL_LABELS[d]}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="graph-whole"
        aria-pressed={whole}
        title={whole ? 'Follow the steps again' : 'Show the whole graph'}
        onClick={() => onWhole(!whole)}
      >
        Whole graph
      </button>
    </div>
  );
}
