import { parseModule, verifyModule } from '../../src/ir/index.js';
import { link } from '../../src/ir/index.js';
import { runProgram, type RunOptions, type RunResult } from '../../src/emulate/index.js';

/** Parses, verifies, links (as a program) and runs IR text. */
export function runIR(text: string | string[], opts: RunOptions = {}): RunResult {
  const texts = Array.isArray(text) ? text : [text];
  const mods = texts.map((t, k) => verifyModule(parseModule(t, `m${k}.xir`)));
  return runProgram(link(mods, { kind: 'program' }), { maxSteps: 1e7, ...opts });
}

/** `a; b; c` -> IR instruction lines, each at location !0:0. */
export function irLines(s: string): string {
  return s.split(';').map((l) => `\t${l.trim()} !0:0`).join('\n');
}

/** A main that runs `body` (irLines) and returns 0. */
export function mainProgram(body: string): string {
  return `func export $main(w %argc, w %argv) : w {\n@entry\n${irLines(body)}\n\tret 0 !0:0\n}`;
}

/** A main that computes `body` (IR lines defining %r) and returns it via exit code 0 and stdout. */
export function exprProgram(body: string, type: 'w' | 'l' = 'w'): string {
  return `
func export $main(w %argc, w %argv) : w {
@entry
${body}
	%buf =w alloc 16, 4 !0:0
	${type === 'w' ? 'storew %r, %buf !0:0' : 'storel %r, %buf !0:0'}
	%n =w intr sys_write 1, %buf, ${type === 'w' ? 4 : 8} !0:0
	ret 0 !0:0
}`;
}

/** Runs exprProgram and decodes the result written to stdout. */
export function evalW(body: string): number {
  const r = runIR(exprProgram(body));
  if (r.outcome !== 'exit') throw new Error(`outcome ${r.outcome}: ${JSON.stringify(r.fault)}`);
  return new DataView(r.stdoutBytes.buffer, r.stdoutBytes.byteOffset).getInt32(0, true);
}
export function evalL(body: string): bigint {
  const r = runIR(exprProgram(body, 'l'));
  if (r.outcome !== 'exit') throw new Error(`outcome ${r.outcome}: ${JSON.stringify(r.fault)}`);
  return new DataView(r.stdoutBytes.buffer, r.stdoutBytes.byteOffset).getBigInt64(0, true);
}
