/**
 * The bpf_testmod kfunc that returns the associated struct_ops changed its name twice:
 * `bpf_kfunc_multi_st_ops_test_1_prog_arg(args, aux__prog)` up to v7,
 * `bpf_kfunc_multi_st_ops_test_1_impl(args, aux__prog)` in v8 (Alexei's review of v7 4/6), and
 * `bpf_kfunc_multi_st_ops_test_1_assoc(args)` on mainline after KF_IMPLICIT_ARGS (2026-01).
 * A kernel offers only its own spelling; a program calling another one fails to load.
 */
import { walkCalls } from '../prog/compile';
import type { SrcStmt } from '../prog/ast';
import type { ProgBody, Revision } from '../types';
import { REVISIONS, revisionSpec } from './spec';

const FAMILY: ReadonlySet<string> = new Set(REVISIONS.map((r) => revisionSpec(r).kfunc.name));

/**
 * Null when every call in `body` names a kfunc revision `rev` has; otherwise the verifier's
 * complaint about the first one it lacks.
 */
export function kfuncMissingOn(rev: Revision, body: ProgBody): string | null {
  const own = revisionSpec(rev).kfunc.name;
  for (const stmts of [body.main, ...Object.values(body.subprogs)]) {
    for (const { call } of walkCalls(stmts)) {
      if (FAMILY.has(call.callee) && call.callee !== own)
        return `calling kernel function ${call.callee}: not in this kernel's BTF (the ${rev} bpf_testmod names it ${own})`;
    }
  }
  return null;
}

/** The v8 name the library is written against. */
const V8_NAME = 'bpf_kfunc_multi_st_ops_test_1_impl';

/**
 * A kernel function name as revision `rev` spells it: the testmod kfunc's v8 name becomes that
 * revision's (expectations such as `oops_at.function` are written against v8 too).
 */
export function retargetKfuncName(name: string, rev: Revision): string {
  return name === V8_NAME ? revisionSpec(rev).kfunc.name : name;
}

const CALL = /\bbpf_kfunc_multi_st_ops_test_1_impl\(\s*([^,()]+?)\s*(?:,\s*([^()]*?)\s*)?\)/g;

/**
 * A program source line as revision `rev`'s selftests would write the kfunc call: the library
 * is written against v8 (`…_impl(&args, NULL)`), and each revision's objects call their own
 * kernel's spelling, with or without the aux argument.
 */
export function retargetKfuncSource(line: string, rev: Revision): string {
  const k = revisionSpec(rev).kfunc;
  return line.replace(CALL, (_m, args: string, aux: string | undefined) =>
    k.implicit ? `${k.name}(${args})` : `${k.name}(${args}, ${aux ?? 'NULL'})`,
  );
}

/** {@link retargetKfuncSource} over a whole source body (strings, `if` and `for` blocks). */
export function retargetKfuncBody(src: readonly SrcStmt[], rev: Revision): SrcStmt[] {
  return src.map((s): SrcStmt => {
    if (typeof s === 'string') return retargetKfuncSource(s, rev);
    if ('if' in s) {
      const out: { if: string; then: SrcStmt[]; else?: SrcStmt[] } = {
        if: retargetKfuncSource(s.if, rev),
        then: retargetKfuncBody(s.then, rev),
      };
      if (s.else) out.else = retargetKfuncBody(s.else, rev);
      return out;
    }
    return { for: s.for, do: retargetKfuncBody(s.do, rev) };
  });
}
