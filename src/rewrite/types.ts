/*
 * The data the rewrite stage passes around. An Edit replaces a byte range of an
 * ORIGINAL source file; all edits of a file are planned together against the
 * original bytes (never against a partly edited copy), so their order of creation
 * does not matter and overlaps can be detected exactly.
 */

/** What a rule does under Xen (docs/CONTRACTS.md, rule field fix.xen). */
export type XenAction = 'hypercall' | 'mask' | 'leave' | 'breakpoint';

/** The global rewrite mode: step 8 (breakpoint stubs) or step 10 (Xen calls). */
export type RewriteMode = 'breakpoint' | 'hypercall';

/** What an edit turned the site into, for the manifest and the report. */
export type EditKind = 'hypercall' | 'mask' | 'breakpoint' | 'xenify';

export interface Edit {
  /** Path relative to the tree root the edits apply to, '/' separators. */
  file: string;
  /** [startByte, endByte) of the ORIGINAL file. */
  startByte: number;
  endByte: number;
  replacement: string;
  /** The rule (or xenify step, e.g. 'xenify/cpu-features') that made the edit. */
  ruleId: string;
  kind: EditKind;
  /** ORIGINAL file:line of the site, as the breakpoint stub reports it. */
  where: string;
  /** Shown to the user when the site keeps a breakpoint under hypercall mode. */
  message?: string;
}

/** A rule's fix, as rules/*.yaml declare it (docs/CONTRACTS.md). */
export interface FixTemplate {
  xen: XenAction;
  breakpoint?: string;
  hypercall?: string;
}

/** Per-file outcome of applying edits. */
export interface FileRewrite {
  file: string;
  before: Buffer;
  after: Buffer;
  applied: Edit[];
  /** Edits whose range already held the replacement (a rewritten tree). */
  alreadyApplied: Edit[];
}
