/*
 * Register file layout: an Int32Array indexed by these constants (x86 encoding order
 * for the general registers). Values are stored as signed 32-bit integers.
 */
import type { RegName } from '../ir/index.js';

export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
export const EFLAGS = 8, CS = 9, DS = 10, ES = 11, FS = 12, GS = 13, SS = 14;
/** The last eip the engine recorded (set before every platform call and fault). */
export const EIP = 15;
/**
 * The stack slot the last `ret`/`iret` popped its return address from: with the
 * popped address it names the suspended context control goes to (machine.ts,
 * non-local returns). Not an x86 register.
 */
export const POPSLOT = 16;
/** How many saved frames the machine keeps (compiled calls test it before anything else). Not an x86 register. */
export const SAVED = 17;
export const NREGS = 18;

export const REG_INDEX: Record<RegName, number> = {
  eax: EAX, ecx: ECX, edx: EDX, ebx: EBX, esp: ESP, ebp: EBP, esi: ESI, edi: EDI,
  eflags: EFLAGS, cs: CS, ds: DS, es: ES, fs: FS, gs: GS, ss: SS,
};

/** EFLAGS bits the platforms care about. */
export const FLAG_IF = 1 << 9;
export const FLAG_IOPL = 3 << 12;
/** Bit 1 is always set on x86. */
export const FLAGS_RESERVED = 1 << 1;
