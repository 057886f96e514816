/*
 * EFLAGS bit masks of the i386, shared by the CPU state (popf/pushf rules), exception
 * delivery (what entry clears) and the platforms. Constants only.
 */
export const FL_CF = 0x1;
export const FL_TF = 0x100;
export const FL_IF = 0x200;
export const FL_DF = 0x400;
export const FL_IOPL = 0x3000;
export const FL_NT = 0x4000;
export const FL_RF = 0x10000;
export const FL_VM = 0x20000;
export const FL_AC = 0x40000;
export const FL_ID = 0x200000;
/** Bits popf/iret may change at ring 0 (CF PF AF ZF SF TF IF DF OF IOPL NT AC ID). */
export const FL_CHANGEABLE = 0x247fd5;
