/*
 * The data the rewrite stage passes around. An Edit replaces a byte range of an
 * ORIGINAL source file; all edits of a file are planned together against the
 * original bytes (never against a partly edited copy), so their order of creation
 * does not matter and overlaps can be detected exactly.
 */

import type { Edit as SiteEdit, EditKind, XenAction } from '../analyze/index.js';

/** What a rule does under Xen (docs/CONTRACTS.md, rule field fix.xen). */
export type { XenAction };

/** The global rewrite mode: step 8 (breakpoint stubs) or step 10 (Xen calls). */
export type RewriteMode = 'breakpoint' | 'hypercall';

export type { EditKind };

/**
 * The contract's Edit (src/analyze: a replacement of ORIGINAL bytes by a rule; `file`
 * is relative to the tree root, `ruleId` may also name a xenify step such as
 * 'xenify/cpu-features'), with what the rewrite stage records about it.
 */
export interface Edit extends SiteEdit {
  kind: EditKind;
  /** ORIGINAL file:line of the site, as the breakpoint stub reports it. */
  where: string;
  /** Shown to the user when the site keeps a breakpoint under hypercall mode. */
  message?: string;
}

/** Per-file outcome of applying edits. */
export interface FileRewrite {
  file: string;
  before: Buffer;
  after: Buffer;
  applied: Edit[];
  /** Edits whose range already held the replacement (a rewritten tree). */
  alreadyApplied: Edit[];
  /** Edits left out because they overlap another, each with its reason. */
  skipped: string[];
}
