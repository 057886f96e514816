/*
 * Public face of the IR: types, builder, printer, parser, verifier.
 * Other modules import only this file.
 */
export * from './types.js';
export * from './builder.js';
export { printModule, printFunction, printData, printAbsolute, printModules, moduleHeader, printInstruction, printInstructionBody, printOperand, escapeBytes, quoteString } from './print.js';
export { parseModule, parseModules } from './parse.js';
export { verifyModule, checkModule, verifyFunction, definedTemp, usedOperands } from './verify.js';
export * from './image.js';
export { link, dataSectionOf, KERNEL_SCRIPT_SYMBOLS, type LinkOptions, type SectionMark } from './link.js';
