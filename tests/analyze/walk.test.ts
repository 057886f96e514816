// The walker leaves out what git would: .gitignore'd paths (nested files, negation,
// ancestors up to the work tree's top), hidden directories and .git, and symlinks out
// of the scanned tree, each reported as excluded with the reason; a path the user
// names is walked even when it is ignored.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { walk } from '../../src/analyze/walk.js';

function tree(): string {
  const top = mkdtempSync(path.join(os.tmpdir(), 'xenoport-walk-'));
  const put = (rel: string, text = 'int x;\n'): void => {
    mkdirSync(path.dirname(path.join(top, rel)), { recursive: true });
    writeFileSync(path.join(top, rel), text);
  };
  mkdirSync(path.join(top, '.git'));
  put('.git/hooks/x.c');
  put('.gitignore', '/build/\n*.gen.c\n');
  put('sys/a.c');
  put('sys/a.gen.c');
  put('sys/dev/.gitignore', '*.c\n!keep.c\n');
  put('sys/dev/drop.c');
  put('sys/dev/keep.c');
  put('sys/.hidden/h.c');
  put('build/out.c');
  put('outside/o.c');
  symlinkSync(path.join(top, 'outside'), path.join(top, 'sys', 'out-link'));
  symlinkSync(path.join(top, 'sys'), path.join(top, 'sys', 'loop'));
  return top;
}

const states = (entries: ReturnType<typeof walk>): Record<string, string> =>
  Object.fromEntries(entries.map((e) => [e.rel, e.skip ? `${e.skip}${e.detail ? `: ${e.detail}` : ''}` : 'source']));

describe('walk', () => {
  const top = tree();

  it('honours .gitignore files, skips hidden directories, .git and symlinks out of the tree', () => {
    const s = states(walk([top], { relativeTo: top }));
    expect(s['sys/a.c']).toBe('source');
    expect(s['sys/dev/keep.c']).toBe('source');
    expect(s['sys/a.gen.c']).toBe('excluded: ignored by .gitignore: *.gen.c');
    expect(s['sys/dev/drop.c']).toBe('excluded: ignored by sys/dev/.gitignore: *.c');
    expect(s['build']).toBe('excluded: ignored by .gitignore: /build/');
    expect(s['.git']).toBe("excluded: git's own directory");
    expect(s['sys/.hidden']).toMatch(/^excluded: hidden directory/);
    // outside/ is inside this tree and walked once: the link to it is a second visit.
    expect(s['sys/out-link']).toBe('symlink-loop: directory already visited');
    expect(s['sys/loop']).toBe('symlink-loop: directory already visited');
    expect(Object.keys(s).filter((k) => k.startsWith('build/') || k.startsWith('.git/') || k.includes('.hidden/'))).toEqual([]);
  });

  it('applies the work tree\'s .gitignore files above a scanned subdirectory', () => {
    const s = states(walk([path.join(top, 'sys')], { relativeTo: top }));
    expect(s['sys/a.gen.c']).toBe('excluded: ignored by ' + path.join(top, '.gitignore') + ': *.gen.c');
    expect(s['sys/a.c']).toBe('source');
    expect(s['sys/out-link']).toMatch(/^excluded: symlink out of the scanned tree, to .*outside/);
  });

  it('walks what it is told to: an ignored directory named on purpose, --no-ignore, --hidden, --follow-symlinks', () => {
    expect(states(walk([path.join(top, 'build')], { relativeTo: top }))['build/out.c']).toBe('source');
    const all = states(walk([path.join(top, 'sys')], { relativeTo: top, gitignore: false, hidden: true, followSymlinks: true }));
    expect(all['sys/a.gen.c']).toBe('source');
    expect(all['sys/dev/drop.c']).toBe('source');
    expect(all['sys/.hidden/h.c']).toBe('source');
    expect(all['sys/out-link/o.c']).toBe('source');
  });
});
