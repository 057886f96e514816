/*
 * The built package runs on its own: a copy of it with dist/, the rules, the
 * pipeline file, the sample kernel and the dependencies, but no src/ and no
 * TypeScript anywhere, runs `xenoport xenify` and writes the same i386-xeno tree
 * as the repository's own build (the guest files and the minimal OS are read from
 * dist/, and no ts-morph is needed).
 */
import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function manifestHashes(tree: string): Record<string, string> {
  const m = JSON.parse(readFileSync(path.join(tree, '.xenoport-manifest.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
  return Object.fromEntries(Object.entries(m.files).map(([f, v]) => [f, v.sha256]));
}

function hasTypeScript(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return hasTypeScript(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('the package without src/', () => {
  it('xenify writes the same tree as the repository build', async () => {
    const pkg = path.join(work, 'pkg');
    for (const part of ['dist', 'rules', 'sample-kernel/sys', 'sample-kernel/config.sh', 'package.json', 'xenoport.pipeline.yaml']) {
      cpSync(path.join(root, part), path.join(pkg, part), { recursive: true });
    }
    symlinkSync(path.join(root, 'node_modules'), path.join(pkg, 'node_modules'));
    expect(existsSync(path.join(pkg, 'src'))).toBe(false);
    expect(hasTypeScript(path.join(pkg, 'dist'))).toEqual([]);

    const cli = (home: string, out: string) =>
      execa('node', [path.join(home, 'dist/src/cli/main.js'), 'xenify', '--output', out, '--config', path.join(home, 'xenoport.pipeline.yaml')], {
        cwd: work,
        reject: false,
        all: true,
      });
    const fromPkg = await cli(pkg, path.join(work, 'out-pkg', 'sys'));
    expect(fromPkg.exitCode, String(fromPkg.all)).toBe(0);
    const fromRepo = await cli(root, path.join(work, 'out-repo', 'sys'));
    expect(fromRepo.exitCode, String(fromRepo.all)).toBe(0);
    const a = manifestHashes(path.join(work, 'out-pkg', 'sys'));
    expect(Object.keys(a)).toContain('i386-xeno/include/xen/hypervisor.h');
    expect(Object.keys(a)).toContain('i386-xeno/i386/xen_minios.c');
    expect(a).toEqual(manifestHashes(path.join(work, 'out-repo', 'sys')));
  }, 240_000);
});
