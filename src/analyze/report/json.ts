/* The JSON report; its shape is docs/findings-schema.json. */
import type { ReportInput } from './input.js';

export const JSON_FORMAT_VERSION = 1;

export function formatJson(input: ReportInput): string {
  const a = input.audit;
  // With an audit file, every finding carries its status (open when the file does not name it).
  const findings = a ? input.findings.map((f) => {
    const s = a.status.get(f.fingerprint!) ?? { status: 'open' as const };
    return { ...f, audit: s.reason ? { status: s.status, reason: s.reason } : { status: s.status } };
  }) : input.findings;
  return (
    JSON.stringify(
      {
        version: JSON_FORMAT_VERSION,
        tool: { name: 'xenoport', version: input.toolVersion },
        ...(input.root !== undefined ? { root: input.root } : {}),
        ...(input.scanned ? { scanned: input.scanned } : {}),
        summary: input.summary,
        ...(a ? { audit: { file: a.file, ...a.counts, stale: a.stale.length } } : {}),
        findings,
        suppressed: input.suppressed ?? [],
        warnings: input.warnings ?? [],
        files: input.files,
      },
      null,
      2,
    ) + '\n'
  );
}
