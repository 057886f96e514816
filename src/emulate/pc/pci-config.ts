/*
 * PCI configuration mechanism #1 (ports 0xcf8/0xcfc): just enough of a host bridge
 * for a kernel's PCI probe. One device, one file.
 */
import type { PortDevice } from './port-bus.js';

/**
 * Ports 0xcf8 (address) and 0xcfc-0xcff (data): one host bridge at 00:00.0 with the
 * i440FX identity QEMU's pc machine has (8086:1237, class 0600); every other function
 * reads as absent (all ones).
 */
export class PciConfig implements PortDevice {
  wide = true;
  private addr = 0;

  private config(reg: number): number {
    const bus = (this.addr >>> 16) & 0xff;
    const devfn = (this.addr >>> 8) & 0xff;
    if (bus !== 0 || devfn !== 0) return -1;
    switch (reg & 0xfc) {
      case 0x00: return 0x12378086 | 0;
      case 0x04: return 0x00000006;
      case 0x08: return 0x06000002;
      default: return 0;
    }
  }

  read(port: number, width: number): number {
    if (port >= 0xcf8 && port < 0xcfc) {
      if (port === 0xcf8 && width === 4) return this.addr;
      return width === 1 ? 0xff : width === 2 ? 0xffff : -1;
    }
    if (!(this.addr & 0x80000000)) return width === 1 ? 0xff : width === 2 ? 0xffff : -1;
    const off = (port - 0xcfc) + (this.addr & 0xfc);
    const v = this.config(off) >>> (8 * (off & 3));
    return width === 1 ? v & 0xff : width === 2 ? v & 0xffff : v | 0;
  }

  write(port: number, value: number, width: number): void {
    if (port === 0xcf8 && width === 4) this.addr = value & 0x80fffffc;
  }
}
