/*
 * The PC's port-I/O devices, driven by a virtual clock (no host time anywhere, so a
 * run is deterministic): a 16550 UART (COM1 is the console), the 8259 PIC pair, the
 * 8254 PIT (counter 0 drives IRQ0), and the odds and ends a kernel touches (POST
 * delay port 0x80/0x84, the 8042's reset line, port 0x92). Unknown ports read as
 * all ones and ignore writes, as an empty ISA bus does.
 *
 * Virtual time: the PIT counts at TIMER_FREQ (1193182 Hz); one PIT input clock is
 * `stepsPerPitClock` executed IR instructions (default 1, i.e. a virtual CPU doing
 * 1.19 million IR instructions a second). Idle time (hlt) jumps the clock forward to
 * the next timer interrupt.
 */

export const TIMER_FREQ = 1193182;

/** A device answering a range of ports. `width` is 1, 2 or 4 bytes. */
export interface PortDevice {
  read(port: number, width: number): number;
  write(port: number, value: number, width: number): void;
  /** True when the device takes 16/32-bit accesses whole (else they are split into bytes). */
  wide?: boolean;
}

// ---- 16550 UART ----

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

// ---- 8259 PIC ----

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

// ---- 8254 PIT ----

interface PitCounter {
  mode: number;
  /** 1 = LSB only, 2 = MSB only, 3 = LSB then MSB. */
  access: number;
  reload: number;
  /** Virtual time (PIT clocks) when the count was loaded; -1 = not counting. */
  start: number;
  writeLow: boolean;
  pendingLow: number;
  latched: number | undefined;
  readLow: boolean;
}

/**
 * The 8254: three counters, mode/command port 0x43. Counter 0's output edge (the
 * count reaching its terminal value in modes 2 and 3) raises IRQ0. Time is given by
 * the caller in PIT clocks (`now`).
 */
export class Pit8254 implements PortDevice {
  readonly counters: PitCounter[] = [0, 1, 2].map(() => ({ mode: 0, access: 3, reload: 0x10000, start: -1, writeLow: true, pendingLow: 0, latched: undefined, readLow: true }));
  /** The current virtual time in PIT clocks. */
  now: () => number;
  /** Counter 0's interrupts already raised (for catching up). */
  private fired = 0;

  constructor(now: () => number) {
    this.now = now;
  }

  private period(c: PitCounter): number {
    return c.reload === 0 ? 0x10000 : c.reload;
  }

  private count(c: PitCounter): number {
    if (c.start < 0) return c.reload & 0xffff;
    const p = this.period(c);
    const el = Math.max(0, this.now() - c.start);
    if (c.mode === 2 || c.mode === 3) {
      const r = el % p;
      // Mode 3 decrements by two twice per period; readers see a value in [0, p).
      return c.mode === 3 ? (p - ((2 * r) % p)) & 0xffff : (p - r) & 0xffff;
    }
    return (p - el) & 0xffff;
  }

  read(port: number): number {
    if (port === 0x43) return 0xff;
    const c = this.counters[port - 0x40];
    if (!c) return 0xff;
    const v = c.latched ?? this.count(c);
    let out: number;
    if (c.access === 1) out = v & 0xff;
    else if (c.access === 2) out = (v >> 8) & 0xff;
    else {
      out = c.readLow ? v & 0xff : (v >> 8) & 0xff;
      c.readLow = !c.readLow;
      if (c.readLow) c.latched = undefined;
      return out;
    }
    c.latched = undefined;
    return out;
  }

  write(port: number, value: number): void {
    const v = value & 0xff;
    if (port === 0x43) {
      const sel = v >> 6;
      if (sel === 3) return; // read-back command: not modelled
      const c = this.counters[sel]!;
      const acc = (v >> 4) & 3;
      if (acc === 0) {
        c.latched = this.count(c);
        c.readLow = true;
        return;
      }
      c.access = acc;
      c.mode = (v >> 1) & 7;
      if (c.mode > 5) c.mode -= 4;
      c.writeLow = true;
      c.readLow = true;
      c.start = -1;
      return;
    }
    const k = port - 0x40;
    const c = this.counters[k];
    if (!c) return;
    if (c.access === 3) {
      if (c.writeLow) {
        c.pendingLow = v;
        c.writeLow = false;
        return;
      }
      c.reload = c.pendingLow | (v << 8);
      c.writeLow = true;
    } else if (c.access === 1) c.reload = v;
    else c.reload = v << 8;
    c.start = this.now();
    if (k === 0) this.fired = 0;
  }

  /** Virtual time of counter 0's next output edge, or undefined when it does not run periodically. */
  nextIrq0(): number | undefined {
    const c = this.counters[0]!;
    if (c.start < 0) return undefined;
    const p = this.period(c);
    if (c.mode === 2 || c.mode === 3) return c.start + (this.fired + 1) * p;
    return this.fired === 0 ? c.start + p : undefined;
  }

  /** Counts the IRQ0 edges due by now and returns how many (at least one means: raise IRQ0). */
  collectIrq0(): number {
    let n = 0;
    for (;;) {
      const t = this.nextIrq0();
      if (t === undefined || t > this.now()) return n;
      this.fired++;
      n++;
      if (n > 1000) {
        // Far behind (a long stretch with the line ignored): only the edge matters.
        const c = this.counters[0]!;
        if (c.mode === 2 || c.mode === 3) this.fired = Math.floor((this.now() - c.start) / this.period(c));
        return n;
      }
    }
  }
}

// ---- PCI configuration mechanism #1 ----

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

// ---- small devices ----

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
