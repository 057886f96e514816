/*
 * IR → text. The output is the canonical form of docs/ir.md: the parser reads it
 * back to an equal module, and printing that module again gives the same text.
 */
import type { DataItem, Instruction, IRAbsolute, IRData, IRFunction, IRModule, Operand } from './types.js';

/** Escapes bytes for a "..." literal: printable ASCII as is (but " and \), the rest \ooo. */
export function escapeBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\' + b.toString(8).padStart(3, '0');
  }
  return s;
}

/** Quotes a JS string as its UTF-8 bytes. */
export function quoteString(s: string): string {
  return '"' + escapeBytes(new TextEncoder().encode(s)) + '"';
}

export function printOperand(o: Operand): string {
  switch (o.kind) {
    case 'temp':
      return '%' + o.name;
    case 'const':
      return o.value.toString();
    case 'global':
      return '$' + o.name + (o.offset > 0 ? '+' + o.offset : o.offset < 0 ? String(o.offset) : '');
  }
}

/** One instruction without its location. */
export function printInstructionBody(i: Instruction): string {
  const v = printOperand;
  switch (i.kind) {
    case 'binary':
      return `%${i.dst} =${i.type} ${i.op} ${v(i.a)}, ${v(i.b)}`;
    case 'compare':
      return `%${i.dst} =w c${i.cond}${i.argType} ${v(i.a)}, ${v(i.b)}`;
    case 'unary':
      return `%${i.dst} =${i.type} ${i.op} ${v(i.a)}`;
    case 'load':
      return `%${i.dst} =${i.type} ${i.op} ${v(i.addr)}`;
    case 'store':
      return `${i.op} ${v(i.value)}, ${v(i.addr)}`;
    case 'alloc':
      return `%${i.dst} =w alloc ${v(i.size)}, ${i.align}`;
    case 'vastart':
      return `%${i.dst} =w vastart`;
    case 'call': {
      const head = i.dst !== undefined ? `%${i.dst} =${i.type ?? 'w'} ` : '';
      return `${head}call ${v(i.callee)}(${i.args.map((a) => `${a.type} ${v(a.value)}`).join(', ')})`;
    }
    case 'rdreg':
      return `%${i.dst} =w rdreg ${i.reg}`;
    case 'wrreg':
      return `wrreg ${i.reg}, ${v(i.value)}`;
    case 'intr': {
      const head = i.dst !== undefined ? `%${i.dst} =w ` : '';
      return `${head}intr ${i.name}${i.args.length ? ' ' + i.args.map(v).join(', ') : ''}`;
    }
    case 'hypercall':
      return 'hypercall';
    case 'trap':
      return `trap ${quoteString(i.message)}`;
    case 'jmp':
      return `jmp @${i.target}`;
    case 'jnz':
      return `jnz ${v(i.cond)}, @${i.ifTrue}, @${i.ifFalse}`;
    case 'ret':
      return i.value ? `ret ${v(i.value)}` : 'ret';
    case 'iret':
      return 'iret';
    case 'unreachable':
      return 'unreachable';
  }
}

/** One instruction with its `!file:line` suffix. */
export function printInstruction(i: Instruction): string {
  return `${printInstructionBody(i)} !${i.loc.file}:${i.loc.line}`;
}

function printItem(it: DataItem): string {
  switch (it.kind) {
    case 'int':
      return `${it.width} ${it.value.toString()}`;
    case 'string':
      return `b "${escapeBytes(it.bytes)}"`;
    case 'symbol':
      return `w ${printOperand({ kind: 'global', name: it.name, offset: it.offset })}`;
    case 'zero':
      return `z ${it.size}`;
  }
}

export function printData(d: IRData): string {
  return `data $${d.name}${d.export ? ' export' : ''}${d.align !== 1 ? ` align ${d.align}` : ''}${d.section !== undefined ? ` section ${quoteString(d.section)}` : ''} { ${d.items.map(printItem).join(', ')} }`;
}

export function printAbsolute(a: IRAbsolute): string {
  return `abs${a.export ? ' export' : ''} $${a.name} = ${a.value.toString()}`;
}

export function printFunction(f: IRFunction): string {
  const head =
    'func' +
    (f.export ? ' export' : '') +
    (f.varargs ? ' varargs' : '') +
    ` $${f.name}(${f.params.map((p) => `${p.type} %${p.name}`).join(', ')})` +
    (f.retType ? ` : ${f.retType}` : '') +
    ' {';
  const lines = [head];
  for (const b of f.blocks) {
    lines.push('@' + b.label);
    for (const i of b.instrs) lines.push('\t' + printInstruction(i));
  }
  lines.push('}');
  return lines.join('\n');
}

export function printModule(m: IRModule): string {
  const parts: string[] = [];
  if (m.files.length) parts.push(m.files.map((f, i) => `file ${i + 1} ${quoteString(f)}`).join('\n'));
  if (m.absolutes?.length) parts.push(m.absolutes.map(printAbsolute).join('\n'));
  for (const d of m.data) parts.push(printData(d));
  for (const f of m.funcs) parts.push(printFunction(f));
  return parts.join('\n\n') + '\n';
}

/** The comment line that introduces each module of a multi-module text (printModules). */
export function moduleHeader(name: string): string {
  return `# module ${quoteString(name)}`;
}

/**
 * Several modules as one text (what `xenoport compile --emit ir` prints for an image):
 * each module's text preceded by a `# module "NAME"` comment line. The parser reads a
 * part as an ordinary module (the line is a comment); parseModules splits at them.
 */
export function printModules(ms: readonly IRModule[]): string {
  return ms.map((m) => `${moduleHeader(m.name)}\n${printModule(m)}`).join('\n');
}
