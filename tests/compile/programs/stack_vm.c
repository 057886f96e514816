#include <stdio.h>
enum op { PUSH, ADD, SUB, MUL, DUP, SWAP, JNZ, DEC, PRINT, HALT };
static int prog[] = { PUSH, 1, PUSH, 10, DUP, JNZ, 9, HALT, 0, SWAP, PUSH, 2, MUL, SWAP, DEC, PUSH, 0, ADD, DUP, PRINT, JNZ, 9, SWAP, PRINT, HALT };
int main(void) {
	int stack[64], sp = 0, pc = 0, steps = 0, a, b;
	for (;;) {
		steps++;
		switch (prog[pc++]) {
		case PUSH: stack[sp++] = prog[pc++]; break;
		case ADD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a + b; break;
		case SUB: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a - b; break;
		case MUL: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a * b; break;
		case DUP: stack[sp] = stack[sp - 1]; sp++; break;
		case SWAP: a = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = a; break;
		case JNZ: a = stack[--sp]; if (a) pc = prog[pc]; else pc++; break;
		case DEC: stack[sp - 1]--; break;
		case PRINT: printf("%d ", stack[sp - 1]); break;
		case HALT: printf("\nsteps %d\n", steps); return 0;
		default: return 99;
		}
	}
}
