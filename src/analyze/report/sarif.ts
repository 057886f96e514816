/*
 * SARIF 2.1.0: one run, the rules as reportingDescriptors, every finding a
 * result with its exact region (lines, columns and byte offsets into the
 * ORIGINAL file) and, where the rule changes the site, a fix replacing those
 * bytes with the hypercall-mode template. Columns count bytes; for ASCII
 * sources they equal the default UTF-16 columns.
 */
import { notAnalysed } from './text.js';
import { findingToEdit } from '../fix.js';
import { displayText } from '../source.js';
import type { ReportInput } from './input.js';
import type { Finding } from '../types.js';
import type { SuppressedFinding } from '../suppress.js';

const LEVEL = { error: 'error', warning: 'warning', note: 'note' } as const;

export function formatSarif(input: ReportInput): string {
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  const rules = input.rules.map((r) => ({
    id: r.id,
    name: r.id
      .split('-')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: r.message },
    fullDescription: { text: r.docs },
    help: { text: `${r.message}\nUnder Xen: ${r.fix.xen}${r.fix.hypercall ? ` (${r.fix.hypercall})` : ''}.` },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { category: r.category, xen: r.fix.xen, tags: [r.category] },
  }));
  const resultOf = (f: Finding | SuppressedFinding) => {
    const rule = input.rules[ruleIndex.get(f.ruleId) ?? -1];
    const location = {
      physicalLocation: {
        artifactLocation: { uri: f.file, uriBaseId: 'SCANROOT' },
        region: {
          startLine: f.line,
          startColumn: f.col,
          endLine: f.endLine,
          endColumn: f.endCol,
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
                  artifactLocation: { uri: f.file, uriBaseId: 'SCANROOT' },
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
    return result;
  };
  const results = [...input.findings.map(resultOf), ...(input.suppressed ?? []).map(resultOf)];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'xenoport',
            version: input.toolVersion,
            informationUri: 'https://github.com/xenoport/xenoport',
            rules,
          },
        },
        originalUriBaseIds: { SCANROOT: { description: { text: "The parent directory of the scanned path" } } },
        artifacts: [...new Set(input.findings.map((f) => f.file))].map((uri) => ({ location: { uri, uriBaseId: 'SCANROOT' } })),
        results,
        invocations: [
          {
            executionSuccessful: true,
            // Files the scan could not analyse, so no reader mistakes silence for a clean file.
            toolExecutionNotifications: [
              ...notAnalysed(input.files).map((f) => ({
                level: 'warning',
                message: { text: `not analysed: ${f.state}${f.detail ? ` (${f.detail})` : ''}` },
                locations: [{ physicalLocation: { artifactLocation: { uri: f.file, uriBaseId: 'SCANROOT' } } }],
              })),
              ...(input.warnings ?? []).map((w) => ({
                level: 'warning',
                message: { text: w.message },
                locations: [{ physicalLocation: { artifactLocation: { uri: w.file, uriBaseId: 'SCANROOT' }, region: { startLine: w.line } } }],
              })),
            ],
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
