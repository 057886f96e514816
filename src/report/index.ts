/*
 * Public face of the report module: the HTML report of a port (data shapes, the
 * writer) and the Chrome trace-event file of a boot. It reads the data of the stages
 * below it and writes files; port and cli call it.
 */
export { findingRow, PLAN_STEPS, type ConsoleData, type FindingRow, type IterationRow, type ReportData, type ScanData, type StepRow, type StepStatus, type SuiteData, type SuitePart, type SwitchSite, type TimelineData } from './data.js';
export { writeHtmlReport } from './write.js';
export { traceOf, writeTrace, type TraceBoot, type TraceEvent, type TraceFile } from './trace.js';
