/*
 * GNU inline asm to IR. The template is read instruction by instruction (split at
 * `;` and newlines) and each AT&T instruction of the kernel subset is mapped to IR:
 * control/debug/segment register moves, port I/O, descriptor-table loads, cli/sti/hlt,
 * pushf/popf and push/pop, simple ALU and moves, xchg, bit scans, and the
 * fixed-register instructions (cpuid, rdmsr, wrmsr, rdtsc, rdpmc, int $0x82) through
 * the machine register file. `int3 # xenoport-breakpoint <rule> <where>` is the
 * breakpoint stub and becomes `trap "<rule> <where>"`.
 *
 * Operands: constraint letters r q a b c d S D A (edx:eax) N/Nd n i m g, "0".."9"
 * matching, and the modifiers = + &. Register operands are IR values (the machine
 * register file is only used where the instruction itself fixes a register); a
 * memory operand is its address. Outputs are stored back after the template.
 * Anything else is a CompileError naming the instruction.
 */
import type { SyntaxNode } from 'tree-sitter';
import { konst, type Operand, type RegName } from '../ir/index.js';
import { tInt, tULLong, type CType } from './ctype.js';
import { decodeEscapes } from './literal.js';
import { lvalue, loadL, rvalue, storeL } from './expr.js';
import { bin, convert, irt, type LVal } from './ops.js';
import type { Unit } from './unit.js';

interface AsmOperand {
  constraint: string;
  output: boolean;
  lv?: LVal;            // outputs and memory inputs
  mem?: Operand;        // address of a memory operand
  value?: Operand;      // current value (register/immediate operands)
  type: CType;
  reg?: RegName | 'A';  // fixed register
  node: SyntaxNode;
}

const regLetters: Record<string, RegName | 'A'> = { a: 'eax', b: 'ebx', c: 'ecx', d: 'edx', S: 'esi', D: 'edi', A: 'A' };
const regAliases: Record<string, RegName> = {
  eax: 'eax', ax: 'eax', al: 'eax', ah: 'eax', ebx: 'ebx', bx: 'ebx', bl: 'ebx', ecx: 'ecx', cx: 'ecx', cl: 'ecx',
  edx: 'edx', dx: 'edx', dl: 'edx', esi: 'esi', si: 'esi', edi: 'edi', di: 'edi', esp: 'esp', ebp: 'ebp',
  cs: 'cs', ds: 'ds', es: 'es', fs: 'fs', gs: 'gs', ss: 'ss',
};

function templateText(u: Unit, n: SyntaxNode): string {
  const code = n.childForFieldName('assembly_code')!;
  const parts = code.type === 'concatenated_string' ? code.namedChildren.filter((c) => c.type === 'string_literal') : [code];
  return parts.map((p) => String.fromCharCode(...decodeEscapes(p.text.slice(1, -1)))).join('');
}

export function lowerAsm(u: Unit, n: SyntaxNode): void {
  u.at(n);
  const fb = u.fb;
  const text = templateText(u, n);
  const bp = /^\s*int3\s*#\s*xenoport-breakpoint\s+(.*?)\s*$/s.exec(text);
  if (bp) { fb.trap(bp[1]); return; }
  const ops: AsmOperand[] = [];
  const outs = n.childForFieldName('output_operands')?.namedChildren.filter((c) => c.type === 'gnu_asm_output_operand') ?? [];
  const ins = n.childForFieldName('input_operands')?.namedChildren.filter((c) => c.type === 'gnu_asm_input_operand') ?? [];
  for (const o of outs) {
    const c = JSON.parse(o.childForFieldName('constraint')!.text) as string;
    const lv = lvalue(u, o.childForFieldName('value')!);
    const op: AsmOperand = { constraint: c, output: true, lv, type: lv.type, node: o };
    bind(u, op, c);
    if (/m/.test(c) && !/[rqabcdSDAg]/.test(c) && lv.kind === 'mem') op.mem = lv.addr;
    else if (c.includes('+')) op.value = loadL(u, lv).op;
    ops.push(op);
  }
  for (const i of ins) {
    const c = JSON.parse(i.childForFieldName('constraint')!.text) as string;
    const vn = i.childForFieldName('value')!;
    const op: AsmOperand = { constraint: c, output: false, type: tInt, node: i };
    if (/^\d$/.test(c)) {
      const target = ops[Number(c)];
      if (!target) u.error(i, `asm matching constraint "${c}" names no output`);
      const v = rvalue(u, vn);
      target.value = convert(u, v, target.type.kind === 'int' || target.type.kind === 'ptr' ? target.type : v.type).op;
      op.reg = target.reg;
      op.value = target.value;
      op.type = target.type;
      (op as AsmOperand & { alias?: number }).alias = Number(c);
    } else if (/m/.test(c) && !/[rqabcdSDAgi]/.test(c)) {
      const lv = lvalue(u, vn);
      if (lv.kind !== 'mem') u.error(i, 'asm memory operand is not in memory');
      op.mem = lv.addr; op.lv = lv; op.type = lv.type;
    } else {
      const v = rvalue(u, vn);
      op.type = v.type;
      op.value = v.op;
      bind(u, op, c);
    }
    ops.push(op);
  }
  const m = new Machine(u, n, ops);
  for (const insn of text.split(/[;\n]/)) {
    const s = insn.replace(/#.*$/, '').trim();
    if (s) m.insn(s);
  }
  // Outputs back to their C lvalues.
  for (const op of ops) {
    if (!op.output || op.mem || !op.lv) continue;
    if (op.value === undefined) continue;
    u.at(n);
    storeL(u, op.lv, convert(u, { op: op.value, type: op.reg === 'A' ? tULLong : op.type }, op.lv.type));
  }
}

function bind(u: Unit, op: AsmOperand, c: string): void {
  for (const ch of c) if (regLetters[ch]) { op.reg = regLetters[ch]; return; }
}

/** Interprets the template's instructions against the operands. */
class Machine {
  /** ZF as a 0/1 value, when the last instruction that set it is modelled (cmpxchg). */
  private zf: Operand | undefined;
  constructor(private u: Unit, private n: SyntaxNode, private ops: AsmOperand[]) {}

  private fail(s: string): never {
    return this.u.error(this.n, `unsupported inline asm instruction \`${s}\``);
  }

  /** The operand a `%N`/`%kN`/`%%reg` names: an asm operand index or a machine register. */
  private ref(t: string, s: string): { op?: AsmOperand; reg?: string; imm?: Operand; mem?: Operand } {
    t = t.trim();
    let m = /^\$?%[kwbhq]?(\d)$/.exec(t);
    if (m) {
      const op = this.ops[Number(m[1])] ?? this.fail(s);
      if (t.startsWith('$')) return { imm: op.value ?? this.fail(s) };
      return { op };
    }
    m = /^\(%[kwbhq]?(\d)\)$/.exec(t);
    if (m) return { mem: this.val({ op: this.ops[Number(m[1])] ?? this.fail(s) }, s) };
    m = /^%%?([a-z0-9]+)$/.exec(t);
    if (m) return { reg: m[1] };
    m = /^\(%%?([a-z]+)\)$/.exec(t);
    if (m) return { mem: this.val({ reg: m[1] }, s) };
    m = /^\$(-?(?:0x[0-9a-fA-F]+|\d+))$/.exec(t);
    if (m) return { imm: konst(BigInt.asUintN(32, BigInt(m[1]))) };
    return this.fail(s);
  }

  /** An operand whose register constraint matches machine register r. */
  private byReg(r: RegName): AsmOperand | undefined {
    return this.ops.find((o) => o.reg === r && (o.output || !this.ops.some((p) => p.output && p.reg === r)));
  }

  private val(x: ReturnType<Machine['ref']>, s: string): Operand {
    const fb = this.u.fb;
    if (x.imm) return x.imm;
    if (x.mem) return fb.load('loadw', 'w', x.mem);
    if (x.op) {
      if (x.op.mem) return fb.load('loadw', 'w', x.op.mem);
      if (x.op.value === undefined) this.fail(s);
      return x.op.reg === 'A' || irt(x.op.type) === 'l' ? fb.unary('trunc', 'w', x.op.value) : x.op.value;
    }
    const r = regAliases[x.reg!];
    if (!r) this.fail(s);
    const bound = this.byReg(r);
    if (bound?.value !== undefined) return bound.value;
    return fb.rdreg(r);
  }

  private set(x: ReturnType<Machine['ref']>, v: Operand, s: string): void {
    const fb = this.u.fb;
    if (x.mem) { fb.store('storew', v, x.mem); return; }
    if (x.op) {
      if (x.op.mem) { fb.store('storew', v, x.op.mem); return; }
      x.op.value = fb.copy('w', v);
      x.op.type = x.op.type.kind === 'int' && x.op.type.size === 8 ? tInt : x.op.type;
      this.sync(x.op);
      return;
    }
    const r = regAliases[x.reg!];
    if (!r) this.fail(s);
    const bound = this.ops.find((o) => o.output && o.reg === r);
    if (bound) { bound.value = fb.copy('w', v); return; }
    fb.wrreg(r, v);
  }

  /** Keeps a matching input ("0") and its output in step. */
  private sync(op: AsmOperand): void {
    for (const o of this.ops) if (o !== op && o.reg !== undefined && o.reg === op.reg) o.value = op.value;
  }

  /** Fixed-register instructions: inputs to the register file, outputs back. */
  private fixed(run: () => void): void {
    const fb = this.u.fb;
    const written = new Set<string>();
    for (const o of this.ops) {
      if (!o.reg || o.value === undefined || written.has(o.reg)) continue;
      written.add(o.reg);
      if (o.output && !o.constraint.includes('+') && !this.ops.some((p) => !p.output && p.reg === o.reg)) continue;
      if (o.reg === 'A') {
        const v = irt(o.type) === 'l' ? o.value : fb.unary('extuw', 'l', o.value);
        fb.wrreg('eax', fb.unary('trunc', 'w', v));
        fb.wrreg('edx', fb.unary('trunc', 'w', fb.binary('shr', 'l', v, konst(32))));
      } else fb.wrreg(o.reg, irt(o.type) === 'l' ? fb.unary('trunc', 'w', o.value) : o.value);
    }
    run();
    for (const o of this.ops) {
      if (!o.output || !o.reg) continue;
      if (o.reg === 'A') {
        const lo = fb.unary('extuw', 'l', fb.rdreg('eax'));
        const hi = fb.unary('extuw', 'l', fb.rdreg('edx'));
        o.value = fb.binary('or', 'l', lo, fb.binary('shl', 'l', hi, konst(32)));
        o.type = tULLong;
      } else { o.value = fb.rdreg(o.reg); o.type = o.type.kind === 'int' && o.type.size === 8 ? tInt : o.type; }
    }
  }

  insn(s: string): void {
    const u = this.u;
    const fb = u.fb;
    const [mn0, ...rest] = s.split(/\s+/);
    let mn = mn0;
    const args = rest.join(' ').split(/,(?![^(]*\))/).map((a) => a.trim()).filter((a) => a.length > 0);
    if (mn === 'lock' || mn === 'rep' && args.length === 0) return;
    if (mn.startsWith('lock')) { this.insn(s.replace(/^lock\s*/, '')); return; }
    const simple: Record<string, 'cli' | 'sti' | 'hlt' | 'clts' | 'invd' | 'wbinvd' | 'int3' | 'pushf' | 'popf'> = {
      cli: 'cli', sti: 'sti', hlt: 'hlt', clts: 'clts', invd: 'invd', wbinvd: 'wbinvd', int3: 'int3', pushfl: 'pushf', pushf: 'pushf', popfl: 'popf', popf: 'popf',
    };
    if (simple[mn] && args.length === 0) { fb.intr(simple[mn], []); return; }
    if (mn === 'nop' || mn === 'pause' || mn === 'cld' || mn === '') return;
    if (['cpuid', 'rdmsr', 'wrmsr', 'rdtsc', 'rdpmc'].includes(mn)) { this.fixed(() => fb.intr(mn as 'cpuid', [])); return; }
    if (mn === 'int') {
      const a = this.ref(args[0] ?? this.fail(s), s);
      const v = this.val(a, s);
      if (v.kind === 'const' && v.value === 0x82n) { this.fixed(() => fb.hypercall()); return; }
      this.fixed(() => fb.intr('int', [v]));
      return;
    }
    if (/^(in|out)[bwl]?$/.test(mn)) { this.io(mn, args, s); return; }
    mn = mn.replace(/^(mov|add|sub|and|or|xor|inc|dec|not|neg|xchg|push|pop|lidt|lgdt|sidt|sgdt|lldt|ltr|sldt|str|bsf|bsr|bswap|invlpg|lmsw|smsw|cmpxchg|shl|shr|sar|lsl|lar|verr|verw)[lwb]$/, '$1');
    if (args.length === 2 && mn === 'mov') {
      const [src, dst] = args.map((a) => this.ref(a, s));
      const cr = (x: typeof src): string | undefined => (x.reg && /^(cr\d|db\d|dr\d)$/.test(x.reg) ? x.reg : undefined);
      const sc = cr(src); const dc = cr(dst);
      if (dc) {
        const v = this.val(src, s);
        if (dc.startsWith('cr')) fb.intr(({ cr0: 'lcr0', cr3: 'lcr3', cr4: 'lcr4' } as Record<string, 'lcr0' | 'lcr3' | 'lcr4'>)[dc] ?? this.fail(s), [v]);
        else fb.intr('lddr', [konst(Number(dc.slice(2))), v]);
        return;
      }
      if (sc) {
        const v = sc.startsWith('cr') ? fb.intr(({ cr0: 'rcr0', cr2: 'rcr2', cr3: 'rcr3', cr4: 'rcr4' } as Record<string, 'rcr0' | 'rcr2' | 'rcr3' | 'rcr4'>)[sc] ?? this.fail(s), [])! : fb.intr('rddr', [konst(Number(sc.slice(2)))])!;
        this.set(dst, v, s);
        return;
      }
      this.set(dst, this.val(src, s), s);
      return;
    }
    const alu: Record<string, 'add' | 'sub' | 'and' | 'or' | 'xor' | 'shl' | 'shr' | 'sar'> = { add: 'add', sub: 'sub', and: 'and', or: 'or', xor: 'xor', shl: 'shl', shr: 'shr', sar: 'sar' };
    if (alu[mn] && args.length === 2) {
      const [src, dst] = args.map((a) => this.ref(a, s));
      this.set(dst, bin(u, alu[mn], 'w', this.val(dst, s), this.val(src, s)), s);
      return;
    }
    if ((mn === 'inc' || mn === 'dec' || mn === 'not' || mn === 'neg') && args.length === 1) {
      const d = this.ref(args[0], s);
      const v = this.val(d, s);
      const r = mn === 'inc' ? bin(u, 'add', 'w', v, konst(1)) : mn === 'dec' ? bin(u, 'sub', 'w', v, konst(1))
        : mn === 'not' ? bin(u, 'xor', 'w', v, konst(0xffffffff)) : bin(u, 'sub', 'w', konst(0), v);
      this.set(d, r, s);
      return;
    }
    if (mn === 'cmpxchg' && args.length === 2) {
      // if (eax == dst) { dst = src; ZF = 1 } else { eax = dst; ZF = 0 }: one CPU, no bus lock needed.
      const [src, dst] = args.map((x) => this.ref(x, s));
      const vs = this.val(src, s); const vd = this.val(dst, s); const va = this.val({ reg: 'eax' }, s);
      const newD = fb.freshTemp('cx'); const newA = fb.freshTemp('cx');
      const eq = fb.compare('eq', 'w', va, vd);
      fb.copy('w', vd, newD); fb.copy('w', vd, newA);
      const yes = fb.freshLabel('cmpxchg'); const join = fb.freshLabel('cmpxchg');
      fb.jnz(eq, yes, join);
      fb.block(yes); fb.copy('w', vs, newD); fb.copy('w', va, newA); fb.jmp(join);
      fb.block(join);
      this.set(dst, { kind: 'temp', name: newD }, s);
      this.set({ reg: 'eax' }, { kind: 'temp', name: newA }, s);
      this.zf = eq;
      return;
    }
    if ((mn === 'sete' || mn === 'setz' || mn === 'setne' || mn === 'setnz') && args.length === 1) {
      if (!this.zf) this.fail(s);
      const v = mn === 'sete' || mn === 'setz' ? this.zf : fb.compare('eq', 'w', this.zf, konst(0));
      this.set(this.ref(args[0], s), v, s);
      return;
    }
    if (mn === 'xchg' && args.length === 2) {
      const [a, b] = args.map((x) => this.ref(x, s));
      const va = this.val(a, s); const vb = this.val(b, s);
      this.set(a, vb, s); this.set(b, va, s);
      return;
    }
    if (mn === 'push' && args.length === 1) {
      const v = this.val(this.ref(args[0], s), s);
      const sp = fb.binary('sub', 'w', fb.rdreg('esp'), konst(4));
      fb.store('storew', v, sp); fb.wrreg('esp', sp);
      return;
    }
    if (mn === 'pop' && args.length === 1) {
      const sp = fb.rdreg('esp');
      const v = fb.load('loadw', 'w', sp);
      fb.wrreg('esp', fb.binary('add', 'w', sp, konst(4)));
      this.set(this.ref(args[0], s), v, s);
      return;
    }
    const addrOf = (t: string): Operand => {
      const x = this.ref(t, s);
      if (x.mem) return x.mem;
      if (x.op?.mem) return x.op.mem;
      return this.val(x, s);
    };
    if ((mn === 'lidt' || mn === 'lgdt' || mn === 'sidt' || mn === 'sgdt' || mn === 'invlpg') && args.length === 1) {
      fb.intr(mn, [addrOf(args[0])]);
      return;
    }
    if ((mn === 'lldt' || mn === 'ltr' || mn === 'lmsw') && args.length === 1) { fb.intr(mn, [this.val(this.ref(args[0], s), s)]); return; }
    if ((mn === 'sldt' || mn === 'str' || mn === 'smsw') && args.length === 1) { this.set(this.ref(args[0], s), fb.intr(mn, [])!, s); return; }
    if ((mn === 'bsf' || mn === 'bsr' || mn === 'lsl' || mn === 'lar') && args.length === 2) {
      const v = this.val(this.ref(args[0], s), s);
      this.set(this.ref(args[1], s), fb.intr(mn, [v])!, s);
      return;
    }
    if (mn === 'bswap' && args.length === 1) {
      const d = this.ref(args[0], s);
      this.set(d, fb.intr('bswap', [this.val(d, s)])!, s);
      return;
    }
    this.fail(s);
  }

  private io(mn: string, args: string[], s: string): void {
    const fb = this.u.fb;
    const size = mn.length === 3 ? mn[2] : mn.startsWith('in') ? 'b' : 'b';
    if (mn.startsWith('in')) {
      const port = args.length >= 1 ? this.val(this.ref(args[0], s), s) : this.val({ reg: 'dx' }, s);
      const v = fb.intr(({ b: 'inb', w: 'inw', l: 'inl' } as Record<string, 'inb' | 'inw' | 'inl'>)[size], [port])!;
      this.set(args.length >= 2 ? this.ref(args[1], s) : { reg: 'eax' }, v, s);
    } else {
      const v = args.length >= 1 ? this.val(this.ref(args[0], s), s) : this.val({ reg: 'eax' }, s);
      const port = args.length >= 2 ? this.val(this.ref(args[1], s), s) : this.val({ reg: 'dx' }, s);
      fb.intr(({ b: 'outb', w: 'outw', l: 'outl' } as Record<string, 'outb' | 'outw' | 'outl'>)[size], [v, port]);
    }
  }
}
