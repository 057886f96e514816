/*
 * The scan cache, under <cache>/scan/<key>/ (<cache>: src/project-dirs.ts) where the key covers the
 * tool version and the rules' hash, so a rule edit or an upgrade never reuses
 * stale results. Per-file summaries are stored by content hash, without their
 * path, and relabelled on load, so identical contents at different paths share
 * an entry. The entries a scan extracts go into one pack file (a line
 * `<hash> <summary JSON>` per file: creating a file per entry cost more than
 * extracting it), and index.json maps each hash to its pack; packs no longer
 * referenced are deleted when the index is written. Cache failures never fail
 * a scan; a lost race between two scans only costs speed. Every entry carries a
 * checksum of its text (a pack line's second field, the sealed header of a
 * whole-tree or stat entry: src/cache-file.ts), so a damaged entry is a miss, never
 * a wrong finding or a crash.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { FileSummary } from './summary.js';
import { openText, sealText } from '../cache-file.js';

/** A pack line's checksum of its JSON: 64 bits of sha256, enough to catch damage. */
function lineSum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

export function contentHash(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Bumped whenever FileSummary's shape changes, so that no entry of another shape is read. */
const SUMMARY_FORMAT = 12;

export class ScanCache {
  private readonly dir: string;
  /** hash -> pack file name, from index.json (loaded on first use). */
  private index: Record<string, string> | undefined;
  /** Loaded packs: hash -> the entry's JSON text. */
  private readonly packs = new Map<string, Map<string, string>>();

  constructor(root: string, version: string, rulesHash: string) {
    this.dir = path.join(root, 'scan', `${version}-s${SUMMARY_FORMAT}-${rulesHash}`);
  }

  private loadIndex(): Record<string, string> {
    if (!this.index) {
      try {
        this.index = JSON.parse(readFileSync(path.join(this.dir, 'index.json'), 'utf8')) as Record<string, string>;
      } catch {
        this.index = Object.create(null) as Record<string, string>;
      }
    }
    return this.index;
  }

  private loadPack(name: string): Map<string, string> {
    let pack = this.packs.get(name);
    if (!pack) {
      pack = new Map();
      try {
        for (const line of readFileSync(path.join(this.dir, name), 'utf8').split('\n')) {
          const sp = line.indexOf(' ');
          if (sp > 0) pack.set(line.slice(0, sp), line.slice(sp + 1));
        }
      } catch {
        /* a missing pack: its entries are misses */
      }
      this.packs.set(name, pack);
    }
    return pack;
  }

  get(hash: string, rel: string): FileSummary | undefined {
    const index = this.loadIndex();
    if (!Object.hasOwn(index, hash)) return undefined;
    const line = this.loadPack(index[hash]).get(hash);
    if (line === undefined) return undefined;
    // `<sum> <json>`: an entry whose text does not match its sum is a miss.
    const sp = line.indexOf(' ');
    const json = line.slice(sp + 1);
    if (sp !== 16 || line.slice(0, 16) !== lineSum(json)) return undefined;
    try {
      return relabel(JSON.parse(json) as FileSummary, rel);
    } catch {
      return undefined;
    }
  }

  /** A writer for this scan's summaries, as they come (see PackWriter). */
  packWriter(): PackWriter {
    return new PackWriter(this.dir, (packs) => this.addPacks(packs));
  }

  /** Makes written packs visible in the index and deletes packs no entry refers to any more. */
  private addPacks(packs: Array<{ name: string; hashes: string[] }>): void {
    if (packs.length === 0) return;
    try {
      // Re-read the index: another scan may have added to it meanwhile.
      this.index = undefined;
      const index = this.loadIndex();
      for (const p of packs) for (const h of p.hashes) index[h] = p.name;
      writeAtomic(path.join(this.dir, 'index.json'), [JSON.stringify(index)]);
      const live = new Set(Object.values(index));
      for (const f of readdirSync(this.dir)) if (f.startsWith('pack-') && f.endsWith('.txt') && !live.has(f)) unlinkSync(path.join(this.dir, f));
    } catch {
      /* only costs speed */
    }
  }

  /** Nothing stored yet for this tool version and rule set (a cold scan is coming). */
  isEmpty(): boolean {
    return !existsSync(path.join(this.dir, 'index.json'));
  }

  /** What a tree's stat signature (stat-key) was last seen with: its whole-tree key. */
  getStat<T>(key: string): T | undefined {
    return this.readEntry<T>(`stat-${key}.json`);
  }

  putStat(key: string, value: unknown): void {
    this.writeEntry(`stat-${key}.json`, value);
  }

  /** Whole-tree results, keyed by every file's path and content hash. */
  getTree<T>(key: string): T | undefined {
    return this.readEntry<T>(`tree-${key}.json`);
  }

  putTree(key: string, value: unknown): void {
    this.writeEntry(`tree-${key}.json`, value);
  }

  private readEntry<T>(name: string): T | undefined {
    try {
      const body = openText(readFileSync(path.join(this.dir, name), 'utf8'), name.slice(0, name.indexOf('-')), SUMMARY_FORMAT);
      return body === undefined ? undefined : (JSON.parse(body) as T);
    } catch {
      return undefined;
    }
  }

  private writeEntry(name: string, value: unknown): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      writeAtomic(path.join(this.dir, name), [sealText(name.slice(0, name.indexOf('-')), SUMMARY_FORMAT, JSON.stringify(value))]);
    } catch {
      /* only costs speed */
    }
  }
}

/**
 * Streams one scan's summaries (a `<hash> <json>` line each) into pack files of
 * at most PACK_BYTES while the scan goes on, so that the JSON texts need not be
 * kept until the end. A pack is written under a temporary name and renamed
 * when full or at commit(); the index learns of the packs at commit(). A write
 * error only costs speed: the rest of the scan's entries are dropped.
 */
export class PackWriter {
  private fd = -1;
  private tmp = '';
  private bytes = 0;
  private hashes: string[] = [];
  /** Lines are encoded straight into this buffer (no joined string, no second encoding). */
  private buf = Buffer.allocUnsafe(WRITE_BYTES);
  private used = 0;
  private readonly closed: Array<{ name: string; hashes: string[] }> = [];
  private failed = false;

  constructor(
    private readonly dir: string,
    private readonly publish: (packs: Array<{ name: string; hashes: string[] }>) => void,
  ) {}

  add(hash: string, json: string): void {
    if (this.failed) return;
    try {
      if (this.bytes > 0 && this.bytes + json.length > PACK_BYTES) this.close();
      if (this.fd < 0) {
        mkdirSync(this.dir, { recursive: true });
        this.tmp = path.join(this.dir, `pack.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
        this.fd = openSync(this.tmp, 'w');
      }
      this.put(hash);
      this.put(' ');
      this.put(lineSum(json));
      this.put(' ');
      this.put(json);
      this.put('\n');
      this.bytes += hash.length + json.length + 19;
      this.hashes.push(hash);
    } catch {
      this.fail();
    }
  }

  /** Closes the last pack and adds every pack to the index. */
  commit(): void {
    if (this.failed) return;
    try {
      if (this.fd >= 0) this.close();
      this.publish(this.closed);
    } catch {
      this.fail();
    }
  }

  /** Appends `text` as UTF-8, writing the buffer out whenever it is full. */
  private put(text: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 > this.buf.length) {
      this.flush();
      if (text.length * 3 > this.buf.length) {
        writeSync(this.fd, text);
        return;
      }
    }
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  private flush(): void {
    for (let at = 0; at < this.used; ) at += writeSync(this.fd, this.buf, at, this.used - at);
    this.used = 0;
  }

  private close(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    const name = `pack-${createHash('sha256').update(this.hashes.join('\n')).digest('hex').slice(0, 16)}.txt`;
    renameSync(this.tmp, path.join(this.dir, name));
    this.closed.push({ name, hashes: this.hashes });
    this.hashes = [];
    this.bytes = 0;
  }

  private fail(): void {
    this.failed = true;
    try {
      if (this.fd >= 0) closeSync(this.fd);
      if (this.tmp) unlinkSync(this.tmp);
    } catch {
      /* nothing more to undo */
    }
  }
}

/** Pack lines are written in pieces of about this size. */
const WRITE_BYTES = 1 << 20;

/** Gives a summary (from the cache) the path it has in this scan. */
export function relabel(s: FileSummary, rel: string): FileSummary {
  if (s.file === rel) return s;
  s.file = rel;
  for (const f of s.findings) f.file = rel;
  for (const f of s.funcs) f.file = rel;
  return s;
}

/** Packs stay well below V8's longest string, so that one is read as one string. */
const PACK_BYTES = 64 * 1024 * 1024;

/** Writes a file from pieces, atomically (a reader never sees half of it). */
function writeAtomic(file: string, pieces: string[]): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (const p of pieces) writeSync(fd, p);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
