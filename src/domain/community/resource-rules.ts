import { normalisePostcode } from '../postcode.js';
import type { Day } from './vocabulary.js';

/**
 * The rules across an entry's fields that its contract's shape cannot say, shared by the staff form,
 * the API and the importers: a session ends after it starts, ages are in order, an entry that is not
 * online says where it meets, and the outcome domains it names exist. Field names are the contract's
 * dotted paths, so pages link each problem to its field.
 */
/** A field at fault and why, as the contract's errors are. */
export interface ResourceProblem {
  field: string;
  message: string;
}

export interface EntryFacts {
  online: boolean;
  address: string | null;
  postcode: string | null;
  sessions: readonly { day: Day; start: string; end: string }[];
  minAge: number | null;
  maxAge: number | null;
  domainCodes: readonly string[];
}

export function resourceProblems(
  entry: EntryFacts,
  knownDomainCodes: ReadonlySet<string>,
): ResourceProblem[] {
  const problems: ResourceProblem[] = [];
  entry.sessions.forEach((s, i) => {
    // 'HH:MM' strings compare in time order.
    if (s.end <= s.start) {
      problems.push({ field: `sessions.${i}.end`, message: 'must be later than the start time' });
    }
  });
  if (entry.minAge !== null && entry.maxAge !== null && entry.minAge > entry.maxAge) {
    problems.push({ field: 'maxAge', message: 'must be the same as or more than the youngest age' });
  }
  if (!entry.online && !entry.address?.trim() && !normalisePostcode(entry.postcode)) {
    problems.push({
      field: 'address',
      message: 'is needed unless it takes place online: enter where it meets, or say it is online',
    });
  }
  const unknown = entry.domainCodes.filter((code) => !knownDomainCodes.has(code));
  if (unknown.length) {
    problems.push({ field: 'domainCodes', message: `names no outcome domain: ${unknown.join(', ')}` });
  }
  return problems;
}
