/*
 * Ethernet, ARP, IPv4 and ICMP echo frames for the network tests, built and
 * parsed here byte by byte (RFC 826, 791, 792), independently of the guest's
 * stack: checksums are computed and verified, fragments are reassembled by
 * offset.
 */
export const PEER_IP = '169.254.1.0';
export const GUEST_IP = '169.254.1.1';

const ip4 = (s: string): number[] => s.split('.').map(Number);

export function cksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return ~s & 0xffff;
}

export function arpFrame(op: number, sha: Uint8Array, spa: string, tha: Uint8Array, tpa: string, dst: Uint8Array): Uint8Array {
  const f = new Uint8Array(60);
  f.set(dst, 0);
  f.set(sha, 6);
  f.set([8, 6, 0, 1, 8, 0, 6, 4, 0, op], 12);
  f.set(sha, 22);
  f.set(ip4(spa), 28);
  f.set(tha, 32);
  f.set(ip4(tpa), 38);
  return f;
}

/** Echo data byte i for sequence seq. */
const pattern = (i: number, seq: number): number => (i * 7 + seq) & 0xff;

/** An ICMP echo request of `len` data bytes from the peer to the guest, in fragments of at most `mtu`. */
export function echoFrames(src: Uint8Array, dst: Uint8Array, id: number, seq: number, len: number, mtu: number): Uint8Array[] {
  const icmp = new Uint8Array(8 + len);
  icmp[0] = 8;
  icmp.set([id >> 8, id & 0xff, seq >> 8, seq & 0xff], 4);
  for (let i = 0; i < len; i++) icmp[8 + i] = pattern(i, seq);
  const c = cksum(icmp);
  icmp[2] = c >> 8;
  icmp[3] = c & 0xff;
  const per = (mtu - 20) & ~7;
  const out: Uint8Array[] = [];
  for (let off = 0; off < icmp.length; off += per) {
    const part = icmp.subarray(off, Math.min(off + per, icmp.length));
    const more = off + per < icmp.length;
    const f = new Uint8Array(Math.max(60, 14 + 20 + part.length));
    f.set(dst, 0);
    f.set(src, 6);
    f.set([8, 0], 12);
    const h = f.subarray(14, 34);
    h.set([0x45, 0, (20 + part.length) >> 8, (20 + part.length) & 0xff, 0x12, seq & 0xff]);
    const fo = (more ? 0x2000 : 0) | (off >> 3);
    h.set([fo >> 8, fo & 0xff, 64, 1, 0, 0], 6);
    h.set(ip4(PEER_IP), 12);
    h.set(ip4(GUEST_IP), 16);
    const hc = cksum(h);
    h[10] = hc >> 8;
    h[11] = hc & 0xff;
    f.set(part, 34);
    out.push(f);
  }
  return out;
}

export interface EchoReply {
  id: number;
  seq: number;
  len: number;
  dataOk: boolean;
  fragments: number;
}

/**
 * An ICMP echo reply from the guest, once all its fragments are in `frags`
 * (the list keeps fragments between calls); header and ICMP checksums checked.
 */
export function parseIcmpEcho(f: Uint8Array, frags: Uint8Array[]): EchoReply | undefined {
  const h = f.subarray(14, 34);
  if (h[0] !== 0x45 || h[9] !== 1 || cksum(h) !== 0) return undefined;
  if ([...h.subarray(12, 16)].join('.') !== GUEST_IP || [...h.subarray(16, 20)].join('.') !== PEER_IP) return undefined;
  frags.push(f);
  const id = (h[4]! << 8) | h[5]!;
  const mine = frags.filter((x) => ((x[18]! << 8) | x[19]!) === id);
  const parts = mine.map((x) => {
    const tl = (x[16]! << 8) | x[17]!;
    const fo = (x[20]! << 8) | x[21]!;
    return { off: (fo & 0x1fff) * 8, more: (fo & 0x2000) !== 0, data: x.subarray(34, 14 + tl) };
  }).sort((a, b) => a.off - b.off);
  let next = 0;
  for (const p of parts) {
    if (p.off !== next) return undefined;
    next += p.data.length;
  }
  if (parts[parts.length - 1]!.more) return undefined;
  const icmp = new Uint8Array(next);
  for (const p of parts) icmp.set(p.data, p.off);
  for (const x of mine) frags.splice(frags.indexOf(x), 1);
  if (icmp[0] !== 0 || cksum(icmp) !== 0) return undefined;
  const seq = (icmp[6]! << 8) | icmp[7]!;
  let dataOk = true;
  for (let i = 8; i < icmp.length; i++) if (icmp[i] !== pattern(i - 8, seq)) dataOk = false;
  return { id: (icmp[4]! << 8) | icmp[5]!, seq, len: icmp.length - 8, dataOk, fragments: parts.length };
}
