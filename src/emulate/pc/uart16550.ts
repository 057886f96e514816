/*
 * The 16550 UART (COM1 is the PC's console): transmit log, receive queue and the
 * register file a kernel's serial driver probes. One chip, one file.
 */
import type { PortDevice } from './port-bus.js';

export class Uart16550 implements PortDevice {
  readonly base: number;
  /** Everything written to the transmit register, in order. */
  readonly output: number[] = [];
  /** Called with each transmitted byte (the console). */
  onByte?: (b: number) => void;
  private input: number[] = [];
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private dll = 0;
  private dlm = 0;
  private fcr = 0;

  constructor(base = 0x3f8) {
    this.base = base;
  }

  /** Queues bytes for the receive register. */
  feed(bytes: Iterable<number>): void {
    for (const b of bytes) this.input.push(b & 0xff);
  }

  text(): string {
    return Buffer.from(this.output).toString('latin1');
  }

  read(port: number): number {
    const dlab = (this.lcr & 0x80) !== 0;
    switch (port - this.base) {
      case 0:
        if (dlab) return this.dll;
        return this.input.shift() ?? 0;
      case 1:
        return dlab ? this.dlm : this.ier;
      case 2:
        // IIR: no interrupt pending; FIFO bits when enabled.
        return (this.fcr & 1 ? 0xc0 : 0) | 0x01;
      case 3:
        return this.lcr;
      case 4:
        return this.mcr;
      case 5:
        // LSR: transmitter always empty (THRE | TEMT), data ready when input is queued.
        return 0x60 | (this.input.length ? 0x01 : 0);
      case 6:
        // MSR: CTS, DSR, DCD (loopback off).
        return 0xb0;
      case 7:
        return this.scr;
      default:
        return 0xff;
    }
  }

  write(port: number, value: number): void {
    const v = value & 0xff;
    const dlab = (this.lcr & 0x80) !== 0;
    switch (port - this.base) {
      case 0:
        if (dlab) this.dll = v;
        else {
          this.output.push(v);
          this.onByte?.(v);
        }
        return;
      case 1:
        if (dlab) this.dlm = v;
        else this.ier = v & 0x0f;
        return;
      case 2:
        this.fcr = v;
        return;
      case 3:
        this.lcr = v;
        return;
      case 4:
        this.mcr = v & 0x1f;
        return;
      case 7:
        this.scr = v;
        return;
      default:
        return;
    }
  }
}
