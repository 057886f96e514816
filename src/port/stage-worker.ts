/*
 * A worker thread's entry for one of `npm start`'s stages that run beside others
 * (start-stages.ts: the port, and the stages after it): runs the stage named by workerData and posts its result, or
 * the error's message and whether it was a user-facing one (a XenoportError).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { XenoportError } from '../errors.js';
import { runLaterStage, runPortStage, type LaterStageInput, type PortStageInput } from './start-stages.js';

try {
  parentPort!.postMessage({ ok: true, value: await ((workerData as { stage: string }).stage === 'port' ? runPortStage(workerData as PortStageInput) : runLaterStage(workerData as LaterStageInput)) });
} catch (e) {
  parentPort!.postMessage({ ok: false, user: e instanceof XenoportError, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
