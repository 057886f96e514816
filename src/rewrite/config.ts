/*
 * Loads xenoport.pipeline.yaml: YAML with source positions (yaml's Document and
 * LineCounter), then the JSON schema below (ajv). Every error is a PipelineError
 * at file:line:col of the offending node, with the source line for the caret.
 * Relative paths in the file are resolved against the file's directory.
 * docs/pipeline.md documents the format.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { PipelineError } from '../errors.js';
import { cacheDirFor } from '../project-dirs.js';
import type { RewriteMode } from './types.js';
import { FRONT_END_INPUTS } from './xen-drivers.js';
import type { RuleMode } from './plan.js';

export const STAGE_KINDS = ['copy-arch', 'makefiles', 'va-hole', 'cpu-features', 'minimal-os', 'early-console', 'rewrite', 'xen-timer'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

export const PIPELINE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'source', 'output', 'stages'],
  properties: {
    version: { const: 1 },
    description: { type: 'string' },
    source: { type: 'string', minLength: 1 },
    output: { type: 'string', minLength: 1 },
    cache: { type: 'string', minLength: 1 },
    arch: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
    target: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
    rules: { type: 'string', minLength: 1 },
    mode: { enum: ['breakpoint', 'hypercall'] },
    'pte-updates': { enum: ['flush-each', 'batched'] },
    guard: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    scan: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    defines: { type: 'array', items: { type: 'string', pattern: '^[DU][A-Za-z_][A-Za-z0-9_]*(=.*)?$' } },
    stages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'kind'],
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
          kind: { enum: [...STAGE_KINDS] },
          step: { type: 'integer', minimum: 1, maximum: 16 },
          description: { type: 'string' },
          inputs: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
          outputs: { type: 'array', items: { type: 'string', minLength: 1 } },
          mode: { enum: ['breakpoint', 'hypercall'] },
          rules: { type: 'string', minLength: 1 },
          'rule-modes': {
            type: 'object',
            propertyNames: { pattern: '^[a-z0-9][a-z0-9-]*$' },
            additionalProperties: { enum: ['breakpoint', 'hypercall', 'leave'] },
          },
          clear: { type: 'array', items: { enum: ['PSE', 'PGE', 'PAE', 'APIC', 'MSR'] }, uniqueItems: true },
          limit: { type: 'string', pattern: '^0x[0-9a-fA-F]+$' },
        },
      },
    },
  },
} as const;

/** How the guest's page-table writes reach the hypervisor (pipeline key `pte-updates`). */
export type PteUpdates = 'flush-each' | 'batched';
export const PTE_UPDATES = ['flush-each', 'batched'] as const;

export interface StageConfig {
  name: string;
  kind: StageKind;
  step?: number;
  description?: string;
  /** Globs relative to the source tree; a stage reruns when a matching file changes. */
  inputs: string[];
  outputs: string[];
  mode?: RewriteMode;
  rules?: string;
  ruleModes: Record<string, RuleMode>;
  clear: Array<'PSE' | 'PGE' | 'PAE' | 'APIC' | 'MSR'>;
  limit?: number;
  /** Where the stage is declared, for errors. */
  line: number;
}

export interface PipelineConfig {
  file: string;
  /** Absolute source root (the `sys` directory); never written. */
  source: string;
  /** Absolute output root (a copy of `sys` with the target arch added). */
  output: string;
  cache: string;
  arch: string;
  target: string;
  rules: string;
  mode: RewriteMode;
  /**
   * Seed step 15: page-table updates wait in the guest's mmu_update queue until a
   * flush point ('batched', the default), or each is flushed at once ('flush-each').
   */
  pteUpdates: PteUpdates;
  stages: StageConfig[];
  /** Wrap every change of a C/asm source in `#ifdef guard` / `#else` / `#endif` (none: unguarded). */
  guard?: string;
  /** Directories (relative to source) the scan covers; default the whole source. */
  scan?: string[];
  /** cpp configuration of the scan: `DNAME[=value]` / `UNAME`. */
  defines: string[];
  /** sha256 of the file text, part of every stage key. */
  text: string;
}

const DEFAULT_INPUTS: Record<StageKind, (arch: string) => string[]> = {
  'copy-arch': (a) => [`${a}/**`],
  makefiles: (a) => [`conf/**`, `${a}/conf/**`, 'Makefile*', `${a}/Makefile*`, ...FRONT_END_INPUTS],
  'va-hole': (a) => [`${a}/include/**`, `${a}/${a}/**`, 'conf/ldscript*', `${a}/conf/ldscript*`],
  'cpu-features': (a) => [`${a}/**/*.c`, `${a}/**/*.h`],
  'minimal-os': (a) => [`${a}/${a}/locore.s`, `${a}/${a}/locore.S`, `conf/files.${a}`, `${a}/conf/files.${a}`, ...FRONT_END_INPUTS],
  'early-console': (a) => [`kern/subr_prf.c`, `kern/tty_cons.c`, `${a}/**/*.c`, `${a}/**/*.h`],
  rewrite: (a) => [`${a}/**`],
  'xen-timer': (a) => [`${a}/**/*.c`],
};

function position(doc: Document, lc: LineCounter, text: string, instancePath: string): { line: number; col: number; sourceLine: string } {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const part of parts) {
    if (isMap(node)) {
      const pair = node.items.find((it) => String((it.key as { value?: unknown })?.value ?? it.key) === part);
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(part)];
      keyNode = undefined;
    } else break;
  }
  const target = ((node as YamlNode | undefined)?.range ? node : keyNode) as YamlNode | undefined;
  const offset = target?.range ? target.range[0] : 0;
  const pos = lc.linePos(offset);
  return { line: pos.line, col: pos.col, sourceLine: text.split(/\r?\n/)[pos.line - 1] ?? '' };
}

function ajvMessage(e: ErrorObject): string {
  const where = e.instancePath || '(top level)';
  if (e.keyword === 'additionalProperties') return `${where}: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === 'enum') return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  if (e.keyword === 'required') return `${where}: missing key '${(e.params as { missingProperty: string }).missingProperty}'`;
  return `${where}: ${e.message ?? 'is invalid'}`;
}

const ajv = new Ajv({ allErrors: false, strict: false });
const validate = ajv.compile(PIPELINE_SCHEMA);

/** Parses and validates a pipeline file's text; throws PipelineError at file:line:col. */
export function parsePipeline(file: string, text: string): PipelineConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lc.linePos(e.pos[0]);
    throw new PipelineError(`invalid YAML: ${e.message.split('\n')[0]}`, {
      span: { file, line: pos.line, col: pos.col },
      sourceLine: text.split(/\r?\n/)[pos.line - 1] ?? '',
    });
  }
  let data: Record<string, unknown>;
  try {
    // yaml refuses documents whose aliases expand without bound ("billion laughs").
    data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (e) {
    throw new PipelineError(`invalid YAML: ${(e as Error).message}`, { span: { file, line: 1, col: 1 }, sourceLine: text.split(/\r?\n/)[0] ?? '' });
  }
  if (!validate(data)) {
    const e = (validate.errors ?? [])[0];
    const pos = position(doc, lc, text, e.instancePath);
    throw new PipelineError(ajvMessage(e), { span: { file, line: pos.line, col: pos.col }, sourceLine: pos.sourceLine });
  }
  const dir = path.dirname(path.resolve(file));
  const arch = (data.arch as string | undefined) ?? 'i386';
  const stagesNode = (doc.contents && isMap(doc.contents) ? doc.contents.get('stages', true) : undefined) as YamlNode | undefined;
  const seen = new Set<string>();
  const stages = (data.stages as Array<Record<string, unknown>>).map((s, i) => {
    const item = isSeq(stagesNode) ? (stagesNode.items[i] as YamlNode | undefined) : undefined;
    const line = item?.range ? lc.linePos(item.range[0]).line : 1;
    const name = s.name as string;
    if (seen.has(name)) {
      const pos = position(doc, lc, text, `/stages/${i}/name`);
      throw new PipelineError(`stage name '${name}' is used twice`, { span: { file, line: pos.line, col: pos.col }, sourceLine: pos.sourceLine });
    }
    seen.add(name);
    const kind = s.kind as StageKind;
    return {
      name,
      kind,
      step: s.step as number | undefined,
      description: s.description as string | undefined,
      inputs: (s.inputs as string[] | undefined) ?? DEFAULT_INPUTS[kind](arch),
      outputs: (s.outputs as string[] | undefined) ?? [],
      mode: s.mode as RewriteMode | undefined,
      rules: s.rules ? path.resolve(dir, s.rules as string) : undefined,
      ruleModes: (s['rule-modes'] as Record<string, RuleMode> | undefined) ?? {},
      clear: (s.clear as StageConfig['clear'] | undefined) ?? ['PSE', 'PGE', 'PAE'],
      limit: s.limit ? Number(s.limit) : undefined,
      line,
    } satisfies StageConfig;
  });
  return {
    file: path.resolve(file),
    source: path.resolve(dir, data.source as string),
    output: path.resolve(dir, data.output as string),
    // XENOPORT_CACHE_DIR wins; never the install directory by default (project-dirs.ts).
    cache: process.env.XENOPORT_CACHE_DIR || data.cache === undefined ? cacheDirFor(dir) : path.resolve(dir, data.cache as string),
    arch,
    target: (data.target as string | undefined) ?? `${arch}-xeno`,
    rules: path.resolve(dir, (data.rules as string | undefined) ?? 'rules'),
    mode: (data.mode as RewriteMode | undefined) ?? 'hypercall',
    pteUpdates: (data['pte-updates'] as PteUpdates | undefined) ?? 'batched',
    stages,
    guard: data.guard as string | undefined,
    scan: data.scan as string[] | undefined,
    defines: (data.defines as string[] | undefined) ?? [],
    text,
  };
}

/** Reads and validates a pipeline file. */
export function loadPipeline(file: string): PipelineConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PipelineError(`cannot read the pipeline file ${file}`, { cause });
  }
  return parsePipeline(file, text);
}
