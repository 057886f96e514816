// Ring-1 guests written in IR: hypercalls, exception delivery, events, and every
// class of illegal guest action with the content of the termination report.
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/hypervisor/index.js';
import { consoleWrite, runGuest, setTrapTable, shutdown } from './xen-helpers.js';

const FILES = `
file 1 "sys/i386/i386/locore.s"
file 2 "sys/i386/i386/pmap.c"
file 3 "sys/i386-xeno/i386/pmap.c"
data $hello { b "hello, xen\\012" }
data $gpmsg { b "GP!\\012" }
`;

describe('a guest kernel in ring 1', () => {
  it('prints through console_io and shuts down with a reason', () => {
    const r = runGuest(`${FILES}
func export $btext() {
@entry${consoleWrite('hello', 11)}${shutdown(0)}
	ret !1:2
}`);
    expect(r.outcome).toBe('shutdown');
    expect(r.shutdownReason).toBe('poweroff');
    expect(r.console).toBe('hello, xen\n');
    expect(r.counts).toEqual({ console_io: 1, sched_op: 1 });
    expect(checkInvariants(r.xen)).toEqual([]);
  });

  it('starts with esi = start_info and a ring-1 stack, as the builder promised', () => {
    const r = runGuest(`${FILES}
data $saved export align 4 { w 0, w 0 }
func export $btext() {
@entry
	%si =w rdreg esi !1:1
	storew %si, $saved !1:1
	%n =w loadw %si !1:2
	storew %n, $saved+4 !1:2${shutdown(0)}
	ret !1:3
}`);
    expect(r.outcome).toBe('shutdown');
    const mem = r.platform.mem;
    const img = r.platform.machine.image;
    const at = img.symbols.find((s) => s.name === 'saved')!.addr;
    expect(mem.read32(at)).toBe(r.built.layout.vStartInfo);
    expect(mem.read32(at + 4)).toBe(r.domain.nrPages);
    expect(r.domain.nrPages).toBe(2048);
  });

  it('emulates what the ports left native (cr0/cr4 reads, wbinvd, MSRs) and carries on', () => {
    const r = runGuest(`${FILES}
data $seen export align 4 { w 0, w 0, w 0 }
func export $btext() {
@entry
	%c0 =w intr rcr0 !2:10
	storew %c0, $seen !2:10
	%c4 =w intr rcr4 !2:11
	storew %c4, $seen+4 !2:11
	intr wbinvd !2:12
	wrreg ecx, 27 !2:13
	intr rdmsr !2:13
	%lo =w rdreg eax !2:13
	storew %lo, $seen+8 !2:13
	intr wrmsr !2:14${shutdown(0)}
	ret !2:15
}`);
    expect(r.outcome, r.reportText).toBe('shutdown');
    const at = r.platform.machine.image.symbols.find((x) => x.name === 'seen')!.addr;
    const cr0 = r.platform.mem.read32(at)! >>> 0;
    expect((cr0 & 0x80000001) >>> 0).toBe(0x80000001); // PG and PE: paging is on for a Xen guest
    expect(r.platform.mem.read32(at + 4)).toBe(0); // CR4: no PSE, PGE or PAE
    expect(r.platform.mem.read32(at + 8)).toBe(0); // no MSR is virtualised
  });

  it('still terminates a guest that writes CR0, naming the C line', () => {
    const r = runGuest(`${FILES}
func export $btext() {
@entry
	intr lcr0 0x80000011 !2:77
	ret !2:78
}`);
    expect(r.outcome).toBe('terminated');
    expect(r.report).toMatchObject({ kind: 'privileged-instruction', original: 'sys/i386/i386/pmap.c:77' });
  });

  it('terminates on a privileged instruction with no #GP handler, naming the C line', () => {
    const r = runGuest(`${FILES}
func export $btext() {
@entry
	%x =w copy 4096 !2:41
	intr lcr3 %x !2:42
	ret !2:43
}`);
    expect(r.outcome).toBe('terminated');
    expect(r.report).toMatchObject({ kind: 'privileged-instruction', instruction: 'intr lcr3 %x', original: 'sys/i386/i386/pmap.c:42', function: 'btext' });
    expect(r.report!.reason).toMatch(/lcr3.*ring 1.*no #GP handler/);
    expect(r.reportText).toMatch(/original: +sys\/i386\/i386\/pmap.c:42/);
    expect(r.reportText).toMatch(/registers:/);
  });

  it('delivers #GP to the trap table set with set_trap_table, and resumes', () => {
    const r = runGuest(`${FILES}
data $traps align 4 { b 13, b 0, h 2073, w $gph, w 0, w 0 }
func varargs $gph() {
@entry
	%sp =w rdreg esp !1:20
	%sp =w add %sp, 4 !1:20${consoleWrite('gpmsg', 4, '!1:21')}
	wrreg esp, %sp !1:22
	iret !1:23
}
func export $btext() {
@entry${setTrapTable('traps')}
	intr cli !2:7
	intr hlt !2:8${consoleWrite('hello', 11)}${shutdown(0)}
	ret !1:2
}`);
    expect(r.outcome, r.reportText).toBe('shutdown');
    expect(r.console).toBe('GP!\nGP!\nhello, xen\n');
    expect(r.platform.exceptionsDelivered).toBe(2);
  });

  it('terminates on a write to a read-only page-table page, with the page-table walk', () => {
    const r2 = runGuest(`${FILES}
func export $btext() {
@entry
	%si =w rdreg esi !2:99
	%a =w add %si, 24 !2:99
	%pt =w loadw %a !2:99
	%e =w add %pt, 3072 !2:100
	storew 0, %e !2:101
	ret !2:102
}`);
    expect(r2.report).toMatchObject({ kind: 'page-table-write', original: 'sys/i386/i386/pmap.c:101', instruction: 'storew 0, %e' });
    expect(r2.report!.reason).toMatch(/read-only L2 page-table page/);
    expect(r2.report!.walk.join('\n')).toMatch(/L1\[\d+\] = 0x[0-9a-f]+ P RO .*\(L2, 2 type uses/);
    expect(r2.report!.address).toBe(r2.built.layout.vPt + 3072);
  });

  it('stops a direct PTE store through the recursive map (vtopte), as an unported pmap does', () => {
    // PTmap = 0xBFC00000: the PTE of VA v is at PTmap + (v >> 12) * 4; read it, then store.
    const r = runGuest(`${FILES}
data $v export align 4 { w 0 }
func export $btext() {
@entry
	%pte =w loadw 3220177920 !2:210
	storew %pte, $v !2:210
	%new =w or %pte, 2 !2:211
	storew %new, 3220177920 !2:212
	ret !2:213
}`);
    // 3220177920 = 0xBFC00000 + (0xC0100000 >> 12) * 4: the PTE mapping the kernel text.
    expect(r.report).toMatchObject({ kind: 'page-table-write', original: 'sys/i386/i386/pmap.c:212', address: 0xbff00400 });
    expect(r.report!.reason).toMatch(/read-only L1 page-table page/);
    const mem = r.platform.mem;
    const v = r.platform.machine.image.symbols.find((s) => s.name === 'v')!.addr;
    expect(mem.read32(v)! >>> 12).toBe(r.domain.p2m[0x100]); // the PTE holds the MACHINE frame
  });

  it('lets the guest read the m2p table at HYPERVISOR_VIRT_START but stops any other touch of the hole', () => {
    const ok = runGuest(`${FILES}
data $v export align 4 { w 0 }
func export $btext() {
@entry
	%x =w loadw 4227858432 !1:5
	storew %x, $v !1:5${shutdown(0)}
	ret !1:6
}`);
    expect(ok.outcome).toBe('shutdown');
    const w = runGuest(`${FILES}
func export $btext() {
@entry
	storew 1, 4227858432 !2:77
	ret !2:78
}`);
    expect(w.report).toMatchObject({ kind: 'hole-access', original: 'sys/i386/i386/pmap.c:77', address: 0xfc000000 });
    expect(w.report!.walk.join('\n')).toMatch(/hypervisor hole/);
    const r = runGuest(`${FILES}
func export $btext() {
@entry
	%x =w loadw 4261412864 !2:80
	ret !2:81
}`);
    expect(r.report).toMatchObject({ kind: 'hole-access', address: 0xfe000000 });
  });

  it('stops at a breakpoint stub and names the rule and both file:lines', () => {
    const r = runGuest(`${FILES}
func export $btext() {
@entry
	trap "pte-store sys/i386/i386/pmap.c:321" !3:330
	ret !3:331
}`);
    expect(r.report).toMatchObject({
      kind: 'breakpoint-stub',
      rule: 'pte-store',
      original: 'sys/i386/i386/pmap.c:321',
      generated: 'sys/i386-xeno/i386/pmap.c:330',
    });
    expect(r.reportText).toMatch(/rule: +pte-store/);
  });

  it('terminates on a fault while delivering a fault', () => {
    const r = runGuest(`${FILES}
data $traps align 4 { b 13, b 0, h 2073, w $gph, w 0, w 0 }
func varargs $gph() {
@entry
	iret !1:20
}
func export $btext() {
@entry${setTrapTable('traps')}
	wrreg esp, 268435456 !2:60
	intr hlt !2:61
	ret !2:62
}`);
    expect(r.report).toMatchObject({ kind: 'double-fault', original: 'sys/i386/i386/pmap.c:61' });
    expect(r.report!.address).toBe(268435456 - 4);
  });

  it('stops a guest that loops forever at the step limit, with a report', () => {
    const r = runGuest(`${FILES}
func export $btext() {
@entry
	jmp @spin !2:200
@spin
	%x =w add 1, 1 !2:201
	jmp @spin !2:201
}`, { maxSteps: 100_000 });
    expect(r.outcome).toBe('step-limit');
    expect(r.report).toMatchObject({ kind: 'step-limit', original: 'sys/i386/i386/pmap.c:201' });
  });

  it('lists the last 16 hypercalls with arguments and results', () => {
    const calls = Array.from({ length: 20 }, (_, k) => `
	wrreg eax, 17 !1:${k + 1}
	wrreg ebx, ${k} !1:${k + 1}
	hypercall !1:${k + 1}`).join('');
    const r = runGuest(`${FILES}
func export $btext() {
@entry${calls}
	wrreg eax, 99 !1:30
	hypercall !1:30
	intr wbinvd !2:31
	ret !2:32
}`);
    expect(r.report!.hypercalls).toHaveLength(16);
    expect(r.report!.hypercalls.at(-1)).toMatchObject({ name: 'hypercall_99', result: -38, seq: 21 });
    expect(r.report!.hypercalls[0]).toMatchObject({ name: 'xen_version', result: 0x20000, seq: 6 });
    expect(r.report!.hypercalls[0]!.args[0]).toBe(5);
    expect(r.reportText).toMatch(/#21 hypercall_99\(.*\) = -38/);
  });

  it('delivers timer events through the event channel when the guest unmasks (a plain store), and block waits for them', () => {
    const r = runGuest(`${FILES}
data $evop align 4 { w 1, w 0, w 1, w 0, w 0, w 0, w 0, w 0 }
data $count export align 4 { w 0 }
data $si align 4096 { z 4096 }
func varargs $cb() {
@entry
	storeb 0, $si !1:40
	storew 0, $si+4 !1:40
	%c =w loadw $count !1:41
	%c =w add %c, 1 !1:41
	storew %c, $count !1:41
	storeb 0, $si+1 !1:42
	iret !1:43
}
func export $btext() {
@entry
	%start =w rdreg esi !1:1
	%a =w add %start, 8 !1:1
	%ma =w loadw %a !1:1
	%pte =w or %ma, 7 !1:2
	%pn =w shr $si, 12 !1:2
	wrreg eax, 14 !1:2
	wrreg ebx, %pn !1:2
	wrreg ecx, %pte !1:2
	wrreg edx, 2 !1:2
	hypercall !1:2
	wrreg eax, 16 !1:3
	wrreg ebx, $evop !1:3
	hypercall !1:3
	wrreg eax, 4 !1:4
	wrreg ebx, 2073 !1:4
	wrreg ecx, $cb !1:4
	wrreg edx, 2073 !1:4
	wrreg esi, $cb !1:4
	hypercall !1:4
	storeb 0, $si+1 !1:5
	jmp @wait !1:6
@wait
	wrreg eax, 6 !1:7
	wrreg ebx, 1 !1:7
	hypercall !1:7
	%c =w loadw $count !1:8
	%more =w csltw %c, 3 !1:8
	jnz %more, @wait, @done !1:8
@done${shutdown(0)}
	ret !1:9
}`, { tickNs: 1_000_000 });
    expect(r.outcome, r.reportText).toBe('shutdown');
    expect(r.platform.upcalls).toBeGreaterThanOrEqual(3);
    expect(r.counts.sched_op).toBeGreaterThanOrEqual(3);
    expect(checkInvariants(r.xen)).toEqual([]);
  });
});

describe('a guest whose own handler gives up', () => {
  it('points the crash report at the exception the guest could not handle', () => {
    const r = runGuest(`${FILES}
data $traps align 4 { b 13, b 0, h 2073, w $gph, w 0, w 0 }
func varargs $gph() {
@entry${consoleWrite('gpmsg', 4, '!1:21')}${shutdown(3, '!1:22')}
	iret !1:23
}
func export $btext() {
@entry${setTrapTable('traps')}
	intr outb 65, 1016 !2:98
	ret !2:99
}`);
    expect(r.outcome).toBe('terminated');
    expect(r.console).toBe('GP!\n');
    expect(r.report).toMatchObject({ kind: 'guest-crash', original: 'sys/i386/i386/pmap.c:98', instruction: 'intr outb 65, 1016' });
    expect(r.report!.reason).toMatch(/crash\) after #GP/);
    expect(r.report!.lastException).toMatch(/^#GP at intr outb 65, 1016 \(btext, sys\/i386\/i386\/pmap.c:98\)/);
  });
});

describe('port I/O', () => {
  it('is #GP until physdev_op SET_IOPL, then reaches the PIT and the serial port', () => {
    const r = runGuest(`${FILES}
data $op align 4 { w 6, w 1 }
data $v export align 4 { w 0, w 0 }
func export $btext() {
@entry
	wrreg eax, 19 !1:1
	wrreg ebx, $op !1:1
	hypercall !1:1
	intr outb 79, 1016 !1:2
	intr outb 75, 1016 !1:2
	intr outb 0, 67 !1:3
	%lo =w intr inb 64 !1:3
	%hi =w intr inb 64 !1:3
	storew %lo, $v !1:3
	%x =w intr inb 1280 !1:4
	storew %x, $v+4 !1:4${shutdown(0)}
	ret !1:5
}`);
    expect(r.outcome, r.reportText).toBe('shutdown');
    expect(r.serial).toBe('OK');
    expect(r.console).toBe('OK');
    const v = r.platform.machine.image.symbols.find((s) => s.name === 'v')!.addr;
    expect(r.platform.mem.read32(v + 4)).toBe(0xff);
  });
});

describe('the report', () => {
  it('lists the callers found on the guest stack', () => {
    const r = runGuest(`${FILES}
func $inner() {
@entry
	intr hlt !2:30
	ret !2:31
}
func $middle() {
@entry
	call $inner() !2:40
	ret !2:41
}
func export $btext() {
@entry
	call $middle() !2:50
	ret !2:51
}`);
    expect(r.report!.kind).toBe('privileged-instruction');
    expect(r.report!.backtrace[0]).toMatch(/^middle \(sys\/i386\/i386\/pmap.c:40\)/);
    expect(r.report!.backtrace[1]).toMatch(/^btext \(sys\/i386\/i386\/pmap.c:50\)/);
    expect(r.reportText).toMatch(/called from \(stack scan\):\n    middle/);
  });
});

describe('a guest that blocks with nothing to wake it', () => {
  it('ends the run with a report naming where it blocked', () => {
    const r = runGuest(`${FILES}
func $idle() {
@entry
	wrreg eax, 6 !2:166
	wrreg ebx, 1 !2:166
	hypercall !2:166
	ret !2:167
}
func export $btext() {
@entry
	call $idle() !2:64
	ret !2:65
}`);
    expect(r.outcome).toBe('blocked');
    expect(r.report).toMatchObject({ kind: 'blocked', original: 'sys/i386/i386/pmap.c:166' });
    expect(r.report!.backtrace[0]).toMatch(/^btext \(sys\/i386\/i386\/pmap.c:64\)/);
    expect(r.counts.sched_op).toBe(1);
    expect(r.reportText).toMatch(/^xen: domain stopped: the domain blocked/);
  });
});
