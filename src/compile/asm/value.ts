/*
 * Assembly-time values: an absolute number or a symbol plus an offset, how an
 * expression evaluates to one (GAS semantics: comparisons give -1 for true), and how
 * such a value becomes an IR operand or data item.
 */
import { asmError, type AsmLoc, type Expr } from './ast.js';

/** An assembly-time value: absolute (sym undefined) or symbol + offset. */
export interface Val {
  sym?: string;
  off: bigint;
}

/** Names the IR can spell (NAME in docs/ir.md). */
export const NAME_RE = /^[A-Za-z0-9_.]+$/;
/** A load-address relocation (R(x) = x - KERNBASE) is a multiple of this. */
export const MIB = 0x100000n;

/** A symbol offset as the IR stores it: as written when it fits in ±2^32, else taken modulo 2^32. */
export function relocOffset(off: bigint): number {
  return off > -(1n << 32n) && off < 1n << 32n ? Number(off) : Number(BigInt.asIntN(32, off));
}

/** Evaluates an expression; symbols that are .set values (`sets`) are substituted. Throws CompileError at loc. */
export function evalExpr(e: Expr, sets: ReadonlyMap<string, Val>, loc: AsmLoc): Val {
  switch (e.kind) {
    case 'num':
      return { off: e.value };
    case 'sym': {
      if (e.name === '.') throw asmError("the location counter '.' is not supported", loc);
      const s = sets.get(e.name);
      if (s) return s;
      return { sym: e.name, off: 0n };
    }
    case 'unary': {
      const a = evalExpr(e.a, sets, loc);
      if (e.op === '+') return a;
      if (a.sym !== undefined) throw asmError(`unary '${e.op}' applied to the address of ${a.sym}`, loc);
      const v = e.op === '-' ? -a.off : e.op === '~' ? ~a.off : a.off === 0n ? 1n : 0n;
      return { off: BigInt.asIntN(64, v) };
    }
    case 'binary': {
      const a = evalExpr(e.a, sets, loc);
      const b = evalExpr(e.b, sets, loc);
      if (e.op === '+') {
        if (a.sym !== undefined && b.sym !== undefined) throw asmError(`cannot add the addresses of ${a.sym} and ${b.sym}`, loc);
        return { sym: a.sym ?? b.sym, off: BigInt.asIntN(64, a.off + b.off) };
      }
      if (e.op === '-') {
        if (b.sym === undefined) return { sym: a.sym, off: BigInt.asIntN(64, a.off - b.off) };
        if (a.sym === b.sym) return { off: BigInt.asIntN(64, a.off - b.off) };
        throw asmError(`the difference of two addresses (${a.sym ?? 'constant'} - ${b.sym}) is not supported`, loc);
      }
      if (a.sym !== undefined || b.sym !== undefined)
        throw asmError(`operator '${e.op}' applied to the address of ${a.sym ?? b.sym}`, loc);
      const x = a.off;
      const y = b.off;
      let r: bigint;
      switch (e.op) {
        case '*': r = x * y; break;
        case '/':
        case '%':
          if (y === 0n) throw asmError('division by zero in expression', loc);
          r = e.op === '/' ? x / y : x % y;
          break;
        case '<<': r = x << y; break;
        case '>>': r = x >> y; break;
        case '|': r = x | y; break;
        case '&': r = x & y; break;
        case '^': r = x ^ y; break;
        case '!': r = x | ~y; break;
        case '==': r = x === y ? -1n : 0n; break;
        case '!=':
        case '<>': r = x !== y ? -1n : 0n; break;
        case '<': r = x < y ? -1n : 0n; break;
        case '>': r = x > y ? -1n : 0n; break;
        case '<=': r = x <= y ? -1n : 0n; break;
        case '>=': r = x >= y ? -1n : 0n; break;
        case '&&': r = x !== 0n && y !== 0n ? 1n : 0n; break;
        case '||': r = x !== 0n || y !== 0n ? 1n : 0n; break;
        default:
          throw asmError(`unknown operator '${e.op}'`, loc);
      }
      return { off: BigInt.asIntN(64, r) };
    }
  }
}
