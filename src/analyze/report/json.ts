/* The JSON report; its shape is docs/findings-schema.json. */
import type { ReportInput } from './input.js';

export const JSON_FORMAT_VERSION = 1;

export function formatJson(input: ReportInput): string {
  return (
    JSON.stringify(
      {
        version: JSON_FORMAT_VERSION,
        tool: { name: 'xenoport', version: input.toolVersion },
        ...(input.root !== undefined ? { root: input.root } : {}),
        ...(input.scanned ? { scanned: input.scanned } : {}),
        summary: input.summary,
        findings: input.findings,
        suppressed: input.suppressed ?? [],
        warnings: input.warnings ?? [],
        files: input.files,
      },
      null,
      2,
    ) + '\n'
  );
}
