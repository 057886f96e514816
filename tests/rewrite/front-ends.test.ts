// The split-driver front ends a tree takes: the sample kernel's FreeBSD 5 driver
// interfaces get xn(4) and xbd(4); a tree with its own front ends at those paths
// (FreeBSD 9's Xen port) or with other interfaces keeps its files and gets a note.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frontEnds, xenDriverFileList, xenDriverFiles, type TreeFiles } from '../../src/rewrite/xen-drivers.js';
import { SourceTree } from '../../src/rewrite/tree.js';
import { SAMPLE_KERNEL_DIR } from '../../src/cli/paths.js';

function tree(files: Record<string, string>): TreeFiles {
  return { has: (rel) => rel in files, read: (rel) => Buffer.from(files[rel], 'latin1') };
}

const NET = 'dev/xen/netfront/netfront.c';
const BLK = 'dev/xen/blkfront/blkfront.c';

describe('frontEnds', () => {
  it('takes both on the sample kernel', () => {
    const r = frontEnds(new SourceTree(path.join(SAMPLE_KERNEL_DIR, 'sys'), {}));
    expect([...r.paths].sort()).toEqual([BLK, NET]);
    expect(r.notes).toEqual([]);
  });

  it('never replaces a front end the tree has, and says so', () => {
    const r = frontEnds(tree({ [NET]: '/* the tree own */', 'netinet/if_ether.h': 'struct arpcom {\n\tstruct\tifnet ac_if;\n};', 'sys/conf.h': 'typedef int d_psize_t;' }));
    expect([...r.paths]).toEqual([BLK]);
    expect(r.notes).toEqual([`${NET}: the tree has its own; xn(4) is not generated`]);
  });

  it('leaves out a front end whose driver interface the tree lacks (FreeBSD 6 and later: struct arpcom holds a pointer)', () => {
    const r = frontEnds(tree({ 'net/if_arp.h': 'struct arpcom {\n\tstruct ifnet *ac_ifp;\n};', 'sys/conf.h': 'typedef int d_psize_t;' }));
    expect([...r.paths]).toEqual([BLK]);
    expect(r.notes[0]).toMatch(/^dev\/xen\/netfront\/netfront\.c: not generated, xn\(4\) is written for a struct arpcom holding its ifnet \(ac_if\)/);
  });

  it('writes and lists only the front ends taken; the rest of the guest files always', () => {
    const only = new Set([BLK]);
    const files = Object.keys(xenDriverFiles('i386-xeno', 'i386', 'xen', only));
    expect(files).toContain(BLK);
    expect(files).not.toContain(NET);
    expect(files).toContain('i386-xeno/i386/evtchn.c');
    const list = xenDriverFileList('i386-xeno', 'i386', only);
    expect(list).toContain(`${BLK}\toptional xbd`);
    expect(list).not.toContain('netfront');
    expect(list).toContain('i386-xeno/i386/ctrl_if.c');
  });
});
