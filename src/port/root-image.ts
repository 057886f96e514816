/*
 * The sample kernel's root file system for xenoport's machines: its userland
 * compiled by xenoport into XIR executables (compile's buildUserland), put into a
 * UFS1 image by the kernel tree's own userland/mkroot.sh (makefs, the same script
 * `make root` runs for gcc's programs). The image is named root.img, as the native
 * one, because the kernel prints the module's name: the emulated PC's console then
 * equals QEMU's byte for byte.
 */
import { execa } from 'execa';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildUserland, type UserlandBuild } from '../compile/index.js';
import { PipelineError } from '../errors.js';

export interface RootImage {
  /** The UFS1 image (outDir/root.img). */
  image: string;
  /** The host's md5sum manifest of its files (outDir/root.md5). */
  manifest: string;
  programs: UserlandBuild['programs'];
}

/**
 * Builds kernelDir's root image with XIR programs under outDir (default
 * kernelDir/build/<machine>/xir).
 */
export async function buildXirRootImage(kernelDir: string, outDir?: string, machine = 'i386'): Promise<RootImage> {
  const kdir = path.resolve(kernelDir);
  const out = path.resolve(outDir ?? path.join(kdir, 'build', machine, 'xir'));
  mkdirSync(out, { recursive: true });
  const dest = path.join(out, 'dest');
  const built = await buildUserland(path.join(kdir, 'userland'), dest, machine);
  const image = path.join(out, 'root.img');
  const manifest = path.join(out, 'root.md5');
  const r = await execa('sh', ['userland/mkroot.sh', 'userland', path.join(out, 'root'), image, manifest, dest], { cwd: kdir, reject: false });
  if (r.exitCode !== 0) throw new PipelineError(`mkroot.sh failed: ${String(r.stderr).trim() || r.shortMessage}`);
  return { image, manifest, programs: built.programs };
}
