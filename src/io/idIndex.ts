/**
 * The set of sample ids seen while streaming, for repeated-id checks in bounded memory: each
 * id is kept as two 32-bit hashes and a number (where it was first seen) in typed arrays,
 * 16 bytes a slot at most half full, instead of a Map of strings (about 10x more per id, which
 * made a 2 GB merge hold 700 MB). Two ids whose 64 bits of hash agree would be reported as a
 * repeat: about one chance in 10^5 for 20 million distinct ids.
 */

/** Open-addressing table from an id's 64-bit hash to the first place it was seen. */
export class IdIndex {
  private hashA = new Uint32Array(1 << 16);
  private hashB = new Uint32Array(1 << 16);
  private where = new Float64Array(1 << 16);
  private used = new Uint8Array(1 << 16);
  private count = 0;

  /** How many distinct ids were added. */
  get size(): number {
    return this.count;
  }

  /** Records `id` first seen at `place`; returns the earlier place when it was seen before. */
  firstOrAdd(id: string, place: number): number | undefined {
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    const [a, b] = hashes(id);
    const slot = this.find(a, b);
    if (this.used[slot]) return this.where[slot];
    this.used[slot] = 1;
    this.hashA[slot] = a;
    this.hashB[slot] = b;
    this.where[slot] = place;
    this.count++;
    return undefined;
  }

  private find(a: number, b: number): number {
    const mask = this.used.length - 1;
    let slot = (a ^ (b >>> 7)) & mask;
    while (this.used[slot] && (this.hashA[slot] !== a || this.hashB[slot] !== b))
      slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const [oldA, oldB, oldWhere, oldUsed] = [this.hashA, this.hashB, this.where, this.used];
    const size = oldUsed.length * 2;
    this.hashA = new Uint32Array(size);
    this.hashB = new Uint32Array(size);
    this.where = new Float64Array(size);
    this.used = new Uint8Array(size);
    for (let i = 0; i < oldUsed.length; i++) {
      if (!oldUsed[i]) continue;
      const slot = this.find(oldA[i] as number, oldB[i] as number);
      this.used[slot] = 1;
      this.hashA[slot] = oldA[i] as number;
      this.hashB[slot] = oldB[i] as number;
      this.where[slot] = oldWhere[i] as number;
    }
  }
}

/** Two independent 32-bit hashes of a string (FNV-1a, and a multiply-xorshift mix). */
function hashes(s: string): [number, number] {
  let a = 0x811c9dc5,
    b = 0x9e3779b9 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, (b ^ (b >>> 13)) >>> 0];
}

/** Packs a file number and a 0-based line into one place number (merge's many inputs). */
export function packPlace(file: number, line: number): number {
  return file * 2 ** 32 + line;
}

/** The file number and line of a packed place. */
export function unpackPlace(place: number): { file: number; line: number } {
  return { file: Math.floor(place / 2 ** 32), line: place % 2 ** 32 };
}
