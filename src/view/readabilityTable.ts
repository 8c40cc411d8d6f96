/**
 * The layout benchmark's measure: edge crossings and edges under cards, summed over what a
 * viewer sees after each step of a timeline, in either detail level, with a given lane order
 * (or none: objects in the order they first appear).
 */
import { readability, type Readability } from '../graph/crossings';
import type { LaneOrder } from '../graph/laneOrder';
import { storyGraph, storyLayout, stepSubject, type Detail } from '../graph/story';
import { diffGraph, type Graph } from '../graph/toGraph';
import type { Timeline } from '../store/timeline';
import { timelineGraphs, timelineLayout, timelineStory, type TimelineGraphs } from './stepGraph';

/** Sums {@link readability} over the graph shown after each step, as the Viewer draws it. */
export function timelineReadability(
  timeline: Timeline,
  detail: Detail,
  focus: readonly string[] | undefined,
  order: LaneOrder | undefined,
  graphs: TimelineGraphs = timelineGraphs(timeline, focus),
): Readability {
  const story = detail === 'story' ? timelineStory(timeline, focus, order, graphs) : null;
  const allLayout = story ? null : timelineLayout(timeline, order, graphs);
  let crossings = 0;
  let underCards = 0;
  let span = 0;
  let shown: Graph | null = null;
  // graphs.ends[0] is the graph before the first step.
  graphs.ends.slice(1).forEach(({ graph: full }, stepIndex) => {
    const change = diffGraph(shown, full);
    shown = full;
    const subject = stepSubject(timeline.frames[stepIndex]?.step, full);
    const graph = story ? storyGraph(full, story.cast, { change, subject }, null) : full;
    const layout = story ? storyLayout(story.layout, graph) : allLayout;
    if (!layout) return;
    const r = readability(graph, layout);
    crossings += r.crossings;
    underCards += r.underCards;
    span += r.span;
  });
  return { crossings, underCards, span };
}
