/**
 * Which few texts stand for the many behind a figure. The rule, so that a reader can trust the
 * quotes were not picked to flatter:
 *
 * 1. Only texts of a quotable length are candidates: at least MIN_LENGTH characters (long enough to
 *    say something) and at most MAX_LENGTH (short enough to read at a glance).
 * 2. Candidates are ranked by how close their length is to IDEAL_LENGTH (a sentence or two), then
 *    by fewer masked identifiers (a quote full of "[name]" reads badly), then alphabetically, so the
 *    choice is the same every time for the same texts.
 * 3. Quotes are taken round-robin across domains, the domain with most texts first, so that every
 *    domain the figure covers is heard before any is heard twice.
 * 4. At most one quote per person, so that one talkative person cannot speak for everyone.
 *
 * Pure: the texts are already de-identified when they arrive here.
 */

export const MIN_LENGTH = 25;
export const MAX_LENGTH = 240;
export const IDEAL_LENGTH = 100;
export const DEFAULT_QUOTES = 5;

export interface QuoteCandidate {
  /** Whose text it is: used only to keep to one quote per person, never shown. */
  personId: string;
  text: string;
  /** The domain codes the text is coded to; '' when it has none. */
  domainCodes: readonly string[];
}

const TAG = /\[[a-z-]+\]/g;

function rank(a: QuoteCandidate, b: QuoteCandidate): number {
  const distance = (q: QuoteCandidate) => Math.abs(q.text.length - IDEAL_LENGTH);
  const tags = (q: QuoteCandidate) => q.text.match(TAG)?.length ?? 0;
  return distance(a) - distance(b) || tags(a) - tags(b) || a.text.localeCompare(b.text, 'en-GB');
}

export function representativeQuotes<T extends QuoteCandidate>(
  texts: readonly T[],
  most = DEFAULT_QUOTES,
): T[] {
  if (!Number.isInteger(most) || most < 0)
    throw new RangeError(`most must be a whole number of 0 or more: ${most}`);
  const candidates = texts.filter((t) => {
    const length = t.text.trim().length;
    return length >= MIN_LENGTH && length <= MAX_LENGTH;
  });
  // Each candidate in the queue of each of its domains (texts with no domain share one queue).
  const queues = new Map<string, T[]>();
  for (const text of candidates) {
    const codes = text.domainCodes.length ? text.domainCodes : [''];
    for (const code of codes) queues.set(code, [...(queues.get(code) ?? []), text]);
  }
  const order = [...queues.entries()]
    .map(([code, queue]) => ({ code, queue: [...queue].sort(rank) }))
    .sort((a, b) => b.queue.length - a.queue.length || a.code.localeCompare(b.code));
  const chosen: T[] = [];
  const people = new Set<string>();
  let progress = true;
  while (chosen.length < most && progress) {
    progress = false;
    for (const { queue } of order) {
      if (chosen.length >= most) break;
      const next = queue.findIndex((q) => !people.has(q.personId) && !chosen.includes(q));
      if (next < 0) continue;
      const [quote] = queue.splice(next, 1) as [T];
      chosen.push(quote);
      people.add(quote.personId);
      progress = true;
    }
  }
  return chosen;
}
