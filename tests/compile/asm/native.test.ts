/*
 * Differential tests: the same assembly assembled natively (`as --32`, `ld -m
 * elf_i386`, run as a static 32-bit Linux program on this host, exit status = eax &
 * 255) and lowered to IR and run on the engine. Skipped when the host cannot run it.
 */
import { describe, expect, test } from 'vitest';
import { describeI386Runner, i386Runner } from '../../../src/native/i386-exec.js';
import { runEngine, runNative } from './helpers.js';

/** Each snippet defines `body`, which returns a value in %eax (only the low byte is compared). */
const snippets: Record<string, string> = {
  'signed and unsigned compares folded into a byte': `
body:
	xorl	%eax,%eax
	movl	$-5,%ecx
	cmpl	$3,%ecx
	setl	%dl
	movzbl	%dl,%edx
	orl	%edx,%eax
	cmpl	$3,%ecx
	seta	%dl
	movzbl	%dl,%edx
	shll	$1,%edx
	orl	%edx,%eax
	movb	$200,%cl
	cmpb	$100,%cl
	setg	%dl
	shlb	$2,%dl
	orb	%dl,%al
	cmpb	$100,%cl
	setae	%dl
	shlb	$3,%dl
	orb	%dl,%al
	ret`,
  'add with carry chain (adc) and sbb': `
body:
	movl	$0xffffffff,%eax
	movl	$1,%edx
	addl	$1,%eax
	adcl	$0,%edx		/* 2 */
	movl	$0,%ecx
	subl	$1,%ecx		/* borrow */
	sbbl	%ebx,%ebx	/* -1 */
	leal	10(%edx,%ebx,4),%eax	/* 10 + 2 - 4 = 8 */
	ret`,
  'overflow flag after add and sub': `
body:
	xorl	%ecx,%ecx
	movl	$0x7fffffff,%eax
	addl	$1,%eax
	jno	1f
	orl	$1,%ecx
1:	movl	$0x80000000,%eax
	subl	$1,%eax
	jno	2f
	orl	$2,%ecx
2:	movl	$5,%eax
	subl	$7,%eax
	jo	3f
	orl	$4,%ecx
3:	addl	$-3,%eax
	js	4f
	orl	$8,%ecx
4:	movl	%ecx,%eax
	ret`,
  'shifts and rotates': `
body:
	movl	$0x81,%eax
	roll	$4,%eax		/* 0x810 */
	rorl	$8,%eax		/* 0x10000008 */
	movl	%eax,%edx
	shrl	$28,%edx	/* 1 */
	movl	$-64,%ecx
	sarl	$3,%ecx		/* -8 */
	addl	%ecx,%edx	/* -7 */
	movb	$0x90,%bl
	sarb	$4,%bl		/* 0xf9 = -7 */
	movsbl	%bl,%ebx
	addl	%ebx,%edx	/* -14 */
	andl	$0xff,%eax
	addl	%edx,%eax	/* 8 - 14 = -6 */
	ret`,
  '16- and 8-bit rotates (byte swap of a word)': `
body:
	movl	$0x12345678,%eax
	rolw	$8,%ax		/* 0x12347856 */
	movb	$0x81,%cl
	rolb	$9,%cl		/* rotate by 1: 0x03 */
	movb	$3,%dl
	xchgb	%cl,%dl
	rorb	%cl,%dl		/* 0x03 ror 3 = 0x60 */
	xorb	%dl,%al
	movzbl	%ah,%ecx
	addl	%ecx,%eax
	ret`,
  'data layout: labels, alignment padding and .space keep GAS offsets': `
	.data
	.align	16
d0:	.byte	1
d1:	.word	2
	.align	4
d2:	.long	d1, 3
d3:	.asciz	"abc"
d4:
d5:	.space	5
	.p2align 3
d6:	.quad	0x100000002
	.bss
	.align	8
b0:	.space	3
b1:	.long	0
	.text
body:
	movl	$d6,%eax
	subl	$d0,%eax	/* 24 */
	movl	$d4,%ecx
	subl	$d3,%ecx	/* 4 */
	imull	$7,%ecx
	addl	%ecx,%eax
	movl	d2,%ecx
	subl	$d0,%ecx	/* 1: d2 holds the address of d1 */
	imull	$11,%ecx
	addl	%ecx,%eax
	movl	d6+4,%ecx	/* 1 */
	imull	$3,%ecx
	addl	%ecx,%eax
	movl	$b1,%ecx
	subl	$b0,%ecx	/* 3 */
	imull	$41,%ecx
	addl	%ecx,%eax	/* 24 + 28 + 11 + 3 + 123 = 189 */
	ret`,
  'mul, imul three-operand, div and idiv': `
body:
	movl	$123456,%eax
	movl	$654321,%ecx
	mull	%ecx
	xorl	%edx,%eax
	movl	$1000,%ecx
	xorl	%edx,%edx
	divl	%ecx
	movl	%edx,%ebx
	imull	$-3,%ebx,%ebx
	movl	$-1000,%eax
	cltd
	movl	$7,%ecx
	idivl	%ecx
	addl	%edx,%eax
	addl	%ebx,%eax
	ret`,
  'byte and word registers merge into the full register': `
body:
	movl	$0x11223344,%eax
	movb	$0xaa,%ah
	movw	$0xbbcc,%bx
	movb	%bl,%al
	xchgb	%al,%ah
	movl	%eax,%ecx
	shrl	$8,%ecx
	xorb	%cl,%al
	incw	%ax
	notb	%ah
	movzwl	%ax,%eax
	xorl	%ecx,%eax
	ret`,
  'test and logic conditions': `
body:
	xorl	%eax,%eax
	movl	$0x80000000,%ecx
	testl	%ecx,%ecx
	jns	1f
	orl	$1,%eax
1:	testl	%ecx,%ecx
	jle	2f
	orl	$2,%eax
2:	andl	$0,%ecx
	jz	3f
	orl	$4,%eax
3:	orl	$-1,%ecx
	jg	4f
	orl	$8,%eax
4:	xorl	$1,%ecx
	ja	5f
	orl	$16,%eax
5:	ret`,
  'cmov and loop': `
body:
	movl	$10,%ecx
	xorl	%eax,%eax
	movl	$0,%ebx
1:	addl	%ecx,%eax
	cmpl	$30,%eax
	cmovgl	%ecx,%ebx
	loop	1b
	addl	%ebx,%eax
	ret`,
  'rep stos, lods and movs on the stack; push/pop/xchg': `
body:
	pushl	%ebp
	movl	%esp,%ebp
	subl	$64,%esp
	pushl	%edi
	pushl	%esi
	cld
	leal	-64(%ebp),%edi
	movl	$0x01020304,%eax
	movl	$8,%ecx
	rep
	stosl
	leal	-64(%ebp),%esi
	leal	-32(%ebp),%edi
	movl	$3,%ecx
	rep	movsw
	leal	-64(%ebp),%esi
	xorl	%edx,%edx
	movl	$10,%ecx
2:	lodsb
	addb	%al,%dl
	decl	%ecx
	jne	2b
	movzbl	-31(%ebp),%eax
	xchgl	%eax,%edx
	subl	%edx,%eax
	popl	%esi
	popl	%edi
	leave
	ret`,
  'neg, dec and inc conditions': `
body:
	xorl	%eax,%eax
	movl	$1,%ecx
	negl	%ecx
	jc	1f
	orl	$1,%eax
1:	movl	$1,%ecx
	negl	%ecx
	jl	2f
	orl	$2,%eax
2:	incl	%ecx
	jz	3f
	orl	$4,%eax
3:	decl	%ecx
	js	4f
	orl	$8,%eax
4:	movl	$0x80000000,%ecx
	decl	%ecx
	jo	5f
	orl	$16,%eax
5:	movl	$0x80000000,%ecx
	decl	%ecx
	jg	6f
	orl	$32,%eax
6:	ret`,
  'flags merged at labels from different setters': `
body:
	xorl	%eax,%eax
	movl	$7,%ecx
	cmpl	$7,%ecx
	je	1f
	addl	$1,%ecx
1:	jbe	2f		/* from cmp: ZF=1 */
	orl	$1,%eax
2:	movl	$-1,%edx
	addl	$1,%edx		/* CF=1 ZF=1 */
	jmp	3f
	nop
3:	jnc	4f
	orl	$2,%eax
4:	cmpl	$3,%eax
	jl	5f
	testl	%eax,%eax
5:	jle	6f
	orl	$4,%eax
6:	ret`,
  'repe cmpsb and repne scasb': `
	.data
s1:	.ascii	"kernel-land"
s2:	.ascii	"kernel-lend"
	.text
body:
	pushl	%esi
	pushl	%edi
	cld
	movl	$s1,%esi
	movl	$s2,%edi
	movl	$11,%ecx
	repe
	cmpsb
	movl	%ecx,%edx	/* 3 left */
	seta	%al		/* 'a' < 'e': 0 */
	movzbl	%al,%eax
	shll	$4,%edx
	orl	%edx,%eax
	movl	$s1,%edi
	movl	$11,%ecx
	movb	$0x2d,%al	/* '-' */
	repne
	scasb
	subl	$s1,%edi	/* 7 */
	addl	%edi,%eax
	popl	%edi
	popl	%esi
	ret`,
};

describe('native i386 vs the engine', async () => {
  const runner = await i386Runner();
  // A test never passes on nothing: where no way runs i386 programs, CI fails here and a
  // developer machine skips with the reason.
  const skip = runner.kind === 'none' && !process.env.CI;
  test.skipIf(skip)(`every snippet exits with the same status (${describeI386Runner(runner)})`, async () => {
    console.log(`asm differential: ${describeI386Runner(runner)}`);
    expect(runner.kind, describeI386Runner(runner)).not.toBe('none');
    const names = Object.keys(snippets);
    const native = await runNative(names.map((n) => snippets[n]));
    const engine = names.map((n) => {
      const r = runEngine(snippets[n]);
      if (r.outcome !== 'exit') throw new Error(`${n}: ${r.outcome} ${JSON.stringify(r.fault)}`);
      return r.exitCode;
    });
    const rows = names.map((n, k) => `${n}: native ${native[k]} engine ${engine[k]}`);
    expect(rows).toEqual(names.map((n, k) => `${n}: native ${native[k]} engine ${native[k]}`));
  });
});
