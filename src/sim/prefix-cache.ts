// KV blocks with prefix caching: hashed prompt blocks are shared by reference and kept (LRU) after use.

/** Block accounting of one replica's KV cache. */
export class KvBlockPool {
  readonly capacityBlocks: number;
  /** Blocks owned by exactly one sequence (not shareable). */
  private privateBlocks = 0;
  /** Shareable blocks by prefix hash and how many running sequences use them. */
  private readonly shared = new Map<number, number>();
  private sharedInUse = 0;
  /** Cached blocks nobody uses, oldest first (Map keeps insertion order). */
  private readonly evictable = new Map<number, true>();

  constructor(capacityBlocks: number) {
    this.capacityBlocks = capacityBlocks;
  }

  /** Blocks that a sequence could take right now (free plus evictable). */
  available(): number {
    return this.capacityBlocks - this.privateBlocks - this.sharedInUse;
  }

  /** Blocks in use by running sequences. */
  used(): number {
    return this.privateBlocks + this.sharedInUse;
  }

  /** Number of leading hashes that are cached (in use or evictable). */
  matchPrefix(hashes: readonly number[]): number {
    let hits = 0;
    for (const hash of hashes) {
      if (!this.shared.has(hash) && !this.evictable.has(hash)) break;
      hits++;
    }
    return hits;
  }

  /** Takes references on cached blocks (they must be cached: call matchPrefix first). */
  acquireShared(hashes: readonly number[]): void {
    for (const hash of hashes) {
      const refs = this.shared.get(hash);
      if (refs !== undefined) {
        this.shared.set(hash, refs + 1);
        continue;
      }
      this.evictable.delete(hash);
      this.shared.set(hash, 1);
      this.sharedInUse++;
    }
  }

  /** Allocates private blocks; false (and nothing allocated) when they do not fit. */
  allocate(blocks: number): boolean {
    if (blocks > this.available()) return false;
    this.privateBlocks += blocks;
    this.evict();
    return true;
  }

  /** Turns private blocks into cached shared ones under the given hashes (already-cached hashes stay private). */
  publish(hashes: readonly number[]): number[] {
    const published: number[] = [];
    for (const hash of hashes) {
      if (this.shared.has(hash) || this.evictable.has(hash)) continue;
      this.privateBlocks--;
      this.shared.set(hash, 1);
      this.sharedInUse++;
      published.push(hash);
    }
    return published;
  }

  /** Releases a sequence's blocks: private ones are freed, shared ones become evictable at zero references. */
  release(privateBlocks: number, hashes: readonly number[], keepCached: boolean): void {
    this.privateBlocks -= privateBlocks;
    for (const hash of hashes) {
      const refs = this.shared.get(hash) ?? 0;
      if (refs > 1) {
        this.shared.set(hash, refs - 1);
        continue;
      }
      this.shared.delete(hash);
      this.sharedInUse--;
      if (keepCached) this.evictable.set(hash, true);
    }
    this.evict();
  }

  // Evictable blocks occupy otherwise free memory; drop the oldest when memory is needed.
  private evict(): void {
    let excess = this.privateBlocks + this.sharedInUse + this.evictable.size - this.capacityBlocks;
    for (const hash of this.evictable.keys()) {
      if (excess <= 0) break;
      this.evictable.delete(hash);
      excess--;
    }
  }
}
