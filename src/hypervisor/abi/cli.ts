/*
 * Regenerates the checked-in artefacts of the ABI: docs/hypercalls.md and
 * src/hypervisor/abi/layout.generated.ts. Run: node dist/src/hypervisor/abi/cli.js
 * (tests/hypervisor/abi.test.ts fails when they are stale).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ABI_SOURCE, loadAbiModel } from './model.js';
import { renderDocs, renderLayoutTs } from './generate.js';

const root = path.resolve(path.dirname(ABI_SOURCE), '..', '..', '..');
const model = loadAbiModel();
writeFileSync(path.join(root, 'docs', 'hypercalls.md'), renderDocs(model));
writeFileSync(path.join(root, 'src', 'hypervisor', 'abi', 'layout.generated.ts'), renderLayoutTs(model));
process.stdout.write('wrote docs/hypercalls.md and src/hypervisor/abi/layout.generated.ts\n');
