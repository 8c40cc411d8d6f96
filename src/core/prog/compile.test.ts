import { describe, expect, it } from 'vitest';
import type { Expr, SrcStmt, Stmt } from './ast';
import type { CompileError } from './compile';
import { compileBody, isCompileError, parseExpr, walkCalls } from './compile';

/** Parses and expects success. */
function expr(text: string): Expr {
  const r = parseExpr(text);
  if (isCompileError(r)) throw new Error(`unexpected error for ${text}: ${r.message}`);
  return r;
}

/** Parses and expects an error. */
function exprErr(text: string): CompileError {
  const r = parseExpr(text);
  if (!isCompileError(r)) throw new Error(`expected an error for ${text}`);
  return r;
}

function ok(src: readonly SrcStmt[]): Stmt[] {
  const r = compileBody(src);
  if (!r.ok) throw new Error(`unexpected errors: ${JSON.stringify(r.errors)}`);
  return r.stmts;
}

function errs(src: readonly unknown[]): CompileError[] {
  // Scenario files are data: exercise shapes the static type would not allow.
  const r = compileBody(src as readonly SrcStmt[]);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

function one(src: SrcStmt): Stmt {
  const [s] = ok([src]);
  if (s === undefined) throw new Error('no statement');
  return s;
}

const id = (name: string): Expr => ({ type: 'ident', name });
const num = (value: number): Expr => ({ type: 'num', value });

describe('parseExpr: literals and names', () => {
  it('parses decimal and hex integers', () => {
    expect(expr('42')).toEqual(num(42));
    expect(expr('0')).toEqual(num(0));
    expect(expr('0x1F')).toEqual(num(31));
    expect(expr('0XfF')).toEqual(num(255));
  });

  it('accepts C integer suffixes', () => {
    expect(expr('10ULL')).toEqual(num(10));
    expect(expr('0x10u')).toEqual(num(16));
    expect(expr('7L')).toEqual(num(7));
  });

  it('parses strings, with escapes', () => {
    expect(expr('"hello %d\\n"')).toEqual({ type: 'str', value: 'hello %d\n' });
    expect(expr("'x'")).toEqual({ type: 'str', value: 'x' });
  });

  it('parses NULL and identifiers', () => {
    expect(expr('NULL')).toEqual({ type: 'null' });
    expect(expr('test_err_a')).toEqual(id('test_err_a'));
  });

  it('parses member and index access', () => {
    expect(expr('task.pid')).toEqual({ type: 'member', object: id('task'), property: 'pid' });
    expect(expr('a[i + 1]')).toEqual({
      type: 'index',
      object: id('a'),
      index: { type: 'binary', op: '+', left: id('i'), right: num(1) },
    });
    expect(expr('s.arr[0].x')).toEqual({
      type: 'member',
      object: {
        type: 'index',
        object: { type: 'member', object: id('s'), property: 'arr' },
        index: num(0),
      },
      property: 'x',
    });
  });
});

describe('parseExpr: operators', () => {
  it.each(['-', '!', '~'] as const)('parses unary %s', (op) => {
    expect(expr(`${op}x`)).toEqual({ type: 'unary', op, arg: id('x') });
  });

  it('parses unary & (address-of)', () => {
    expect(expr('&args')).toEqual({ type: 'unary', op: '&', arg: id('args') });
    expect(expr('&a[1]')).toEqual({
      type: 'unary',
      op: '&',
      arg: { type: 'index', object: id('a'), index: num(1) },
    });
    expect(expr('&ctx.timer')).toEqual({
      type: 'unary',
      op: '&',
      arg: { type: 'member', object: id('ctx'), property: 'timer' },
    });
  });

  it('keeps binary & and && distinct from unary &', () => {
    expect(expr('a & &b')).toEqual({
      type: 'binary',
      op: '&',
      left: id('a'),
      right: { type: 'unary', op: '&', arg: id('b') },
    });
    expect(expr('a&&b')).toEqual({ type: 'binary', op: '&&', left: id('a'), right: id('b') });
  });

  const binaryOps = [
    '+',
    '-',
    '*',
    '/',
    '%',
    '==',
    '!=',
    '<',
    '<=',
    '>',
    '>=',
    '&&',
    '||',
    '&',
    '|',
    '^',
    '<<',
    '>>',
  ] as const;
  it.each(binaryOps)('parses binary %s', (op) => {
    expect(expr(`a ${op} b`)).toEqual({ type: 'binary', op, left: id('a'), right: id('b') });
  });

  it('follows C precedence', () => {
    expect(expr('1 + 2 * 3')).toEqual({
      type: 'binary',
      op: '+',
      left: num(1),
      right: { type: 'binary', op: '*', left: num(2), right: num(3) },
    });
    // `&` binds looser than `==` in C.
    expect(expr('a & 1 == 0')).toEqual({
      type: 'binary',
      op: '&',
      left: id('a'),
      right: { type: 'binary', op: '==', left: num(1), right: num(0) },
    });
    expect(expr('(1 + 2) * 3')).toEqual({
      type: 'binary',
      op: '*',
      left: { type: 'binary', op: '+', left: num(1), right: num(2) },
      right: num(3),
    });
  });

  it('parses the conditional operator', () => {
    expect(expr('a ? b : c')).toEqual({
      type: 'cond',
      test: id('a'),
      then: id('b'),
      else: id('c'),
    });
  });

  it('parses calls of named functions, nested calls included', () => {
    expect(expr('f()')).toEqual({ type: 'call', callee: 'f', args: [] });
    expect(expr('f(g(1), "s")')).toEqual({
      type: 'call',
      callee: 'f',
      args: [
        { type: 'call', callee: 'g', args: [num(1)] },
        { type: 'str', value: 's' },
      ],
    });
  });
});

describe('parseExpr: errors', () => {
  it.each([
    ['1.5', 'floating-point'],
    ['.5', 'floating-point'],
    ['1e3', 'floating-point'],
    ['010', 'octal'],
    ['0x', 'invalid number'],
    ['9007199254740993', 'too large'],
    ['a === b', "use '=='"],
    ['a !== b', "use '!='"],
    ['a >>> 1', "use '>>'"],
    ['a ** 2', 'not supported'],
    ['a ?? b', 'not supported'],
    ['+a', "unary '+'"],
    ['this', "'this'"],
    ['[1, 2]', 'array literals'],
    ['new Foo()', "'new'"],
    ['a.b(1)', 'only a named function'],
    ['null', 'use NULL'],
    ['true', 'use 1 or 0'],
    ['&1', "'&' needs"],
    ['&f(x)', "'&' needs"],
    ['a?.b', "'?.'"],
    ['(a, b)', 'comma'],
    ['a b', 'expected one expression'],
    ['x = 1', 'whole statement'],
    ['x++', 'whole statement'],
    ['$x', 'not a C identifier'],
    ['', 'empty'],
  ])('rejects %s', (text, message) => {
    const e = exprErr(text);
    expect(e.message).toContain(message);
    expect(e.path).toEqual([]);
  });

  it('reports the column jsep gives', () => {
    expect(exprErr('1 +')).toMatchObject({ column: 3 });
    expect(exprErr('x + 1.5')).toMatchObject({ column: 4 });
    expect(exprErr('{a: 1}')).toMatchObject({ column: 0 });
  });

  it('suggests . for ->', () => {
    expect(exprErr('task->pid').message).toContain("use '.'");
  });
});

describe('compileBody: statements', () => {
  it('compiles return with and without a value', () => {
    expect(one('return')).toEqual({ kind: 'return', value: null, src: 'return' });
    expect(one('return;')).toEqual({ kind: 'return', value: null, src: 'return;' });
    expect(one('  return x + 1 ')).toEqual({
      kind: 'return',
      value: { type: 'binary', op: '+', left: id('x'), right: num(1) },
      src: 'return x + 1',
    });
    expect(one('return -22')).toEqual({
      kind: 'return',
      value: { type: 'unary', op: '-', arg: num(22) },
      src: 'return -22',
    });
  });

  it('does not mistake an identifier starting with "return" for return', () => {
    expect(one('returned = 1')).toMatchObject({ kind: 'assign', target: id('returned') });
  });

  it.each(['=', '+=', '-=', '|=', '&='] as const)('compiles the %s assignment', (op) => {
    expect(one(`x ${op} 1`)).toEqual({
      kind: 'assign',
      target: id('x'),
      op,
      value: num(1),
      src: `x ${op} 1`,
    });
  });

  it('assigns to an array element', () => {
    expect(one('arr[i] = 2')).toEqual({
      kind: 'assign',
      target: { type: 'index', object: id('arr'), index: id('i') },
      op: '=',
      value: num(2),
      src: 'arr[i] = 2',
    });
  });

  it('allows a call as the value of an assignment', () => {
    expect(one('ret = kfunc(&args, NULL)')).toEqual({
      kind: 'assign',
      target: id('ret'),
      op: '=',
      value: {
        type: 'call',
        callee: 'kfunc',
        args: [{ type: 'unary', op: '&', arg: id('args') }, { type: 'null' }],
      },
      src: 'ret = kfunc(&args, NULL)',
    });
  });

  it('compiles updates, prefix and postfix', () => {
    expect(one('test_err_a++')).toEqual({
      kind: 'update',
      target: id('test_err_a'),
      op: '++',
      src: 'test_err_a++',
    });
    expect(one('x--')).toMatchObject({ kind: 'update', op: '--' });
    expect(one('++x')).toMatchObject({ kind: 'update', op: '++', target: id('x') });
    expect(one('--a[0]')).toEqual({
      kind: 'update',
      target: { type: 'index', object: id('a'), index: num(0) },
      op: '--',
      src: '--a[0]',
    });
  });

  it('compiles a bare call', () => {
    expect(one('bpf_timer_start(t, timer_ns, 0)')).toEqual({
      kind: 'call',
      call: { type: 'call', callee: 'bpf_timer_start', args: [id('t'), id('timer_ns'), num(0)] },
      src: 'bpf_timer_start(t, timer_ns, 0)',
    });
  });

  it('accepts a trailing semicolon', () => {
    expect(one('x = 1;')).toMatchObject({ kind: 'assign', value: num(1) });
  });

  it('compiles if, with and without else', () => {
    expect(one({ if: 'x == 1', then: ['y = 2'] })).toEqual({
      kind: 'if',
      cond: { type: 'binary', op: '==', left: id('x'), right: num(1) },
      then: [{ kind: 'assign', target: id('y'), op: '=', value: num(2), src: 'y = 2' }],
      else: [],
      src: 'if (x == 1)',
    });
    expect(one({ if: ' !ok ', then: [], else: ['return 1'] })).toEqual({
      kind: 'if',
      cond: { type: 'unary', op: '!', arg: id('ok') },
      then: [],
      else: [{ kind: 'return', value: num(1), src: 'return 1' }],
      src: 'if (!ok)',
    });
  });

  it('compiles for', () => {
    expect(one({ for: 'i in 0..n', do: ['sum += a[i]'] })).toEqual({
      kind: 'for',
      var: 'i',
      from: num(0),
      to: id('n'),
      body: [
        {
          kind: 'assign',
          target: id('sum'),
          op: '+=',
          value: { type: 'index', object: id('a'), index: id('i') },
          src: 'sum += a[i]',
        },
      ],
      src: 'for (i in 0..n)',
    });
    expect(one({ for: ' j in cfg.lo .. cfg.hi + 1', do: [] })).toEqual({
      kind: 'for',
      var: 'j',
      from: { type: 'member', object: id('cfg'), property: 'lo' },
      to: {
        type: 'binary',
        op: '+',
        left: { type: 'member', object: id('cfg'), property: 'hi' },
        right: num(1),
      },
      body: [],
      src: 'for (j in cfg.lo..cfg.hi + 1)',
    });
  });

  it('compiles an empty body', () => {
    expect(compileBody([])).toEqual({ ok: true, stmts: [] });
  });
});

describe('compileBody: errors', () => {
  const NESTED = 'calls must stand alone as a statement or as the value of an assignment';

  it.each([
    ['f(x) + 1'],
    ['g(f(x))'],
    ['ret = g(f(x))'],
    ['ret = f(x) + 1'],
    ['return f(x)'],
    ['a[f(x)] = 1'],
  ])('rejects the nested call in %s', (text) => {
    const [e] = errs([text]);
    expect(e?.message).toContain(NESTED);
    expect(e?.path).toEqual([0]);
  });

  it('rejects calls in if conditions and for bounds', () => {
    expect(errs([{ if: 'f(x) == 1', then: [] }])[0]?.message).toContain(NESTED);
    expect(errs([{ for: 'i in 0..f(3)', do: [] }])[0]?.message).toContain(NESTED);
  });

  it.each([
    ['a.b = 1', 'cannot assign to a field'],
    ['1 = x', 'cannot assign to a constant'],
    ['f(x) = 1', 'cannot assign to a call'],
    ['NULL = 1', 'cannot assign to NULL'],
    ['a.b++', 'cannot assign to a field'],
  ])('rejects the assignment target in %s', (text, message) => {
    expect(errs([text])[0]?.message).toContain(message);
  });

  it('rejects unsupported assignment operators', () => {
    expect(errs(['x *= 2'])[0]?.message).toContain("operator '*=' is not supported");
    expect(errs(['x <<= 2'])[0]?.message).toContain("operator '<<=' is not supported");
  });

  it('rejects chained and nested assignments', () => {
    expect(errs(['a = b = c'])[0]?.message).toContain('whole statement');
    expect(errs(['x = y++'])[0]?.message).toContain('whole statement');
    expect(errs([{ if: 'x = 1', then: [] }])[0]?.message).toContain("use '=='");
  });

  it('rejects expression statements that do nothing', () => {
    expect(errs(['x + 1'])[0]?.message).toContain('computes a value and drops it');
    expect(errs(['x == 1'])[0]?.message).toContain("did you mean '='?");
  });

  it('rejects floats with a column into the statement', () => {
    expect(errs(['x = 1.5'])[0]).toEqual({
      path: [0],
      message: expect.stringContaining('floating-point') as unknown,
      column: 4,
    });
    expect(errs(['return 2.5'])[0]).toMatchObject({ column: 7 });
  });

  it('rejects ===', () => {
    expect(errs([{ if: 'a === b', then: [] }])[0]?.message).toContain("use '=='");
  });

  it('rejects empty and non-string statements', () => {
    expect(errs([''])[0]).toEqual({ path: [0], message: 'empty statement' });
    expect(errs(['   '])[0]?.message).toBe('empty statement');
    expect(errs([3])[0]?.message).toContain('not a number');
    expect(errs([null])[0]?.message).toContain('not null');
    expect(errs([['x = 1']])[0]?.message).toContain('not an array');
  });

  it('rejects unknown and malformed statement objects', () => {
    expect(errs([{ if: 'x', then: [], foo: 1 }])[0]?.message).toContain("unknown key 'foo'");
    expect(errs([{ for: 'i in 0..2', do: [], else: [] }])[0]?.message).toContain(
      "unknown key 'else'",
    );
    expect(errs([{ while: 'x' }])[0]?.message).toContain('unknown statement object');
    expect(errs([{}])[0]?.message).toContain('unknown statement object');
    expect(errs([{ if: 'x', for: 'i in 0..1', then: [] }])[0]?.message).toContain('both');
    expect(errs([{ if: 'x' }])[0]?.message).toContain("missing 'then'");
    expect(errs([{ if: 'x', then: 'y = 1' }])[0]?.message).toContain(
      "'then' must be an array of statements",
    );
    expect(errs([{ if: 'x', then: [], else: {} }])[0]?.message).toContain("'else' must be");
    expect(errs([{ if: 1, then: [] }])[0]?.message).toContain('condition string');
    expect(errs([{ if: ' ', then: [] }])[0]?.message).toContain("empty 'if' condition");
    expect(errs([{ for: 'i in 0..2' }])[0]?.message).toContain("missing 'do'");
    expect(errs([{ for: 3, do: [] }])[0]?.message).toContain("'for' must be a string");
  });

  it('rejects malformed for headers', () => {
    expect(errs([{ for: 'i 0..4', do: [] }])[0]?.message).toContain('<var> in <from>..<to>');
    expect(errs([{ for: 'i in 4', do: [] }])[0]?.message).toContain('<var> in <from>..<to>');
    expect(errs([{ for: '1 in 0..4', do: [] }])[0]?.message).toContain('<var> in <from>..<to>');
    expect(errs([{ for: 'NULL in 0..4', do: [] }])[0]?.message).toContain('loop variable');
    expect(errs([{ for: 'i in 0..', do: [] }])[0]).toMatchObject({ column: 8 });
    expect(errs([{ for: 'i in ..3', do: [] }])[0]?.message).toContain("missing 'from'");
  });

  it('reports unparsable text with a column', () => {
    expect(errs(['x = (1 +'])[0]).toMatchObject({ path: [0], column: 8 });
    expect(errs(['x = a @ b'])[0]).toMatchObject({
      path: [0],
      column: expect.any(Number) as unknown,
    });
    // Columns of an if condition are offsets into the condition string.
    expect(errs([{ if: 'x == 1.0', then: [] }])[0]).toMatchObject({ path: [0], column: 5 });
    // Columns of a for bound are offsets into the whole header.
    expect(errs([{ for: 'i in 0..1.5', do: [] }])[0]).toMatchObject({ path: [0], column: 8 });
  });

  it('locates errors in nested blocks', () => {
    const e = errs([
      'x = 1',
      {
        if: 'x',
        then: ['ok()', { for: 'i in 0..3', do: ['y = 1', 'g(f(i))'] }],
        else: ['z = 1.5'],
      },
    ]);
    expect(e.map((x) => x.path)).toEqual([
      [1, 'then', 1, 'do', 1],
      [1, 'else', 0],
    ]);
  });

  it('reports every error, not just the first', () => {
    const e = errs([
      'f(x) + 1',
      'x = 1',
      'a.b = 1',
      7,
      { if: 'a === b', then: ['1.5'], oops: true },
      { for: 'i in 0..n', do: [''] },
    ]);
    expect(e.map((x) => x.path)).toEqual([[0], [2], [3], [4], [4], [4, 'then', 0], [5, 'do', 0]]);
  });

  it('rejects a body that is not an array', () => {
    const r = compileBody('x = 1' as unknown as readonly SrcStmt[]);
    expect(r).toEqual({
      ok: false,
      errors: [{ path: [], message: 'a program body must be an array of statements' }],
    });
  });
});

describe('walkCalls', () => {
  it('lists every call with its statement path, in source order', () => {
    const stmts = ok([
      'x = 1',
      'ret = kfunc(&args, NULL)',
      {
        if: 'ret == 0',
        then: ['bpf_printk("ok")'],
        else: [{ for: 'i in 0..2', do: ['a[i] = get(i)'] }],
      },
      'done()',
    ]);
    const calls = walkCalls(stmts);
    expect(calls.map((c) => [c.call.callee, c.path])).toEqual([
      ['kfunc', [1]],
      ['bpf_printk', [2, 'then', 0]],
      ['get', [2, 'else', 0, 'do', 0]],
      ['done', [3]],
    ]);
    expect(calls[0]?.call.args).toEqual([
      { type: 'unary', op: '&', arg: id('args') },
      { type: 'null' },
    ]);
  });

  it('finds nothing in a call-free body', () => {
    expect(walkCalls(ok(['x = 1', { if: 'x', then: ['return x'] }]))).toEqual([]);
  });
});
