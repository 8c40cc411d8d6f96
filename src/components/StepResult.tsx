/**
 * A step's call result as the narration and the caption print it after the call: ` = 0` in
 * green, ` = -EBUSY` in red (`data-testid="step-ret"`, `data-ret` the number), or nothing for a
 * step without one.
 */
import { formatRet, type SysResult } from '../core/errno';

export function StepResult({ result }: { readonly result: SysResult | null }) {
  if (!result) return null;
  return (
    <span
      className={result.ret < 0 ? 'ret ret-err' : 'ret ret-ok'}
      data-testid="step-ret"
      data-ret={String(result.ret)}
    >
      {` = ${formatRet(result.ret)}`}
    </span>
  );
}
