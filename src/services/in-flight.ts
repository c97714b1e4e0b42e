/**
 * Shares one answer between calls that arrive together: while a lookup for a key is in flight,
 * another call for the same key awaits it instead of asking the database again. Nothing is kept
 * once it is answered, so no answer outlives the moment it was asked for; a failure reaches every
 * caller that shared it. For reads that several parts of one page or one export make side by side
 * (an access decision, one person's outcomes).
 */
export class InFlight<V, K = string> {
  /** Keyed by value (a person's id) or by identity (the grants array a bulk export hands every type). */
  private readonly pending = new Map<K, Promise<V>>();

  share(key: K, lookUp: () => Promise<V>): Promise<V> {
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const answer = lookUp().finally(() => this.pending.delete(key));
    this.pending.set(key, answer);
    return answer;
  }
}
