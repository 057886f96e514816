import { describe, expect, it } from 'vitest';
import { evalL, evalW, irLines } from './helpers.js';


// [description, IR body defining %r, expected int32]
const W_CASES: [string, string, number][] = [
  ['0x7fffffff + 1 wraps', '%r =w add 2147483647, 1', -2147483648],
  ['0 - 1', '%r =w sub 0, 1', -1],
  ['mul wraps', '%r =w mul 65536, 65537', 65536],
  ['mul of negatives', '%r =w mul -3, 7', -21],
  ['signed div truncates toward zero', '%r =w div -7, 2', -3],
  ['signed rem has the dividend sign', '%r =w rem -7, 2', -1],
  ['udiv of -1', '%r =w udiv -1, 2', 0x7fffffff],
  ['urem of -1', '%r =w urem -1, 10', 5],
  ['shl by 33 is shl by 1 (x86 masking)', '%r =w shl 1, 33', 2],
  ['shl by 32 is shl by 0', '%r =w shl 5, 32', 5],
  ['shr is logical', '%r =w shr -8, 1', 0x7ffffffc],
  ['sar is arithmetic', '%r =w sar -8, 1', -4],
  ['sar by 63 is sar by 31', '%r =w sar -8, 63', -1],
  ['shr by 36 is shr by 4', '%r =w shr 256, 36', 16],
  ['and/or/xor', '%a =w and 12, 10; %b =w or %a, 1; %r =w xor %b, 255', 255 ^ 9],
  ['constant 4294967295 is -1', '%r =w add 4294967295, 0', -1],
  ['csltw signed', '%r =w csltw -1, 0', 1],
  ['cultw unsigned', '%r =w cultw -1, 0', 0],
  ['cugtw', '%r =w cugtw -1, 0', 1],
  ['csgew equal', '%r =w csgew 5, 5', 1],
  ['ceqw', '%r =w ceqw 3, 4', 0],
  ['cnew', '%r =w cnew 3, 4', 1],
  ['culew', '%r =w culew 4, 4', 1],
  ['neg', '%r =w neg -2147483648', -2147483648],
  ['not', '%r =w not 0', -1],
  ['extsb', '%r =w extsb 255', -1],
  ['extub', '%r =w extub -1', 255],
  ['extsh', '%r =w extsh 32768', -32768],
  ['extuh', '%r =w extuh -1', 65535],
  ['trunc of l', '%x =l add 4294967296, 7; %r =w trunc %x', 7],
  ['bsf', '%r =w intr bsf 40', 3],
  ['bsr', '%r =w intr bsr 40', 5],
  ['bswap', '%r =w intr bswap 305419896', 0x78563412],
];

const L_CASES: [string, string, bigint][] = [
  ['l add wraps', '%r =l add 9223372036854775807, 1', -9223372036854775808n],
  ['l mul', '%r =l mul 4294967296, 4294967296', 0n],
  ['l mul 2', '%r =l mul 123456789, 987654321', 123456789n * 987654321n],
  ['l div', '%r =l div -7, 2', -3n],
  ['l udiv', '%r =l udiv -1, 2', 0x7fffffffffffffffn],
  ['l urem', '%r =l urem -1, 10', 5n],
  ['l shl', '%r =l shl 1, 40', 1n << 40n],
  ['l shl masked by 63', '%r =l shl 1, 65', 2n],
  ['l shr logical', '%r =l shr -1, 60', 15n],
  ['l sar', '%r =l sar -256, 4', -16n],
  ['extsw', '%r =l extsw -1', -1n],
  ['extuw', '%r =l extuw -1', 4294967295n],
  ['extub to l', '%r =l extub 511', 255n],
  ['extsb to l', '%r =l extsb 128', -128n],
  ['l compare feeds w', '%c =w csltl -1, 0; %r =l extuw %c', 1n],
  ['l unsigned compare', '%c =w cultl -1, 0; %r =l extuw %c', 0n],
  ['l neg/not', '%a =l neg 5; %r =l not %a', 4n],
];

describe('w arithmetic (i386 semantics)', () => {
  for (const [name, body, want] of W_CASES) it(name, () => expect(evalW(irLines(body))).toBe(want));
});
describe('l arithmetic', () => {
  for (const [name, body, want] of L_CASES) it(name, () => expect(evalL(irLines(body))).toBe(want));
});
