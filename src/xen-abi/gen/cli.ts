/*
 * `npm run abi`: regenerates the checked-in artefacts of the Xen ABI from its
 * TypeScript declarations (xen2.ts) and the hand-written guest C (guest/):
 * docs/hypercalls.md, src/xen-abi/layout.generated.ts and the guest files under
 * src/xen-abi/generated/ that xenify copies into every i386-xeno tree. The only
 * place ts-morph runs; nothing at run time needs it or the TypeScript sources
 * (tests/xen-abi/abi.test.ts fails when an artefact is stale).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ABI_SOURCE, loadAbiModel } from './model.js';
import { renderDocs, renderGuestFiles, renderLayoutTs } from './generate.js';

const root = path.resolve(path.dirname(ABI_SOURCE), '..', '..');
const model = loadAbiModel();
const written = [
  ['docs/hypercalls.md', renderDocs(model)],
  ['src/xen-abi/layout.generated.ts', renderLayoutTs(model)],
  ...Object.entries(renderGuestFiles(model)).map(([rel, text]) => [`src/xen-abi/generated/${path.basename(rel)}`, text]),
];
for (const [rel, text] of written) {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}
process.stdout.write(`wrote ${written.map(([rel]) => rel).join(', ')}\n`);
