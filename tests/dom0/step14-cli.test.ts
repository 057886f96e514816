/*
 * `xenoport boot --rc`: the script init runs, checked before anything is built;
 * a mistake is a message and exit 2.
 */
import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/src/cli/main.js');

describe('boot --rc', () => {
  it.each([
    ['a relative script', ['boot', '--rc', 'etc/rc.step14'], /--rc etc\/rc\.step14: a path in the guest's root, from \/ and without spaces/],
    ['--rc with --native', ['boot', '--native', '--rc', '/etc/rc.step14'], /--rc names the script of the Xen guest's init: it works without --native/],
  ])('%s: a message and exit 2', async (_name, args, message) => {
    const r = await execa('node', [cli, ...args], { reject: false, all: true, timeout: 60_000 });
    expect(String(r.all)).toMatch(message);
    expect(String(r.all)).not.toMatch(/\n\s+at /);
    expect(r.exitCode).toBe(2);
  }, 60_000);
});
