/*
 * Public face of the compile stage: the C front end (system cpp, tree-sitter-c,
 * lowering to IR), our libc, and the linker. Other modules import only this file.
 */
export { preprocess, mapLineMarkers, type Preprocessed, type CppOptions, type SourceLoc } from './cpp.js';
export {
  compileFile, compilePreprocessed, compileProgram, compileKernel, libcDir, libcModules, parseC, LIBC_FILES,
  type CompileOptions, type ProgramBuild,
} from './driver.js';
export { kernelConfig, type KernelConfig } from './kernel-config.js';
export { buildUserland, userlandPlan, type UserlandBuild, type UserlandPlan } from './userland.js';
export { buildKernelImage, compileKernelImage, readLdScript, type KernelBuild, type KernelImageBuild, type KernelImageOptions, type KernelLayout } from './kernel-image.js';
export { compilerFingerprint, UnitCache, UnitSession, type UnitCacheStats } from './unit-cache.js';
