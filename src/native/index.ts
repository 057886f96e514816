/*
 * The reference toolchain: the system gcc/ld build of a kernel tree and the QEMU
 * boot that every other platform's console output is compared with (seed step 1).
 */
export { buildNativeKernel, type NativeBuild, type NativeBuildOptions } from './build.js';
export { bootInQemu, findQemu, QEMU_PINNED_ARGS, type QemuBoot, type QemuBootOptions } from './qemu.js';
