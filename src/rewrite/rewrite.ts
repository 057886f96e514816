/*
 * `xenoport rewrite`: the rewrite stage alone, on any tree. Scans it, plans the
 * edits of every finding in the chosen mode (all categories), and returns the
 * rewritten files and their unified diff; optionally writes the rewritten copy to
 * another directory, atomically. The scanned tree is never written.
 */
import path from 'node:path';
import { applyEdits } from './apply.js';
import { unifiedDiffs, type DiffInput } from './diff.js';
import { writeTreeAtomically, type OutputFile } from './materialize.js';
import { planRewrite, type PlanNote, type RuleMode } from './plan.js';
import { defaultScan } from './scanner.js';
import type { ScanFn } from './stages.js';
import { sha256, SourceTree } from './tree.js';
import type { Edit, RewriteMode } from './types.js';
import { TOOL_VERSION } from './version.js';

export interface RewriteTreeOptions {
  /** The tree to rewrite (e.g. sample-kernel/sys); findings are named from its parent. */
  root: string;
  rules: string;
  mode: RewriteMode;
  ruleModes?: Record<string, RuleMode>;
  scan?: ScanFn;
  /** Write the rewritten copy here (atomically, with a manifest). */
  out?: string;
  force?: boolean;
  includeLine?: string;
}

export interface RewriteTreeResult {
  edits: Edit[];
  notes: PlanNote[];
  left: number;
  changedFiles: string[];
  /** Unified diff, paths `<root name>/<file>`, for `patch -p1` in root's parent. */
  diff: string;
}

export async function rewriteTree(opts: RewriteTreeOptions): Promise<RewriteTreeResult> {
  const root = path.resolve(opts.root);
  const tree = new SourceTree(root);
  const prefix = `${path.basename(root)}/`;
  const rel = (file: string): string => (file.startsWith(prefix) ? file.slice(prefix.length) : file);
  const scanned = await (opts.scan ?? defaultScan)(root, opts.rules);
  const fix = new Map(scanned.rules.map((r) => [r.id, r.fix]));
  const plan = planRewrite(scanned.findings, (id) => fix.get(id), (f) => tree.read(rel(f)), {
    mode: opts.mode,
    ruleModes: opts.ruleModes,
    mapPath: rel,
    includeLine: opts.includeLine,
  });
  const byFile = new Map<string, Edit[]>();
  for (const e of plan.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const diffs: DiffInput[] = [];
  const files = new Map<string, OutputFile>();
  const changedFiles: string[] = [];
  for (const f of tree.files) {
    const edits = byFile.get(f);
    const before = tree.read(f);
    const r = edits ? applyEdits(f, before, edits) : null;
    if (r && !r.after.equals(before)) {
      changedFiles.push(f);
      diffs.push({ path: `${prefix}${f}`, before, after: r.after });
    }
    files.set(f, {
      content: r ? r.after : before,
      source: f,
      sourceSha256: tree.hash(f),
      edits: (r?.applied ?? []).map((e) => ({ ruleId: e.ruleId, kind: e.kind, where: e.where, startByte: e.startByte, endByte: e.endByte, replacement: e.replacement })),
    });
  }
  if (opts.out) {
    const key = sha256(JSON.stringify([TOOL_VERSION, opts.mode, [...files].map(([f, o]) => [f, sha256(o.content)])]));
    writeTreeAtomically({ output: path.resolve(opts.out), treeKey: key, tool: TOOL_VERSION, source: root, files, force: opts.force });
  }
  return { edits: plan.edits, notes: plan.notes, left: plan.left.length, changedFiles, diff: unifiedDiffs(diffs) };
}
