// A toy ring-0 platform: shows that a privileged machine plugs in through Platform
// (port output, cli/sti, timer interrupts delivered with setDeadline/tick + callAt,
// iret popping the frame) without touching the engine.
import { describe, expect, it } from 'vitest';
import { link } from '../../src/ir/index.js';
import { findSymbol, type LinkedImage } from '../../src/ir/index.js';
import { parseModule, verifyModule, type IntrinsicName, type RegName } from '../../src/ir/index.js';
import { EFLAGS, ESP, FlatMemory, Machine, REG_INDEX, type Fault, type FaultAction, type Platform } from '../../src/emulate/index.js';

const IF = 1 << 9;

class ToyPC implements Platform {
  out = '';
  ticks = 0;
  handler = 0;
  period = 1000;
  pfHandler = 0;
  fault(m: Machine, f: Fault): FaultAction {
    if (f.kind !== 'memory' || !this.pfHandler) return m.halt({ outcome: 'fault', fault: f });
    // Deliver a #PF-like exception: push eflags, cs, eip; run the handler; continue
    // wherever its iret goes (the faulting eip = retry, or somewhere else).
    const R = m.regs;
    let sp = R[ESP]!;
    for (const v of [R[EFLAGS]!, R[REG_INDEX.cs]!, f.eip]) m.mem.st32((sp -= 4), v, f.eip);
    R[ESP] = sp;
    const back = m.callAt(this.pfHandler, f.eip);
    m.transfer(back, f.eip, f.eip);
    return 'retry';
  }
  intrinsic(m: Machine, name: IntrinsicName, a: number, b: number): number {
    const R = m.regs;
    switch (name) {
      case 'outb':
        if (b === 0x3f8) this.out += String.fromCharCode(a & 255);
        return 0;
      case 'sti':
        R[EFLAGS] |= IF;
        return 0;
      case 'cli':
        R[EFLAGS] &= ~IF;
        return 0;
      case 'hlt':
        return m.halt({ outcome: 'halt', message: 'hlt' });
      default:
        return m.halt({ outcome: 'halt', message: `unexpected ${name}` });
    }
  }
  hypercall(m: Machine): void {
    m.halt({ outcome: 'halt', message: 'hypercall' });
  }
  writeSegment(m: Machine, reg: RegName, v: number): void {
    m.regs[REG_INDEX[reg]] = v;
  }
  iret(m: Machine, eip: number): number {
    const R = m.regs;
    const sp = R[ESP]!;
    const ret = m.mem.ld32(sp, eip);
    R[REG_INDEX.cs] = m.mem.ld32(sp + 4, eip);
    R[EFLAGS] = m.mem.ld32(sp + 8, eip);
    R[ESP] = sp + 12;
    return ret;
  }
  tick(m: Machine, eip: number): void {
    m.setDeadline(m.steps + this.period);
    const R = m.regs;
    if (!(R[EFLAGS]! & IF)) return;
    // Deliver vector 32: push eflags, cs, eip; clear IF; run the handler nested.
    let sp = R[ESP]!;
    for (const v of [R[EFLAGS]!, R[REG_INDEX.cs]!, eip]) m.mem.st32((sp -= 4), v, eip);
    R[ESP] = sp;
    R[EFLAGS] &= ~IF;
    this.ticks++;
    const back = m.callAt(this.handler, eip);
    if (back !== eip) m.halt({ outcome: 'halt', message: 'iret to another place' });
  }
}

const KERNEL = `
file 1 "sys/i386/isa/clock.c"
data $count export align 4 { w 0 }
func varargs $clkintr() {
@entry
	%c =w loadw $count !1:10
	%c =w add %c, 1 !1:10
	storew %c, $count !1:10
	%ch =w add %c, 48 !1:11
	intr outb %ch, 1016 !1:11
	iret !1:12
}
func export $btext() : w {
@entry
	intr sti !1:20
	jmp @wait !1:21
@wait
	%c =w loadw $count !1:21
	%more =w csltw %c, 3 !1:21
	jnz %more, @wait, @done !1:21
@done
	intr cli !1:22
	ret %c !1:23
}`;

/**
 * Links `text` as a kernel at 1 MiB, loads it into 4 MiB of flat memory on a ToyPC
 * whose interrupt / page-fault handlers are the named functions, with esp = 0x90000.
 */
function toyMachine(text: string, name: string, handlers: { handler?: string; pfHandler?: string }): { img: LinkedImage; m: Machine; pc: ToyPC } {
  const img = link([verifyModule(parseModule(text, name))], { kind: 'kernel', vaddr: 0x100000, paddr: 0x100000 });
  const mem = new FlatMemory(0, 4 << 20);
  const pc = new ToyPC();
  if (handlers.handler) pc.handler = findSymbol(img, handlers.handler)!.addr;
  if (handlers.pfHandler) pc.pfHandler = findSymbol(img, handlers.pfHandler)!.addr;
  const m = new Machine(img, mem, pc);
  mem.onFault = (a, n, acc, eip) => m.memoryFault(a, n, acc, eip);
  for (const s of img.sections) mem.write(s.vaddr, s.bytes);
  m.regs[ESP] = 0x90000;
  return { img, m, pc };
}

describe('a pluggable platform', () => {
  it('delivers timer interrupts at block boundaries and resumes after iret', () => {
    const { img, m, pc } = toyMachine(KERNEL, 'clock.c', { handler: 'clkintr' });
    m.setDeadline(pc.period);
    let r = 0;
    const stop = m.execute(() => {
      r = m.call(img.entry, [], 0);
    }, 1e6);
    expect(stop).toBeUndefined();
    expect(r).toBe(3);
    expect(pc.out).toBe('123');
    expect(pc.ticks).toBe(3);
    expect(m.regs[ESP]).toBe(0x90000);
  });

  it('a guest fault inside an interrupt handler is still a value', () => {
    const bad = KERNEL.replace('%c =w loadw $count !1:10', '%c =w loadw 4294967292 !1:10');
    const { img, m } = toyMachine(bad, 'clock.c', { handler: 'clkintr' });
    m.setDeadline(100);
    const stop = m.execute(() => void m.call(img.entry, [], 0), 1e6);
    expect(stop?.outcome).toBe('fault');
    const f = m.report((stop as { fault: Fault }).fault);
    expect(f).toMatchObject({ kind: 'memory', function: 'clkintr', where: 'sys/i386/isa/clock.c:10' });
  });

  it('an exception handler that changes the saved eip (pcb_onfault) continues there', () => {
    const COPY = `
data $onfault align 4 { w 0 }
data $good align 4 { w 7 }
func $copyin(w %src) : w {
@entry
	storew $copy_fault, $onfault !1:1
	%v =w loadw %src !1:2
	storew 0, $onfault !1:3
	ret %v !1:4
}
func varargs $copy_fault() {
@entry
	storew 0, $onfault !1:10
	wrreg eax, -14 !1:11
	ret !1:12
}
func varargs $pf_handler() {
@entry
	%of =w loadw $onfault !1:20
	jnz %of, @fix, @die !1:20
@fix
	%sp =w rdreg esp !1:21
	storew %of, %sp !1:21
	iret !1:22
@die
	unreachable !1:23
}
func export $btext() : w {
@entry
	%a =w call $copyin(w $good) !1:30
	%b =w call $copyin(w 4294967280) !1:31
	%c =w call $copyin(w $good) !1:32
	%t =w add %a, %b !1:33
	%t =w add %t, %c !1:33
	ret %t !1:34
}`;
    const { img, m } = toyMachine('file 1 "copy.s"\n' + COPY, 'copy.s', { pfHandler: 'pf_handler' });
    let r = 0;
    const stop = m.execute(() => {
      r = m.call(img.entry, [], 0);
    }, 1e6);
    expect(stop).toBeUndefined();
    expect(r).toBe(7 - 14 + 7);
    expect(m.regs[ESP]).toBe(0x90000);
  });
});
