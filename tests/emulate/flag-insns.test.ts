// rdtsc, pushf and popf as both platforms carry them out (flag-insns.ts).
import { describe, expect, it } from 'vitest';
import { EAX, EDX, EFLAGS, ESP, FlatMemory, popFlags, pushFlags, readTimeStamp, regs } from '../../src/emulate/index.js';

describe('flag instructions', () => {
  it('rdtsc splits the step count into edx:eax', () => {
    const R = new Int32Array(regs.NREGS);
    readTimeStamp(R, 0x1_2345_6789);
    expect(R[EAX] >>> 0).toBe(0x2345_6789);
    expect(R[EDX]).toBe(1);
  });

  it('pushf pushes what it is given; popf keeps the protected bits and sets bit 1', () => {
    const mem = new FlatMemory(0, 0x10000);
    const R = new Int32Array(regs.NREGS);
    R[ESP] = 0x8000;
    R[EFLAGS] = regs.FLAG_IF | regs.FLAGS_RESERVED;
    pushFlags(R, mem, 0x1234, 0);
    expect(R[ESP]).toBe(0x7ffc);
    expect(mem.ld32(0x7ffc, 0)).toBe(0x1234);
    mem.st32(0x7ffc, regs.FLAG_IOPL | 0x1, 0); // tries to clear IF and raise IOPL
    popFlags(R, mem, regs.FLAG_IF | regs.FLAG_IOPL, 0);
    expect(R[ESP]).toBe(0x8000);
    expect(R[EFLAGS]).toBe(regs.FLAG_IF | regs.FLAGS_RESERVED | 0x1);
  });
});
