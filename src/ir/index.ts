/*
 * Public face of the IR: types, builder, printer, parser, verifier, and its binary
 * form (XIR instructions, the object form, the ELF container of user programs).
 * Other modules import only this file.
 */
export * from './types.js';
export * from './builder.js';
export { printModule, printFunction, printData, printAbsolute, printModules, moduleHeader, printInstruction, printInstructionBody, printOperand, escapeBytes, quoteString } from './print.js';
export { parseModule, parseModules } from './parse.js';
export { verifyModule, checkModule, verifyFunction, definedTemp, usedOperands } from './verify.js';
export * from './image.js';
export { link, dataSectionOf, KERNEL_SCRIPT_SYMBOLS, type LinkOptions, type SectionMark } from './link.js';
export { decodeInstr, frameLayout, XirDecodeError, OP as XIR_OP, type XInstr, type XOperand, type FrameLayout } from './xir.js';
export { encodeFunction, ByteWriter, type GlobalMode } from './xir-encode.js';
export { encodeModule, decodeModule } from './xir-module.js';
export { writeXirElf, readXirElf, EM_XIR, ELFOSABI_FREEBSD, PT_LOAD, PF_R, PF_W, PF_X, type XirElf, type XirSegment, type XirSymbol, type LoadSegment } from './xir-elf.js';
export { linkUserProgram, buildUserProgram, type UserLinkOptions, type UserProgram } from './user-link.js';
