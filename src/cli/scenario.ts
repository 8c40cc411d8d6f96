/**
 * Headless scenario runner.
 *
 *   npm run scenario -- run <file|id> [--json] [--rev <revision>|all]
 *   npm run scenario -- verify <files or folders...> [--rev <revision>|all]
 *
 * `run` prints a step table (step, operation, return, what changed) or, with --json, the frames
 * and the final state. `verify` checks every `expect` and exits non-zero if any fails.
 * `--rev` runs on that revision of the series (v1..v8, mainline) instead of the scenario's
 * own; `--rev all` prints a table scenario × revision → pass / fail / bug.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRet } from '../core/errno';
import { formatIssues, parseScenario } from '../scenario/parse';
import { runScenario } from '../scenario/run';
import { stepTable, runToJson } from '../scenario/report';
import {
  formatRevisionTable,
  revisionRow,
  rowProblems,
  type RevisionRow,
} from '../scenario/revisionTable';
import { isRevision, REVISIONS } from '../core/revisions/spec';
import type { Revision } from '../core/types';

const LIBRARY = resolve(fileURLToPath(new URL('../scenario/library', import.meta.url)));

function resolveFile(arg: string): string {
  if (existsSync(arg)) return arg;
  const byId = join(LIBRARY, `${arg}.yaml`);
  if (existsSync(byId)) return byId;
  throw new Error(`no scenario file or library id '${arg}'`);
}

function scenarioFiles(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args.length ? args : [LIBRARY]) {
    const p = resolveFile(a);
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (/\.(ya?ml|json)$/.test(f)) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}

/** `--rev <r>`: a revision, `all`, or absent; the other arguments. */
function revOption(rest: string[]): { rev: Revision | 'all' | null; args: string[] } | string {
  const i = rest.indexOf('--rev');
  if (i < 0) return { rev: null, args: rest };
  const r = rest[i + 1];
  if (r !== 'all' && !isRevision(r))
    return `--rev takes one of ${REVISIONS.join(', ')} or all, not '${r ?? ''}'`;
  return { rev: r, args: rest.filter((_, j) => j !== i && j !== i + 1) };
}

/** `--rev all`: every file on every revision, as a table. Non-zero if a row has a problem. */
function revisionTableOf(files: string[]): number {
  const rows: RevisionRow[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const parsed = parseScenario(readFileSync(file, 'utf8'));
    if (!parsed.ok) {
      problems.push(formatIssues(parsed.issues, file));
      continue;
    }
    const row = revisionRow(parsed.scenario);
    rows.push(row);
    problems.push(...rowProblems(row));
  }
  process.stdout.write(`${formatRevisionTable(rows)}\n`);
  for (const p of problems) process.stdout.write(`FAIL ${p}\n`);
  return problems.length ? 1 : 0;
}

function main(argv: string[]): number {
  const [cmd, ...rest0] = argv;
  const opt = revOption(rest0);
  if (typeof opt === 'string') {
    process.stderr.write(`${opt}\n`);
    return 2;
  }
  const rest = opt.args;
  const json = rest.includes('--json');
  const args = rest.filter((a) => a !== '--json');
  if ((cmd === 'run' || cmd === 'verify') && opt.rev === 'all')
    return revisionTableOf(cmd === 'run' && args[0] ? [resolveFile(args[0])] : scenarioFiles(args));
  const revision = opt.rev === 'all' || opt.rev === null ? undefined : opt.rev;
  if (cmd === 'run' && args.length === 1 && args[0]) {
    const file = resolveFile(args[0]);
    const parsed = parseScenario(readFileSync(file, 'utf8'));
    if (!parsed.ok) {
      process.stderr.write(`${formatIssues(parsed.issues, file)}\n`);
      return 1;
    }
    const run = runScenario(parsed.scenario, revision ? { revision } : {});
    process.stdout.write(
      json ? `${JSON.stringify(runToJson(run), null, 2)}\n` : `${stepTable(run)}\n`,
    );
    return run.frames.some((f) => f.failures.length) ? 1 : 0;
  }
  if (cmd === 'verify') {
    let failed = 0;
    let passed = 0;
    for (const file of scenarioFiles(args)) {
      const parsed = parseScenario(readFileSync(file, 'utf8'));
      if (!parsed.ok) {
        process.stdout.write(`FAIL ${file}\n${formatIssues(parsed.issues, file)}\n`);
        failed++;
        continue;
      }
      const run = runScenario(parsed.scenario, {
        checkInvariants: true,
        ...(revision ? { revision } : {}),
      });
      const bad = run.frames.filter((f) => f.failures.length);
      if (bad.length === 0) {
        passed++;
        process.stdout.write(`ok   ${file} (${run.frames.length} steps)\n`);
        continue;
      }
      failed++;
      process.stdout.write(`FAIL ${file}\n`);
      for (const f of bad) {
        const line = parsed.stepLines[f.index] ?? 0;
        for (const msg of f.failures) {
          process.stdout.write(
            `  ${file}:${line}: step ${f.index + 1} (${f.step.op}, returned ${f.result ? formatRet(f.result.ret) : '-'}): ${msg}\n`,
          );
        }
      }
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  }
  process.stderr.write(
    'usage: npm run scenario -- run <file|id> [--json] [--rev <revision>|all]\n       npm run scenario -- verify [files or folders...] [--rev <revision>|all]\n',
  );
  return 2;
}

process.exitCode = main(process.argv.slice(2));
