/** Poke the kernel from the current step; the timeline branches, and can be undone. */
import { useState } from 'react';
import { useSim } from '../store/storeContext';

export function Console() {
  const log = useSim((s) => s.consoleLog);
  const run = useSim((s) => s.runCommand);
  const undo = useSim((s) => s.undoBranch);
  const branch = useSim((s) => s.branch);
  const [text, setText] = useState('');
  return (
    <section className="console" aria-labelledby="console-title">
      <h2 id="console-title">
        Console
        {branch ? (
          <span className="branch-badge" data-testid="branch-badge">
            {`branched after step ${branch.after + 1} · ${branch.steps.length} command(s)`}
          </span>
        ) : null}
      </h2>
      <div className="console-output" data-testid="console-output" role="log" aria-live="polite">
        {log.length === 0 ? (
          <p className="hint">Type help for the commands. Commands run from the current step.</p>
        ) : null}
        {log.map((e, i) => (
          <div key={i} className={e.ok ? 'console-ok' : 'console-err'}>
            <div className="console-in">{`› ${e.input}`}</div>
            <pre className="console-out">{e.output}</pre>
          </div>
        ))}
      </div>
      <form
        className="console-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) return;
          void run(text);
          setText('');
        }}
      >
        <input
          data-testid="console-input"
          aria-label="Console command"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="assoc syscall_prog_a st_ops_map_b"
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit">Run</button>
        <button type="button" onClick={undo} disabled={!branch} aria-label="Undo console step">
          Undo
        </button>
      </form>
    </section>
  );
}
