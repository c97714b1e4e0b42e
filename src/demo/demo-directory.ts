import type { Kysely } from 'kysely';
import {
  addDays,
  addMonths,
  REVIEW_INTERVAL_MONTHS,
  STALE_GRACE_DAYS,
} from '../domain/community/staleness.js';
import type { Day } from '../domain/community/vocabulary.js';
import type { CommunityResourceInput } from '../features/community/schema.js';
import { insertResource, type NewResource } from '../features/community/store.js';
import type { DB } from '../store/schema.js';
import type { DemoPopulation } from './demo-population.js';
import { createRandom } from './random.js';
import {
  DEMO_RESOURCES,
  type DemoResourceSpec,
  DIRECTORY_ORGANISATIONS,
  type DirectoryOrganisationKey,
  KIND_DESCRIPTIONS,
  ORGANISATION_BASES,
  ORGANISATION_CONTACT,
  POPULATION_ORGANISATIONS,
  VENUES,
} from './text/directory.js';

/**
 * The demo's community resource directory: the entries of text/directory.ts, run by the demo's
 * voluntary and community organisations (two from the population, with staff who keep their
 * entries; the rest added here), each with a review date. Most were checked in the last six months;
 * those marked 'due' passed their review date in the last few weeks and one is long out of date,
 * hidden from people. Deterministic: the same seed and today give the same directory.
 */

export interface DemoDirectory {
  organisations: { id: string; name: string }[];
  resources: NewResource[];
}

/** 'tue 10:00-11:00, thu 14:00-15:30' as sessions. */
export function parseSessions(text: string): CommunityResourceInput['sessions'] {
  if (!text.trim()) return [];
  return text.split(',').map((part) => {
    const match = /^\s*(mon|tue|wed|thu|fri|sat|sun) (\d\d:\d\d)-(\d\d:\d\d)\s*$/.exec(part);
    if (!match) throw new Error(`Demo directory: a session is not "day HH:MM-HH:MM": ${part}`);
    return { day: match[1] as Day, start: match[2] as string, end: match[3] as string };
  });
}

function bodyOf(spec: DemoResourceSpec): CommunityResourceInput {
  const contact = ORGANISATION_CONTACT[spec.org];
  const venueKey = spec.venue ?? (spec.online ? null : ORGANISATION_BASES[spec.org]);
  const venue = venueKey ? VENUES[venueKey] : null;
  const access = [...new Set([...(venue?.access ?? []), ...(spec.extraAccess ?? [])])];
  const [minAge, maxAge] = spec.ages ?? [null, null];
  return {
    name: spec.name,
    kind: spec.kind,
    summary: spec.summary,
    description: `${spec.summary} ${KIND_DESCRIPTIONS[spec.kind]}`,
    needs: [...spec.needs],
    domainCodes: [...spec.domains],
    online: spec.online ?? false,
    address: venue ? venue.lines.join('\n') : null,
    postcode: venue?.postcode ?? null,
    sessions: parseSessions(spec.sessions),
    scheduleNote: spec.when ?? '',
    eligibility: spec.eligibility ?? '',
    minAge,
    maxAge,
    costKind: spec.cost,
    costNote: spec.costNote ?? '',
    accessibility: access,
    accessibilityNote:
      venue && !access.includes('step-free')
        ? 'There are steps at the entrance; ring ahead and we will help.'
        : '',
    selfReferral: spec.self,
    howToRefer: spec.self
      ? `Just come along, or ring ${contact.phone} first if you would like someone to meet you.`
      : `Referral by a link worker, GP, nurse or social worker: refer through WhatMatters or ring ${contact.phone}.`,
    phone: contact.phone,
    email: contact.email,
    website: contact.web,
    capacity: spec.capacity ?? null,
    acceptingReferrals: !spec.full,
  };
}

export function demoDirectory(
  population: DemoPopulation,
  seed: number | string,
  today: string,
): DemoDirectory {
  const random = createRandom(`${String(seed)}:community-directory`);
  const organisations = Object.values(DIRECTORY_ORGANISATIONS).map((name) => ({ id: random.uuid(), name }));
  const orgIds = new Map<DirectoryOrganisationKey, string>();
  for (const [key, name] of Object.entries(DIRECTORY_ORGANISATIONS)) {
    orgIds.set(key as DirectoryOrganisationKey, organisations.find((o) => o.name === name)?.id ?? '');
  }
  for (const [key, name] of Object.entries(POPULATION_ORGANISATIONS)) {
    const org = population.organisations.find((o) => o.name === name);
    if (!org) throw new Error(`Demo directory: the population has no organisation "${name}"`);
    orgIds.set(key as DirectoryOrganisationKey, org.id);
  }
  // Staff of the organisation keep its entries (the population's organisations have staff).
  const staffOf = (organisationId: string) =>
    population.users.filter((u) =>
      u.roles.some((r) => r.organisationId === organisationId && r.role !== 'person'),
    );
  const resources = DEMO_RESOURCES.map((spec): NewResource => {
    const organisationId = orgIds.get(spec.org) as string;
    const staff = staffOf(organisationId);
    const maintainer = staff.length ? random.pick(staff).id : null;
    const reviewDue =
      spec.review === 'hidden'
        ? addDays(today, -random.int(STALE_GRACE_DAYS + 10, STALE_GRACE_DAYS + 60))
        : spec.review === 'due'
          ? addDays(today, -random.int(1, STALE_GRACE_DAYS - 4))
          : addDays(today, random.int(7, 175));
    const reviewedOn = addMonths(reviewDue, -REVIEW_INTERVAL_MONTHS);
    return {
      resourceId: random.uuid(),
      organisationId,
      body: bodyOf(spec),
      maintainerUserId: maintainer,
      createdBy: maintainer,
      reviewDue,
      lastReviewedAt: new Date(`${reviewedOn}T${String(9 + random.int(0, 7)).padStart(2, '0')}:30:00.000Z`),
      status: spec.closed ? 'closed' : 'active',
    };
  });
  return { organisations, resources };
}

/** Writes the demo directory: its organisations, then its entries; returns it, for the demo's referrals. */
export async function writeDemoDirectory(
  trx: Kysely<DB>,
  population: DemoPopulation,
  seed: number | string,
  today: string,
): Promise<DemoDirectory> {
  const directory = demoDirectory(population, seed, today);
  await trx
    .insertInto('organisation')
    .values(
      directory.organisations.map((o) => ({
        organisation_id: o.id,
        kind: 'voluntary-community',
        name: o.name,
        ods_code: null,
        // After the population's organisations (written a millisecond apart, ending before now), so
        // the NHS trust stays the hosting organisation: left to the database, these would take the
        // transaction's start, earlier than the trust's, and the first of them would host.
        created_at: new Date(),
      })),
    )
    .execute();
  for (const resource of directory.resources) await insertResource(trx, resource);
  return directory;
}
