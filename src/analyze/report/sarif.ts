/*
 * SARIF 2.1.0 as GitHub code scanning reads it: one run, the rules as
 * reportingDescriptors (help text and markdown, helpUri, tags, precision,
 * problem.severity), every finding a result with its exact region, its fingerprint
 * in partialFingerprints, and, where the rule changes the site, a fix replacing the
 * site's bytes with the hypercall-mode template. Suppressed findings are results
 * with `suppressions`, as are those the audit file marks ported or accepted (kind
 * `external`); files not analysed, files with parse errors and stale
 * suppressions are toolExecutionNotifications. Paths are relative to %SRCROOT%
 * (the report's root, given in originalUriBaseIds); a file outside it is a file:
 * URI. Columns are UTF-16 code units (columns.ts), SARIF's default `columnKind`;
 * byteOffset/byteLength count bytes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { notAnalysed } from './text.js';
import { columnMaps } from './columns.js';
import { findingToEdit } from '../fix.js';
import { displayText } from '../source.js';
import { FINGERPRINT_KEY } from '../baseline.js';
import { PROJECT_ROOT } from '../paths.js';
import type { ReportInput } from './input.js';
import type { Finding, Rule } from '../types.js';
import type { SuppressedFinding } from '../suppress.js';

const LEVEL = { error: 'error', warning: 'warning', note: 'note' } as const;
/** GitHub's problem.severity: note is its "recommendation". */
const PROBLEM = { error: 'error', warning: 'warning', note: 'recommendation' } as const;

/**
 * How often a rule's findings are right, as GitHub's `precision` says it: an
 * instruction or syntax match is exact; page-table typing, wrappers, the VA hole and
 * the console path are judged tree-wide from heuristics.
 */
function precision(r: Rule): 'very-high' | 'high' | 'medium' {
  if (r.match.asm) return 'very-high';
  if (r.match.c) return 'high';
  return 'medium';
}

/** Where the tool's documents are: the package's homepage when it names one, else the installed copy. */
function homeUri(): { info: string; rule: (r: Rule) => string } {
  let homepage: string | undefined;
  try {
    homepage = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { homepage?: string }).homepage;
  } catch {
    homepage = undefined;
  }
  const rel = (r: Rule): string => path.relative(PROJECT_ROOT, r.source.file).split(path.sep).join('/');
  if (homepage) {
    const base = homepage.replace(/\/+$/, '');
    return { info: base, rule: (r) => `${base}/blob/main/${rel(r)}#L${r.source.line}` };
  }
  return { info: pathToFileURL(path.join(PROJECT_ROOT, 'README.md')).href, rule: (r) => `${pathToFileURL(r.source.file).href}#L${r.source.line}` };
}

function helpMarkdown(r: Rule): string {
  const lines = [`**${r.message}**`, '', r.docs.trim(), '', `Under Xen: \`${r.fix.xen}\`${r.fix.hypercall ? `, with \`${r.fix.hypercall}\`` : ''}.`];
  const example = r.tests.fix.find((t) => t.mode === 'hypercall');
  if (example) lines.push('', 'Example (hypercall mode):', '', '```' + (example.lang === 'c' ? 'c' : 'asm'), example.before.trimEnd(), '```', 'becomes', '```' + (example.lang === 'c' ? 'c' : 'asm'), example.after.trimEnd(), '```');
  lines.push('', `Silence one site with \`/* xenoport-ignore: ${r.id} reason */\` on its line or the line before.`);
  return lines.join('\n');
}

export function formatSarif(input: ReportInput): string {
  const home = homeUri();
  const root = input.root;
  const artifact = (file: string): { uri: string; uriBaseId?: string } =>
    file.startsWith('/') ? { uri: pathToFileURL(file).href } : root !== undefined ? { uri: encodeURI(file), uriBaseId: '%SRCROOT%' } : { uri: encodeURI(file), uriBaseId: 'SCANROOT' };
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  const rules = input.rules.map((r) => ({
    id: r.id,
    name: r.id
      .split('-')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: r.message },
    fullDescription: { text: r.docs },
    help: { text: `${r.message}\nUnder Xen: ${r.fix.xen}${r.fix.hypercall ? ` (${r.fix.hypercall})` : ''}.`, markdown: helpMarkdown(r) },
    helpUri: home.rule(r),
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { category: r.category, xen: r.fix.xen, tags: ['xen-port', r.category], precision: precision(r), 'problem.severity': PROBLEM[r.severity] },
  }));
  const columns = columnMaps(input.source);
  const resultOf = (f: Finding | SuppressedFinding) => {
    const rule = input.rules[ruleIndex.get(f.ruleId) ?? -1];
    const col = columns(f.file);
    const location = {
      physicalLocation: {
        artifactLocation: artifact(f.file),
        region: {
          startLine: f.line,
          startColumn: col(f.startByte, f.col),
          endLine: f.endLine,
          endColumn: col(f.endByte, f.endCol),
          byteOffset: f.startByte,
          byteLength: f.endByte - f.startByte,
        },
      },
    };
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.instruction ? `${f.message} [${f.instruction}${f.via ? ` via ${f.via.join(' -> ')}` : ''}]` : f.message },
      locations: [location],
      ...(f.fingerprint ? { partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint } } : {}),
      properties: { category: f.category, recovered: f.recovered, language: f.language, ...(f.instruction ? { instruction: f.instruction } : {}), ...(f.via ? { via: f.via } : {}) },
    };
    if (rule) {
      try {
        const e = findingToEdit(f, rule, 'hypercall', input.source(f.file));
        if (e)
          result.fixes = [
            {
              description: { text: `${rule.fix.xen}: ${displayText(e.replacement)}` },
              artifactChanges: [
                {
                  artifactLocation: artifact(f.file),
                  replacements: [{ deletedRegion: { byteOffset: e.startByte, byteLength: e.endByte - e.startByte }, insertedContent: { text: displayText(e.replacement) } }],
                },
              ],
            },
          ];
      } catch {
        /* no fix for a finding the template cannot fill */
      }
    }
    if ('suppression' in f) result.suppressions = [{ kind: 'inSource', status: 'accepted', justification: f.suppression.reason }];
    // The audit file's decision: accepted and ported sites are suppressed outside the
    // source (SARIF 2.1.0's suppression object: kind `external`, with the
    // justification and the entry's location); every status is also in the result's properties.
    const audit = input.audit?.status.get(f.fingerprint!);
    if (audit) {
      (result.properties as Record<string, unknown>).audit = audit.reason ? { status: audit.status, reason: audit.reason } : { status: audit.status };
      if (audit.status !== 'open' && !('suppression' in f))
        result.suppressions = [
          {
            kind: 'external',
            status: 'accepted',
            justification: audit.status === 'ported' ? `ported${audit.reason ? `: ${audit.reason}` : ''}` : audit.reason,
            location: { physicalLocation: { artifactLocation: artifact(input.audit!.file), ...(audit.at ? { region: { startLine: audit.at } } : {}) } },
          },
        ];
    }
    return result;
  };
  const results = [...input.findings.map(resultOf), ...(input.suppressed ?? []).map(resultOf)];
  const notification = (level: 'warning' | 'note', text: string, file: string, line?: number) => ({
    level,
    message: { text },
    locations: [{ physicalLocation: { artifactLocation: artifact(file), ...(line ? { region: { startLine: line } } : {}) } }],
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'xenoport',
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            informationUri: home.info,
            rules,
          },
        },
        automationDetails: { id: input.automationId ?? 'xenoport/' },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds:
          root !== undefined
            ? { '%SRCROOT%': { uri: pathToFileURL(root.endsWith('/') ? root : `${root}/`).href, description: { text: 'The directory paths are relative to (--root)' } } }
            : { SCANROOT: { description: { text: 'The parent directory of the scanned path' } } },
        artifacts: [...new Set([...input.findings, ...(input.suppressed ?? [])].map((f) => f.file))].map((uri) => ({ location: artifact(uri) })),
        results,
        invocations: [
          {
            executionSuccessful: true,
            // Files the scan could not analyse, so no reader mistakes silence for a clean file.
            toolExecutionNotifications: [
              ...notAnalysed(input.files).map((f) => notification('warning', `not analysed: ${f.state}${f.detail ? ` (${f.detail})` : ''}`, f.file)),
              ...input.files
                .filter((f) => (f.parseErrors ?? 0) > 0)
                .map((f) => notification('note', `${f.parseErrors} parse error node(s): the file was matched with tree-sitter's error recovery, findings there are marked recovered`, f.file)),
              ...(input.warnings ?? []).map((w) => notification('warning', w.message, w.file, w.line)),
            ],
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
