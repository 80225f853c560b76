/**
 * The set of sample ids seen while streaming, for repeated-id checks in bounded memory. Each
 * id is kept as a 32-bit fingerprint (which also picks its slot) and a 32-bit place (where it
 * was first seen) in typed arrays, 8 bytes a slot, in one of 256 open-addressing tables picked
 * by 8 bits of a second hash: a
 * table grows on its own, so growth never holds two copies of the whole index (the single
 * table of 17-byte slots peaked at ~106 MB for 1.5 million ids while it doubled; this is
 * ~32 MB). A fingerprint match is only a candidate: the real id of the earlier place is read
 * back (`idAt`, from the file) and compared, so a hash collision is never reported as a repeat.
 */

/** The id first seen at a place, read back for the exact check; undefined when unreadable. */
export type IdAt = (place: number) => string | undefined;

/** Two 32-bit hashes of an id; swappable in tests to force collisions. */
export type IdHash = (id: string) => readonly [number, number];

const PARTS = 256;
const FIRST_SLOTS = 64;
// Linear probing stays short (about 2 probes for a hit, 6 for a miss) below this load.
const MAX_LOAD = 0.7;

interface Part {
  /** Fingerprint per slot, 0 for an empty slot (a real fingerprint is never 0). */
  fp: Uint32Array;
  place: Uint32Array;
  count: number;
  /** 32 - log2(slots): a slot is the top bits of the fingerprint times a Fibonacci constant. */
  shift: number;
}

/** Open-addressing tables from an id's hash to the first place it was seen. */
export class IdIndex {
  private readonly parts: Part[] = [];
  private count = 0;

  /** `idAt` reads back the id of a place given to `firstOrAdd` (places below 2^32). */
  constructor(
    private readonly idAt: IdAt,
    private readonly hash: IdHash = idHashes,
  ) {
    for (let k = 0; k < PARTS; k++)
      this.parts.push({
        fp: new Uint32Array(FIRST_SLOTS),
        place: new Uint32Array(FIRST_SLOTS),
        count: 0,
        shift: 32 - Math.log2(FIRST_SLOTS),
      });
  }

  /** How many distinct ids were added. */
  get size(): number {
    return this.count;
  }

  /** Bytes the tables hold (for memory reports and tests). */
  get bytes(): number {
    let total = 0;
    for (const p of this.parts) total += p.fp.byteLength + p.place.byteLength;
    return total;
  }

  /** Records `id` first seen at `place`; returns the earlier place when it was seen before. */
  firstOrAdd(id: string, place: number): number | undefined {
    if (!(place >= 0 && place < 2 ** 32 && Number.isInteger(place)))
      throw new RangeError(`id index place out of range: ${place}`);
    const [a, b] = this.hash(id);
    const part = this.parts[a >>> 24] as Part;
    if ((part.count + 1) / part.fp.length > MAX_LOAD) grow(part);
    const fp = b >>> 0 || 1;
    const mask = part.fp.length - 1;
    let slot = slotOf(fp, part.shift);
    for (;;) {
      const there = part.fp[slot] as number;
      if (there === 0) break;
      // Equal fingerprints are a candidate only: the earlier id itself decides.
      if (there === fp && this.idAt(part.place[slot] as number) === id)
        return part.place[slot] as number;
      slot = (slot + 1) & mask;
    }
    part.fp[slot] = fp;
    part.place[slot] = place;
    part.count++;
    this.count++;
    return undefined;
  }
}

/** Doubles one table, re-placing its slots (the slot is the fingerprint's: no id is needed). */
function grow(part: Part): void {
  const oldFp = part.fp;
  const oldPlace = part.place;
  part.fp = new Uint32Array(oldFp.length * 2);
  part.place = new Uint32Array(oldFp.length * 2);
  part.shift--;
  const mask = part.fp.length - 1;
  for (let i = 0; i < oldFp.length; i++) {
    const fp = oldFp[i] as number;
    if (fp === 0) continue;
    let slot = slotOf(fp, part.shift);
    while (part.fp[slot] !== 0) slot = (slot + 1) & mask;
    part.fp[slot] = fp;
    part.place[slot] = oldPlace[i] as number;
  }
}

function slotOf(fp: number, shift: number): number {
  return Math.imul(fp, 0x9e3779b1) >>> shift;
}

/** Two independent 32-bit hashes of a string (FNV-1a, and a multiply-xorshift mix). */
export function idHashes(s: string): [number, number] {
  let a = 0x811c9dc5,
    b = 0x9e3779b9 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // A final mix: FNV's high bits pick the table and must spread.
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  return [a >>> 0, (b ^ (b >>> 13)) >>> 0];
}
