/*
 * The shapes of parsed GAS-subset assembly (statements, operands, expressions) and
 * their source locations, shared by the reader (syntax.ts, expr.ts) and the lowering.
 * A location is the ORIGINAL file:line:col (through cpp's line markers) plus the
 * preprocessed line for the caret; asmError turns one into a CompileError.
 */
import { CompileError } from '../../errors.js';

export interface AsmLoc {
  file: string;
  line: number;
  col: number;
  /** The preprocessed source line, for the caret display. */
  text: string;
}

export type Expr =
  | { kind: 'num'; value: bigint }
  | { kind: 'sym'; name: string }
  | { kind: 'unary'; op: '-' | '~' | '!' | '+'; a: Expr }
  | { kind: 'binary'; op: string; a: Expr; b: Expr };

export type Reg32 = 'eax' | 'ecx' | 'edx' | 'ebx' | 'esp' | 'ebp' | 'esi' | 'edi';
export const REG32: readonly Reg32[] = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
export type SegReg = 'cs' | 'ds' | 'es' | 'fs' | 'gs' | 'ss';
export const SEGREGS: readonly SegReg[] = ['cs', 'ds', 'es', 'fs', 'gs', 'ss'];

/** A register operand: a general register (with width and byte position), segment, control or debug register. */
export type RegOperand =
  | { kind: 'reg'; class: 'gpr'; name: string; base: Reg32; size: 1 | 2 | 4; high: boolean }
  | { kind: 'reg'; class: 'seg'; name: string; seg: SegReg; size: 2 }
  | { kind: 'reg'; class: 'cr' | 'dr'; name: string; n: number; size: 4 };

export interface MemOperand {
  kind: 'mem';
  seg?: SegReg;
  disp?: Expr;
  base?: Reg32;
  index?: Reg32;
  scale: number;
}

export type AsmOperand =
  | { kind: 'imm'; expr: Expr }
  | RegOperand
  | MemOperand
  /** `*%reg` or `*mem`: an indirect jump/call target. */
  | { kind: 'indirect'; target: RegOperand | MemOperand }
  /** A bare expression: a branch target (jmp/call) or, elsewhere, an absolute memory reference. */
  | { kind: 'expr'; expr: Expr };

export type Stmt =
  | { kind: 'label'; name: string; loc: AsmLoc }
  | { kind: 'directive'; name: string; args: string[]; raw: string; loc: AsmLoc; ctx: ExprCtx }
  | { kind: 'insn'; mnemonic: string; prefixes: string[]; operands: AsmOperand[]; raw: string; loc: AsmLoc; trap?: string };

export function asmError(message: string, loc: AsmLoc): CompileError {
  return new CompileError(message, { span: { file: loc.file, line: loc.line, col: loc.col }, sourceLine: loc.text });
}


/** What parsing an expression needs: where it is, and how numeric local labels (`1b`, `1f`) resolve. */
export interface ExprCtx {
  loc: AsmLoc;
  local(n: string, dir: 'f' | 'b'): string;
}
