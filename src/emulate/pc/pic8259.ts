/*
 * The 8259A programmable interrupt controller and the PC's master/slave pair at
 * 0x20/0xa0 (slave cascaded on master IRQ 2): request latching, masking, priority
 * and acknowledge. One chip (and its standard pairing), one file.
 */
import type { PortDevice } from './port-bus.js';

/** One 8259A: ICW1-4 initialisation, IMR, IRR/ISR, non-specific and specific EOI, OCW3 register select. */
export class Pic8259 {
  imr = 0xff;
  irr = 0;
  isr = 0;
  vectorBase = 0;
  private initStep = 0;
  private needIcw4 = false;
  private single = false;
  private readIsr = false;
  autoEoi = false;
  /** Edge detection: lines currently high. */
  private lines = 0;

  writeCommand(v: number): void {
    if (v & 0x10) {
      // ICW1: start initialisation.
      this.initStep = 2;
      this.needIcw4 = (v & 1) !== 0;
      this.single = (v & 2) !== 0;
      this.imr = 0;
      this.isr = 0;
      this.irr = 0;
      this.readIsr = false;
      this.autoEoi = false;
      return;
    }
    if (v & 0x08) {
      // OCW3: register select for reads.
      if (v & 0x02) this.readIsr = (v & 0x01) !== 0;
      return;
    }
    // OCW2: EOI.
    const cmd = v & 0xe0;
    if (cmd === 0x20) {
      // Non-specific: clear the highest-priority in-service bit.
      for (let i = 0; i < 8; i++)
        if (this.isr & (1 << i)) {
          this.isr &= ~(1 << i);
          break;
        }
    } else if (cmd === 0x60) this.isr &= ~(1 << (v & 7));
  }

  readCommand(): number {
    return this.readIsr ? this.isr : this.irr;
  }

  writeData(v: number): void {
    switch (this.initStep) {
      case 2:
        this.vectorBase = v & 0xf8;
        this.initStep = this.single ? (this.needIcw4 ? 4 : 0) : 3;
        return;
      case 3:
        this.initStep = this.needIcw4 ? 4 : 0;
        return;
      case 4:
        this.autoEoi = (v & 2) !== 0;
        this.initStep = 0;
        return;
      default:
        this.imr = v & 0xff;
    }
  }

  readData(): number {
    return this.imr;
  }

  /** Sets an input line; a rising edge latches the request. */
  setLine(irq: number, high: boolean): void {
    const bit = 1 << irq;
    if (high && !(this.lines & bit)) this.irr |= bit;
    if (high) this.lines |= bit;
    else this.lines &= ~bit;
  }

  /** The highest-priority request not masked and not blocked by one in service, or -1. */
  pending(): number {
    const req = this.irr & ~this.imr;
    for (let i = 0; i < 8; i++) {
      if (this.isr & (1 << i)) return -1;
      if (req & (1 << i)) return i;
    }
    return -1;
  }

  /** Interrupt acknowledge for `irq`: IRR → ISR. */
  ack(irq: number): void {
    const bit = 1 << irq;
    this.irr &= ~bit;
    if (!this.autoEoi) this.isr |= bit;
  }
}

/** The master/slave pair at 0x20/0xa0, the slave cascaded on master IRQ 2. */
export class PicPair implements PortDevice {
  readonly master = new Pic8259();
  readonly slave = new Pic8259();

  read(port: number): number {
    switch (port) {
      case 0x20: return this.master.readCommand();
      case 0x21: return this.master.readData();
      case 0xa0: return this.slave.readCommand();
      case 0xa1: return this.slave.readData();
      default: return 0xff;
    }
  }

  write(port: number, v: number): void {
    switch (port) {
      case 0x20: return this.master.writeCommand(v & 0xff);
      case 0x21: return this.master.writeData(v & 0xff);
      case 0xa0: return this.slave.writeCommand(v & 0xff);
      case 0xa1: return this.slave.writeData(v & 0xff);
    }
  }

  /** Raises (edge) IRQ 0..15. */
  raise(irq: number): void {
    if (irq < 8) {
      this.master.setLine(irq, true);
      this.master.setLine(irq, false);
    } else {
      this.slave.setLine(irq - 8, true);
      this.slave.setLine(irq - 8, false);
      this.master.setLine(2, true);
      this.master.setLine(2, false);
    }
  }

  /** Whether an interrupt would be delivered now (IF permitting). */
  hasPending(): boolean {
    return this.master.pending() >= 0;
  }

  /** Acknowledges the highest-priority interrupt; returns its vector, or -1 if none. */
  acknowledge(): number {
    const m = this.master.pending();
    if (m < 0) return -1;
    this.master.ack(m);
    if (m !== 2) return (this.master.vectorBase + m) & 0xff;
    const s = this.slave.pending();
    if (s < 0) return (this.slave.vectorBase + 7) & 0xff; // spurious IRQ 15
    this.slave.ack(s);
    return (this.slave.vectorBase + s) & 0xff;
  }
}
