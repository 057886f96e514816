#!/usr/bin/env node
/*
 * Builds the scanner's native core (native/xenoport_ts.c) into
 * dist/native/xenoport_ts.node, with the C compiler and Node's own headers.
 * It links the tree-sitter runtime vendored in the `tree-sitter` package and
 * the parser.c of `tree-sitter-c`: the same sources as the prebuilt binding,
 * so both parse identically. Incremental: nothing is compiled when the output
 * is newer than every input.
 *
 * It also builds domain 0's frame relay, native/tapfwd.c, into dist/native/tapfwd
 * (netback's bridge to a real tap device; src/dom0/tap-link.ts).
 *
 * Optional by design: without a compiler or headers the build goes on and the
 * scanner uses the tree-sitter binding alone (slower, same findings), and netback
 * reports that the relay is missing. Set XENOPORT_NATIVE_REQUIRED=1 to make a
 * failure fatal.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'native', 'xenoport_ts.node');
const objDir = path.join(root, 'dist', 'native', 'obj');
const tsLib = path.join(root, 'node_modules', 'tree-sitter', 'vendor', 'tree-sitter', 'lib');
const tsC = path.join(root, 'node_modules', 'tree-sitter-c', 'src');
const cc = process.env.CC || 'cc';

/** Node's headers: beside the running node (official builds), or npm's nodedir. */
function nodeHeaders() {
  const candidates = [
    process.env.npm_config_nodedir && path.join(process.env.npm_config_nodedir, 'include', 'node'),
    path.join(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  return candidates.find((d) => existsSync(path.join(d, 'node_api.h')));
}

const units = [
  { src: path.join(tsLib, 'src', 'lib.c'), obj: 'ts_lib.o', inc: [path.join(tsLib, 'include'), path.join(tsLib, 'src')], deps: [path.join(tsLib, 'src')] },
  { src: path.join(tsC, 'parser.c'), obj: 'ts_c_parser.o', inc: [tsC], deps: [] },
  // The runtime's src/ too: the flattening walk reads its subtrees (internal headers) directly.
  { src: path.join(root, 'native', 'xenoport_ts.c'), obj: 'xenoport_ts.o', inc: [path.join(tsLib, 'include'), path.join(tsLib, 'src')], deps: [path.join(root, 'native'), path.join(tsLib, 'src')], node: true },
  { src: path.join(root, 'native', 'tree_arena.c'), obj: 'tree_arena.o', inc: [path.join(tsLib, 'include')], deps: [path.join(root, 'native')] },
];

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
/** The newest file directly in `dir` (lib.c #includes its siblings). */
const newestIn = (dir) => Math.max(0, ...readdirSync(dir).map((n) => mtime(path.join(dir, n))));

function build() {
  const headers = nodeHeaders();
  if (!headers) throw new Error("Node's headers (node_api.h) were not found");
  for (const u of units) if (!existsSync(u.src)) throw new Error(`missing ${path.relative(root, u.src)} (run npm install)`);
  mkdirSync(objDir, { recursive: true });
  const self = mtime(fileURLToPath(import.meta.url));
  let relink = !existsSync(out);
  const objs = [];
  for (const u of units) {
    const obj = path.join(objDir, u.obj);
    objs.push(obj);
    const inputs = Math.max(mtime(u.src), self, ...u.deps.map(newestIn));
    if (mtime(obj) > inputs) continue;
    const inc = [...u.inc, ...(u.node ? [headers] : [])].flatMap((d) => ['-I', d]);
    // NDEBUG: tree-sitter's internal consistency asserts cost a sixth of a parse (measured on 2,500 files
    // of FreeBSD's sys/dev: 21.0-22.8 s against 18.2-18.6 s); ts_assert keeps their expressions' effects.
    execFileSync(cc, ['-std=gnu11', '-O2', '-DNDEBUG', '-fPIC', '-fvisibility=hidden', '-w', ...inc, '-c', u.src, '-o', obj], { stdio: ['ignore', 'ignore', 'pipe'] });
    relink = true;
  }
  if (!relink && objs.every((o) => mtime(o) < mtime(out))) return false;
  const tmp = `${out}.tmp-${process.pid}`;
  execFileSync(cc, ['-shared', '-o', tmp, ...objs], { stdio: ['ignore', 'ignore', 'pipe'] });
  renameSync(tmp, out); // atomic: a concurrent load never sees half a library
  return true;
}

/** dist/native/tapfwd from native/tapfwd.c (a plain executable); false when current. */
function buildTapfwd() {
  const src = path.join(root, 'native', 'tapfwd.c');
  const exe = path.join(root, 'dist', 'native', 'tapfwd');
  if (mtime(exe) > Math.max(mtime(src), mtime(fileURLToPath(import.meta.url)))) return false;
  mkdirSync(path.dirname(exe), { recursive: true });
  const tmp = `${exe}.tmp-${process.pid}`;
  execFileSync(cc, ['-std=gnu11', '-O2', '-Wall', '-Wextra', '-Werror', '-o', tmp, src], { stdio: ['ignore', 'ignore', 'pipe'] });
  renameSync(tmp, exe);
  return true;
}

try {
  if (buildTapfwd()) console.error('native: built dist/native/tapfwd');
} catch (err) {
  const detail = err.stderr ? String(err.stderr).split('\n').slice(0, 5).join('\n') : err.message;
  console.error(`native: tapfwd not built, netback cannot reach a real tap:\n${detail}`);
  if (process.env.XENOPORT_NATIVE_REQUIRED === '1') process.exit(1);
}

try {
  if (build()) console.error(`native: built ${path.relative(root, out)}`);
} catch (err) {
  const detail = err.stderr ? String(err.stderr).split('\n').slice(0, 5).join('\n') : err.message;
  console.error(`native: scanner core not built, the scanner will use the tree-sitter binding (same findings, slower):\n${detail}`);
  if (process.env.XENOPORT_NATIVE_REQUIRED === '1') process.exit(1);
}
