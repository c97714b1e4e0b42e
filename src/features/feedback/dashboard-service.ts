import { type Static, Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import {
  type ConcernsChanged,
  concernsWithChangeMade,
  defaultPeriod,
  type Month,
  type MonthFigures,
  monthlyFigures,
  monthsBetween,
  periodProblems,
  praiseAndConcern,
  type RankedTheme,
  selectableMonths,
  shareOf,
  type ThemesOverTime,
  themesOverTime,
} from '../../domain/feedback/dashboard.js';
import { FFT_POSITIVE } from '../../domain/measures/instruments/fft.js';
import { ContractError } from '../../services/contract.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { type ChangeMade, changesMade, dashboardStories } from './dashboard-store.js';
import type { FeedbackCollectionService, FeedbackServiceInfo } from './service.js';

/**
 * The period a dashboard shows: the query string of its page and its CSV downloads, and the
 * service's input. Loose here (any short text, or nothing for the default) so that a wrong month
 * comes back as a message naming the field, not a bare 400; the domain says what is wrong.
 */
export const FeedbackDashboardPeriod = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 20, description: 'First month shown, YYYY-MM' })),
  to: Type.Optional(Type.String({ maxLength: 20, description: 'Last month shown, YYYY-MM' })),
});
export type FeedbackDashboardPeriodInput = Static<typeof FeedbackDashboardPeriod>;

/** Everything the dashboard shows of one service over one period. */
export interface FeedbackDashboard {
  service: FeedbackServiceInfo;
  period: { from: Month; to: Month; months: Month[] };
  totals: { stories: number; fftPositive: number; fftPercentPositive: number | null };
  monthly: MonthFigures[];
  themes: ThemesOverTime;
  praise: RankedTheme[];
  concern: RankedTheme[];
  concernsChanged: ConcernsChanged;
  changes: ChangeMade[];
}

const lastDayOf = (month: Month): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/**
 * The service feedback dashboard (issue 12, item 7): for the service's own staff (those who handle
 * its feedback), who see its de-identified stories already. The feedback service decides access and
 * audits refusals; a dashboard read is audited here. The figures are the domain's.
 */
export class FeedbackDashboardService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    private readonly feedback: FeedbackCollectionService,
  ) {}

  /** The months a period may start or end on, oldest first, for the page's choices. */
  selectableMonths(today: string = todayIso()): Month[] {
    return selectableMonths(today);
  }

  /** The chosen period, or the last twelve months; a bad one is refused naming the field. */
  period(input: FeedbackDashboardPeriodInput, today: string = todayIso()): { from: Month; to: Month } {
    const fallback = defaultPeriod(today);
    const from = input.from?.trim() || fallback.from;
    const to = input.to?.trim() || fallback.to;
    const problems = periodProblems(from, to, today);
    if (problems.length) throw new ContractError(problems);
    return { from, to };
  }

  async dashboard(
    actor: Actor,
    serviceKey: string,
    input: FeedbackDashboardPeriodInput,
    today: string = todayIso(),
  ): Promise<FeedbackDashboard> {
    const service = await this.feedback.serviceFor(actor, serviceKey, 'feedback.dashboard');
    const { from, to } = this.period(input, today);
    const months = monthsBetween(from, to);
    const fromDay = `${from}-01`;
    const toDay = lastDayOf(to);
    const stories = await dashboardStories(this.db, service.serviceKey, fromDay, toDay);
    const { changes, storiesWithChangeMade } = await changesMade(this.db, service.serviceKey, fromDay, toDay);
    await this.audit.record(actor, {
      action: 'feedback.dashboard',
      resourceType: 'feedback',
      resourceId: service.serviceKey,
      purpose: `${from} to ${to}`,
      outcome: 'success',
    });
    const fftPositive = stories.filter((s) => (FFT_POSITIVE as readonly string[]).includes(s.fft)).length;
    const { praise, concern } = praiseAndConcern(stories);
    return {
      service,
      period: { from, to, months },
      totals: {
        stories: stories.length,
        fftPositive,
        fftPercentPositive: shareOf(fftPositive, stories.length),
      },
      monthly: monthlyFigures(stories, months),
      themes: themesOverTime(stories, months),
      praise,
      concern,
      concernsChanged: concernsWithChangeMade(stories, storiesWithChangeMade),
      changes,
    };
  }
}
