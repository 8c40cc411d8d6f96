/** The kernel reports of the viewer's current point (see ReportList). */
import { useSim } from '../store/storeContext';
import { stepBase } from '../store/timeline';
import { ReportList } from './KernelReports';

export function KernelReportsPanel() {
  const reports = useSim((s) => s.timeline.points[s.cursor]?.state.reports);
  const before = useSim((s) => stepBase(s.timeline, s.cursor)?.reports?.length ?? 0);
  const list = reports ?? [];
  return <ReportList reports={list} fresh={Math.max(0, list.length - before)} />;
}
