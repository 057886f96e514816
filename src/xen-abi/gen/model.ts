/*
 * Reads xen2.ts with ts-morph into a plain AbiModel: hypercall numbers, command
 * enums, constants, packed structure layouts and hypercall signatures. Every
 * generated artefact (C header, guest C file, docs table, TS layout table) is
 * printed from this model, so they cannot disagree with the declarations.
 * Invariant: layouts are PACKED (no implicit padding), as Xen 2.0 declares them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, Node, type InterfaceDeclaration, type JSDocableNode } from 'ts-morph';
import { HypervisorError } from '../../errors.js';

export type ScalarName = 'u8' | 'u16' | 's8' | 's16' | 'u32' | 's32' | 'u64' | 'memory_t' | 'cpureg_t';

export const SCALARS: Record<ScalarName, { size: number; c: string }> = {
  u8: { size: 1, c: 'xen_u8' },
  u16: { size: 2, c: 'xen_u16' },
  s8: { size: 1, c: 'signed char' },
  s16: { size: 2, c: 'short' },
  u32: { size: 4, c: 'xen_u32' },
  s32: { size: 4, c: 'int' },
  u64: { size: 8, c: 'xen_u64' },
  memory_t: { size: 4, c: 'xen_memory_t' },
  cpureg_t: { size: 4, c: 'xen_cpureg_t' },
};

export interface AbiEnumMember { name: string; cname: string; value: number; doc: string }
export interface AbiEnum { name: string; prefix: string; doc: string; members: AbiEnumMember[] }
export interface AbiConstant { name: string; value: number; doc: string }
export interface AbiField {
  name: string;
  /** Scalar name or the TS name of an embedded struct. */
  type: string;
  kind: 'scalar' | 'struct';
  /** Element count when the field is an array, else undefined. */
  count?: number;
  offset: number;
  size: number;
  doc: string;
}
/** `union` is set for a C union (`@cunion`): every field at offset 0, size the largest. */
export interface AbiStruct { name: string; ctype: string; doc: string; size: number; fields: AbiField[]; union?: boolean }
export interface AbiParam { name: string; type: string; pointee?: string }
export interface AbiSignature { name: string; number: number; params: AbiParam[] }
export interface AbiModel {
  hypercalls: AbiEnumMember[];
  enums: AbiEnum[];
  constants: AbiConstant[];
  structs: AbiStruct[];
  signatures: AbiSignature[];
  /** sha256 of xen2.ts and types.ts: the generator's cache key. */
  sourceHash: string;
  sourceFile: string;
}

function findAbiSource(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'src', 'xen-abi', 'xen2.ts');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new HypervisorError('cannot find src/xen-abi/xen2.ts above the running module');
}

/** The path of the ABI declarations this build reads. */
export const ABI_SOURCE = findAbiSource();

function docOf(node: JSDocableNode): string {
  return node
    .getJsDocs()
    .map((d) => d.getDescription().trim())
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function tagOf(node: JSDocableNode, tag: string): string | undefined {
  for (const doc of node.getJsDocs()) {
    for (const t of doc.getTags()) {
      if (t.getTagName() === tag) return (t.getCommentText() ?? '').trim();
    }
  }
  return undefined;
}

let cached: { hash: string; model: AbiModel } | undefined;

/** The generator's cache key: sha256 of xen2.ts and types.ts (no parsing). */
export function abiSourceHash(sourceFile = ABI_SOURCE): string {
  const text = readFileSync(sourceFile, 'utf8');
  const typesText = readFileSync(path.join(path.dirname(sourceFile), 'types.ts'), 'utf8');
  return createHash('sha256').update(text).update('\0').update(typesText).digest('hex');
}

/** Parses xen2.ts; throws HypervisorError naming the declaration it cannot lay out. */
export function loadAbiModel(sourceFile = ABI_SOURCE): AbiModel {
  const text = readFileSync(sourceFile, 'utf8');
  const hash = abiSourceHash(sourceFile);
  if (cached && cached.hash === hash) return cached.model;

  const project = new Project({ useInMemoryFileSystem: true, skipAddingFilesFromTsConfig: true });
  const sf = project.createSourceFile('xen2.ts', text);
  const fail = (what: string, node: Node): never => {
    throw new HypervisorError(`${path.basename(sourceFile)}:${node.getStartLineNumber()}: ${what}`);
  };

  let hypercalls: AbiEnumMember[] = [];
  const enums: AbiEnum[] = [];
  for (const e of sf.getEnums()) {
    const members = e.getMembers().map((m) => {
      const v = m.getValue();
      if (typeof v !== 'number') fail(`enum member ${e.getName()}.${m.getName()} needs a numeric value`, m);
      return { name: m.getName(), cname: '', value: v as number, doc: docOf(m) };
    });
    if (e.getName() === 'Hypercall') {
      hypercalls = members.map((m) => ({ ...m, cname: `__HYPERVISOR_${m.name}` }));
      continue;
    }
    const prefix = tagOf(e, 'cprefix');
    if (!prefix) fail(`enum ${e.getName()} needs a @cprefix tag`, e);
    enums.push({
      name: e.getName(),
      prefix: prefix as string,
      doc: docOf(e),
      members: members.map((m) => ({ ...m, cname: `${prefix}${m.name}` })),
    });
  }

  const constants: AbiConstant[] = [];
  for (const stmt of sf.getVariableStatements()) {
    if (!stmt.isExported()) continue;
    const doc = docOf(stmt);
    for (const decl of stmt.getDeclarations()) {
      const init = decl.getInitializer();
      if (!init || !Node.isNumericLiteral(init)) fail(`constant ${decl.getName()} needs a numeric literal`, decl);
      constants.push({ name: decl.getName(), value: Number((init as Node).getText().replace(/_/g, '')), doc });
    }
  }

  const ifaces = new Map<string, InterfaceDeclaration>();
  for (const i of sf.getInterfaces()) ifaces.set(i.getName(), i);
  const structs = new Map<string, AbiStruct>();
  const layout = (name: string, stack: string[] = []): AbiStruct => {
    const done = structs.get(name);
    if (done) return done;
    const decl = ifaces.get(name);
    if (!decl) throw new HypervisorError(`xen2.ts: unknown structure ${name}`);
    if (stack.includes(name)) fail(`structure ${name} contains itself`, decl);
    const ctype = tagOf(decl, 'ctype');
    if (!ctype) fail(`interface ${name} needs a @ctype tag`, decl);
    const union = tagOf(decl, 'cunion') !== undefined;
    let offset = 0;
    let size = 0;
    const fields: AbiField[] = [];
    for (const prop of decl.getProperties()) {
      const typeText = prop.getTypeNodeOrThrow().getText().replace(/\s+/g, '');
      const arr = /^FixedArray<(\w+),(\d+)>$/.exec(typeText);
      const elem = arr ? arr[1] : typeText;
      const count = arr ? Number(arr[2]) : undefined;
      let kind: 'scalar' | 'struct';
      let elemSize: number;
      if (elem in SCALARS) {
        kind = 'scalar';
        elemSize = SCALARS[elem as ScalarName].size;
      } else if (ifaces.has(elem)) {
        kind = 'struct';
        elemSize = layout(elem, [...stack, name]).size;
      } else {
        return fail(`field ${name}.${prop.getName()} has type ${typeText}, which has no width`, prop);
      }
      const fsize = elemSize * (count ?? 1);
      fields.push({ name: prop.getName(), type: elem, kind, count, offset, size: fsize, doc: docOf(prop) });
      if (union) size = Math.max(size, fsize);
      else size = offset += fsize;
    }
    const s: AbiStruct = { name, ctype: ctype as string, doc: docOf(decl), size, fields, ...(union ? { union } : {}) };
    structs.set(name, s);
    return s;
  };
  for (const name of ifaces.keys()) if (name !== 'HypercallSignatures') layout(name);

  const signatures: AbiSignature[] = [];
  const sigDecl = ifaces.get('HypercallSignatures');
  if (sigDecl) {
    for (const m of sigDecl.getMethods()) {
      const hc = hypercalls.find((h) => h.name === m.getName());
      if (!hc) fail(`HypercallSignatures.${m.getName()} is not a Hypercall member`, m);
      const params = m.getParameters().map((p) => {
        const t = p.getTypeNodeOrThrow().getText().replace(/\s+/g, '');
        const ptr = /^Ptr<(\w+)>$/.exec(t);
        if (ptr) return { name: p.getName(), type: 'ptr', pointee: ptr[1] };
        if (!(t in SCALARS)) fail(`parameter ${m.getName()}(${p.getName()}) has type ${t}, which has no width`, p);
        return { name: p.getName(), type: t };
      });
      const regs = params.reduce((n, p) => n + (p.type === 'u64' ? 2 : 1), 0);
      if (regs > 5) fail(`hypercall ${m.getName()} needs ${regs} registers; x86_32 has five (ebx..edi)`, m);
      signatures.push({ name: m.getName(), number: (hc as AbiEnumMember).value, params });
    }
  }

  const model: AbiModel = {
    hypercalls,
    enums,
    constants,
    structs: [...structs.values()],
    signatures,
    sourceHash: hash,
    sourceFile,
  };
  cached = { hash, model };
  return model;
}
