import type { Finding, Rule } from '../types.js';
import type { FileReport, ScanSummary } from '../scan.js';
import type { SuppressedFinding, SuppressionWarning } from '../suppress.js';
import type { AuditView } from '../audit.js';

export interface ReportInput {
  findings: Finding[];
  /** Findings xenoport-ignore comments suppressed, with their reasons. */
  suppressed?: SuppressedFinding[];
  /** Suppressions that suppress nothing or name no rule. */
  warnings?: SuppressionWarning[];
  rules: Rule[];
  summary: ScanSummary;
  files: FileReport[];
  /** What was scanned, as the user named it (relative to `root`), for the summary. */
  scanned?: string[];
  /** The absolute directory that finding paths are relative to. */
  root?: string;
  /** SARIF runAutomationDetails.id: GitHub's category of the analysis, `name/` or `name/run`. */
  automationId?: string;
  /** Latin-1 text of an original file, by finding path; undefined if unavailable. */
  source: (file: string) => string | undefined;
  color?: boolean;
  /** The audit file's view of the findings (audit.ts): each finding's status, the counts, stale entries. */
  audit?: AuditView;
  toolVersion: string;
}
