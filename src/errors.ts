/*
 * Typed errors, one class per layer. The library throws these for user mistakes
 * (bad input, bad rules, unsupported constructs); only the CLI prints them, with
 * file:line:col, and chooses the exit code. Anything else that escapes is a bug.
 */

/** A place in a source file. line and col are 1-based; col counts bytes. */
export interface SourceSpan {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  /** Byte offsets into the ORIGINAL file, [startByte, endByte). */
  startByte?: number;
  endByte?: number;
}

export class XenoportError extends Error {
  readonly span?: SourceSpan;
  /** The offending source line, for the caret display; optional. */
  readonly sourceLine?: string;

  constructor(message: string, options: { span?: SourceSpan; sourceLine?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.span = options.span;
    this.sourceLine = options.sourceLine;
  }

  /** "file:line:col: message", the form every layer reports in. */
  where(): string {
    if (!this.span) return this.message;
    return `${this.span.file}:${this.span.line}:${this.span.col}: ${this.message}`;
  }
}

export class UsageError extends XenoportError {}
export class RuleError extends XenoportError {}
export class ScanError extends XenoportError {}
export class RewriteError extends XenoportError {}
export class PipelineError extends XenoportError {}
export class CompileError extends XenoportError {}
export class IRError extends XenoportError {}
export class LinkError extends XenoportError {}
export class EmulatorError extends XenoportError {}
export class HypervisorError extends XenoportError {}

/** For states that cannot happen unless the code is wrong; names the broken check. */
export function unreachable(check: string): never {
  throw new Error(`internal error: ${check}`);
}
