/*
 * Small pieces the tree-wide resolvers share: captures made from call arguments
 * and synthesized text, and how definitions of one name rank.
 */
import type { Capture } from './types.js';
import type { CallSite, FileSummary, FuncInfo } from './summary.js';

/** A file's original bytes as Latin-1 text, cut where asked (a string is one). */
export interface SourceBytes {
  slice(start: number, end: number): string;
}

/**
 * The original bytes of a summary's file. Summaries keep byte ranges, not the
 * texts of arguments and operands (most are never reported); resolution cuts
 * the texts it needs from the file through this.
 */
export type SourceTexts = (s: FileSummary) => SourceBytes;

/** A capture of bytes [start, end) of `text`. */
export function cut(text: SourceBytes, start: number, end: number): Capture {
  return { text: text.slice(start, end), startByte: start, endByte: end };
}

/** Instruction categories that make a function a wrapper. */
export const WRAPPER_CATEGORIES = new Set(['privileged-instruction', 'sensitive-instruction']);

export function argCaptures(args: Capture[]): Record<string, Capture> {
  const c: Record<string, Capture> = {};
  args.forEach((a, i) => (c[`ARG${i}`] = a));
  return c;
}

/** A call's arguments as captures, cut from its file's `text` (a summary keeps their byte ranges). */
export function callArgs(c: CallSite, text: SourceBytes): Capture[] {
  const out: Capture[] = [];
  for (let i = 0; i < c.argBytes.length; i += 2) out.push(cut(text, c.argBytes[i], c.argBytes[i + 1]));
  return out;
}

/** A call's argument texts, cut from its file's `text`. */
export function argTexts(c: CallSite, text: SourceBytes): string[] {
  const out: string[] = [];
  for (let i = 0; i < c.argBytes.length; i += 2) out.push(text.slice(c.argBytes[i], c.argBytes[i + 1]));
  return out;
}

/** A capture whose text is made up (a value to store) at the place of `at`. */
export function synth(text: string, at: Capture): Capture {
  return { text, startByte: at.startByte, endByte: at.endByte };
}

/** Of several definitions of one name, the best: a C function, then asm, a macro, a prototype. */
export const KIND_RANK: Record<FuncInfo['kind'], number> = { c: 3, asm: 2, macro: 1, proto: 0 };
