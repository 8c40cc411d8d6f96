/**
 * The page: one scenario, its steps with what each call returned, and the kernel state the
 * run ends in. Everything is rendered as React text; nothing here knows kernel rules.
 */
import { describeState } from './core/describe';
import { formatRet } from './core/errno';
import type { DemoRun, DemoStep } from './demo/types';

/** Plain text in which `backticked` words are code, as the scenario's sentences write them. */
function Prose({ text }: { text: string }) {
  return text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}

function StepItem({ step }: { step: DemoStep }) {
  const result = step.result;
  const failed = result !== null && result.ret < 0;
  return (
    <li
      className="step"
      data-testid="step"
      {...(result !== null ? { 'data-ret': String(result.ret) } : {})}
    >
      <div className="step-head">
        <code className="step-label">{step.label}</code>
        {result !== null ? (
          <span className={failed ? 'ret ret-err' : 'ret ret-ok'}>
            <span aria-hidden="true">= </span>
            <span className="visually-hidden">returned </span>
            {formatRet(result.ret)}
          </span>
        ) : (
          <span className="ret ret-none">no syscall</span>
        )}
      </div>
      {failed && result.reason ? (
        <p className="reason">
          <Prose text={result.reason} />
        </p>
      ) : null}
      <p className="say">
        <Prose text={step.say} />
      </p>
    </li>
  );
}

export function App({ run }: { run: DemoRun }) {
  return (
    <main className="page">
      <header className="page-head">
        <h1>structops-lab</h1>
        <p className="tagline">
          A deterministic simulated Linux kernel: watch BPF_PROG_ASSOC_STRUCT_OPS tie BPF programs
          to struct_ops maps, step by step.
        </p>
      </header>

      <section aria-labelledby="scenario-title">
        <h2 id="scenario-title">{run.title}</h2>
        <p className="summary">
          <Prose text={run.summary} />
        </p>

        <h3 id="steps-title">Steps</h3>
        <ol className="steps" data-testid="steps" aria-labelledby="steps-title">
          {run.steps.map((step, i) => (
            <StepItem key={i} step={step} />
          ))}
        </ol>
      </section>

      <section aria-labelledby="state-title">
        <h2 id="state-title">Kernel state after the last step</h2>
        <pre className="kernel-state" data-testid="kernel-state" tabIndex={0}>
          {describeState(run.final).join('\n')}
        </pre>
      </section>
    </main>
  );
}
