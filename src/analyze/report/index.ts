/*
 * Reporters: text for people (grouped by file, code frames with carets), JSON
 * (docs/findings-schema.json) and SARIF 2.1.0 for tools. Reporters only format;
 * the caller supplies the original file text through `source`.
 */
export { formatText, formatSummary, notAnalysed } from './text.js';
export { formatJson } from './json.js';
export { formatSarif } from './sarif.js';
export type { ReportInput } from './input.js';
