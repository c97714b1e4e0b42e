import type { Kysely } from 'kysely';
import { todayIso } from '../domain/calendar.js';
import type { ContractDefinition } from '../domain/commissioning/contract.js';
import { LONG_TERM_CONDITIONS_FRAMEWORK } from '../domain/commissioning/long-term-conditions.js';
import type { OrganisationKind } from '../domain/organisation-kinds.js';
import { insertContract } from '../features/contracts/store.js';
import type { DB } from '../store/schema.js';
import { createRandom } from './random.js';

/**
 * The demo's contracts: the demo commissioner (the one organisation of kind `commissioner`)
 * commissions community support for people with long-term conditions from the trust, the council
 * and the two voluntary organisations, each for all of the provider's teams, over three years that
 * began two years before `today`, so dashboards have history to judge. Targets are plausible
 * local choices (proportions in per cent; GAS T-scores around 50, the expected attainment).
 */
interface DemoContractSpec {
  providerKind: OrganisationKind;
  /** Which organisation of that kind, in name order. */
  nth: number;
  title: string;
  targets: Record<string, number>;
  riskGainShare: string;
}

const SPECS: readonly DemoContractSpec[] = [
  {
    providerKind: 'nhs-trust',
    nth: 0,
    title: 'Community nursing and frailty support for people with long-term conditions',
    targets: {
      'person-rated-achieved': 60,
      'current-plan': 90,
      'reviews-on-time': 80,
      'gas-service': 50,
      'multi-agency-plans': 40,
    },
    riskGainShare:
      'Up to 2% of the annual contract value is paid on outcomes: half on people’s own ratings of what matters to them, half on reviews held on time. Shortfalls are discussed at quarterly review before any is withheld.',
  },
  {
    providerKind: 'council-adult-social-care',
    nth: 0,
    title: 'Reablement and social work with people living with long-term conditions',
    targets: {
      'person-rated-achieved': 55,
      'outcomes-improved': 50,
      'reviews-on-time': 85,
      'rated-by-person': 75,
    },
    riskGainShare:
      'Pooled budget under a section 75 agreement: overspends and underspends shared equally between the ICB and the council.',
  },
  {
    providerKind: 'voluntary-community',
    nth: 0,
    title: 'Befriending and peer support',
    targets: { 'person-rated-achieved': 60, 'person-rating-change': 0.5, 'rated-by-person': 85 },
    riskGainShare: 'Grant agreement: no payment at risk; outcomes are reviewed together each quarter.',
  },
  {
    providerKind: 'voluntary-community',
    nth: 1,
    title: 'Social prescribing and health coaching',
    targets: {
      'person-rated-achieved': 60,
      'gas-service': 50,
      'gas-per-person': 50,
      'outcomes-improved': 55,
    },
    riskGainShare:
      'A 5% gain share is paid when the service’s goal attainment T-score is 50 or more over the year.',
  },
];

function addMonths(iso: string, months: number): string {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  const date = new Date(Date.UTC(y, m - 1 + months, 1));
  return date.toISOString().slice(0, 10);
}

function dayBefore(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/**
 * Writes the demo contracts into a database holding the demo organisations (call it from the demo
 * load, in its transaction). Writes nothing when there is no commissioner or provider to name.
 * Returns the number of contracts written.
 */
export async function seedDemoContracts(db: Kysely<DB>, today: string = todayIso()): Promise<number> {
  const organisations = await db
    .selectFrom('organisation')
    .select(['organisation_id', 'kind'])
    .orderBy('name')
    .execute();
  const commissioner = organisations.find((o) => o.kind === 'commissioner');
  if (!commissioner) return 0;
  const teams = await db.selectFrom('team').select(['team_id', 'organisation_id']).orderBy('name').execute();
  const author = await db
    .selectFrom('user_account')
    .select('user_id')
    .where('username', '=', 'commissioner@demo')
    .executeTakeFirst();
  const hasFramework = await db
    .selectFrom('commissioning_framework')
    .select('key')
    .where('key', '=', LONG_TERM_CONDITIONS_FRAMEWORK.key)
    .executeTakeFirst();
  const startsOn = addMonths(today.slice(0, 7).concat('-01'), -24);
  const endsOn = dayBefore(addMonths(startsOn, 36));
  // Fixed ids, so a demo database is the same every time it is loaded.
  const ids = createRandom('demo-contracts');
  let written = 0;
  for (const spec of SPECS) {
    const contractId = ids.uuid();
    const provider = organisations.filter((o) => o.kind === spec.providerKind)[spec.nth];
    if (!provider) continue;
    const definition: ContractDefinition = {
      title: spec.title,
      commissionerOrganisationId: commissioner.organisation_id,
      providerOrganisationId: provider.organisation_id,
      teamIds: teams.filter((t) => t.organisation_id === provider.organisation_id).map((t) => t.team_id),
      startsOn,
      endsOn,
      indicators: Object.entries(spec.targets).map(([indicatorKey, target]) => ({ indicatorKey, target })),
      riskGainShare: spec.riskGainShare,
      frameworkKey: hasFramework ? LONG_TERM_CONDITIONS_FRAMEWORK.key : null,
    };
    await insertContract(db, definition, author?.user_id ?? null, contractId);
    written++;
  }
  return written;
}
