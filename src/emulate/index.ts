/*
 * Public face of the execution core: the Machine (compiled IR functions, register
 * file, step counter, pluggable Platform), guest memory, faults as values, and run
 * mode for ordinary C programs (runProgram / UserMachine).
 */
export { Machine, type Platform, type FaultAction, type StopReason } from './machine.js';
export { FlatMemory, type GuestMemory, type TlbView, type AccessKind, type MemoryFaultHook } from './memory.js';
export type { Fault, FaultKind, FaultReport } from './fault.js';
export { hex32 } from './fault.js';
export * as regs from './regs.js';
export { readTimeStamp, pushFlags, popFlags } from './flag-insns.js';
export { REG_INDEX, EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, EFLAGS, CS, DS, ES, FS, GS, SS, EIP, POPSLOT } from './regs.js';
export { generate as generateFunctionSource, compileFunction, type CompiledFunction, type CompileContext } from './jit.js';
export { runProgram, UserMachine, UserPlatform, type RunOptions, type RunResult } from './user.js';
export * as pc from './pc/index.js';
export { CodePages } from './code-pages.js';
export { UserCodeDispatcher, BLOCK_MAX, type CodeFetch, type BlockMemory } from './user-code.js';
export { generateBlock, type BlockInstr } from './user-jit.js';
export type { UserCode } from './machine.js';
export type { SavedFrame } from './jit.js';
export { BoundedText, BoundedLog } from './bounded.js';
