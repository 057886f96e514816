/*
 * Small pieces the tree-wide resolvers share: captures made from call arguments
 * and synthesized text, and how definitions of one name rank.
 */
import type { Capture } from './types.js';
import type { CallSite, FuncInfo } from './summary.js';

/** Instruction categories that make a function a wrapper. */
export const WRAPPER_CATEGORIES = new Set(['privileged-instruction', 'sensitive-instruction']);

export function argCaptures(args: Capture[]): Record<string, Capture> {
  const c: Record<string, Capture> = {};
  args.forEach((a, i) => (c[`ARG${i}`] = a));
  return c;
}

/** A call's arguments as captures (made when a finding needs them: a summary keeps texts and byte ranges). */
export function callArgs(c: CallSite): Capture[] {
  return c.args.map((text, i) => ({ text, startByte: c.argBytes[2 * i], endByte: c.argBytes[2 * i + 1] }));
}

/** A capture whose text is made up (a value to store) at the place of `at`. */
export function synth(text: string, at: Capture): Capture {
  return { text, startByte: at.startByte, endByte: at.endByte };
}

/** Of several definitions of one name, the best: a C function, then asm, a macro, a prototype. */
export const KIND_RANK: Record<FuncInfo['kind'], number> = { c: 3, asm: 2, macro: 1, proto: 0 };
