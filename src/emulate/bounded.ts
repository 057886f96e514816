/*
 * Bounded buffers for what a guest writes or does: a guest can print or trap
 * without end, and the host must neither run out of memory nor lose the report.
 * BoundedText keeps the first `head` characters and the last `tail` (the start of
 * a boot and its end, where a crash is) and counts what it dropped in between;
 * BoundedLog keeps the last `limit` entries of a trace. Both say what they dropped.
 */

export class BoundedText {
  private headText = '';
  private tailParts: string[] = [];
  private tailLength = 0;
  /** Characters dropped between the head and the tail. */
  dropped = 0;

  constructor(
    readonly head = 4 << 20,
    readonly tail = 1 << 20,
  ) {}

  append(s: string): void {
    if (this.headText.length < this.head && this.dropped === 0 && this.tailLength === 0) {
      const room = this.head - this.headText.length;
      this.headText += s.length <= room ? s : s.slice(0, room);
      if (s.length <= room) return;
      s = s.slice(room);
    }
    this.tailParts.push(s);
    this.tailLength += s.length;
    if (this.tailLength > 2 * this.tail) this.trim();
  }

  private trim(): void {
    const all = this.tailParts.join('');
    const cut = Math.max(0, all.length - this.tail);
    this.dropped += cut;
    this.tailParts = [all.slice(cut)];
    this.tailLength = all.length - cut;
  }

  /** Total characters appended. */
  get length(): number {
    return this.headText.length + this.dropped + this.tailLength;
  }

  /** The kept text; a line in the middle says how much was dropped. */
  toString(): string {
    if (this.tailLength > this.tail) this.trim();
    const tail = this.tailParts.join('');
    if (this.dropped === 0) return this.headText + tail;
    return `${this.headText}\n[xenoport: ${this.dropped} characters of output dropped here; the first ${this.head} and the last ${this.tail} are kept]\n${tail}`;
  }
}

export class BoundedLog {
  private ring: string[] = [];
  private next = 0;
  /** Entries dropped from the start. */
  dropped = 0;

  constructor(readonly limit = 100_000) {}

  push(entry: string): void {
    if (this.ring.length < this.limit) this.ring.push(entry);
    else {
      this.ring[this.next] = entry;
      this.next = (this.next + 1) % this.limit;
      this.dropped++;
    }
  }

  /** The kept entries, oldest first, after a first line naming what was dropped. */
  entries(): string[] {
    const kept = this.ring.slice(this.next).concat(this.ring.slice(0, this.next));
    return this.dropped ? [`[xenoport: ${this.dropped} earlier entries dropped; the last ${this.limit} are kept]`, ...kept] : kept;
  }
}
