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
 *
 * This module only gathers them: each chip lives in its own file (port-bus.ts,
 * uart16550.ts, pic8259.ts, pit8254.ts, pci-config.ts, reset-control.ts).
 */

export { TIMER_FREQ, Pit8254 } from './pit8254.js';
export { type PortDevice, PortBus, range } from './port-bus.js';
export { Uart16550 } from './uart16550.js';
export { Pic8259, PicPair } from './pic8259.js';
export { PciConfig } from './pci-config.js';
export { ResetControl } from './reset-control.js';
