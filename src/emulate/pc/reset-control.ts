/*
 * The reset lines a kernel pulls to reboot the PC: the 8042's (port 0x64) and
 * system control port A (0x92). Kept on its own so the device files stay one chip each.
 */
import type { PortDevice } from './port-bus.js';

/** Port 0x64 (8042 status/command) and 0x92 (system control A): reset requests. */
export class ResetControl implements PortDevice {
  onReset?: (why: string) => void;
  read(port: number): number {
    if (port === 0x64) return 0x1c; // input buffer empty, system flag
    if (port === 0x92) return 0x02;
    return 0xff;
  }
  write(port: number, v: number): void {
    if (port === 0x64 && (v & 0xff) === 0xfe) this.onReset?.('8042 pulse reset line (0xfe to port 0x64)');
    if (port === 0x92 && v & 1) this.onReset?.('fast reset through port 0x92');
  }
}
