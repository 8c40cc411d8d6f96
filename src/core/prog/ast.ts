/**
 * The small statement set a simulated BPF program body is made of, after parsing.
 *
 * Source form (what scenario files and object descriptions hold), one entry per statement:
 * - a string: an expression statement (`ret = kfunc(&args, NULL)`, `test_err_a++`,
 *   `bpf_timer_start(t, timer_ns, 0)`) or `return <expr>`;
 * - `{ if: <expr>, then: [...], else: [...] }`;
 * - `{ for: "<var> in <from>..<to>", do: [...] }`: a bounded loop, as `bpf_for()` gives.
 *
 * Expressions are parsed by jsep into the tree below; nothing is ever evaluated as JS.
 */

export type SrcStmt =
  | string
  | { readonly if: string; readonly then: readonly SrcStmt[]; readonly else?: readonly SrcStmt[] }
  | { readonly for: string; readonly do: readonly SrcStmt[] };

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '&&'
  | '||'
  | '&'
  | '|'
  | '^'
  | '<<'
  | '>>';

export type UnaryOp = '-' | '!' | '~' | '&';

export type Expr =
  | { readonly type: 'num'; readonly value: number }
  | { readonly type: 'str'; readonly value: string }
  | { readonly type: 'null' }
  | { readonly type: 'ident'; readonly name: string }
  /** `task.pid`, `task.tgid`, `task.comm`, `task.parent_tgid` and struct fields. */
  | { readonly type: 'member'; readonly object: Expr; readonly property: string }
  | { readonly type: 'index'; readonly object: Expr; readonly index: Expr }
  | { readonly type: 'unary'; readonly op: UnaryOp; readonly arg: Expr }
  | { readonly type: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly type: 'cond'; readonly test: Expr; readonly then: Expr; readonly else: Expr }
  | { readonly type: 'call'; readonly callee: string; readonly args: readonly Expr[] };

/** An assignable place: a local or global name, or an element of a global array. */
export type LValue =
  | { readonly type: 'ident'; readonly name: string }
  | { readonly type: 'index'; readonly object: Expr; readonly index: Expr };

export type Stmt =
  | { readonly kind: 'call'; readonly call: Extract<Expr, { type: 'call' }>; readonly src: string }
  | {
      readonly kind: 'assign';
      readonly target: LValue;
      readonly op: '=' | '+=' | '-=' | '|=' | '&=';
      readonly value: Expr;
      readonly src: string;
    }
  | {
      readonly kind: 'update';
      readonly target: LValue;
      readonly op: '++' | '--';
      readonly src: string;
    }
  | {
      readonly kind: 'if';
      readonly cond: Expr;
      readonly then: readonly Stmt[];
      readonly else: readonly Stmt[];
      readonly src: string;
    }
  | {
      readonly kind: 'for';
      readonly var: string;
      readonly from: Expr;
      readonly to: Expr;
      readonly body: readonly Stmt[];
      readonly src: string;
    }
  | { readonly kind: 'return'; readonly value: Expr | null; readonly src: string };

/** Where a statement sits in a body: indices, with `then`/`else`/`do` for nested blocks. */
export type StmtPath = readonly (number | 'then' | 'else' | 'do')[];

/** The expressions directly inside `e`, in source order (none for literals and names). */
export function subExprs(e: Expr): readonly Expr[] {
  switch (e.type) {
    case 'call':
      return e.args;
    case 'member':
      return [e.object];
    case 'index':
      return [e.object, e.index];
    case 'unary':
      return [e.arg];
    case 'binary':
      return [e.left, e.right];
    case 'cond':
      return [e.test, e.then, e.else];
    default:
      return [];
  }
}
