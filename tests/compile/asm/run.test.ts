/*
 * Assembly lowered to IR and RUN on the engine: cdecl interop with IR callers, loops,
 * string instructions, the stack, cross-entry jumps, extensions and conditions.
 */
import { describe, expect, test } from 'vitest';
import { IR_HELPERS, runAsm } from './helpers.js';

const ok = (r: ReturnType<typeof runAsm>): void => {
  if (r.outcome !== 'exit') throw new Error(`run ended with ${r.outcome}: ${JSON.stringify(r.fault)}`);
};

describe('asm programs on the engine', () => {
  test('add3 reads its cdecl arguments at 4(%esp), called from asm', () => {
    const r = runAsm(`
	.text
	.globl	main, add3
main:
	pushl	$30
	pushl	$20
	pushl	$7
	call	add3
	addl	$12,%esp
	ret
add3:
	movl	4(%esp),%eax
	addl	8(%esp),%eax
	addl	12(%esp),%eax
	ret
`);
    ok(r);
    expect(r.exitCode).toBe(57);
  });

  test('add3 called from an IR caller with IR arguments (same stack)', () => {
    const caller = `
func export $main(w %argc, w %argv) : w {
@e
	%r =w call $add3(w 100, w 20, w 3) !0:0
	%s =w call $add3(w %r, w -23, w 0) !0:0
	ret %s !0:0
}
`;
    const r = runAsm(
      `
	.text
	.globl	add3
add3:
	movl	4(%esp),%eax
	addl	8(%esp),%eax
	addl	12(%esp),%eax
	ret
`,
      [caller],
    );
    ok(r);
    expect(r.exitCode).toBe(100);
  });

  test('a tail jump into another module and computed jumps run as on x86', () => {
    // inc10 (IR, another module) returns straight to main: the jump leaves the stack as it was.
    const ir = `
func export $add10() {
@e
	%sp =w rdreg esp !0:0
	%a =w loadw %sp !0:0
	%x =w rdreg eax !0:0
	%y =w add %x, 10 !0:0
	wrreg eax, %y !0:0
	ret !0:0
}
`;
    const r = runAsm(
      `
	.text
	.globl	main
main:
	movl	$1,%eax
	call	viaext			/* 11 */
	call	viareg			/* 21 */
	movl	$1,%ecx
	call	viamem			/* 31 */
	ret
viaext:
	jmp	add10
viareg:
	movl	$add10,%edx
	jmp	*%edx
viamem:
	jmp	*table(,%ecx,4)
	.data
table:	.long	0, add10
`,
      [ir],
    );
    ok(r);
    expect(r.exitCode).toBe(31);
  });

  test('a loop with cmp/jne: 1 + 2 + ... + 20', () => {
    const r = runAsm(`
	.globl	main
main:
	xorl	%eax,%eax
	movl	$1,%ecx
1:	addl	%ecx,%eax
	incl	%ecx
	cmpl	$21,%ecx
	jne	1b
	subl	$200,%eax		/* 210 - 200 */
	ret
`);
    ok(r);
    expect(r.exitCode).toBe(10);
  });

  test('dec/jnz counting loop and a backwards jl loop', () => {
    const r = runAsm(`
	.globl	main
main:
	movl	$5,%ecx
	xorl	%eax,%eax
2:	addl	$3,%eax
	decl	%ecx
	jnz	2b
	movl	$-4,%edx
3:	addl	$1,%eax
	addl	$1,%edx
	cmpl	$0,%edx
	jl	3b
	ret
`);
    ok(r);
    expect(r.exitCode).toBe(19);
  });

  test('rep stosl zeroes, rep movsb copies forward, std + rep movsb copies backward', () => {
    const r = runAsm(`
	.data
buf:	.fill	16, 1, 0xff
src:	.ascii	"abcdefgh"
dst:	.space	8
	.text
	.globl	main
main:
	pushl	%edi
	pushl	%esi
	cld
	movl	$buf+4,%edi
	movl	$2,%ecx
	xorl	%eax,%eax
	rep
	stosl
	/* buf: ff ff ff ff 00*8 ff ff ff ff; count zero bytes */
	movl	$buf,%esi
	movl	$16,%ecx
	xorl	%edx,%edx
4:	movzbl	(%esi),%eax
	testl	%eax,%eax
	jne	5f
	incl	%edx
5:	incl	%esi
	decl	%ecx
	jnz	4b
	/* copy src to dst forward */
	movl	$src,%esi
	movl	$dst,%edi
	movl	$8,%ecx
	rep movsb
	/* then overlap-copy dst[0..6] to dst[1..7] backwards: "aabcdefg" */
	movl	$dst+6,%esi
	movl	$dst+7,%edi
	movl	$7,%ecx
	std
	rep
	movsb
	cld
	movzbl	dst+1,%eax		/* 'a' */
	movzbl	dst+7,%ecx		/* 'g' */
	subl	%eax,%ecx		/* 6 */
	shll	$4,%ecx
	addl	%edx,%ecx		/* 6*16 + 8 */
	movl	%ecx,%eax
	popl	%esi
	popl	%edi
	ret
`);
    ok(r);
    expect(r.exitCode).toBe(6 * 16 + 8);
  });

  test('push/pop keep the stack balanced; pushal/popal restore registers', () => {
    const r = runAsm(`
	.globl	main
main:
	pushl	%ebx
	movl	%esp,%edx
	pushl	$1
	pushl	$2
	pushw	$3
	popw	%ax
	popl	%ecx
	popl	%ebx
	cmpl	%esp,%edx
	jne	bad
	movl	$11,%eax
	movl	$22,%ebx
	pushal
	movl	$0,%eax
	movl	$0,%ebx
	popal
	addl	%ebx,%eax		/* 33 */
	cmpl	%esp,%edx
	jne	bad
	popl	%ebx
	ret
bad:
	popl	%ebx
	movl	$99,%eax
	ret
`);
    ok(r);
    expect(r.exitCode).toBe(33);
  });

  test('a jmp from one entry into another (exception-stub shape) and fall-through', () => {
    const r2 = runAsm(`
	.globl	main, stub1, stub2, common
main:
	call	stub1
	movl	%eax,%ebx
	call	stub2
	addl	%ebx,%eax
	ret
stub1:
	pushl	$1
	jmp	common
stub2:
	pushl	$2
common:
	popl	%ecx
	movl	%ecx,%eax
	imull	$10,%eax
	addl	$5,%eax
	ret
`);
    ok(r2);
    expect(r2.exitCode).toBe(15 + 25);
    // Each stub's function holds its own copy of the shared code.
    expect(r2.module.funcs.map((f) => f.name)).toEqual(['main', 'stub1', 'stub2', 'common']);
    expect(r2.module.funcs[1].blocks.map((b) => b.label)).toEqual(['stub1', 'common']);
    expect(r2.module.funcs[2].blocks.map((b) => b.label)).toEqual(['stub2', 'common']);
  });

  test('movzbl/movsbl/movzwl/movswl and byte registers', () => {
    const r = runAsm(`
	.data
b80:	.byte	0x80
w:	.word	0xfffe
	.text
	.globl	main
main:
	movsbl	b80,%eax	/* -128 */
	movzbl	b80,%ecx	/* 128 */
	addl	%ecx,%eax	/* 0 */
	movswl	w,%edx		/* -2 */
	movzwl	w,%ecx		/* 65534 */
	addl	%edx,%ecx	/* 65532 */
	subl	$65500,%ecx	/* 32 */
	addl	%ecx,%eax
	movl	$0x1234,%ebx
	movb	$0x56,%bh	/* 0x5634 */
	movb	%bh,%al		/* low byte of eax = 0x56 */
	movzbl	%al,%eax	/* 0x56 = 86 */
	ret
`);
    ok(r);
    expect(r.exitCode).toBe(0x56);
  });

  test('every condition code after cmp matches the hardware definition', () => {
    const ccs = ['e', 'ne', 'b', 'ae', 'be', 'a', 'l', 'ge', 'le', 'g', 's', 'ns', 'o', 'no'];
    const pairs: [number, number][] = [
      [0, 0], [1, 2], [2, 1], [-1, 1], [1, -1], [0x7fffffff, -1], [-0x80000000, 1], [5, 5],
    ];
    let src = '\t.globl main\nmain:\n';
    let expected = '';
    for (const [a, b] of pairs) {
      for (const cc of ccs) {
        src += `\tmovl $${a},%eax\n\tcmpl $${b},%eax\n\tset${cc} %al\n\tmovzbl %al,%eax\n\taddl $48,%eax\n\tpushl %eax\n\tcall putc\n\taddl $4,%esp\n`;
        expected += hwCond(cc, a, b) ? '1' : '0';
      }
    }
    src += '\txorl %eax,%eax\n\tret\n';
    const r = runAsm(src, [IR_HELPERS]);
    ok(r);
    expect(r.stdout).toBe(expected);
  });

  test('conditions after test, add (carry) and 8-bit compares', () => {
    const r = runAsm(`
	.globl	main
main:
	xorl	%ebx,%ebx
	movl	$0xf0,%eax
	testl	$0x0f,%eax
	jne	1f
	orl	$1,%ebx
1:	movl	$-1,%eax
	addl	$2,%eax		/* carry out */
	jnc	2f
	orl	$2,%ebx
2:	movb	$0x80,%cl
	cmpb	$1,%cl		/* signed: -128 < 1; unsigned: 128 > 1 */
	jge	3f
	orl	$4,%ebx
3:	cmpb	$1,%cl
	jbe	4f
	orl	$8,%ebx
4:	movl	%ebx,%eax
	ret
`);
    ok(r);
    expect(r.exitCode).toBe(15);
  });

  test('flags live across labels: bcmp-style repe cmps and a setne after a label', () => {
    const r = runAsm(`
	.data
s1:	.ascii	"abcdefghij"
s2:	.ascii	"abcdefgXij"
	.text
	.globl	main, bcmp
main:
	pushl	$10
	pushl	$s2
	pushl	$s1
	call	bcmp		/* differ: 1 */
	addl	$12,%esp
	movl	%eax,%ebx
	pushl	$7
	pushl	$s2
	pushl	$s1
	call	bcmp		/* equal: 0 */
	addl	$12,%esp
	shll	$1,%eax
	orl	%eax,%ebx
	pushl	$0
	pushl	$s2
	pushl	$s1
	call	bcmp		/* empty: 0 */
	addl	$12,%esp
	shll	$2,%eax
	orl	%ebx,%eax
	ret
bcmp:
	pushl	%edi
	pushl	%esi
	movl	12(%esp),%edi
	movl	16(%esp),%esi
	movl	20(%esp),%edx
	movl	%edx,%ecx
	shrl	$2,%ecx
	cld
	repe
	cmpsl
	jne	1f
	movl	%edx,%ecx
	andl	$3,%ecx
	repe
	cmpsb
1:	setne	%al
	movzbl	%al,%eax
	popl	%esi
	popl	%edi
	ret
`);
    ok(r);
    expect(r.exitCode).toBe(1);
  });

  test('repne scasb finds a string end (strlen); flags merged at a label', () => {
    const r = runAsm(`
	.data
str:	.asciz	"hello, world"
	.text
	.globl	main
main:
	pushl	%edi
	movl	$str,%edi
	xorl	%eax,%eax
	movl	$-1,%ecx
	cld
	repne
	scasb
	notl	%ecx
	decl	%ecx		/* 12 */
	movl	%ecx,%eax
	cmpl	$10,%eax
	jb	1f
	subl	$2,%eax		/* flags of sub: 10 - 2 = 8, nonzero */
1:	ja	2f		/* from cmp (not taken here) or from sub: CF=0, ZF=0 */
	movl	$99,%eax
2:	popl	%edi
	ret
`);
    ok(r);
    expect(r.exitCode).toBe(10);
  });

  test('mull/divl/idivl with edx:eax; shifts; neg/not', () => {
    const r = runAsm(`
	.globl	main
main:
	movl	$100000,%eax
	movl	$300000,%ecx
	mull	%ecx		/* 3e10 = 6 * 2^32 + 4230196224 */
	movl	%edx,%ebx	/* 6 */
	movl	$1000,%ecx
	divl	%ecx		/* 3e7, edx 0 */
	movl	$-7,%eax
	cltd
	movl	$2,%ecx
	idivl	%ecx		/* -3 rem -1 */
	negl	%eax		/* 3 */
	addl	%eax,%ebx	/* 9 */
	movl	$0x80000000,%eax
	sarl	$28,%eax	/* -8 */
	notl	%eax		/* 7 */
	addl	%eax,%ebx	/* 16 */
	movl	$3,%ecx
	shll	%cl,%ebx	/* 128 */
	movl	%ebx,%eax
	ret
`);
    ok(r);
    expect(r.exitCode).toBe(128);
  });
});

/** The x86 definition of a condition after `cmp b, a` (flags of a - b). */
export function hwCond(cc: string, a: number, b: number): boolean {
  const ua = a >>> 0;
  const ub = b >>> 0;
  const r = (ua - ub) >>> 0;
  const zf = r === 0;
  const cf = ua < ub;
  const sf = (r & 0x80000000) !== 0;
  const of = (((ua ^ ub) & (ua ^ r)) & 0x80000000) !== 0;
  switch (cc) {
    case 'e': return zf;
    case 'ne': return !zf;
    case 'b': return cf;
    case 'ae': return !cf;
    case 'be': return cf || zf;
    case 'a': return !cf && !zf;
    case 'l': return sf !== of;
    case 'ge': return sf === of;
    case 'le': return zf || sf !== of;
    case 'g': return !zf && sf === of;
    case 's': return sf;
    case 'ns': return !sf;
    case 'o': return of;
    case 'no': return !of;
  }
  throw new Error(cc);
}
