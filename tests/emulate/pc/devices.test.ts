// The ISA devices, CPUID and the multiboot loader, as data.
import { describe, expect, it } from 'vitest';
import {
  cpuid, featureEdx, loadMultiboot, multibootMemory, parseFeatures, PhysicalMemory, PicPair, Pit8254, PortBus, QEMU32_FEATURES, Uart16550, PciConfig,
} from '../../../src/emulate/pc/index.js';
import { kernelImage } from './helpers.js';

describe('16550 UART', () => {
  it('transmits through THR, reports THRE/TEMT, keeps the scratch register, latches the divisor', () => {
    const u = new Uart16550();
    u.write(0x3ff, 0xa5);
    expect(u.read(0x3ff)).toBe(0xa5);
    expect(u.read(0x3fd) & 0x60).toBe(0x60);
    u.write(0x3fb, 0x80); // DLAB
    u.write(0x3f8, 1);
    u.write(0x3fb, 0x03);
    u.write(0x3f8, 0x48);
    u.write(0x3f8, 0x69);
    expect(u.text()).toBe('Hi');
    expect(u.read(0x3fd) & 1).toBe(0);
    u.feed([0x41]);
    expect(u.read(0x3fd) & 1).toBe(1);
    expect(u.read(0x3f8)).toBe(0x41);
  });
});

describe('8259 pair', () => {
  const init = (p: PicPair): void => {
    for (const [port, v] of [[0x20, 0x11], [0x21, 0x20], [0x21, 4], [0x21, 1], [0xa0, 0x11], [0xa1, 0x28], [0xa1, 2], [0xa1, 1], [0x21, 0xfb], [0xa1, 0xff]] as const) p.write(port, v);
  };
  it('ICW1-4 set the vector bases; masks, priorities and EOI behave', () => {
    const p = new PicPair();
    init(p);
    expect(p.acknowledge()).toBe(-1);
    p.raise(0);
    expect(p.hasPending()).toBe(false); // IRQ0 masked
    p.write(0x21, 0xfa);
    expect(p.acknowledge()).toBe(0x20);
    p.raise(0);
    expect(p.acknowledge()).toBe(-1); // in service until EOI
    p.write(0x20, 0x20);
    expect(p.acknowledge()).toBe(0x20);
    p.write(0x20, 0x20);
    p.write(0xa1, 0xfe);
    p.raise(8);
    expect(p.acknowledge()).toBe(0x28); // through the cascade
    p.write(0x20, 0x0b); // OCW3: read ISR
    expect(p.read(0x20)).toBe(0x04);
  });
});

describe('8254 PIT', () => {
  it('counts down in mode 2 on the virtual clock, latches, and times IRQ0', () => {
    let now = 0;
    const pit = new Pit8254(() => now);
    pit.write(0x43, 0x34);
    pit.write(0x40, 1000 & 0xff);
    pit.write(0x40, 1000 >> 8);
    now = 250;
    pit.write(0x43, 0x00);
    now = 400; // latched value does not move
    expect(pit.read(0x40) | (pit.read(0x40) << 8)).toBe(750);
    expect(pit.nextIrq0()).toBe(1000);
    now = 2500;
    expect(pit.collectIrq0()).toBe(2);
    expect(pit.nextIrq0()).toBe(3000);
  });
});

describe('port bus and PCI', () => {
  it('unknown ports float high; PCI mechanism #1 shows the i440FX host bridge only', () => {
    const bus = new PortBus();
    bus.attach(new PciConfig(), [0xcf8, 0xcf9, 0xcfa, 0xcfb, 0xcfc, 0xcfd, 0xcfe, 0xcff]);
    expect(bus.read(0x1234, 1)).toBe(0xff);
    expect(bus.read(0x1234, 4)).toBe(-1);
    bus.write(0xcf8, 0x80000000, 4);
    expect(bus.read(0xcf8, 4) >>> 0).toBe(0x80000000);
    expect(bus.read(0xcfc, 4) >>> 0).toBe(0x12378086);
    expect(bus.read(0xcfe, 2)).toBe(0x1237);
    bus.write(0xcf8, 0x80000800, 4);
    expect(bus.read(0xcfc, 4)).toBe(-1);
  });
});

describe('CPUID', () => {
  it('answers as QEMU qemu32, with PSE/PGE/PAE switchable', () => {
    const [max, b, c, d] = cpuid(0, QEMU32_FEATURES);
    expect(max).toBe(4);
    const s = Buffer.from(new Int32Array([b, d, c]).buffer).toString('latin1');
    expect(s).toBe('GenuineIntel');
    expect(cpuid(1, QEMU32_FEATURES)[0]).toBe(0x663);
    expect(featureEdx(QEMU32_FEATURES) & 0xa37d).toBe(0xa37d);
    const none = parseFeatures('-pse,-pge,-pae');
    expect(featureEdx(none) & 0xa37d).toBe(0x8335);
    expect(parseFeatures('none,pae')).toEqual({ pse: false, pge: false, pae: true });
    expect(() => parseFeatures('sse')).toThrow(/unknown CPU feature/);
  });
});

describe('multiboot', () => {
  it('reports QEMU -m 32 memory: mem_upper 31616 KiB (the golden console\'s 32640K real memory)', () => {
    const m = multibootMemory(32 << 20);
    expect(m.memLower).toBe(639);
    expect(m.memUpper).toBe(31616);
    expect(1024 + m.memUpper).toBe(32640);
  });

  it('loads sections at their physical addresses and writes the info block', () => {
    const img = kernelImage(`
data $d align 4 { w 0x11223344 }
func export $main() : w {
@entry
	ret 0
}`);
    const ph = new PhysicalMemory(4 << 20);
    const k = loadMultiboot(img, ph, 'kernel -v');
    const data = img.sections.find((s) => s.name === '.data')!;
    expect(ph.read32(data.paddr) >>> 0).toBe(0x11223344);
    expect(k.entry).toBe(img.entry);
    expect(ph.read32(k.mbiAddr) & 0x41).toBe(0x41); // mem + mmap
    expect(ph.read32(k.mbiAddr + 8)).toBe((4 << 10) - 1024 - 128);
    const mmapLen = ph.read32(k.mbiAddr + 44);
    expect(mmapLen).toBe(6 * 24);
    const cmd = ph.read32(k.mbiAddr + 16);
    expect(Buffer.from(ph.slice(cmd, 9)).toString('latin1')).toBe('kernel -v');
  });
});
