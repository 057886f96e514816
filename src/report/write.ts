/*
 * Writes the HTML report: one folder that opens from the file system with no server
 * and no network. index.html loads, by relative paths, the data (data.js, the
 * ReportData as one assignment: a file:// page cannot fetch JSON), the page's code
 * and style (assets/ beside this module, copied into dist/ by the build) and the two
 * libraries it uses, copied from their npm packages with their licences: uPlot (the
 * hypercall timeline) and jsdiff (the diffs of a rule switch and of the consoles).
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import type { ReportData } from './data.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Files copied from an npm package into vendor/: [package, path in it, name in vendor/]. */
const VENDORED: readonly [string, string, string][] = [
  ['uplot', 'dist/uPlot.iife.min.js', 'uPlot.iife.min.js'],
  ['uplot', 'dist/uPlot.min.css', 'uPlot.min.css'],
  ['uplot', 'LICENSE', 'uPlot.LICENSE.txt'],
  ['diff', 'dist/diff.min.js', 'diff.min.js'],
  ['diff', 'LICENSE', 'diff.LICENSE.txt'],
];

function packageDir(name: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new UsageError(`the HTML report needs the npm package ${name}, which is not installed (run npm ci)`);
  }
}

const PAGE = (title: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</title>
<link rel="stylesheet" href="vendor/uPlot.min.css">
<link rel="stylesheet" href="style.css">
</head>
<body>
<header><h1 id="title"></h1><p id="subtitle"></p><nav id="toc"></nav></header>
<main>
<section id="steps"><h2>The sixteen steps</h2></section>
<section id="findings"><h2>Scan findings</h2></section>
<section id="iterations"><h2>The port loop</h2></section>
<section id="reports"><h2>Termination reports</h2></section>
<section id="timeline"><h2>Hypercall timeline of the final boot</h2></section>
<section id="counts"><h2>Hypercalls by kind</h2></section>
<section id="consoles"><h2>Consoles: native and Xen</h2></section>
<section id="suite"><h2>The validation suite under Xen</h2></section>
</main>
<script src="data.js"></script>
<script src="vendor/uPlot.iife.min.js"></script>
<script src="vendor/diff.min.js"></script>
<script src="app.js"></script>
</body>
</html>
`;

/** Writes the report into `dir` (created); returns the path of its index.html. */
export function writeHtmlReport(dir: string, data: ReportData): string {
  const out = path.resolve(dir);
  mkdirSync(path.join(out, 'vendor'), { recursive: true });
  for (const [pkg, file, name] of VENDORED) {
    const from = path.join(packageDir(pkg), file);
    if (!existsSync(from)) throw new UsageError(`the npm package ${pkg} has no ${file} (an unexpected version?)`);
    copyFileSync(from, path.join(out, 'vendor', name));
  }
  for (const name of ['app.js', 'style.css']) copyFileSync(path.join(HERE, 'assets', name), path.join(out, name));
  writeFileSync(path.join(out, 'data.js'), `window.XENOPORT_REPORT = ${JSON.stringify(data)};\n`);
  const index = path.join(out, 'index.html');
  writeFileSync(index, PAGE(data.title));
  return index;
}
