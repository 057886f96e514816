/*
 * Saved frames: compiled frames that were unwound while suspended in a call, kept so
 * that a context whose host frames are gone can be resumed (docs/ir.md, "Non-local
 * returns"). Keyed by the stack slot of the frame's return address; the machine
 * resumes one when a ret/iret pops that frame's address from that slot.
 *
 * Invariant: an entry is valid until its slot receives a new return address. Every
 * compiled call tests the register-file count (regs[SAVED]) and then the bucket
 * array (`buckets`, indexed by slotBucket) before asking pushedAt() to drop an entry
 * at its slot, so a frame of a context that never came back (an exited process whose
 * kernel stack is reused) is never taken for the frame that now owns the slot, and a
 * machine with no saved frames pays one register-file read per call. Entries of
 * contexts that never come back stay until overwritten or cleared: harmless, one per
 * slot.
 */
import { SLOT_HASH_BITS, slotBucket, type SavedFrame } from './jit.js';
import { SAVED } from './regs.js';

export class SavedFrames {
  private readonly bySlot = new Map<number, SavedFrame>();
  /** Saved frames per slot bucket (free variable SB of compiled code). */
  readonly buckets = new Int32Array(1 << SLOT_HASH_BITS);

  constructor(private readonly regs: Int32Array) {}

  get size(): number {
    return this.bySlot.size;
  }

  save(slot: number, frame: SavedFrame): void {
    if (!this.bySlot.has(slot)) {
      this.buckets[slotBucket(slot)]++;
      this.regs[SAVED]++;
    }
    this.bySlot.set(slot, frame);
  }

  /** The frame saved at `slot` that continues at `ra`, taken out; undefined if none. */
  take(slot: number, ra: number): SavedFrame | undefined {
    const rec = this.bySlot.get(slot);
    if (rec === undefined || rec.ra !== (ra | 0)) return undefined;
    this.drop(slot);
    return rec;
  }

  /** A return address was pushed at `slot`: a frame saved there is stale. */
  pushedAt(slot: number): void {
    if (this.bySlot.has(slot)) this.drop(slot);
  }

  clear(): void {
    this.bySlot.clear();
    this.buckets.fill(0);
    this.regs[SAVED] = 0;
  }

  private drop(slot: number): void {
    this.bySlot.delete(slot);
    this.buckets[slotBucket(slot)]--;
    this.regs[SAVED]--;
  }
}
