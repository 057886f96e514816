/*
 * netback's bridge to the real network: the tap device vif<domid>.0 in domain 0's
 * namespace, reached through native/tapfwd (built into dist/native/tapfwd), which
 * relays frames over stdio with a 2-byte big-endian length before each.
 *
 * The guest runs synchronously on the JavaScript stack and cannot await, so a
 * worker_thread owns the relay (`nsenter --net=/proc/<pid>/ns/net tapfwd <vif>`)
 * and copies each received frame into a SharedArrayBuffer ring; the hypervisor's
 * thread reads the ring synchronously and sleeps on it with Atomics.wait (wave2.md
 * §1.5's tested recipe). Transmitted frames go to the worker by postMessage.
 *
 * Ring (ctl = Int32Array over the first 64 bytes): ctl[PROD] bytes written and
 * ctl[CONS] bytes read, both free-running; ctl[SEQ] counts frames written (what
 * Atomics.wait sleeps on); ctl[STATE] is 0 starting, 1 attached, 2 ended (the
 * reason in the text area); ctl[DROPS] frames dropped because the ring was full.
 * Each record is a 2-byte length and the frame, wrapping at the end of the data.
 *
 * Lifetime: tapfwd dies with the worker thread that spawned it (its parent-death
 * signal) and on stdin EOF; close() ends both; the worker never keeps the process
 * alive (unref).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT } from '../project-root.js';
import { Dom0Error } from './nfs-server.js';

const PROD = 0, CONS = 1, SEQ = 2, STATE = 3, DROPS = 4;
const CTL_BYTES = 64;
const TEXT_BYTES = 1024;
const RING_BYTES = 1 << 20;

/** Where the build puts the relay. */
export const TAPFWD = path.join(PROJECT_ROOT, 'dist', 'native', 'tapfwd');

/** The worker, as CommonJS source (it runs the same from src/ under vitest and from dist/). */
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { sab, argv, ringBytes, ctlBytes, textBytes } = workerData;
const ctl = new Int32Array(sab, 0, ctlBytes / 4);
const text = new Uint8Array(sab, ctlBytes, textBytes);
const data = new Uint8Array(sab, ctlBytes + textBytes, ringBytes);
const end = (why) => {
  const b = Buffer.from(String(why)).subarray(0, textBytes - 1);
  text.set(b); text[b.length] = 0;
  Atomics.store(ctl, 3, 2); Atomics.add(ctl, 2, 1); Atomics.notify(ctl, 2); Atomics.notify(ctl, 3);
};
const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
let err = '';
child.stderr.on('data', (d) => {
  err += d;
  if (Atomics.load(ctl, 3) === 0 && err.includes('attached to')) { Atomics.store(ctl, 3, 1); Atomics.notify(ctl, 3); }
});
child.on('error', (e) => end('cannot start the relay: ' + e.message));
child.on('exit', (code, sig) => end('the relay ended (' + (sig || code) + '): ' + err.trim()));
let buf = Buffer.alloc(0);
child.stdout.on('data', (d) => {
  buf = buf.length ? Buffer.concat([buf, d]) : d;
  while (buf.length >= 2) {
    const len = buf.readUInt16BE(0);
    if (buf.length < 2 + len) break;
    const frame = buf.subarray(2, 2 + len);
    buf = buf.subarray(2 + len);
    const prod = Atomics.load(ctl, 0), cons = Atomics.load(ctl, 1);
    if (ringBytes - (prod - cons) < len + 2) { Atomics.add(ctl, 4, 1); continue; }
    let p = prod % ringBytes;
    const put = (byte) => { data[p] = byte; p = (p + 1) % ringBytes; };
    put(len >> 8); put(len & 255);
    for (let i = 0; i < len; i++) put(frame[i]);
    Atomics.store(ctl, 0, prod + len + 2);
    Atomics.add(ctl, 2, 1);
    Atomics.notify(ctl, 2);
  }
});
parentPort.on('message', (m) => {
  if (m === 'close') { child.stdin.end(); child.kill('SIGKILL'); return; }
  const h = Buffer.alloc(2); h.writeUInt16BE(m.length, 0);
  child.stdin.write(Buffer.concat([h, Buffer.from(m)]));
});
`;

/** What netback needs of a link to the network: frames out, frames in, a bounded wait. */
export interface FrameLink {
  send(frame: Uint8Array): void;
  /** The next received frame, or undefined. */
  receive(): Uint8Array | undefined;
  /** Sleeps up to `ms` for a frame that was not there at the last receive(); true when one came. */
  wait(ms: number): boolean;
  close(): void;
}

export class TapLink implements FrameLink {
  private readonly ctl: Int32Array;
  private readonly text: Uint8Array;
  private readonly data: Uint8Array;
  private seen = 0;
  private closed = false;
  sent = 0;
  received = 0;

  private constructor(private readonly worker: Worker, sab: SharedArrayBuffer) {
    this.ctl = new Int32Array(sab, 0, CTL_BYTES / 4);
    this.text = new Uint8Array(sab, CTL_BYTES, TEXT_BYTES);
    this.data = new Uint8Array(sab, CTL_BYTES + TEXT_BYTES, RING_BYTES);
  }

  /**
   * Attaches to `vif` inside the network namespace of process `pid`; returns once
   * the relay has the tap open. Throws Dom0Error (the relay's own message) when it
   * cannot, or when it does not answer within `timeoutMs`.
   */
  static open(pid: number, vif: string, timeoutMs = 5000): TapLink {
    if (!existsSync(TAPFWD)) throw new Dom0Error(`the frame relay ${TAPFWD} is missing (npm run build compiles native/tapfwd.c)`);
    const sab = new SharedArrayBuffer(CTL_BYTES + TEXT_BYTES + RING_BYTES);
    const argv = ['nsenter', `--net=/proc/${pid}/ns/net`, TAPFWD, vif];
    const worker = new Worker(WORKER, { eval: true, workerData: { sab, argv, ringBytes: RING_BYTES, ctlBytes: CTL_BYTES, textBytes: TEXT_BYTES } });
    worker.unref();
    const link = new TapLink(worker, sab);
    Atomics.wait(link.ctl, STATE, 0, timeoutMs);
    const state = Atomics.load(link.ctl, STATE);
    if (state !== 1) {
      link.close();
      throw new Dom0Error(state === 2 ? `netback cannot attach to ${vif}: ${link.reason()}` : `netback: the relay for ${vif} did not attach within ${timeoutMs} ms`);
    }
    return link;
  }

  /** Why the relay ended (state 2). */
  reason(): string {
    const end = this.text.indexOf(0);
    return Buffer.from(this.text.subarray(0, end < 0 ? this.text.length : end)).toString();
  }

  get ended(): boolean {
    return Atomics.load(this.ctl, STATE) === 2;
  }

  get drops(): number {
    return Atomics.load(this.ctl, DROPS);
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.ended) return;
    this.worker.postMessage(frame);
    this.sent++;
  }

  receive(): Uint8Array | undefined {
    const prod = Atomics.load(this.ctl, PROD);
    const cons = Atomics.load(this.ctl, CONS);
    this.seen = Atomics.load(this.ctl, SEQ);
    if (prod === cons) return undefined;
    const d = this.data;
    let p = cons % RING_BYTES;
    const len = (d[p]! << 8) | d[(p + 1) % RING_BYTES]!;
    p = (p + 2) % RING_BYTES;
    const out = new Uint8Array(len);
    const first = Math.min(len, RING_BYTES - p);
    out.set(d.subarray(p, p + first));
    if (first < len) out.set(d.subarray(0, len - first), first);
    Atomics.store(this.ctl, CONS, cons + len + 2);
    this.received++;
    return out;
  }

  wait(ms: number): boolean {
    if (Atomics.load(this.ctl, PROD) !== Atomics.load(this.ctl, CONS)) return true;
    if (this.ended || ms <= 0) return false;
    Atomics.wait(this.ctl, SEQ, this.seen, ms);
    return Atomics.load(this.ctl, PROD) !== Atomics.load(this.ctl, CONS);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.postMessage('close');
    void this.worker.terminate();
  }
}
