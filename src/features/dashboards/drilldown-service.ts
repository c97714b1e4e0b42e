import type { Kysely } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import type { AggregateScope } from '../../domain/aggregate-access.js';
import { PATIENT_EXPERIENCE_FRAMEWORK } from '../../domain/coding/framework.js';
import { deidentify } from '../../domain/deidentify/deidentify.js';
import { AGE_BANDS, ETHNIC_CATEGORIES, ethnicGroupKey, OLDEST_AGE_BAND } from '../../domain/demographics.js';
import {
  discloseCount,
  largestHiddenCount,
  NHS_DISCLOSURE_RULES,
  SUPPRESSED,
} from '../../domain/disclosure.js';
import { FEEDBACK_AGE_BANDS, FFT_ANSWER_LABELS } from '../../domain/feedback/vocabulary.js';
import {
  BREAKDOWN_LABELS,
  type Breakdown,
  breakdownValueLabel,
  monthLabel,
  NOT_STATED_ETHNICITY,
  UNKNOWN_DIM_VALUE,
} from '../../domain/indicators/breakdowns.js';
import { connectionsBehind } from '../../domain/indicators/community-sources.js';
import { storiesBehind } from '../../domain/indicators/feedback-sources.js';
import { representativeQuotes } from '../../domain/representative-quotes.js';
import type { Role } from '../../domain/roles.js';
import { forbidden, invalid } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { Indicator, IndicatorService, IndicatorValueRow } from '../indicators/service.js';
import { displayName } from '../people/service.js';
import type { PersonAccess } from '../record-access/person-access.js';
import * as store from './store.js';

/**
 * From a number to its meaning (issue 10, item 6): the de-identified statements, notes and comments
 * behind one cell of an indicator, with the domains they are coded to and a few representative
 * quotes. Every text passes through the one de-identifier (domain/deidentify) with the names it
 * must always mask; cells below the disclosure threshold show no text at all; commissioners and
 * analysts never see who anyone is; a team manager sees links to the records their team may open
 * (the record-access rule decides each). Every drill-down is audited with the purpose the user
 * gave, refused ones too.
 */

/** Who may open the statements behind a figure (practitioners see their own people's records directly). */
export const DRILLDOWN_ROLES = ['team-manager', 'commissioner', 'analyst'] as const satisfies readonly Role[];

/** Why someone is reading the statements: asked on the drill-down form and kept in the audit trail. */
export const DRILLDOWN_PURPOSES = {
  'service-review': 'Reviewing how the service is doing',
  'quality-improvement': 'Quality improvement',
  commissioning: 'Commissioning or contract monitoring',
  'equality-analysis': 'Equality analysis',
  'service-planning': 'Planning services',
} as const;
export type DrilldownPurpose = keyof typeof DRILLDOWN_PURPOSES;
export const isDrilldownPurpose = (value: string): value is DrilldownPurpose =>
  Object.hasOwn(DRILLDOWN_PURPOSES, value);

/** Texts of each kind shown on the page, after the quotes. */
const SHOWN_PER_KIND = 20;

export interface DrilldownRequest {
  key: string;
  /** Whole months, YYYY-MM; the indicator service's default period when absent. */
  from?: string;
  to?: string;
  /** Narrow to one organisation or team (within the actor's scope). */
  organisationId?: string;
  teamId?: string;
  /** The cell: one value of one breakdown; none for the total. */
  breakdown?: Breakdown;
  value?: string;
  purpose: DrilldownPurpose;
}

/** A person a team manager's team may see: a link to their record. */
export interface PersonLink {
  personId: string;
  name: string;
}

export interface DrilldownText {
  text: string;
  domains: string[];
  /** Only for a team manager, and only when the record-access rule opens the record to them. */
  person: PersonLink | null;
}

/** A feedback story behind a number: its de-identified (masked) words, FFT answer, month and themes. */
export interface DrilldownStory {
  fft: string;
  month: string;
  whatWasGood: string;
  whatCouldBeBetter: string;
  themes: string[];
}

/** The stories behind a feedback figure (instead of statements, notes and comments). */
export interface FeedbackDrilldown {
  stories: DrilldownStory[];
  /** How many of the stories read are coded to each theme, disclosure-controlled. */
  themeCounts: { theme: string; shown: string }[];
}

export interface Drilldown {
  indicator: Indicator;
  /** The cell in words, e.g. "Outcome domain: Seeing people, January 2026 to December 2026". */
  cell: string;
  from: string;
  to: string;
  /** The cell's figure as disclosure control shows it. */
  figure: IndicatorValueRow;
  /** Why no text is shown, or null when it is. */
  withheld: string | null;
  /** Whether links to people's records are shown (a team manager's own people). */
  identified: boolean;
  quotes: DrilldownText[];
  statements: DrilldownText[];
  helped: DrilldownText[];
  gotInTheWay: DrilldownText[];
  comments: DrilldownText[];
  /** How many of the statements read are coded to each domain, disclosure-controlled. */
  domainCounts: { domain: string; shown: string }[];
  /** The most texts of each kind read for one cell (the newest). */
  readLimit: number;
  /** For an indicator over feedback: the stories behind it; null for every other source. */
  feedback: FeedbackDrilldown | null;
}

/** Names of the default framework's themes and sub-themes by code; another framework's codes are their own names. */
const CODE_LABELS = new Map<string, string>(
  PATIENT_EXPERIENCE_FRAMEWORK.themes.flatMap((t) => [
    [t.id, t.label] as [string, string],
    ...t.subThemes.map((s): [string, string] => [s.id, `${t.label}: ${s.label}`]),
  ]),
);
const codeLabel = (code: string) => CODE_LABELS.get(code) ?? code;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const lastDayOf = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
/** The same calendar date `years` earlier; 29 February becomes 28 February in a common year. */
const yearsBefore = (isoDate: string, years: number) => {
  const year = Number(isoDate.slice(0, 4)) - years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDay = isoDate.slice(4) === '-02-29' && !leap ? '-02-28' : isoDate.slice(4);
  return `${String(year).padStart(4, '0')}${monthDay}`;
};
const QUARTER = /^(\d{4})-Q([1-4])$/;

export class DrilldownService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly indicators: IndicatorService,
    private readonly access: PersonAccess,
    private readonly audit: AuditService,
  ) {}

  /** Whether the actor may open the statements behind figures: for pages to offer the links. */
  mayDrillDown(actor: Actor): boolean {
    return hasRole(actor, ...DRILLDOWN_ROLES);
  }

  /** The statements behind one cell, read for a stated purpose; audited, refusals too. */
  async statements(actor: Actor, request: DrilldownRequest): Promise<Drilldown> {
    const resourceId = request.key.slice(0, 60);
    const refuse = async (why: string, what: string) => {
      await this.audit.record(actor, {
        action: 'drill-down-indicator',
        resourceType: 'indicator',
        resourceId,
        purpose: `${DRILLDOWN_PURPOSES[request.purpose] ?? request.purpose}; refused: ${why}`,
        outcome: 'denied',
      });
      return forbidden(what);
    };
    if (!this.mayDrillDown(actor))
      throw await refuse(
        'not a team manager, commissioner or analyst',
        'open the statements behind a figure',
      );
    const scope = this.indicators.scopeOf(actor);
    await this.checkUnits(request, scope, refuse);

    const indicator = await this.indicators.get(actor, request.key);
    const { from, to, breakdown, value } = this.cellPeriod(request);
    if (breakdown && !indicator.breakdowns.includes(breakdown)) {
      throw invalid(
        `${indicator.name} is not broken down by ${BREAKDOWN_LABELS[breakdown].toLowerCase()}.`,
        'breakdown',
      );
    }
    const narrow = {
      ...(request.organisationId ? { organisationIds: [request.organisationId] } : {}),
      ...(request.teamId ? { teamIds: [request.teamId] } : {}),
    };
    // The cell's figure as everyone sees it: a suppressed or empty figure opens onto nothing.
    const values = await this.indicators.evaluate(actor, {
      key: indicator.key,
      breakdown: breakdown ?? null,
      ...(request.from ? { from: request.from } : {}),
      ...(request.to ? { to: request.to } : {}),
      scope: narrow,
    });
    const figure =
      breakdown && value !== undefined
        ? (values.rows.find((r) => r.key === value) ?? emptyRow(value, breakdownValueLabel(breakdown, value)))
        : values.total;
    const names = await this.indicators.domainNames();
    const cell = this.describeCell(indicator, breakdown, value, figure, values.from, values.to);
    const identified = scope.kind === 'units' && hasRole(actor, 'team-manager');
    const base = {
      indicator,
      cell,
      from: values.from,
      to: values.to,
      figure,
      identified,
      quotes: [],
      statements: [],
      helped: [],
      gotInTheWay: [],
      comments: [],
      domainCounts: [],
      readLimit: store.TEXTS_PER_KIND,
      feedback: null,
    };
    const record = (purposeNote: string, listedPersonIds: readonly string[] = []) =>
      this.audit.record(actor, {
        action: 'drill-down-indicator',
        resourceType: 'indicator',
        resourceId,
        purpose: `${DRILLDOWN_PURPOSES[request.purpose]}; ${cell}${purposeNote}`,
        ...(listedPersonIds.length ? { listedPersonIds } : {}),
      });

    const hidden =
      figure.shown.denominator === SUPPRESSED || figure.denominator === 0 || figure.denominator === null;
    if (hidden) {
      await record('; withheld: below the disclosure threshold');
      return {
        ...base,
        withheld:
          'This figure covers too few people to show what they said without risking that someone is recognised.',
      };
    }

    const behind = storiesBehind(indicator.source);
    if (behind) {
      const stories = await store.feedbackStories(this.db, {
        ...this.feedbackCell(scope, narrow, from ?? values.from, to ?? values.to, breakdown, value),
        behind,
      });
      // The same rule as for people: fewer stories than the threshold could let a reader
      // recognise a writer, whatever the figure.
      if (stories.length <= largestHiddenCount(NHS_DISCLOSURE_RULES)) {
        await record('; withheld: too few stories behind the figure');
        return {
          ...base,
          withheld:
            'The stories behind this figure are too few to show without risking that someone is recognised.',
        };
      }
      const entries = stories.map((s) => ({
        personId: s.feedbackId,
        text: [s.maskedWhatWasGood, s.maskedWhatCouldBeBetter].filter((x) => x.trim()).join(' '),
        domainCodes: [...new Set(s.codes.map((c) => c.split('/')[0] as string))],
      }));
      const counts = new Map<string, number>();
      for (const e of entries)
        for (const code of e.domainCodes) counts.set(code, (counts.get(code) ?? 0) + 1);
      await record('; feedback stories');
      return {
        ...base,
        withheld: null,
        quotes: representativeQuotes(entries).map((e) => ({
          text: e.text,
          domains: e.domainCodes.map(codeLabel),
          person: null,
        })),
        feedback: {
          stories: stories.slice(0, SHOWN_PER_KIND).map((s) => ({
            fft: FFT_ANSWER_LABELS[s.fft] ?? s.fft,
            month: monthLabel(s.receivedOn.slice(0, 7)),
            whatWasGood: s.maskedWhatWasGood,
            whatCouldBeBetter: s.maskedWhatCouldBeBetter,
            themes: s.codes.map(codeLabel),
          })),
          themeCounts: [...counts]
            .sort((a, b) => b[1] - a[1] || codeLabel(a[0]).localeCompare(codeLabel(b[0])))
            .map(([code, n]) => ({ theme: codeLabel(code), shown: discloseCount(n).shown })),
        },
      };
    }

    const filter = this.cellFilter(
      indicator,
      scope,
      narrow,
      from ?? values.from,
      to ?? values.to,
      breakdown,
      value,
    );
    // Behind a community figure: the words of the outcomes its connections were made for.
    const connections = connectionsBehind(indicator.source);
    const [outcomes, conversations, comments] = connections
      ? [await store.connectionOutcomeTexts(this.db, filter, connections), [], []]
      : await Promise.all([
          store.outcomeTexts(this.db, filter),
          store.conversationTexts(this.db, filter),
          store.ratingComments(this.db, filter),
        ]);
    const people = new Set([
      ...outcomes.map((o) => o.personId),
      ...conversations.map((c) => c.personId),
      ...comments.map((c) => c.personId),
    ]);
    // However large the figure, fewer people than the threshold behind the texts read would let a
    // reader recognise someone: the same rule as for counts.
    if (people.size <= largestHiddenCount(NHS_DISCLOSURE_RULES)) {
      await record('; withheld: too few people behind the texts');
      return {
        ...base,
        withheld:
          'The statements behind this figure come from too few people to show without risking that someone is recognised.',
      };
    }

    const known = await store.knownNamesOf(this.db, [...people]);
    const links = identified ? await this.linksFor(actor, [...people]) : new Map<string, PersonLink>();
    const clean = (personId: string, text: string) =>
      deidentify(text, { knownNames: known.get(personId) ?? [] }).text;
    const domainsOf = (codes: readonly string[]) => codes.map((c) => names.get(c) ?? c);
    const entry = (personId: string, text: string, codes: readonly string[] = []) => ({
      personId,
      text: clean(personId, text),
      domainCodes: codes,
    });

    const statements = outcomes.map((o) => entry(o.personId, o.statement, o.domainCodes));
    const helped = conversations
      .filter((c) => c.whatHelped.trim())
      .map((c) => entry(c.personId, c.whatHelped));
    const inTheWay = conversations
      .filter((c) => c.whatGotInTheWay.trim())
      .map((c) => entry(c.personId, c.whatGotInTheWay));
    const commentEntries = comments.map((c) => entry(c.personId, c.note, c.domainCodes));
    const shown = (e: { personId: string; text: string; domainCodes: readonly string[] }): DrilldownText => ({
      text: e.text,
      domains: domainsOf(e.domainCodes),
      person: links.get(e.personId) ?? null,
    });

    const counts = new Map<string, number>();
    for (const s of statements)
      for (const code of s.domainCodes) counts.set(code, (counts.get(code) ?? 0) + 1);
    const listed = [...links.keys()];
    await record('', listed);
    return {
      ...base,
      withheld: null,
      quotes: representativeQuotes([...statements, ...commentEntries, ...helped, ...inTheWay]).map(shown),
      statements: statements.slice(0, SHOWN_PER_KIND).map(shown),
      helped: helped.slice(0, SHOWN_PER_KIND).map(shown),
      gotInTheWay: inTheWay.slice(0, SHOWN_PER_KIND).map(shown),
      comments: commentEntries.slice(0, SHOWN_PER_KIND).map(shown),
      domainCounts: [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([code, n]) => ({ domain: names.get(code) ?? code, shown: discloseCount(n).shown })),
    };
  }

  /** Links to the records among these people that the record-access rule opens to the actor. */
  private async linksFor(actor: Actor, personIds: readonly string[]): Promise<Map<string, PersonLink>> {
    const open = (
      await Promise.all(personIds.map(async (id) => ((await this.access.relationTo(actor, id)) ? id : null)))
    ).filter((id): id is string => id !== null);
    const rows = await store.personNames(this.db, open);
    return new Map(rows.map((r) => [r.person_id, { personId: r.person_id, name: displayName(r) }]));
  }

  /** A unit asked for must be within the actor's aggregate scope: narrowing, never widening. */
  private async checkUnits(
    request: DrilldownRequest,
    scope: AggregateScope,
    refuse: (why: string, what: string) => Promise<Error>,
  ): Promise<void> {
    for (const [field, id] of [
      ['organisation', request.organisationId],
      ['team', request.teamId],
    ] as const) {
      if (id !== undefined && !UUID.test(id)) throw invalid(`The ${field} must be an id.`, field);
    }
    if (scope.kind === 'region') return;
    if (request.organisationId && !scope.organisationIds.includes(request.organisationId)) {
      throw await refuse('an organisation outside the actor’s units', 'see that organisation’s figures');
    }
    if (request.teamId && !scope.teamIds.includes(request.teamId)) {
      // A unit inside an organisation: a team, or a community resource (migration 0038).
      const id = request.teamId;
      const team =
        (await this.db
          .selectFrom('team')
          .select('organisation_id')
          .where('team_id', '=', id)
          .executeTakeFirst()) ??
        (await this.db
          .selectFrom('community_resource')
          .select('organisation_id')
          .where('resource_id', '=', id)
          .executeTakeFirst());
      if (!team || !scope.organisationIds.includes(team.organisation_id)) {
        throw await refuse('a team outside the actor’s units', 'see that team’s figures');
      }
    }
  }

  /** A month or quarter cell narrows the period to itself; other breakdowns keep the period asked for. */
  private cellPeriod(request: DrilldownRequest): {
    from: string | undefined;
    to: string | undefined;
    breakdown: Breakdown | undefined;
    value: string | undefined;
  } {
    for (const [field, month] of [
      ['from', request.from],
      ['to', request.to],
    ] as const) {
      if (month !== undefined && !MONTH.test(month))
        throw invalid(`The ${field} month must be YYYY-MM.`, field);
    }
    const { breakdown, value } = request;
    if (breakdown && value === undefined) throw invalid('Say which value of the breakdown to open.', 'value');
    let from = request.from ? `${request.from}-01` : undefined;
    let to = request.to ? lastDayOf(request.to) : undefined;
    if (breakdown === 'month') {
      if (!MONTH.test(value ?? '')) throw invalid('The month must be YYYY-MM.', 'value');
      from = `${value}-01`;
      to = lastDayOf(value as string);
    }
    if (breakdown === 'quarter') {
      const q = QUARTER.exec(value ?? '');
      if (!q) throw invalid('The quarter must be YYYY-Qn.', 'value');
      const first = (Number(q[2]) - 1) * 3 + 1;
      from = `${q[1]}-${String(first).padStart(2, '0')}-01`;
      to = lastDayOf(`${q[1]}-${String(first + 2).padStart(2, '0')}`);
    }
    return { from, to, breakdown, value };
  }

  /** The cell as filters on people and records (dates are London calendar dates). */
  private cellFilter(
    indicator: Indicator,
    scope: AggregateScope,
    narrow: { organisationIds?: string[]; teamIds?: string[] },
    from: string,
    to: string,
    breakdown: Breakdown | undefined,
    value: string | undefined,
  ): store.CellFilter {
    const fromDate = from.length === 7 ? `${from}-01` : from;
    const toDate = to.length === 7 ? lastDayOf(to) : to;
    const filter: store.CellFilter = { scope, ...narrow, fromDate, toDate };
    if (indicator.filters.domainCode) filter.domainCode = indicator.filters.domainCode;
    if (indicator.filters.viewpoint) filter.viewpoint = indicator.filters.viewpoint;
    if (!breakdown || value === undefined) return filter;
    switch (breakdown) {
      case 'organisation':
        if (!UUID.test(value)) throw invalid('The organisation must be an id.', 'value');
        filter.organisationIds = [value];
        break;
      case 'team':
        if (!UUID.test(value)) throw invalid('The team must be an id.', 'value');
        filter.teamIds = [value];
        break;
      case 'domain':
        filter.domainCode = value;
        break;
      case 'viewpoint':
        filter.viewpoint = value;
        break;
      case 'sex':
        filter.sex = value;
        break;
      case 'ethnicity':
        if (value === NOT_STATED_ETHNICITY) {
          filter.ethnicityNotStated = true;
          filter.ethnicCategories = ETHNIC_CATEGORIES.filter((c) => c.group === 'Not stated').map(
            (c) => c.code,
          );
        } else {
          filter.ethnicCategories = ETHNIC_CATEGORIES.filter((c) => ethnicGroupKey(c.group) === value).map(
            (c) => c.code,
          );
        }
        break;
      case 'deprivation-quintile':
        if (value === UNKNOWN_DIM_VALUE) {
          filter.deprivationUnknown = true;
        } else {
          const q = Number(value);
          if (!Number.isInteger(q) || q < 1 || q > 5) throw invalid('The quintile must be 1 to 5.', 'value');
          filter.deprivationDeciles = [2 * q - 1, 2 * q];
        }
        break;
      case 'age-band':
        Object.assign(filter, ageBandFilter(value, toDate));
        break;
      case 'month':
      case 'quarter':
        break;
    }
    return filter;
  }

  /**
   * A feedback cell: the units and months as for people; an age band is the band the writer gave
   * (the rollup keeps it as given); the source's own breakdowns allow nothing else.
   */
  private feedbackCell(
    scope: AggregateScope,
    narrow: { organisationIds?: string[]; teamIds?: string[] },
    from: string,
    to: string,
    breakdown: Breakdown | undefined,
    value: string | undefined,
  ): Omit<store.FeedbackCellFilter, 'behind'> {
    const fromDate = from.length === 7 ? `${from}-01` : from;
    const toDate = to.length === 7 ? lastDayOf(to) : to;
    const filter: Omit<store.FeedbackCellFilter, 'behind'> = { scope, ...narrow, fromDate, toDate };
    if (!breakdown || value === undefined) return filter;
    if ((breakdown === 'organisation' || breakdown === 'team') && !UUID.test(value)) {
      throw invalid(`The ${breakdown} must be an id.`, 'value');
    }
    if (breakdown === 'organisation') filter.organisationIds = [value];
    if (breakdown === 'team') filter.teamIds = [value];
    if (breakdown === 'age-band') {
      if (value !== UNKNOWN_DIM_VALUE && !FEEDBACK_AGE_BANDS.includes(value)) {
        throw invalid(`There is no age band “${value}”.`, 'value');
      }
      filter.ageBand = value;
    }
    return filter;
  }

  private describeCell(
    indicator: Indicator,
    breakdown: Breakdown | undefined,
    value: string | undefined,
    figure: IndicatorValueRow,
    from: string,
    to: string,
  ): string {
    const period =
      breakdown === 'month' || breakdown === 'quarter'
        ? ''
        : from === to
          ? monthLabel(from)
          : `${monthLabel(from)} to ${monthLabel(to)}`;
    const part =
      breakdown && value !== undefined
        ? `${BREAKDOWN_LABELS[breakdown]}: ${figure.label}`
        : `${indicator.name}, all in view`;
    return period ? `${part}, ${period}` : part;
  }
}

/**
 * An age band as dates of birth, with ages taken at the end of the period: an approximation of
 * the rollups' age at each fact, off only for people whose birthday moved them across a band edge
 * within the period.
 */
export function ageBandFilter(band: string, onDate: string): Partial<store.CellFilter> {
  if (band === UNKNOWN_DIM_VALUE) return { ageUnknown: true };
  let youngest = 0;
  for (const [maxAge, label] of AGE_BANDS) {
    if (label === band) {
      return { bornAfter: yearsBefore(onDate, maxAge + 1), bornOnOrBefore: yearsBefore(onDate, youngest) };
    }
    youngest = maxAge + 1;
  }
  if (band === OLDEST_AGE_BAND) return { bornOnOrBefore: yearsBefore(onDate, youngest) };
  throw invalid(`There is no age band “${band}”.`, 'value');
}

function emptyRow(key: string, label: string): IndicatorValueRow {
  return {
    key,
    label,
    numerator: null,
    denominator: 0,
    value: null,
    shown: { numerator: '0', denominator: '0', value: '' },
  };
}
