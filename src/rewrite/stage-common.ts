/*
 * What every xenify stage shares: the stage input and result types, the scanner's
 * types, and the small helpers for mapping source paths into the target tree and
 * for edits that replace every match of a pattern. Types and pure helpers only.
 */
import path from 'node:path';
import type { Finding, FixSpec } from '../analyze/index.js';
import type { PipelineConfig, StageConfig } from './config.js';
import type { SourceTree } from './tree.js';
import type { Edit, RewriteMode } from './types.js';

export interface ScanRule { id: string; category: string; fix: FixSpec }
export interface ScanResult {
  findings: Finding[];
  rules: ScanRule[];
  /** Source files the scan could not analyse (binary, unreadable...): copied as they are, with a note. */
  skipped?: Array<{ file: string; why: string }>;
  /** Sites an xenoport-ignore comment suppressed: never edited. */
  suppressed?: Array<{ file: string; line: number; ruleId: string; reason: string }>;
}
/** What part of the tree a scan covers and under which cpp configuration. */
export interface ScanScope {
  /** Directories relative to root; default the whole root. */
  paths?: string[];
  /** `DNAME[=value]` / `UNAME`. */
  defines?: string[];
  arch?: string;
}
/**
 * Scans `root` (a `sys` directory) with the rules in `rulesDir`; Finding.file starts
 * with root's basename. `cacheDir` is where the scanner keeps its own cache (the
 * pipeline's cache directory): the one place scan results are cached on disk.
 * `scope`: what part of the tree, under which cpp configuration.
 */
export type ScanFn = (root: string, rulesDir: string, cacheDir?: string, scope?: ScanScope) => Promise<ScanResult>;

export interface StageResult {
  copies: Array<{ from: string; to: string }>;
  files: Record<string, string>;
  edits: Edit[];
  notes: string[];
  summary: string;
}

export interface StageInput {
  config: PipelineConfig;
  stage: StageConfig;
  tree: SourceTree;
  scan?: ScanFn;
  mode?: RewriteMode;
}
/** A result with nothing in it, for a stage to fill. */
export const emptyResult = (): StageResult => ({ copies: [], files: {}, edits: [], notes: [], summary: '' });

export const INCLUDE_LINE = '#include <machine/xen/hypervisor.h>';

/**
 * Where the generated guest API header goes in the target's include directory:
 * `xen/` as in the sample kernel, or `xenoport/` when the source arch already has
 * an `include/xen/` of its own (a tree with a Xen port), so neither hides the other.
 */
export function guestHeaderDir(config: Pick<PipelineConfig, 'arch'>, tree: Pick<SourceTree, 'has' | 'files'>): string {
  const own = `${config.arch}/include/xen/`;
  return tree.files.some((f) => f.startsWith(own)) ? 'xenoport' : 'xen';
}

/** The include line of the guest API header for a tree (see guestHeaderDir). */
export function includeLineFor(config: Pick<PipelineConfig, 'arch'>, tree: Pick<SourceTree, 'has' | 'files'>): string {
  return `#include <machine/${guestHeaderDir(config, tree)}/hypervisor.h>`;
}

/** Maps a Finding.file ('sys/i386/...') to its path in the output tree, or null. */
export function mapper(config: PipelineConfig): (file: string) => string | null {
  const prefix = `${path.basename(config.source)}/`;
  return (file) => {
    const rel = file.startsWith(prefix) ? file.slice(prefix.length) : file;
    if (rel.startsWith(`${config.arch}/`)) return `${config.target}/${rel.slice(config.arch.length + 1)}`;
    return null;
  };
}

/** Source-relative path of a Finding.file. */
export function sourceRel(config: PipelineConfig, file: string): string {
  const prefix = `${path.basename(config.source)}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

/** Edits replacing every match of `re` (global) in a file's original bytes. */
export function replaceAll(file: string, text: Buffer, re: RegExp, replace: (m: RegExpExecArray) => string, ruleId: string): Edit[] {
  if (!re.global) throw new Error('internal error: replaceAll needs a global RegExp');
  const s = text.toString('latin1');
  const out: Edit[] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const replacement = replace(m);
    if (replacement === m[0]) continue;
    const line = s.slice(0, m.index).split('\n').length;
    out.push({ file, startByte: m.index, endByte: m.index + m[0].length, replacement, ruleId, kind: 'xenify', where: `${file}:${line}` });
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}
