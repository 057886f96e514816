// The privileged architecture on BarePC, with hand-written IR kernels: rings and
// #GP, IOPL, pushf/popf, exceptions through the IDT with error codes and CR2, the
// TSS stack switch, iret, double and triple faults, external interrupts and IF.
import { describe, expect, it } from 'vitest';
import { enterRing, identityPaging, setPte, testPC, STACK0, STACK1, KCODE, R1CODE, UCODE, UDATA } from './helpers.js';
import { EFLAGS, ESP } from '../../../src/emulate/regs.js';

// A #GP/#PF-style handler: records vector-specific data, pops the error code, skips the
// faulting instruction (saved eip + 1), and irets.
const SKIP_HANDLER = (name: string, counter: string, codeVar: string) => `
func $${name}() {
@entry
	%sp =w rdreg esp
	%code =w loadw %sp
	storew %code, $${codeVar}
	%n =w loadw $${counter}
	%n1 =w add %n, 1
	storew %n1, $${counter}
	%sp4 =w add %sp, 4
	wrreg esp, %sp4
	%e =w loadw %sp4
	%e1 =w add %e, 1
	storew %e1, %sp4
	iret
}`;

const DATA = `
data $gp_count align 4 { w 0 }
data $gp_code align 4 { w 0 }
data $pf_count align 4 { w 0 }
data $pf_code align 4 { w 0 }
data $pf_cr2 align 4 { w 0 }
data $ticks align 4 { w 0 }
data $seen_cs align 4 { w 0 }
data $seen_ss align 4 { w 0 }
data $seen_esp align 4 { w 0 }
`;

describe('privilege checks', () => {
  it('privileged intrinsics outside ring 0 raise #GP(0); the handler runs at ring 0 on the TSS stack', () => {
    const t = testPC(`${DATA}
${SKIP_HANDLER('gp', 'gp_count', 'gp_code')}
func export $main() : w {
@entry
	intr lcr3 0
	%x =w intr rcr0
	intr invlpg 0
	intr hlt
	intr wbinvd
	%n =w loadw $gp_count
	ret %n
}`);
    t.gate(13, 'gp');
    enterRing(t, 1);
    const r = t.run();
    expect(r.outcome).toBe('exit');
    expect(r.exitCode).toBe(5);
    expect(t.word('gp_code')).toBe(0);
    expect(t.pc.cpu.cpl).toBe(1); // iret went back to ring 1
  });

  it('the same intrinsics work in ring 0', () => {
    const t = testPC(`${DATA}
${SKIP_HANDLER('gp', 'gp_count', 'gp_code')}
func export $main() : w {
@entry
	intr lcr3 0x5000
	%x =w intr rcr3
	intr wbinvd
	%n =w loadw $gp_count
	%r =w add %n, %x
	ret %r
}`);
    t.gate(13, 'gp');
    expect(t.run().exitCode).toBe(0x5000);
  });

  it('IOPL governs cli, sti, in and out', () => {
    const prog = `${DATA}
${SKIP_HANDLER('gp', 'gp_count', 'gp_code')}
func export $main() : w {
@entry
	intr cli
	intr sti
	%v =w intr inb 0x3fd
	intr outb 0x41, 0x3f8
	%n =w loadw $gp_count
	ret %n
}`;
    const a = testPC(prog);
    a.gate(13, 'gp');
    enterRing(a, 1);
    expect(a.run().exitCode).toBe(4);
    expect(a.pc.uart.text()).toBe('');
    const b = testPC(prog);
    b.gate(13, 'gp');
    enterRing(b, 1);
    b.pc.machine.regs[EFLAGS] = 2 | (1 << 12); // IOPL 1
    expect(b.run().exitCode).toBe(0);
    expect(b.pc.uart.text()).toBe('A');
  });

  it('popf in ring 1 silently leaves IF (and IOPL) alone; in ring 0 it changes them', () => {
    const prog = `
func export $main() : w {
@entry
	intr pushf
	%sp =w rdreg esp
	%f =w loadw %sp
	%g =w and %f, -513
	%g2 =w or %g, 0x3000
	storew %g2, %sp
	intr popf
	%e =w rdreg eflags
	%r =w and %e, 0x3200
	ret %r
}`;
    const a = testPC(prog);
    enterRing(a, 1);
    a.pc.machine.regs[EFLAGS] = 2 | 0x200;
    expect(a.run().exitCode).toBe(0x200); // IF still set, IOPL still 0
    const b = testPC(prog);
    b.pc.machine.regs[EFLAGS] = 2 | 0x200;
    expect(b.run().exitCode).toBe(0x3000); // IF cleared, IOPL 3
  });

  it('popf may toggle the ID flag (the CPUID probe) and pushf shows bit 1 set', () => {
    const t = testPC(`
func export $main() : w {
@entry
	intr pushf
	%sp =w rdreg esp
	%f =w loadw %sp
	%g =w xor %f, 0x200000
	storew %g, %sp
	intr popf
	intr pushf
	%sp2 =w rdreg esp
	%h =w loadw %sp2
	%r =w xor %f, %h
	%r2 =w and %h, 2
	%r3 =w or %r, %r2
	%sp3 =w add %sp2, 4
	wrreg esp, %sp3
	ret %r3
}`);
    expect(t.run().exitCode).toBe(0x200002);
  });

  it('an int $n from ring 3 through a DPL-3 gate switches to the TSS ring-0 stack and iret returns', () => {
    const t = testPC(`${DATA}
func $syscall() {
@entry
	%sp =w rdreg esp
	storew %sp, $seen_esp
	%ocs =w add %sp, 4
	%c =w loadw %ocs
	storew %c, $seen_cs
	%oss =w add %sp, 16
	%s =w loadw %oss
	storew %s, $seen_ss
	wrreg eax, 42
	iret
}
func export $main() : w {
@entry
	intr int 0x80
	%r =w rdreg eax
	ret %r
}`);
    t.gate(0x80, 'syscall', 'trap', 3);
    enterRing(t, 3);
    const r = t.run();
    expect(r.outcome).toBe('exit');
    expect(r.exitCode).toBe(42);
    expect(t.word('seen_esp')).toBe(STACK0 - 20); // ss, esp, eflags, cs, eip
    expect(t.word('seen_cs')).toBe(UCODE);
    expect(t.word('seen_ss')).toBe(UDATA);
    expect(t.pc.cpu.cpl).toBe(3);
  });

  it('int $n through a DPL-0 gate from ring 3 is #GP with the IDT error code', () => {
    const t = testPC(`${DATA}
${SKIP_HANDLER('gp', 'gp_count', 'gp_code')}
func $syscall() {
@entry
	iret
}
func export $main() : w {
@entry
	intr int 0x80
	%n =w loadw $gp_count
	ret %n
}`);
    t.gate(0x80, 'syscall', 'trap', 0);
    t.gate(13, 'gp');
    enterRing(t, 3);
    expect(t.run().exitCode).toBe(1);
    expect(t.word('gp_code')).toBe(0x80 * 8 + 2);
  });
});

describe('page faults', () => {
  it('delivers #PF with CR2 and error code; the handler maps the page and the access is retried', () => {
    const t = testPC(`${DATA}
func $pf() {
@entry
	%sp =w rdreg esp
	%code =w loadw %sp
	storew %code, $pf_code
	%a =w intr rcr2
	storew %a, $pf_cr2
	%n =w loadw $pf_count
	%n1 =w add %n, 1
	storew %n1, $pf_count
	# map the page: PTE for va 0x300000 (slot 0x300) -> 0x300000 | P | W
	%pte =w add 0x11000, 0xc00
	storew 0x300003, %pte
	%sp4 =w add %sp, 4
	wrreg esp, %sp4
	iret
}
func export $main() : w {
@entry
	storew 77, 0x300010
	%v =w loadw 0x300010
	ret %v
}`);
    t.gate(14, 'pf');
    identityPaging(t, 0x3);
    setPte(t, 0x300000, 0);
    const r = t.run();
    expect(r.outcome).toBe('exit');
    expect(r.exitCode).toBe(77);
    expect(t.word('pf_count')).toBe(1);
    expect(t.word('pf_code')).toBe(2); // supervisor write, not present
    expect(t.word('pf_cr2')).toBe(0x300010);
  });

  it('honours WP: a ring-0 write to a read-only page faults with P|W only when CR0.WP is set', () => {
    const prog = `${DATA}
${SKIP_HANDLER('pf', 'pf_count', 'pf_code')}
func export $main() : w {
@entry
	storew 5, 0x300000
	%n =w loadw $pf_count
	ret %n
}`;
    const a = testPC(prog);
    a.gate(14, 'pf');
    identityPaging(a, 0x3);
    setPte(a, 0x300000, 0x300001);
    expect(a.run().exitCode).toBe(0);
    const b = testPC(prog);
    b.gate(14, 'pf');
    identityPaging(b, 0x3, 0x10000);
    setPte(b, 0x300000, 0x300001);
    expect(b.run().exitCode).toBe(1);
    expect(b.word('pf_code')).toBe(3);
  });

  it('a user-mode access to a supervisor page is #PF with U|P', () => {
    const t = testPC(`${DATA}
${SKIP_HANDLER('pf', 'pf_count', 'pf_code')}
func export $main() : w {
@entry
	%v =w loadw 0x300000
	%n =w loadw $pf_count
	ret %n
}`);
    t.gate(14, 'pf');
    identityPaging(t, 0x7);
    setPte(t, 0x300000, 0x300003); // supervisor only
    enterRing(t, 3);
    expect(t.run().exitCode).toBe(1);
    expect(t.word('pf_code')).toBe(5);
  });

  it('a guest that forgets invlpg sees the stale mapping, as on hardware', () => {
    const t = testPC(`
func export $main() : w {
@entry
	storew 1, 0x300000
	storew 2, 0x301000
	%a =w loadw 0x302000
	# remap va 0x302000 from pa 0x300000 to pa 0x301000 without a flush
	storew 0x301003, 0x11c08
	%b =w loadw 0x302000
	intr invlpg 0x302000
	%c =w loadw 0x302000
	%ab =w mul %a, 100
	%bb =w mul %b, 10
	%s =w add %ab, %bb
	%r =w add %s, %c
	ret %r
}`);
    identityPaging(t, 0x3);
    setPte(t, 0x302000, 0x300003);
    expect(t.run().exitCode).toBe(112);
  });
});

describe('double and triple faults', () => {
  it('a #GP whose gate is not present becomes #NP, and contributory + contributory is #DF', () => {
    const t = testPC(`${DATA}
func $df() {
@entry
	%sp =w rdreg esp
	%code =w loadw %sp
	storew %code, $gp_code
	%n =w loadw $gp_count
	%n1 =w add %n, 1
	storew %n1, $gp_count
	intr cli
	intr hlt
	unreachable
}
func $gp() {
@entry
	iret
}
func export $main() : w {
@entry
	wrreg ds, 0x1234
	ret 0
}`);
    t.gate(13, 'gp', 'interrupt', 0, false); // not present: #NP while delivering #GP
    t.gate(8, 'df');
    const r = t.run();
    expect(r.outcome).toBe('halt');
    expect(t.word('gp_count')).toBe(1);
    expect(t.word('gp_code')).toBe(0); // #DF pushes 0
    expect(r.events[8]).toBe(1);
  });

  it('#PF while delivering #PF (unmapped stack) is #DF; a fault delivering #DF resets the machine', () => {
    const t = testPC(`${DATA}
func $pf() {
@entry
	iret
}
func $df() {
@entry
	iret
}
func export $main() : w {
@entry
	wrreg esp, 0x3ff000
	%v =w loadw 0x300000
	ret %v
}`);
    t.gate(14, 'pf');
    t.gate(8, 'df');
    identityPaging(t, 0x3);
    setPte(t, 0x300000, 0);
    setPte(t, 0x3fe000, 0); // the stack page below esp
    const r = t.run();
    expect(r.outcome).toBe('halt');
    expect(r.message).toMatch(/triple fault/);
    expect(r.report).toMatch(/#PF page fault/);
    expect(r.report).toMatch(/test\.xir:\d+/);
    expect(r.fault?.address).toBe(0x300000);
  });

  it('an empty IDT turns any exception into a triple fault that says so', () => {
    const t = testPC(`
func export $main() : w {
@entry
	%z =w copy 0
	%v =w div 1, %z
	ret %v
}`);
    t.pc.cpu.idtr = { base: 0, limit: 0 };
    const r = t.run();
    expect(r.outcome).toBe('halt');
    expect(r.message).toMatch(/triple fault.*resets/);
    expect(r.fault?.vector).toBe(0);
    expect(r.report).toContain('#DE divide error');
    expect(r.report).toContain('div 1, %z');
  });
});

describe('exceptions', () => {
  it('#DE, #BP (int3 and breakpoint stubs) and #UD reach their handlers with the i386 vectors', () => {
    const t = testPC(`${DATA}
data $bp_count align 4 { w 0 }
data $de_count align 4 { w 0 }
func $bp() {
@entry
	%n =w loadw $bp_count
	%n1 =w add %n, 1
	storew %n1, $bp_count
	iret
}
func $de() {
@entry
	%n =w loadw $de_count
	%n1 =w add %n, 1
	storew %n1, $de_count
	%sp =w rdreg esp
	%e =w loadw %sp
	%e1 =w add %e, 1
	storew %e1, %sp
	iret
}
func export $main() : w {
@entry
	intr int3
	trap "rule-x file.c:1"
	%z =w copy 0
	%q =w udiv 5, %z
	%b =w loadw $bp_count
	%d =w loadw $de_count
	%d10 =w mul %d, 10
	%r =w add %b, %d10
	ret %r
}`);
    t.gate(3, 'bp', 'trap', 3);
    t.gate(0, 'de', 'trap');
    expect(t.run().exitCode).toBe(12);
  });

  it('an interrupt gate clears IF, a trap gate keeps it', () => {
    const t = testPC(`${DATA}
func $h() {
@entry
	%f =w rdreg eflags
	%i =w and %f, 0x200
	%o =w loadw $ticks
	%o2 =w shl %o, 4
	%o3 =w or %o2, %i
	storew %o3, $ticks
	iret
}
func export $main() : w {
@entry
	intr sti
	intr int 0x40
	intr int 0x41
	%r =w loadw $ticks
	ret %r
}`);
    t.gate(0x40, 'h', 'interrupt');
    t.gate(0x41, 'h', 'trap');
    // int 0x40 (interrupt gate) records 0, then int 0x41 (trap gate) records IF: 0x200.
    expect(t.run().exitCode).toBe(0x200);
  });
});

describe('external interrupts', () => {
  const TIMER = `${DATA}
func $irq0() {
@entry
	%n =w loadw $ticks
	%n1 =w add %n, 1
	storew %n1, $ticks
	intr outb 0x20, 0x20
	iret
}
func $pic_init() {
@entry
	intr outb 0x11, 0x20
	intr outb 0x20, 0x21
	intr outb 4, 0x21
	intr outb 1, 0x21
	intr outb 0x11, 0xa0
	intr outb 0x28, 0xa1
	intr outb 2, 0xa1
	intr outb 1, 0xa1
	intr outb 0xfe, 0x21
	intr outb 0xff, 0xa1
	# PIT counter 0, mode 2, divisor 1000
	intr outb 0x34, 0x43
	intr outb 0xe8, 0x40
	intr outb 3, 0x40
	ret
}`;

  it('IRQ0 from the PIT is delivered only while IF is set; hlt waits for it', () => {
    const t = testPC(`${TIMER}
func export $main() : w {
@entry
	call $pic_init()
	%i =w copy 0
	jmp @spin
@spin
	%i =w add %i, 1
	%c =w csltw %i, 3000
	jnz %c, @spin, @on
@on
	%before =w loadw $ticks
	storew %before, $seen_cs
	intr sti
	jmp @wait
@wait
	intr hlt
	%n =w loadw $ticks
	%c2 =w csltw %n, 5
	jnz %c2, @wait, @done
@done
	intr cli
	ret %n
}`);
    t.gate(0x20, 'irq0');
    const r = t.run(1e6);
    expect(r.outcome).toBe('exit');
    expect(t.word('seen_cs')).toBe(0); // masked by IF=0 during the spin
    expect(r.exitCode).toBe(5);
    expect(r.events[0x20]).toBe(5);
    expect(r.virtualClocks).toBeGreaterThanOrEqual(5000);
  });

  it('interrupts arrive in a busy loop at block boundaries, deterministically', () => {
    const prog = `${TIMER}
func export $main() : w {
@entry
	call $pic_init()
	intr sti
	%i =w copy 0
	jmp @spin
@spin
	%i =w add %i, 1
	%c =w csltw %i, 20000
	jnz %c, @spin, @done
@done
	%n =w loadw $ticks
	ret %n
}`;
    const a = testPC(prog);
    a.gate(0x20, 'irq0');
    const b = testPC(prog);
    b.gate(0x20, 'irq0');
    const ra = a.run();
    const rb = b.run();
    expect(ra.exitCode).toBeGreaterThan(50);
    expect(ra.exitCode).toBe(rb.exitCode);
    expect(ra.steps).toBe(rb.steps);
  });

  it('hlt with IF clear halts the machine and says so', () => {
    const t = testPC(`
func export $main() : w {
@entry
	intr cli
	intr hlt
	ret 0
}`);
    const r = t.run();
    expect(r.outcome).toBe('halt');
    expect(r.message).toMatch(/interrupts disabled/);
  });
});

describe('limits', () => {
  it('a runaway guest stops at the step limit', () => {
    const t = testPC(`
func export $main() : w {
@entry
	jmp @l
@l
	jmp @l
}`);
    const r = t.run(10000);
    expect(r.outcome).toBe('step-limit');
    expect(r.steps).toBeGreaterThanOrEqual(10000);
  });
});

// Keep the selector constants referenced (they document the test GDT).
void [KCODE, R1CODE, STACK1, ESP];

describe('delivery hooks (the hypervisor reuses them for ring-1 guests)', () => {
  it('a custom gate lookup and inner-ring stack deliver a ring-3 event to a ring-1 handler', () => {
    const t = testPC(`${DATA}
func $guest_handler() {
@entry
	%sp =w rdreg esp
	storew %sp, $seen_esp
	%ocs =w add %sp, 8
	%c =w loadw %ocs
	storew %c, $seen_cs
	%sp4 =w add %sp, 4
	wrreg esp, %sp4
	%e =w loadw %sp4
	%e1 =w add %e, 1
	storew %e1, %sp4
	wrreg eax, 7
	iret
}
func export $main() : w {
@entry
	intr lcr3 0
	%r =w rdreg eax
	ret %r
}`);
    const handler = t.addr('guest_handler');
    t.pc.cpu.lookupGate = (ev) => ({ gate: { offset: handler, selector: R1CODE, type: 'trap', dpl: 1 }, ring: ev.vector === 13 ? 1 : 0 });
    t.pc.cpu.stackFor = (ring) => ({ ss: 0x21, esp: ring === 1 ? 0x70000 : STACK0 });
    enterRing(t, 3);
    const r = t.run();
    expect(r.outcome).toBe('exit');
    expect(r.exitCode).toBe(7);
    expect(t.word('seen_esp')).toBe(0x70000 - 24); // ss, esp, eflags, cs, eip, error code
    expect(t.word('seen_cs')).toBe(UCODE);
    expect(t.pc.cpu.cpl).toBe(3);
  });
});
