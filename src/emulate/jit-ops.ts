/*
 * JavaScript for the IR's arithmetic (binary, compare, unary), shared by the function
 * compiler (jit.ts) and the user-code block compiler (user-jit.ts): `w` values are
 * int32 numbers, `l` values BigInt (asIntN(64)). The caller says how operands read
 * (`w(o)`, `l(o)`: side-effect-free expressions) and names the destination; a
 * division fault calls S.divError(eip) (S: the Machine).
 */
import { unreachable } from '../errors.js';
import type { BinaryInstr, CompareInstr, Operand, UnaryInstr } from '../ir/index.js';

/** The statement computing `i` into the JS variable `d`. */
export function arithmetic(i: BinaryInstr | CompareInstr | UnaryInstr, d: string, w: (o: Operand) => string, l: (o: Operand) => string, E: string): string {
  const val = (o: Operand, t: 'w' | 'l'): string => (t === 'w' ? w(o) : l(o));
  switch (i.kind) {
    case 'binary': {
      if (i.type === 'w') {
        const a = w(i.a);
        const b = w(i.b);
        switch (i.op) {
          case 'add': return `${d} = (${a} + ${b}) | 0;`;
          case 'sub': return `${d} = (${a} - ${b}) | 0;`;
          case 'mul': return `${d} = Math.imul(${a}, ${b});`;
          case 'and': return `${d} = ${a} & ${b};`;
          case 'or': return `${d} = ${a} | ${b};`;
          case 'xor': return `${d} = ${a} ^ ${b};`;
          case 'shl': return `${d} = ${a} << ${b};`;
          case 'shr': return `${d} = (${a} >>> ${b}) | 0;`;
          case 'sar': return `${d} = ${a} >> ${b};`;
          case 'div':
            return `{ const x = ${a}, y = ${b}; ${d} = (y === 0 || (y === -1 && x === -2147483648)) ? S.divError(${E}) : (x / y) | 0; }`;
          case 'rem':
            return `{ const x = ${a}, y = ${b}; ${d} = (y === 0 || (y === -1 && x === -2147483648)) ? S.divError(${E}) : (x % y) | 0; }`;
          case 'udiv':
            return `{ const x = ${a} >>> 0, y = ${b} >>> 0; ${d} = y === 0 ? S.divError(${E}) : (x / y) | 0; }`;
          case 'urem':
            return `{ const x = ${a} >>> 0, y = ${b} >>> 0; ${d} = y === 0 ? S.divError(${E}) : (x % y) | 0; }`;
        }
      }
      const a = l(i.a);
      const W = (e: string): string => `${d} = BigInt.asIntN(64, ${e});`;
      switch (i.op) {
        case 'add': return W(`${a} + ${l(i.b)}`);
        case 'sub': return W(`${a} - ${l(i.b)}`);
        case 'mul': return W(`${a} * ${l(i.b)}`);
        case 'and': return `${d} = ${a} & ${l(i.b)};`;
        case 'or': return `${d} = ${a} | ${l(i.b)};`;
        case 'xor': return `${d} = ${a} ^ ${l(i.b)};`;
        case 'shl': return W(`${a} << BigInt(${w(i.b)} & 63)`);
        case 'shr': return W(`BigInt.asUintN(64, ${a}) >> BigInt(${w(i.b)} & 63)`);
        case 'sar': return `${d} = ${a} >> BigInt(${w(i.b)} & 63);`;
        case 'div':
          return `{ const x = ${a}, y = ${l(i.b)}; ${d} = (y === 0n || (y === -1n && x === -9223372036854775808n)) ? BigInt(S.divError(${E})) : x / y; }`;
        case 'rem':
          return `{ const x = ${a}, y = ${l(i.b)}; ${d} = (y === 0n || (y === -1n && x === -9223372036854775808n)) ? BigInt(S.divError(${E})) : x % y; }`;
        case 'udiv':
          return `{ const x = BigInt.asUintN(64, ${a}), y = BigInt.asUintN(64, ${l(i.b)}); ${d} = y === 0n ? BigInt(S.divError(${E})) : BigInt.asIntN(64, x / y); }`;
        case 'urem':
          return `{ const x = BigInt.asUintN(64, ${a}), y = BigInt.asUintN(64, ${l(i.b)}); ${d} = y === 0n ? BigInt(S.divError(${E})) : BigInt.asIntN(64, x % y); }`;
      }
      return unreachable('jit: binary op');
    }
    case 'compare': {
      const signed = i.cond[0] === 's' || i.cond === 'eq' || i.cond === 'ne';
      const rel = { eq: '===', ne: '!==', slt: '<', sle: '<=', sgt: '>', sge: '>=', ult: '<', ule: '<=', ugt: '>', uge: '>=' }[i.cond];
      if (i.argType === 'w') {
        const a = signed ? w(i.a) : `(${w(i.a)} >>> 0)`;
        const b = signed ? w(i.b) : `(${w(i.b)} >>> 0)`;
        return `${d} = (${a} ${rel} ${b}) ? 1 : 0;`;
      }
      const a = signed ? l(i.a) : `BigInt.asUintN(64, ${l(i.a)})`;
      const b = signed ? l(i.b) : `BigInt.asUintN(64, ${l(i.b)})`;
      return `${d} = (${a} ${rel} ${b}) ? 1 : 0;`;
    }
    case 'unary': {
      const toT = (e: string): string => (i.type === 'w' ? `${d} = ${e};` : `${d} = BigInt(${e});`);
      switch (i.op) {
        case 'copy': return `${d} = ${val(i.a, i.type)};`;
        case 'neg': return i.type === 'w' ? `${d} = (-${w(i.a)}) | 0;` : `${d} = BigInt.asIntN(64, -${l(i.a)});`;
        case 'not': return i.type === 'w' ? `${d} = ~${w(i.a)};` : `${d} = ~${l(i.a)};`;
        case 'extsb': return toT(`((${w(i.a)} << 24) >> 24)`);
        case 'extub': return toT(`(${w(i.a)} & 255)`);
        case 'extsh': return toT(`((${w(i.a)} << 16) >> 16)`);
        case 'extuh': return toT(`(${w(i.a)} & 65535)`);
        case 'extsw': return `${d} = BigInt(${w(i.a)});`;
        case 'extuw': return `${d} = BigInt(${w(i.a)} >>> 0);`;
        case 'trunc': return `${d} = ${w(i.a)};`;
      }
      return unreachable('jit: unary op');
    }
  }
}
