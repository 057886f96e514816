#!/usr/bin/env node
/*
 * Copies the non-TypeScript files of src/ (the libc's C, the guest C and assembly
 * that xenify writes into i386-xeno trees, the generated Xen guest files) to the
 * same places under dist/src/, so the built package runs without src/: modules
 * find them beside themselves (new URL('./x', import.meta.url)). Incremental: a
 * file is copied when its size or mtime differs; files that left src/ are removed.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = path.join(root, 'src');
const to = path.join(root, 'dist', 'src');
const isAsset = (name) => !name.endsWith('.ts');
const wanted = new Set();
let copied = 0;

function walk(rel) {
  for (const ent of readdirSync(path.join(from, rel), { withFileTypes: true })) {
    const r = path.join(rel, ent.name);
    if (ent.isDirectory()) walk(r);
    else if (ent.isFile() && isAsset(ent.name)) {
      wanted.add(r);
      const src = path.join(from, r);
      const dst = path.join(to, r);
      const s = statSync(src);
      if (existsSync(dst)) {
        const d = statSync(dst);
        if (d.size === s.size && d.mtimeMs >= s.mtimeMs) continue;
      }
      mkdirSync(path.dirname(dst), { recursive: true });
      copyFileSync(src, dst);
      copied++;
    }
  }
}

function prune(rel) {
  const dir = path.join(to, rel);
  if (!existsSync(dir)) return;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const r = path.join(rel, ent.name);
    if (ent.isDirectory()) prune(r);
    else if (isAsset(ent.name) && !/\.(js|js\.map|d\.ts)$/.test(ent.name) && !wanted.has(r)) rmSync(path.join(to, r));
  }
}

walk('');
prune('');
if (copied) process.stdout.write(`assets: copied ${copied} file${copied === 1 ? '' : 's'} to dist/src\n`);
