/*
 * The tool version that keys the pipeline cache: the package version, the
 * format of cached results, and a hash of the code that computes them (this
 * module, the ABI generator and the scanner), so that changing the tool
 * invalidates what it cached before.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PIPELINE_FORMAT = 1;
const HERE = path.dirname(fileURLToPath(import.meta.url));

function packageVersion(): string {
  let dir = HERE;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
    const parent = path.dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}

function codeHash(): string {
  const h = createHash('sha256');
  for (const dir of [HERE, path.join(HERE, '..', 'hypervisor', 'abi'), path.join(HERE, '..', 'analyze')]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(js|ts)$/.test(name) || name.endsWith('.d.ts')) continue;
      h.update(name).update(readFileSync(path.join(dir, name)));
    }
  }
  return h.digest('hex').slice(0, 12);
}

export const TOOL_VERSION = `${packageVersion()}+pipeline.${PIPELINE_FORMAT}.${codeHash()}`;
