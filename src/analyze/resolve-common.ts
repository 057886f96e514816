/*
 * Small pieces the tree-wide resolvers share: captures made from call arguments
 * and synthesized text, and how definitions of one name rank.
 */
import type { Capture } from './types.js';
import type { FuncInfo } from './summary.js';

/** Instruction categories that make a function a wrapper. */
export const WRAPPER_CATEGORIES = new Set(['privileged-instruction', 'sensitive-instruction']);

export function argCaptures(args: Capture[]): Record<string, Capture> {
  const c: Record<string, Capture> = {};
  args.forEach((a, i) => (c[`ARG${i}`] = a));
  return c;
}

/** A capture whose text is made up (a value to store) at the place of `at`. */
export function synth(text: string, at: Capture): Capture {
  return { text, startByte: at.startByte, endByte: at.endByte };
}

/** Of several definitions of one name, the best: a C function, then asm, a macro, a prototype. */
export const KIND_RANK: Record<FuncInfo['kind'], number> = { c: 3, asm: 2, macro: 1, proto: 0 };
