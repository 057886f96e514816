/*
 * The 8254 programmable interval timer on the virtual clock: counter 0 drives IRQ0.
 * Time comes from the caller in PIT clocks, never from the host, so runs are
 * deterministic. One chip, one file.
 */
import type { PortDevice } from './port-bus.js';

/** The PIT's input clock in Hz (one PIT clock = `stepsPerPitClock` IR instructions on BarePC). */
export const TIMER_FREQ = 1193182;

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
