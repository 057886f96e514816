/*
 * The option headers a kernel configuration gives its build, made the way
 * config(8) makes them: each `options NAME[=VALUE]` and `cpu NAME` of the
 * configuration (and of the DEFAULTS file config reads first) becomes
 * `#define NAME VALUE` in the header sys/conf/options or options.<arch> names
 * for it (opt_<name>.h when the line names none), and each `device NAME`
 * becomes DEV_<NAME> where those files know it. The evaluation compiles the
 * files xenify changed against GENERIC's headers, so the code a release
 * kernel builds (SMP, the APIC, the CPU classes) is compiled, not only what
 * empty headers leave live. Where a release shipped GENERIC without SMP and an
 * SMP configuration beside it (6.x, 7.x), the SMP one is used, so that
 * mp_machdep.c and the SMP paths are compiled too.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Option name -> the header it is defined in, from sys/conf/options and options.<arch>. */
function optionHeaders(sys: string, arch: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of ['options', `options.${arch}`]) {
    const file = path.join(sys, 'conf', f);
    if (!existsSync(file)) continue;
    for (const raw of readFileSync(file, 'latin1').split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) continue;
      const [name, header] = line.split(/\s+/);
      // `NAME=OTHER` lines are aliases config rewrites; the header is OTHER's.
      if (!name || name.includes('=')) continue;
      out.set(name, header && header !== '!' ? header : `opt_${name.toLowerCase()}.h`);
    }
  }
  return out;
}

/** The lines of a configuration file and of the files it `include`s, comments removed. */
function configLines(file: string, depth = 0): string[] {
  if (depth > 8 || !existsSync(file)) return [];
  const out: string[] = [];
  for (const raw of readFileSync(file, 'latin1').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const inc = /^include\s+"?([^"\s]+)"?/.exec(line);
    if (inc) out.push(...configLines(path.resolve(path.dirname(file), inc[1]!), depth + 1));
    else if (line) out.push(line);
  }
  return out;
}

/**
 * Header name -> its text for configuration `config` (a name under
 * sys/<arch>/conf, GENERIC by default). Headers the options files name but the
 * configuration sets nothing in are absent: the caller makes them empty.
 */
export function optionHeaderTexts(sys: string, arch: string, config?: string): Map<string, string> {
  const headers = optionHeaders(sys, arch);
  const dir = path.join(sys, arch, 'conf');
  config ??= existsSync(path.join(dir, 'SMP')) ? 'SMP' : 'GENERIC';
  const set = new Map<string, string>();
  for (const line of [...configLines(path.join(dir, 'DEFAULTS')), ...configLines(path.join(dir, config))]) {
    const [kw, ...rest] = line.split(/\s+/);
    // `options A, B=2` lists several; `nooptions` and `nodevice` take one back.
    const items = rest.join(' ').split(',').map((s) => s.trim()).filter(Boolean);
    for (const item of items) {
      const [name, value] = item.split('=');
      if (!name) continue;
      if (kw === 'options' || kw === 'cpu') set.set(name, value?.replace(/^"(.*)"$/, '$1') ?? '1');
      else if (kw === 'nooptions') set.delete(name);
      else if (kw === 'device' || kw === 'devices') set.set(`DEV_${name.toUpperCase()}`, '1');
      else if (kw === 'nodevice') set.delete(`DEV_${name.toUpperCase()}`);
    }
  }
  const texts = new Map<string, string>();
  for (const [name, value] of set) {
    const header = headers.get(name);
    if (!header) continue;
    texts.set(header, `${texts.get(header) ?? ''}#define\t${name}\t${value}\n`);
  }
  return texts;
}

/** `__FreeBSD__` as the tree's own compiler defines it: the major release of sys/sys/param.h. */
export function freebsdMajor(sys: string): number | undefined {
  const param = path.join(sys, 'sys', 'param.h');
  if (!existsSync(param)) return undefined;
  const v = /#define\s+__FreeBSD_version\s+(\d+)/.exec(readFileSync(param, 'latin1'))?.[1];
  return v ? Math.floor(Number(v) / 100000) : undefined;
}
