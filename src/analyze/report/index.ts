/*
 * Reporters: text for people (grouped by file, code frames with carets), JSON
 * (docs/findings-schema.json), SARIF 2.1.0 for tools and GitHub code scanning, one
 * line per finding for editors (gcc form) and for GitHub Actions annotations. Reporters only format;
 * the caller supplies the original file text through `source`.
 */
export { formatText, formatSummary, notAnalysed } from './text.js';
export { formatJson } from './json.js';
export { formatSarif } from './sarif.js';
export { formatGcc, formatGithub } from './oneline.js';
export type { ReportInput } from './input.js';
