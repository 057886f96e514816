/*
 * The state of one translation unit being lowered: the IR module builder, the
 * preprocessed text with its line map, the scopes of ordinary identifiers and of
 * tags, the string-literal pool and, while inside a function, the function's state.
 * Errors are raised here so that every CompileError names the ORIGINAL file:line:col
 * (through cpp's line markers) and the construct.
 */
import type { SyntaxNode } from 'tree-sitter';
import { CompileError } from '../errors.js';
import { ModuleBuilder, type FunctionBuilder } from '../ir/index.js';
import type { Operand } from '../ir/index.js';
import type { Preprocessed } from './cpp.js';
import type { CType, IntType, StructType } from './ctype.js';

export type Sym =
  | { kind: 'global'; type: CType; name: string; defined: boolean }
  | { kind: 'func'; type: CType; name: string; defined: boolean }
  | { kind: 'mem'; type: CType; addr: Operand }
  | { kind: 'reg'; type: CType; temp: string }
  | { kind: 'typedef'; type: CType }
  | { kind: 'enumconst'; value: bigint; type: IntType };

export type Tag = { kind: 'struct'; type: StructType } | { kind: 'enum'; type: IntType };

/** Per-function state; `fb` is the IR function being built. */
export interface FuncState {
  fb: FunctionBuilder;
  name: string;
  ret: CType;
  /** Hidden pointer for a function returning a struct. */
  retPtr?: Operand;
  labels: Map<string, string>;
  breakTo: string[];
  continueTo: string[];
  /** Locals whose address is taken (by name); they live in memory. */
  addressTaken: Set<string>;
  switchCases?: { value: bigint; label: string }[];
  switchDefault?: string;
  staticCount: number;
  /** Allocs placed so far at the head of the entry block. */
  allocCount: number;
}

/**
 * How deeply expressions, statements and initializers may nest inside one another
 * (each level is a few host stack frames). Chains that only look deep (`a + b + ...`,
 * nested parentheses, `else if`, `?:` and `,` chains) are walked in loops and do not
 * count against it.
 */
export const MAX_NESTING = 1000;

/** CompileErrors raised for a construct xenoport does not support (as opposed to a mistake). */
const unsupportedErrors = new WeakSet<Error>();
export const isUnsupported = (e: unknown): boolean => e instanceof Error && unsupportedErrors.has(e);

export class Unit {
  readonly mb: ModuleBuilder;
  readonly pp: Preprocessed;
  private scopes: Map<string, Sym>[] = [new Map()];
  private tagScopes: Map<string, Tag>[] = [new Map()];
  fn: FuncState | undefined;
  /** Functions with internal linkage (declared `static` anywhere in the unit). */
  readonly staticNames = new Set<string>();
  /** Types of expressions computed by a dry run (sizeof, ?:), by node id. */
  readonly typeCache = new Map<number, CType>();
  /** True while lowering a variadic function's body. */
  fnVariadic = false;
  private strings = new Map<string, string>();
  /** Compound literals given static storage, by node id. */
  readonly literals = new Map<number, { sym: string; type: CType }>();
  /** Current nesting (see MAX_NESTING) and the innermost node entered. */
  depth = 0;
  current: SyntaxNode | undefined;
  private uniq = 0;
  /** Names of file-scope statics, to make them module-unique. */
  readonly prefix: string;

  constructor(pp: Preprocessed, moduleName: string) {
    this.pp = pp;
    this.mb = new ModuleBuilder(moduleName);
    this.declare('_Bool', { kind: 'typedef', type: { kind: 'int', size: 1, signed: false, bool: true, name: '_Bool' } });
    this.declare('__builtin_va_list', { kind: 'typedef', type: { kind: 'ptr', to: { kind: 'int', size: 1, signed: true, name: 'char' } } });
    this.prefix = moduleName.replace(/^.*\//, '').replace(/[^A-Za-z0-9_]/g, '_');
  }

  get fb(): FunctionBuilder {
    if (!this.fn) throw new CompileError('internal: no function');
    return this.fn.fb;
  }

  /** A fresh module-unique symbol name. */
  uniqueName(hint: string): string {
    return `${hint}.${this.prefix}.${this.uniq++}`;
  }

  // ---- scopes
  push(): void { this.scopes.push(new Map()); this.tagScopes.push(new Map()); }
  pop(): void { this.scopes.pop(); this.tagScopes.pop(); }
  get atFileScope(): boolean { return this.scopes.length === 1; }
  declare(name: string, sym: Sym): void { this.scopes[this.scopes.length - 1].set(name, sym); }
  declareGlobal(name: string, sym: Sym): void { this.scopes[0].set(name, sym); }
  lookup(name: string): Sym | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i].get(name);
      if (s) return s;
    }
    return undefined;
  }
  lookupLocalScope(name: string): Sym | undefined { return this.scopes[this.scopes.length - 1].get(name); }
  isTypedef(name: string): boolean { return this.lookup(name)?.kind === 'typedef'; }
  declareTag(name: string, tag: Tag): void { this.tagScopes[this.tagScopes.length - 1].set(name, tag); }
  lookupTag(name: string, currentOnly = false): Tag | undefined {
    if (currentOnly) return this.tagScopes[this.tagScopes.length - 1].get(name);
    for (let i = this.tagScopes.length - 1; i >= 0; i--) {
      const s = this.tagScopes[i].get(name);
      if (s) return s;
    }
    return undefined;
  }

  // ---- nesting budget
  /** Counts one level of nesting at n; a CompileError at n beyond MAX_NESTING. */
  enter(n: SyntaxNode): void {
    this.current = n;
    if (++this.depth > MAX_NESTING) {
      this.error(n, `nested too deeply: more than ${MAX_NESTING} levels of expressions, statements or initializers inside one another`);
    }
  }
  leave(): void { this.depth--; }

  // ---- locations and errors
  /** Stamps following instructions with the node's original file and line. */
  at(node: SyntaxNode): void {
    if (!this.fn) return;
    const loc = this.pp.locOfLine(node.startPosition.row);
    this.fn.fb.setLoc(this.mb.file(loc.file), loc.line);
  }

  error(node: SyntaxNode, message: string): never {
    const loc = this.pp.locOfLine(node.startPosition.row);
    const lines = this.pp.text.split('\n');
    throw new CompileError(message, {
      span: { file: loc.file, line: loc.line, col: node.startPosition.column + 1 },
      sourceLine: lines[node.startPosition.row],
    });
  }

  unsupported(node: SyntaxNode, what?: string): never {
    const text = node.text.length > 40 ? `${node.text.slice(0, 40)}...` : node.text;
    try {
      this.error(node, `unsupported C construct: ${what ?? node.type} (\`${text.replace(/\s+/g, ' ')}\`)`);
    } catch (e) {
      unsupportedErrors.add(e as Error);
      throw e;
    }
  }

  /** The lowering state a failed function may leave behind, to go back to. */
  snapshot(): () => void {
    const scopes = this.scopes.length;
    const tags = this.tagScopes.length;
    const { depth, fn, fnVariadic } = this;
    const funcs = this.mb.module.funcs.length;
    return () => {
      this.scopes.length = scopes;
      this.tagScopes.length = tags;
      Object.assign(this, { depth, fn, fnVariadic });
      this.mb.module.funcs.length = funcs;
    };
  }

  /** Interns a string literal's bytes (a NUL unit of `unit` bytes added) as module data; returns its symbol. */
  stringLiteral(bytes: Uint8Array, unit = 1): string {
    const key = `${unit}:${Buffer.from(bytes).toString('latin1')}`;
    let name = this.strings.get(key);
    if (!name) {
      name = this.uniqueName('str');
      const withNul = new Uint8Array(bytes.length + unit);
      withNul.set(bytes);
      this.mb.data(name, [{ kind: 'string', bytes: withNul }], { align: unit });
      this.strings.set(key, name);
    }
    return name;
  }
}
