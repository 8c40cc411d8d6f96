/**
 * One scenario on two revisions side by side: both run from the same steps, step together, and
 * the first step where they differ (return value, refcount, association, report) is marked.
 * Under the graphs, what the review changed between the two revisions, in our own words.
 */
import { useMemo, useState } from 'react';
import { compareRuns, firstDifference, reviewBetween, type StepCompare } from '../view/compare';
import { FittedGraph } from './FittedGraph';
import { withRevision } from '../view/revisionParam';
import { focusBounds, timelineLayout, useGraphChange } from '../view/stepGraph';
import { graphBounds, type Rect } from '../view/presentation';
import type { Layout } from '../graph/layout';
import type { LaneOrder } from '../graph/laneOrder';
import { libraryLaneOrders } from '../view/library';
import { revisionSpec } from '../core/revisions/spec';
import type { KernelState, Revision } from '../core/types';
import { toGraph, type Graph } from '../graph/toGraph';
import { runScenario, type ScenarioRun } from '../scenario/run';
import type { Scenario } from '../scenario/schema';
import { buildTimeline, pointForStep, stepBase } from '../store/timeline';
import { GraphView } from './GraphView';
import { ReportList } from './KernelReports';
import { Prose } from './Prose';
import { RevisionSelect } from './RevisionSelect';

function storyBounds(graph: Graph, layout: Layout): Rect {
  const boxes = graph.nodes
    .filter((n) => n.kind === 'prog' || n.kind === 'map' || n.kind === 'link')
    .flatMap((n) => layout.boxes.get(n.id) ?? []);
  return boxes.length
    ? graphBounds(boxes, layout.width, layout.height)
    : focusBounds(graph, layout);
}

function Side({
  run,
  step,
  at,
  side,
  order,
}: {
  readonly order: LaneOrder | undefined;
  readonly run: ScenarioRun;
  readonly step: number;
  readonly at: StepCompare | undefined;
  readonly side: 'left' | 'right';
}) {
  const testId = `compare-${side}`;
  const timeline = useMemo(() => buildTimeline(run), [run]);
  const layout = useMemo(() => timelineLayout(timeline, order), [timeline, order]);
  const point = pointForStep(timeline, step + 1);
  const state = timeline.points[point]?.state as KernelState;
  const base = stepBase(timeline, point);
  const graph = useMemo(() => toGraph(state, base), [state, base]);
  const change = useGraphChange(graph, state);
  // The association story is told by programs, maps and links: frame those.
  const bounds = useMemo(() => storyBounds(graph, layout), [graph, layout]);
  const [selected, setSelected] = useState<string | null>(null);
  const spec = revisionSpec(run.revision);
  const before = (step <= 0 ? run.initial : run.frames[step - 1]?.state)?.reports?.length ?? 0;
  const reports = state.reports ?? [];
  return (
    <section className="compare-side" data-testid={testId} data-revision={run.revision}>
      <h2>
        {`kernel ${spec.label}`}
        <span className="compare-ret" data-testid={`${testId}.ret`}>
          {at ? ` returned ${side === 'left' ? at.left.ret : at.right.ret}` : ''}
        </span>
      </h2>
      <ReportList reports={reports} fresh={Math.max(0, reports.length - before)} />
      <div className="compare-graph">
        <FittedGraph layout={layout} bounds={bounds} maxScale={2.4}>
          <GraphView
            graph={graph}
            layout={layout}
            change={change}
            selected={selected}
            onSelect={setSelected}
            stepKey={`${run.revision}:${step}`}
            animationMs={300}
            scenarioKey={`${run.scenario.id}:${run.revision}`}
          />
        </FittedGraph>
      </div>
      {spec.inferred.length > 0 ? (
        <p className="compare-inferred" title={spec.inferred.join(' ')}>
          <span className="report-inferred">inferred</span>{' '}
          {`${run.revision}, read from the code rather than stated by a source: ${spec.inferred.join(' ')}`}
        </p>
      ) : null}
    </section>
  );
}

export function CompareView({
  scenario,
  left,
  right,
  initialStep,
  onChange,
  onClose,
}: {
  readonly scenario: Scenario;
  readonly left: Revision;
  readonly right: Revision;
  /** 0-based step to open at. */
  readonly initialStep: number;
  readonly onChange: (left: Revision, right: Revision) => void;
  readonly onClose: () => void;
}) {
  // Both sides stack their lanes in the library scenario's order, so an object sits in the same
  // place on both (what only one revision makes goes below).
  const order = libraryLaneOrders(scenario)?.all;
  const runL = useMemo(() => runScenario(withRevision(scenario, left)), [scenario, left]);
  const runR = useMemo(() => runScenario(withRevision(scenario, right)), [scenario, right]);
  const steps = useMemo(() => compareRuns(runL, runR), [runL, runR]);
  const first = firstDifference(steps);
  const last = steps.length - 1;
  const [step, setStep] = useState(() => Math.max(0, Math.min(initialStep, last)));
  const at = steps[step];
  const say = scenario.steps[step]?.say ?? '';
  const review = reviewBetween(left, right);
  return (
    <div className="compare" data-testid="compare-view">
      <div className="compare-bar">
        <h2 className="compare-title">Compare revisions</h2>
        <RevisionSelect
          value={left}
          own={scenario.kernel.revision}
          onChange={(r) => onChange(r, right)}
          label="Left revision"
          testId="compare-left-select"
        />
        <RevisionSelect
          value={right}
          own={scenario.kernel.revision}
          onChange={(r) => onChange(left, r)}
          label="Right revision"
          testId="compare-right-select"
        />
        <div className="compare-controls">
          <button
            type="button"
            aria-label="Previous step"
            onClick={() => setStep((s) => Math.max(0, s - 1))}
            disabled={step <= 0}
          >
            ◀
          </button>
          <span data-testid="step-counter">{`${step + 1} / ${steps.length}`}</span>
          <button
            type="button"
            aria-label="Next step"
            onClick={() => setStep((s) => Math.min(last, s + 1))}
            disabled={step >= last}
          >
            ▶
          </button>
          {first !== null ? (
            <button
              type="button"
              onClick={() => setStep(first)}
              data-testid="goto-first-difference"
            >
              {`First difference: step ${first + 1}`}
            </button>
          ) : (
            <span>No difference</span>
          )}
          <button type="button" onClick={onClose}>
            Close compare
          </button>
        </div>
      </div>
      <ol className="compare-steps" aria-label="Steps">
        {steps.map((s) => (
          <li key={s.index}>
            <button
              type="button"
              aria-current={s.index === step ? 'step' : undefined}
              className={s.differs.length ? 'differs' : undefined}
              data-testid={s.index === first ? 'first-difference' : undefined}
              data-differs={s.differs.join(',')}
              title={s.differs.length ? `differs: ${s.differs.join(', ')}` : 'same on both'}
              onClick={() => setStep(s.index)}
            >
              {s.index + 1}
              {s.index === first ? <span className="first-mark"> first difference</span> : null}
            </button>
          </li>
        ))}
      </ol>
      <div
        className="compare-now"
        data-testid="compare-now"
        data-differs={at?.differs.join(',') ?? ''}
      >
        <p>
          <strong>{`Step ${step + 1}: `}</strong>
          <code>{at?.label}</code>
          {at && at.differs.length ? (
            <span className="compare-differs">{` — differs: ${at.differs.join(', ')}`}</span>
          ) : (
            <span>{' — the same on both'}</span>
          )}
        </p>
        <p className="compare-say">
          <Prose text={say} />
        </p>
      </div>
      <div className="compare-sides">
        <Side run={runL} step={step} at={at} side="left" order={order} />
        <Side run={runR} step={step} at={at} side="right" order={order} />
      </div>
      {review.length > 0 ? (
        <section className="compare-review" aria-label="What the review changed">
          <h2>{`What the review changed, ${left} → ${right}`}</h2>
          {review.map((r) => (
            <div key={r.rev}>
              <h3>{`${revisionSpec(r.rev).label} (${revisionSpec(r.rev).date})`}</h3>
              <ul>
                {r.lines.map((l, i) => (
                  <li key={i}>{l}</li>
                ))}
              </ul>
              <p className="compare-source">{revisionSpec(r.rev).source}</p>
            </div>
          ))}
        </section>
      ) : null}
    </div>
  );
}
