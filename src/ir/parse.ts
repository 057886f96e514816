/*
 * Text → IR (the grammar of docs/ir.md), from the tokens of lex.ts. Syntax errors
 * are IRError with a span (file = the name passed in, line, col). The parser checks
 * syntax only (known mnemonics, registers, intrinsic names); semantics are the
 * verifier's job.
 */
import { IRError } from '../errors.js';
import { lex, type Tok, type TokKind } from './lex.js';
import {
  BINARY_OPS,
  COMPARE_CONDS,
  DATA_SECTIONS,
  INTRINSICS,
  LOAD_OPS,
  REGISTERS,
  STORE_OPS,
  UNARY_OPS,
  type BinaryOp,
  type CallArg,
  type CompareCond,
  type DataItem,
  type DataSection,
  type IRAbsolute,
  type Instruction,
  type IntrinsicName,
  type IRBlock,
  type IRData,
  type IRFunction,
  type IRModule,
  type IRParam,
  type IRType,
  type LoadOp,
  type Loc,
  type Operand,
  type RegName,
  type StoreOp,
  type UnaryOp,
} from './types.js';

const BIN = new Set<string>(BINARY_OPS);
const UN = new Set<string>(UNARY_OPS);
const LD = new Set<string>(LOAD_OPS);
const ST = new Set<string>(STORE_OPS);
const REGS = new Set<string>(REGISTERS);
const CMP = new RegExp(`^c(${COMPARE_CONDS.join('|')})([wl])$`);

class Parser {
  private p = 0;
  constructor(
    private toks: Tok[],
    private file: string,
  ) {}

  private peek(): Tok {
    return this.toks[this.p]!;
  }
  private next(): Tok {
    return this.toks[this.p++]!;
  }
  private fail(msg: string, t: Tok = this.peek()): never {
    throw new IRError(`${msg}, found '${t.text}'`, { span: { file: this.file, line: t.line, col: t.col } });
  }
  private isPunct(c: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === c;
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text === w;
  }
  private punct(c: string): void {
    if (!this.isPunct(c)) this.fail(`expected '${c}'`);
    this.p++;
  }
  /** The next token, which must be of `kind` (else a syntax error saying `expected`). */
  private take(kind: TokKind, expected: string): Tok {
    const t = this.peek();
    if (t.kind !== kind) this.fail(expected);
    this.p++;
    return t;
  }
  private word(): string {
    return this.take('word', 'expected a keyword').text;
  }
  private num(): bigint {
    return this.take('num', 'expected a number').value!;
  }
  private smallNum(): number {
    const t = this.peek();
    const v = this.num();
    if (v < 0n || v > 0xffffffffn) this.fail('number out of range', t);
    return Number(v);
  }
  private type(): IRType {
    const t = this.peek();
    if (t.kind === 'word' && (t.text === 'w' || t.text === 'l')) {
      this.p++;
      return t.text;
    }
    return this.fail("expected a type 'w' or 'l'");
  }
  private tempName(): string {
    return this.take('temp', 'expected a temporary %name').name!;
  }
  private labelName(): string {
    return this.take('label', 'expected a label @name').name!;
  }
  private operand(): Operand {
    const t = this.peek();
    if (t.kind === 'temp') return (this.p++, { kind: 'temp', name: t.name! });
    if (t.kind === 'num') return (this.p++, { kind: 'const', value: t.value! });
    if (t.kind === 'global') return (this.p++, { kind: 'global', name: t.name!, offset: t.offset! });
    return this.fail('expected a value (%temp, number or $symbol)');
  }

  module(name: string): IRModule {
    const m: IRModule = { name, files: [], data: [], funcs: [] };
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      const w = this.word();
      if (w === 'file') {
        const nt = this.peek();
        const n = this.smallNum();
        if (n !== m.files.length + 1) this.fail(`file index must be ${m.files.length + 1}`, nt);
        const s = this.next();
        if (s.kind !== 'str') this.fail('expected a string', s);
        m.files.push(new TextDecoder().decode(s.bytes));
      } else if (w === 'abs') (m.absolutes ??= []).push(this.absolute());
      else if (w === 'data') m.data.push(this.data());
      else if (w === 'func') m.funcs.push(this.func());
      else this.fail("expected 'file', 'abs', 'data' or 'func'", t);
    }
    return m;
  }

  private absolute(): IRAbsolute {
    const exp = this.isWord('export') ? (this.p++, true) : false;
    const g = this.next();
    if (g.kind !== 'global' || g.offset !== 0) this.fail('expected a symbol $name', g);
    this.punct('=');
    return { name: g.name!, export: exp, value: this.num() };
  }

  private data(): IRData {
    const g = this.next();
    if (g.kind !== 'global' || g.offset !== 0) this.fail('expected a symbol $name', g);
    const d: IRData = { name: g.name!, export: false, align: 1, items: [] };
    if (this.isWord('export')) (this.p++, (d.export = true));
    if (this.isWord('align')) {
      this.p++;
      const at = this.peek();
      d.align = this.smallNum();
      if (d.align < 1 || (d.align & (d.align - 1)) !== 0) this.fail('alignment must be a power of two', at);
    }
    if (this.isWord('section')) {
      this.p++;
      const st = this.next();
      if (st.kind !== 'str') this.fail('expected a section name string', st);
      const sec = new TextDecoder().decode(st.bytes);
      if (!(DATA_SECTIONS as readonly string[]).includes(sec)) this.fail(`section must be one of ${DATA_SECTIONS.map((x) => `"${x}"`).join(', ')}`, st);
      d.section = sec as DataSection;
    }
    this.punct('{');
    if (!this.isPunct('}')) {
      for (;;) {
        d.items.push(this.item());
        if (this.isPunct('}')) break;
        this.punct(',');
      }
    }
    this.punct('}');
    return d;
  }

  private item(): DataItem {
    const t = this.peek();
    const w = this.word();
    if (w === 'z') return { kind: 'zero', size: this.smallNum() };
    if (w !== 'b' && w !== 'h' && w !== 'w' && w !== 'l') this.fail("expected a data item 'b', 'h', 'w', 'l' or 'z'", t);
    const v = this.peek();
    if (v.kind === 'str') {
      if (w !== 'b') this.fail("strings need 'b'", v);
      this.p++;
      return { kind: 'string', bytes: v.bytes! };
    }
    if (v.kind === 'global') {
      if (w !== 'w') this.fail("symbol addresses need 'w'", v);
      this.p++;
      return { kind: 'symbol', name: v.name!, offset: v.offset! };
    }
    return { kind: 'int', width: w, value: this.num() };
  }

  private func(): IRFunction {
    const f: IRFunction = { name: '', export: false, varargs: false, params: [], blocks: [] };
    if (this.isWord('export')) (this.p++, (f.export = true));
    if (this.isWord('varargs')) (this.p++, (f.varargs = true));
    const g = this.next();
    if (g.kind !== 'global' || g.offset !== 0) this.fail('expected a function name $name', g);
    f.name = g.name!;
    this.punct('(');
    if (!this.isPunct(')')) {
      for (;;) {
        const p: IRParam = { type: this.type(), name: this.tempName() };
        f.params.push(p);
        if (this.isPunct(')')) break;
        this.punct(',');
      }
    }
    this.punct(')');
    if (this.isPunct(':')) (this.p++, (f.retType = this.type()));
    this.punct('{');
    let cur: IRBlock | undefined;
    while (!this.isPunct('}')) {
      const t = this.peek();
      if (t.kind === 'label') {
        this.p++;
        cur = { label: t.name!, instrs: [] };
        f.blocks.push(cur);
        continue;
      }
      if (!cur) this.fail('expected a block label @name');
      cur.instrs.push(this.instruction());
    }
    this.punct('}');
    return f;
  }

  private loc(): Loc {
    this.punct('!');
    const file = this.smallNum();
    this.punct(':');
    const line = this.smallNum();
    return { file, line };
  }

  private callArgs(): CallArg[] {
    const args: CallArg[] = [];
    this.punct('(');
    if (!this.isPunct(')')) {
      for (;;) {
        args.push({ type: this.type(), value: this.operand() });
        if (this.isPunct(')')) break;
        this.punct(',');
      }
    }
    this.punct(')');
    return args;
  }

  private intrArgs(): Operand[] {
    const args: Operand[] = [];
    if (this.isPunct('!')) return args;
    for (;;) {
      args.push(this.operand());
      if (!this.isPunct(',')) break;
      this.p++;
    }
    return args;
  }

  private intrName(): IntrinsicName {
    const t = this.peek();
    const n = this.word();
    if (!Object.hasOwn(INTRINSICS, n)) this.fail('unknown intrinsic', t);
    return n as IntrinsicName;
  }

  private reg(): RegName {
    const t = this.peek();
    const r = this.word();
    if (!REGS.has(r)) this.fail('unknown register', t);
    return r as RegName;
  }

  private instruction(): Instruction {
    const start = this.peek();
    type Body = Instruction extends infer I ? (I extends unknown ? Omit<I, 'loc'> : never) : never;
    let body: Body;
    if (start.kind === 'temp') {
      this.p++;
      const dst = start.name!;
      this.punct('=');
      const type = this.type();
      const opTok = this.peek();
      const op = this.word();
      const cm = CMP.exec(op);
      if (BIN.has(op)) {
        const a = this.operand();
        this.punct(',');
        body = { kind: 'binary', op: op as BinaryOp, dst, type, a, b: this.operand() };
      } else if (cm) {
        if (type !== 'w') this.fail('a comparison yields w', opTok);
        const a = this.operand();
        this.punct(',');
        body = { kind: 'compare', cond: cm[1] as CompareCond, argType: cm[2] as IRType, dst, type: 'w', a, b: this.operand() };
      } else if (UN.has(op)) body = { kind: 'unary', op: op as UnaryOp, dst, type, a: this.operand() };
      else if (LD.has(op)) body = { kind: 'load', op: op as LoadOp, dst, type, addr: this.operand() };
      else if (op === 'alloc' || op === 'vastart' || op === 'rdreg' || op === 'intr') {
        if (type !== 'w') this.fail(`${op} yields w`, opTok);
        if (op === 'alloc') {
          const size = this.operand();
          this.punct(',');
          const at = this.peek();
          const align = this.smallNum();
          if (align < 1 || (align & (align - 1)) !== 0) this.fail('alignment must be a power of two', at);
          body = { kind: 'alloc', dst, type: 'w', size, align };
        } else if (op === 'vastart') body = { kind: 'vastart', dst, type: 'w' };
        else if (op === 'rdreg') body = { kind: 'rdreg', dst, type: 'w', reg: this.reg() };
        else {
          const name = this.intrName();
          body = { kind: 'intr', name, dst, type: 'w', args: this.intrArgs() };
        }
      } else if (op === 'call') {
        const callee = this.operand();
        body = { kind: 'call', dst, type, callee, args: this.callArgs() };
      } else this.fail('unknown instruction', opTok);
    } else {
      const op = this.word();
      if (ST.has(op)) {
        const value = this.operand();
        this.punct(',');
        body = { kind: 'store', op: op as StoreOp, value, addr: this.operand() };
      } else if (op === 'call') {
        const callee = this.operand();
        body = { kind: 'call', callee, args: this.callArgs() };
      } else if (op === 'wrreg') {
        const reg = this.reg();
        this.punct(',');
        body = { kind: 'wrreg', reg, value: this.operand() };
      } else if (op === 'intr') {
        const name = this.intrName();
        body = { kind: 'intr', name, args: this.intrArgs() };
      } else if (op === 'hypercall') body = { kind: 'hypercall' };
      else if (op === 'trap') {
        const s = this.next();
        if (s.kind !== 'str') this.fail('expected a string', s);
        body = { kind: 'trap', message: new TextDecoder().decode(s.bytes) };
      } else if (op === 'jmp') body = { kind: 'jmp', target: this.labelName() };
      else if (op === 'jnz') {
        const cond = this.operand();
        this.punct(',');
        const ifTrue = this.labelName();
        this.punct(',');
        body = { kind: 'jnz', cond, ifTrue, ifFalse: this.labelName() };
      } else if (op === 'ret') body = this.isPunct('!') ? { kind: 'ret' } : { kind: 'ret', value: this.operand() };
      else if (op === 'iret') body = { kind: 'iret' };
      else if (op === 'unreachable') body = { kind: 'unreachable' };
      else this.fail('unknown instruction', start);
    }
    return { ...body, loc: this.loc() } as Instruction;
  }
}

/**
 * Parses IR text. `name` names the module and is the file in error spans.
 * Throws IRError (with span) on a syntax error.
 */
export function parseModule(text: string, name = '<ir>'): IRModule {
  return new Parser(lex(text, name), name).module(name);
}

/**
 * Reads a multi-module text (printModules): a `# module "NAME"` line starts each
 * module, named NAME. Text without such a line is one module named `name`. Errors
 * name `name` and the line in the whole text.
 */
export function parseModules(text: string, name = '<ir>'): IRModule[] {
  const lines = text.split('\n');
  const starts: { line: number; name: string }[] = [];
  lines.forEach((l, i) => {
    const m = /^# module ("(?:[^"\\]|\\.)*")\s*$/.exec(l);
    if (m) starts.push({ line: i, name: parseModule(`file 1 ${m[1]}`, name).files[0]! });
  });
  if (starts.length === 0) return [parseModule(text, name)];
  const head = lines.slice(0, starts[0]!.line).join('\n');
  const h = parseModule(head, name);
  if (h.files.length || h.absolutes || h.data.length || h.funcs.length)
    throw new IRError(`definitions before the first '# module' line`, { span: { file: name, line: 1, col: 1 } });
  return starts.map((s, k) => {
    const end = k + 1 < starts.length ? starts[k + 1]!.line : lines.length;
    // Keep line numbers of the whole text in error spans: pad with the lines before.
    const part = '\n'.repeat(s.line) + lines.slice(s.line, end).join('\n');
    try {
      return parseModule(part, s.name);
    } catch (e) {
      if (e instanceof IRError && e.span) throw new IRError(`${s.name}: ${e.message}`, { span: { ...e.span, file: name } });
      throw e;
    }
  });
}
