/*
 * The console path behind FreeBSD 5.x-7.x's switch, across files written here:
 * a driver registered with a positional CONS_DRIVER initializer, its putc doing
 * port I/O in its own file and calling a mode-setting routine of another file,
 * and the RTC reached from there. The switch's calls and the driver's own port
 * I/O are the console; the other file's port I/O is not.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadRules, scan } from '../../src/analyze/index.js';
import { tempDir } from '../rewrite/helpers.js';

const FILES: Record<string, string> = {
  'sys/cons.h': `struct consdev {
	void	(*cn_probe)(struct consdev *);
	void	(*cn_putc)(struct consdev *, int);
};
#define	CONS_DRIVER(name, probe, putc) \\
	static struct consdev name##_consdev = { probe, putc }
`,
  'i386/include/cpufunc.h': `static __inline void
outb(unsigned int port, unsigned char data)
{

	__asm __volatile("outb %0,%w1" : : "a" (data), "Nd" (port));
}
`,
  'dev/vt/vt_cons.c': `#include <sys/cons.h>
#include <machine/cpufunc.h>

void	vga_setmode(int mode);

static void
vtcnprobe(struct consdev *cp)
{
}

static void
vtcnputc(struct consdev *cp, int c)
{

	outb(0x3d4, 14);
	vga_setmode(c);
}

CONS_DRIVER(vt, vtcnprobe, vtcnputc);
`,
  'dev/vt/vt_mode.c': `#include <machine/cpufunc.h>

void
vga_setmode(int mode)
{

	outb(0x3c2, mode);
	outb(0x70, 0x0b);
}
`,
  'kern/tty_cons.c': `#include <sys/cons.h>

static struct consdev *cn;

void
cnputc(int c)
{

	cn->cn_putc(cn, c);
}

int
printf(const char *fmt)
{

	cnputc(*fmt);
	return (0);
}
`,
};

describe('console switch with a positional CONS_DRIVER', () => {
  it('links the switch to the driver and keeps to the files of its putc', async () => {
    const sys = path.join(tempDir('xeno-cons-'), 'sys');
    for (const [f, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(sys, f)), { recursive: true });
      writeFileSync(path.join(sys, f), text);
    }
    const r = await scan({ paths: [sys], rules: loadRules(path.resolve(__dirname, '..', '..', 'rules')), cache: false, workers: 0, arch: 'i386' });
    const got = (id: string): string[] => r.findings.filter((f) => f.ruleId === id).map((f) => `${f.file.replace(/^sys\//, '')}:${f.line}`);
    expect(got('console-putc')).toEqual(['kern/tty_cons.c:9']);
    expect(got('console-port-io')).toEqual(['dev/vt/vt_cons.c:15']);
  });
});
