/*
 * The port-I/O plumbing of the PC: the PortDevice interface every ISA device
 * implements and the PortBus that dispatches in/out to them (unknown ports float
 * high, as an empty ISA bus does). Kept apart from the devices so each device file
 * holds one chip and nothing else.
 */

/** A device answering a range of ports. `width` is 1, 2 or 4 bytes. */
export interface PortDevice {
  read(port: number, width: number): number;
  write(port: number, value: number, width: number): void;
  /** True when the device takes 16/32-bit accesses whole (else they are split into bytes). */
  wide?: boolean;
}

/** Port → device dispatch; unknown ports float high. */
export class PortBus {
  private readonly map = new Map<number, PortDevice>();
  /** Ports accessed that no device answers (for traces). */
  readonly unclaimed = new Set<number>();

  attach(dev: PortDevice, ports: Iterable<number>): void {
    for (const p of ports) this.map.set(p, dev);
  }

  read(port: number, width: number): number {
    const p = port & 0xffff;
    const d = this.map.get(p);
    if (!d) {
      if (p !== 0x80 && p !== 0x84) this.unclaimed.add(p);
      return width === 1 ? 0xff : width === 2 ? 0xffff : -1;
    }
    if (width === 1) return d.read(p, 1) & 0xff;
    if (d.wide) return d.read(p, width);
    // Wider accesses to byte devices: consecutive ports, little-endian.
    let v = 0;
    for (let k = 0; k < width; k++) v |= (this.read(p + k, 1) & 0xff) << (8 * k);
    return v;
  }

  write(port: number, value: number, width: number): void {
    const p = port & 0xffff;
    const d = this.map.get(p);
    if (!d) {
      if (p !== 0x80 && p !== 0x84) this.unclaimed.add(p);
      return;
    }
    if (width === 1) return d.write(p, value & 0xff, 1);
    if (d.wide) return d.write(p, value, width);
    for (let k = 0; k < width; k++) this.write(p + k, (value >>> (8 * k)) & 0xff, 1);
  }
}

export function range(from: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => from + k);
}
