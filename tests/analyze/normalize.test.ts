// Normalization keeps every byte offset: a property test over FreeBSD spellings
// mixed with arbitrary text, and examples that must parse without ERROR nodes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeC } from '../../src/analyze/index.js';
import { parseC } from '../../src/analyze/parser.js';

const fragments = [
  '__asm __volatile("cli")',
  '__inline',
  '__P((int, char *))',
  '__P((void))',
  'int f __P((pt_entry_t *, u_int));\n',
  '__dead2',
  '__packed',
  '__aligned(16)',
  '__printflike(1, 2)',
  '__FBSDID("$FreeBSD$");',
  '#define __P(protos) protos\n',
  '#define __aligned(x) __attribute__((__aligned__(x)))\n',
  'va_arg(ap, char *)',
  '\tSYSMAP(caddr_t, CMAP1, CADDR1, 1)\n',
  'static char *\nf(a, b)\n\tint a;\n',
  '\r\n',
  '\t',
  '\xe9\xff',
  '"__volatile"',
  '/* __P(( */',
  // A big data-only initializer (blanked inside), and one a name keeps (left alone).
  `static u_char fw[] = {\n${'\tU 0x60, U 0x00, U 0x74, U 0x00,\n'.repeat(80)}};\n`,
  `static void *tab[] = {\n${'\t&sio_consdev, 0x1,\n'.repeat(120)}};\n`,
];

/** A firmware image as cxgb's headers write it: a cast macro before every byte. */
function firmware(lines: number): string {
  return `static unsigned char t3fw[${lines * 4}] = {\n${'\tU 0x60, U 0x00, U 0x74, U 0x00, \n'.repeat(lines)}};\n`;
}

describe('normalizeC', () => {
  it('keeps length, newlines and every untouched byte (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 })), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const out = normalizeC(text);
        expect(out.length).toBe(text.length);
        for (let i = 0; i < text.length; i++) {
          if (text[i] === '\n' || text[i] === '\r') expect(out[i]).toBe(text[i]);
          if (out[i] !== text[i]) expect(/[ _a-z]/.test(out[i])).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  const parses: Array<[string, string]> = [
    ['asm volatile', 'void\nf(void)\n{\n\t__asm __volatile("movl %0,%%cr3" : : "r" (x));\n}\n'],
    ['__P prototypes', 'int\tf __P((int, char *));\nvoid\tg __P((void)) __dead2;\n'],
    ['K&R definition', 'int\nf(a, b)\n\tint a;\n\tchar *b;\n{\n\treturn (a);\n}\n'],
    ['K&R pointer result', 'static char *\nksprintn(nbuf, num)\n\tchar *nbuf;\n\tu_long num;\n{\n\treturn (nbuf);\n}\n'],
    ['__inline', 'static __inline u_int\nrcr2(void)\n{\n\treturn (0);\n}\n'],
    ['va_arg with a type', 'void\nf(va_list ap)\n{\n\tchar *p;\n\tp = va_arg(ap, char *);\n}\n'],
    ['statement macro', 'void\nf(void)\n{\n\tSYSMAP(struct msgbuf *, msgbufmap, msgbufp, 1)\n\tx = 1;\n}\n'],
    ['#ifdef in an initializer', 'struct consdev *constab[] = {\n#ifdef DEV_SIO\n\t&sio_consdev,\n#endif\n\tNULL\n};\n'],
    ['cdefs', '#define\t__P(protos)\tprotos\n#define\t__dead2\t\t__attribute__((__noreturn__))\n#define\t__unused\n\nint x;\n'],
  ];
  for (const [name, code] of parses) {
    it(`parses without ERROR: ${name}`, () => {
      const out = normalizeC(code);
      expect(out.length).toBe(code.length);
      expect(parseC(out).rootNode.hasError).toBe(false);
    });
  }

  describe('big data-only initializers', () => {
    const head = '#define U (unsigned char)\n\n';
    const tail = '\nstatic int\nf(void)\n{\n\treturn (0xc0000000);\n}\n';

    it('blanks the inside, keeps the braces, the newlines and everything around', () => {
      const code = head + firmware(100) + tail;
      const out = normalizeC(code);
      expect(out.length).toBe(code.length);
      const open = code.indexOf('{') + 1;
      const close = code.indexOf('};');
      // (The #define line is normalizeC's own business: `U (unsigned char)` reads as a macro's type argument.)
      expect(out.slice(head.length, open)).toBe(code.slice(head.length, open));
      expect(out.slice(open, close)).toBe(code.slice(open, close).replace(/[^\n]/g, ' '));
      expect(out.slice(close)).toBe(code.slice(close));
      // Each `U 0x60` is an error to recover from as written; blanked, the file parses clean.
      expect(parseC(code).rootNode.hasError).toBe(true);
      expect(parseC(out).rootNode.hasError).toBe(false);
    });

    it('ends at the matching brace past strings and comments that hold braces', () => {
      const body = `${'\t"a}b", /* } */ 0x1, {-2, 3},\n'.repeat(90)}`;
      const code = `static struct s tab[] = {\n${body}};\nint after = 1;\n`;
      const out = normalizeC(code);
      expect(out.slice(out.indexOf('}'))).toBe('};\nint after = 1;\n');
      expect(parseC(out).rootNode.hasError).toBe(false);
    });

    const kept: Array<[string, string]> = [
      ['a name used as a value', `static vm_offset_t tab[] = {\n${'\tKERNBASE, 0x1000,\n'.repeat(150)}};\n`],
      ['an address taken', `static void *tab[] = {\n${'\t&sio_consdev, 0x1,\n'.repeat(120)}};\n`],
      ['a call', `static int tab[] = {\n${'\tf(1), 0x1,\n'.repeat(200)}};\n`],
      ['a directive inside', `static int tab[] = {\n${'\t0x1, 0x2,\n'.repeat(200)}#ifdef PAE\n\t0x3,\n#endif\n};\n`],
      ['a small table', firmware(10)],
      ['a compound literal, not an initializer', `x = (struct s){\n${'\t0x1, 0x2,\n'.repeat(200)}};\n`],
    ];
    for (const [name, code] of kept) {
      it(`keeps a table with ${name}`, () => {
        const out = normalizeC(code);
        // Every literal stays (the directives inside a list are blanked on their own account).
        expect(out.match(/0x\d/g)?.length).toBe(code.match(/0x\d/g)?.length);
        expect(out.replace(/\s+/g, ' ')).toContain(code.slice(code.indexOf('{'), code.indexOf('{') + 40).replace(/\s+/g, ' '));
      });
    }
  });

  it('spells the replacements as documented', () => {
    expect(normalizeC('__asm __volatile("cli")')).toBe('__asm volatile  ("cli")');
    expect(normalizeC('int f __P((int a));')).toBe('int f     (int a) ;');
    expect(normalizeC('void f(void) __dead2;')).toBe('void f(void)        ;');
    expect(normalizeC('#define __P(protos) protos')).toBe('#define __P(protos) protos');
  });
});
