/*
 * Boots a multiboot kernel in QEMU (Debian's qemu-system-i386, software emulation)
 * and collects its serial console. The flags are pinned so that the output is the
 * same on every machine: 32 MiB, the qemu32 CPU model, serial on stdio, no reboot.
 * The boot ends when a line matches `until`, or when the timeout passes. `initrd` becomes
 * a multiboot module (QEMU's -initrd), `append` the kernel command line after its name.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';

export const QEMU_PINNED_ARGS: readonly string[] = [
  '-m', '32', '-cpu', 'qemu32', '-display', 'none', '-serial', 'stdio',
  '-monitor', 'none', '-no-reboot', '-parallel', 'none',
];

export interface QemuBootOptions {
  kernelPath: string;
  /** A file loaded as a multiboot module (-initrd). */
  initrd?: string;
  /** The kernel command line (-append). */
  append?: string;
  /** The boot is over once the console has a line matching this. */
  until: RegExp;
  timeoutMs?: number;
}

export interface QemuBoot {
  /** Serial output with CRLF normalised to LF. */
  console: string;
  /** True when `until` matched; false when the timeout ended the boot. */
  finished: boolean;
}

/** The qemu-system-i386 on PATH (or in /usr/bin), or undefined when absent. */
export function findQemu(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin'])) {
    const candidate = `${dir}/qemu-system-i386`;
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Boots the kernel; never throws for a guest that misbehaves, only when qemu is missing. */
export async function bootInQemu(options: QemuBootOptions): Promise<QemuBoot> {
  const qemu = findQemu();
  if (!qemu) throw new Error('qemu-system-i386 is not installed (Debian package qemu-system-x86)');
  const extra: string[] = [];
  if (options.initrd) extra.push('-initrd', options.initrd);
  if (options.append) extra.push('-append', options.append);
  const child = execa(qemu, ['-kernel', options.kernelPath, ...extra, ...QEMU_PINNED_ARGS], {
    reject: false,
    stdin: 'ignore',
    forceKillAfterDelay: 1000,
  });
  let output = '';
  let finished = false;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(() => resolve(), options.timeoutMs ?? 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('latin1');
      const lines = output.replace(/\r\n?/g, '\n').split('\n');
      if (lines.some((line) => options.until.test(line))) {
        finished = true;
        clearTimeout(timer);
        resolve();
      }
    });
    void child.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  await done;
  child.kill('SIGKILL');
  await child;
  return { console: output.replace(/\r\n?/g, '\n'), finished };
}
