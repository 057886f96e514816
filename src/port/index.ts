/*
 * Orchestration, the top of the stack below the CLI: the seed's steps run end to
 * end. Building and booting the xenified kernel, the port loop (steps 9-11), the
 * whole `start` pipeline, and `run` for C programs. It calls the stages (analyze,
 * rewrite, compile, native, emulate, hypervisor) through their public faces; no
 * stage calls up into it. Other modules import only this file.
 */
export { buildXenoKernel, bootXenKernel, unitCacheAt, bootXen, formatCounts, type XenKernelOptions, type XenKernelBoot, type BootXenOptions, type BootXenResult } from './xen-kernel.js';
export { realPortStages } from './port-stages.js';
export { portLoop, ROOT_MOUNT_FAILURE, type PortStages, type PortResult, type PortIteration, type PortOptions, type PhaseTimes, type PortBuild, type SiteEdit } from './port-loop.js';
export { runC, type RunCOptions, type RunCResult } from './run.js';
export { buildXirRootImage, type RootImage } from './root-image.js';
export { runStart, upToHalt, formatSeconds, type StartOptions, type StartResult, type StageTiming } from './start.js';
export { recordBoot, eventRecorder, PortCache, type BootRecord, type EventLog } from './boot-cache.js';
export { reportData, type ReportInput } from './report.js';
export { addWriteStep, bootXenNfsRoot, GUEST_IP, GUEST_PREFIX, WRITE_STEP_DIR, type NfsRootOptions, type NfsRootResult } from './nfs-root.js';
export { bootBatchingMode, comparableConsole, formatSideBySide, type BatchingRun, type BatchingOptions } from './batching.js';
export { SuiteMeter, runSuitePc, runSuiteXen, runSuiteXenCached, type SuiteRun, suiteModule, formatSuiteReport, hypercallTotal, suiteImageDir, type AppCost, type SuiteReport } from './suite.js';
export { buildGuestProgram } from './guest-program.js';
export { runStep14, step14Tree, makefsImage, checkStep14Disk, formatStep14, type Step14Options, type Step14Result, type Step14Check } from './step14.js';
export { fsstatUfs1, flsTree, compareTree, type Ufs1Stat, type FlsEntry } from './disk-check.js';
