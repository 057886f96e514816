/*
 * What the front end knows about the i386 instruction set: mnemonic decoding (size
 * suffixes, condition codes) and which flag bits each condition reads. No IR here.
 */

export type Size = 1 | 2 | 4;

// Condition codes, normalized.
export type CC = 'o' | 'no' | 'b' | 'ae' | 'e' | 'ne' | 'be' | 'a' | 's' | 'ns' | 'p' | 'np' | 'l' | 'ge' | 'le' | 'g';
export const CC_ALIASES: Record<string, CC> = {
  o: 'o', no: 'no', b: 'b', c: 'b', nae: 'b', ae: 'ae', nb: 'ae', nc: 'ae', e: 'e', z: 'e', ne: 'ne', nz: 'ne',
  be: 'be', na: 'be', a: 'a', nbe: 'a', s: 's', ns: 'ns', p: 'p', pe: 'p', np: 'np', po: 'np',
  l: 'l', nge: 'l', ge: 'ge', nl: 'ge', le: 'le', ng: 'le', g: 'g', nle: 'g',
};

/** Mnemonics taken exactly (no size suffix stripping). */
export const EXACT = new Set([
  'cld', 'std', 'cli', 'sti', 'hlt', 'nop', 'ret', 'retl', 'iret', 'iretl', 'lret', 'lretl', 'leave', 'leavel', 'enter',
  'cltd', 'cdq', 'cwtl', 'cwde', 'cbtw', 'cbw', 'pushal', 'pusha', 'popal', 'popa', 'pushfl', 'pushf', 'popfl', 'popf',
  'clts', 'wbinvd', 'invd', 'cpuid', 'rdmsr', 'wrmsr', 'rdtsc', 'rdpmc', 'int', 'int3', 'invlpg',
  'lgdt', 'lidt', 'sgdt', 'sidt', 'lgdtl', 'lidtl', 'sgdtl', 'sidtl', 'lldt', 'sldt', 'ltr', 'str', 'lmsw', 'smsw',
  'verr', 'verw', 'jmp', 'jmpl', 'ljmp', 'ljmpl', 'call', 'calll', 'lcall', 'jecxz', 'loop',
  'stosb', 'stosw', 'stosl', 'movsb', 'movsw', 'movsl', 'lodsb', 'lodsw', 'lodsl', 'bswap', 'bswapl',
  'cmpsb', 'cmpsw', 'cmpsl', 'scasb', 'scasw', 'scasl',
  'movzx', 'movsx', 'movzbl', 'movzbw', 'movzwl', 'movsbl', 'movsbw', 'movswl', 'movzb', 'movzw', 'movsbw',
]);
/** Base mnemonics that take a b/w/l suffix. */
export const SIZED = new Set([
  'mov', 'add', 'sub', 'adc', 'sbb', 'and', 'or', 'xor', 'cmp', 'test', 'not', 'neg', 'inc', 'dec',
  'shl', 'sal', 'shr', 'sar', 'rol', 'ror', 'imul', 'mul', 'div', 'idiv', 'lea', 'push', 'pop', 'xchg',
  'in', 'out', 'bsf', 'bsr', 'lar', 'lsl',
]);

export interface Decoded {
  base: string;
  size?: Size;
  cc?: CC;
}

export function decode(mn: string): Decoded | undefined {
  if (EXACT.has(mn)) return { base: mn };
  let m = /^j(.+)$/.exec(mn);
  if (m && CC_ALIASES[m[1]]) return { base: 'jcc', cc: CC_ALIASES[m[1]] };
  m = /^set(.+)$/.exec(mn);
  if (m && CC_ALIASES[m[1]]) return { base: 'setcc', cc: CC_ALIASES[m[1]], size: 1 };
  m = /^cmov(.+)$/.exec(mn);
  if (m) {
    if (CC_ALIASES[m[1]]) return { base: 'cmovcc', cc: CC_ALIASES[m[1]] };
    const s = /^(.+)([wl])$/.exec(m[1]);
    if (s && CC_ALIASES[s[1]]) return { base: 'cmovcc', cc: CC_ALIASES[s[1]], size: s[2] === 'w' ? 2 : 4 };
  }
  if (SIZED.has(mn)) return { base: mn === 'sal' ? 'shl' : mn };
  m = /^(.+)([bwl])$/.exec(mn);
  if (m && SIZED.has(m[1])) return { base: m[1] === 'sal' ? 'shl' : m[1], size: ({ b: 1, w: 2, l: 4 } as const)[m[2] as 'b' | 'w' | 'l'] };
  return undefined;
}

// ---------------------------------------------------------------------------
// Flag bits

export type Bit = 'zf' | 'sf' | 'cf' | 'of';
export const ALL_BITS: readonly Bit[] = ['zf', 'sf', 'cf', 'of'];
export const CC_BITS: Record<CC, Bit[]> = {
  e: ['zf'], ne: ['zf'], b: ['cf'], ae: ['cf'], be: ['cf', 'zf'], a: ['cf', 'zf'], s: ['sf'], ns: ['sf'],
  o: ['of'], no: ['of'], l: ['sf', 'of'], ge: ['sf', 'of'], le: ['sf', 'of', 'zf'], g: ['sf', 'of', 'zf'], p: [], np: [],
};
/** Instructions that define every arithmetic flag (some leave some undefined: then they are unknown). */
export const FLAG_SETTERS = new Set([
  'add', 'sub', 'adc', 'sbb', 'and', 'or', 'xor', 'cmp', 'test', 'neg', 'imul', 'mul', 'div', 'idiv',
  'rol', 'ror', 'bsf', 'bsr', 'lar', 'lsl', 'verr', 'verw', 'popfl', 'popf', 'call', 'calll',
]);
