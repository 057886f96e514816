import type { Finding, Rule } from '../types.js';
import type { FileReport, ScanSummary } from '../scan.js';

export interface ReportInput {
  findings: Finding[];
  rules: Rule[];
  summary: ScanSummary;
  files: FileReport[];
  /** Latin-1 text of an original file, by finding path; undefined if unavailable. */
  source: (file: string) => string | undefined;
  color?: boolean;
  toolVersion: string;
}
