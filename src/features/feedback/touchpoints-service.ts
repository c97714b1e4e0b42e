import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { type CoderModel, codeText, trainCoder } from '../../domain/coding/coder.js';
import { handlesFeedback } from '../../domain/feedback/access.js';
import { codingText } from '../../domain/feedback/coding-policy.js';
import {
  DEFAULT_PACK_PERIOD,
  PACK_PERIODS,
  type PackPeriod,
  type PackRow,
  packPeriodStart,
  touchpointPack,
} from '../../domain/feedback/touchpoint-pack.js';
import {
  keywordProblem,
  SUGGESTED_PATHWAY,
  TOUCHPOINT_LIMITS,
  touchpointLexicon,
} from '../../domain/feedback/touchpoints.js';
import { isServiceKey } from '../../domain/feedback/vocabulary.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { refuseFeedback } from './refusal.js';
import type { FeedbackService } from './store.js';
import * as feedbackStore from './store.js';
import {
  StoryTouchpointsContract,
  TouchpointContract,
  type TouchpointInput,
  TouchpointMoveContract,
} from './touchpoints-schema.js';
import type { CodableStory, StoryTouchpoint, Touchpoint } from './touchpoints-store.js';
import * as store from './touchpoints-store.js';

export type { Touchpoint } from './touchpoints-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Stories recoded per query and write when the pathway changes. */
const RECODE_BATCH = 500;
/** Services whose touchpoint models are kept in memory (each is small: a few labels). */
const CACHED_MODELS = 200;

/**
 * The touchpoint coder of each service, kept while its pathway and reviews are unchanged: the
 * signature is a hash of the touchpoints (ids and words) and of every decision the model learns
 * from, so any change trains a new one. Models are trained in memory, never stored: a service has a
 * few touchpoints and few reviewed stories (docs/FEEDBACK.md gives the times).
 */
const MODELS = new Map<string, { signature: string; model: CoderModel }>();

function signatureOf(
  touchpoints: readonly Touchpoint[],
  examples: readonly { feedbackId: string; text: string; confirmed: string[] }[],
): string {
  const hash = createHash('sha256');
  for (const t of touchpoints) hash.update(`t\u0000${t.touchpointId}\u0000${t.keywords.join(',')}\u0000`);
  // The text too: a moderator's correction of what was masked changes what the model learns from.
  for (const e of examples)
    hash.update(`e\u0000${e.feedbackId}\u0000${e.confirmed.join(',')}\u0000${e.text}\u0000`);
  return hash.digest('base64url');
}

/** The service's touchpoint coder: labels its touchpoint ids, prior their keywords, examples its reviews. */
async function touchpointModel(
  db: Kysely<DB>,
  serviceKey: string,
  touchpoints: readonly Touchpoint[],
): Promise<CoderModel> {
  const reviewed = await store.reviewedStories(db, serviceKey);
  const active = new Set(touchpoints.map((t) => t.touchpointId));
  const examples = reviewed.map((s) => ({
    feedbackId: s.feedbackId,
    text: codingText(s),
    confirmed: s.confirmed.filter((id) => active.has(id)),
  }));
  const signature = signatureOf(touchpoints, examples);
  const cached = MODELS.get(serviceKey);
  if (cached?.signature === signature) return cached.model;
  const lexicon = touchpointLexicon(touchpoints);
  const model = trainCoder(
    examples.map((e) => ({ text: e.text, codes: e.confirmed })),
    { labels: Object.keys(lexicon), lexicon },
  );
  MODELS.delete(serviceKey);
  if (MODELS.size >= CACHED_MODELS) MODELS.delete(MODELS.keys().next().value as string);
  MODELS.set(serviceKey, { signature, model });
  return model;
}

/**
 * The touchpoints suggested for each story: those whose score passes its threshold (confidence
 * 0.5 or more). The coder would also give a story with none the closest label when nearly every
 * example had a code ("at least one"); for touchpoints that is wrong — many stories are about no
 * moment of the pathway, and the first few reviews all naming one would push it onto every story.
 */
function suggestionsFor(model: CoderModel, stories: readonly CodableStory[]): store.TouchpointSuggestion[] {
  return stories.flatMap((story) =>
    codeText(model, codingText(story))
      .codes.filter((c) => c.confidence >= 0.5)
      .map((c) => ({
        feedbackId: story.feedbackId,
        touchpointId: c.code,
        confidence: c.confidence,
        words: c.words,
      })),
  );
}

/**
 * Suggests the touchpoints of a story as it is stored (FeedbackCollectionService.keep, in its
 * transaction), by its service's touchpoint coder on the masked answers. A service without
 * touchpoints costs one query.
 */
export async function suggestTouchpoints(
  db: Kysely<DB>,
  story: CodableStory & { serviceKey: string },
): Promise<void> {
  const touchpoints = await store.activeTouchpoints(db, story.serviceKey);
  if (!touchpoints.length) return;
  const model = await touchpointModel(db, story.serviceKey, touchpoints);
  await store.replaceSuggestions(db, [story.feedbackId], suggestionsFor(model, [story]));
}

/**
 * Suggests again the touchpoints of every story of the service no one has reviewed, after its
 * pathway changed (in the change's transaction), a batch at a time. Reviewed stories keep their
 * decisions. Returns how many stories were coded.
 */
async function recodeUnreviewed(db: Kysely<DB>, serviceKey: string): Promise<number> {
  const touchpoints = await store.activeTouchpoints(db, serviceKey);
  const model = touchpoints.length ? await touchpointModel(db, serviceKey, touchpoints) : null;
  let after: string | null = null;
  let coded = 0;
  for (;;) {
    const batch = await store.unreviewedStories(db, serviceKey, after, RECODE_BATCH);
    if (!batch.length) return coded;
    await store.replaceSuggestions(
      db,
      batch.map((s) => s.feedbackId),
      model ? suggestionsFor(model, batch) : [],
    );
    coded += batch.length;
    after = batch[batch.length - 1]?.feedbackId ?? null;
  }
}

/** A touchpoint of a story as the story page shows it. */
export interface StoryTouchpointView {
  touchpointId: string;
  label: string;
  status: StoryTouchpoint['status'] | null;
  confidence: number | null;
  words: string[];
  reviewedBy: string | null;
  reviewedAt: Date | null;
}

/** A touchpoint pack: its period, the rows, and how many stories it was built from. */
export interface TouchpointPack {
  service: FeedbackService;
  period: PackPeriod;
  periodLabel: string;
  since: string | null;
  until: string;
  rows: PackRow[];
}

/**
 * Experience-based co-design (issue 12, item 8; docs/FEEDBACK.md): the service's staff (its
 * practitioners and team managers) define the touchpoints of its pathway, decide which touchpoints
 * each story is about (the coder suggests them, as it does themes), and take a touchpoint pack to
 * co-design events. Every change, review and pack, and every refusal, is audited.
 */
export class FeedbackTouchpointService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
  ) {}

  /** The service, when the actor handles its feedback; refusals (and unknown keys) audited. */
  private async service(actor: Actor, serviceKey: string, action: string): Promise<FeedbackService> {
    const service = isServiceKey(serviceKey) ? await feedbackStore.serviceByKey(this.db, serviceKey) : null;
    if (!service)
      return refuseFeedback(this.audit, actor, action, serviceKey.slice(0, 100), notFound('This service'));
    if (!handlesFeedback(actor, service)) {
      return refuseFeedback(
        this.audit,
        actor,
        action,
        serviceKey,
        forbidden('handle this service’s feedback'),
      );
    }
    return service;
  }

  /** One active touchpoint of the service, or 404 (audited). */
  private async touchpoint(
    actor: Actor,
    service: FeedbackService,
    touchpointId: string,
    action: string,
  ): Promise<{ touchpoint: Touchpoint; touchpoints: Touchpoint[] }> {
    const touchpoints = await store.activeTouchpoints(this.db, service.serviceKey);
    const touchpoint = touchpoints.find((t) => t.touchpointId === touchpointId);
    if (!touchpoint) {
      const ref = UUID.test(touchpointId) ? touchpointId : service.serviceKey;
      return refuseFeedback(this.audit, actor, action, ref, notFound('This touchpoint'));
    }
    return { touchpoint, touchpoints };
  }

  private async recorded(actor: Actor, db: Kysely<DB>, resourceId: string, action: string, purpose: string) {
    await this.audit.record(
      actor,
      { action, resourceType: 'feedback', resourceId, outcome: 'success', purpose },
      db,
    );
  }

  /** The label and keywords checked beyond the contract: every keyword usable, the label free. */
  private checked(input: unknown, others: readonly Touchpoint[]): TouchpointInput {
    const given = (input as { label?: unknown } | null)?.label;
    if (typeof given === 'string' && !given.trim())
      throw invalid('Enter a name for the touchpoint.', 'label');
    const raw = TouchpointContract.check(input) as TouchpointInput;
    const label = raw.label.trim().replace(/\s+/g, ' ');
    const keywords = [
      ...new Set(raw.keywords.map((k) => k.trim().replace(/\s+/g, ' ').toLowerCase())),
    ].filter(Boolean);
    const problem = keywords.map(keywordProblem).find((p) => p !== null);
    if (problem) throw invalid(`${problem}. Use one or two words for each, separated by commas.`, 'keywords');
    if (others.some((t) => t.label.toLowerCase() === label.toLowerCase())) {
      throw new ServiceError(
        409,
        'Already on the pathway',
        `There is already a touchpoint called “${label}”.`,
        'label',
      );
    }
    return { label, keywords };
  }

  /** The service's pathway: its touchpoints in order with how many stories count under each, and its retired ones. */
  async pathway(actor: Actor, serviceKey: string) {
    const service = await this.service(actor, serviceKey, 'feedback.touchpoints');
    const [touchpoints, retired, counts] = await Promise.all([
      store.activeTouchpoints(this.db, service.serviceKey),
      store.retiredTouchpoints(this.db, service.serviceKey),
      store.storiesPerTouchpoint(this.db, service.serviceKey),
    ]);
    return {
      service,
      touchpoints: touchpoints.map((t) => ({ ...t, stories: counts.get(t.touchpointId) ?? 0 })),
      retired,
      suggested: SUGGESTED_PATHWAY,
    };
  }

  /** One touchpoint, to edit. */
  async touchpointToEdit(actor: Actor, serviceKey: string, touchpointId: string) {
    const service = await this.service(actor, serviceKey, 'feedback.touchpoint');
    const { touchpoint } = await this.touchpoint(actor, service, touchpointId, 'feedback.touchpoint');
    return { service, touchpoint };
  }

  /**
   * Writes a change to the pathway in one transaction with the service's pathway locked: the change,
   * the unreviewed stories' suggestions made again (when `recode`), and the audit entry.
   */
  private async change(
    actor: Actor,
    service: FeedbackService,
    write: (trx: Kysely<DB>, touchpoints: Touchpoint[]) => Promise<{ resourceId: string; purpose: string }>,
    recode = true,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await store.lockPathway(trx, service.serviceKey);
      const touchpoints = await store.activeTouchpoints(trx, service.serviceKey);
      const { resourceId, purpose } = await write(trx, touchpoints);
      const coded = recode ? await recodeUnreviewed(trx, service.serviceKey) : 0;
      await this.recorded(
        actor,
        trx,
        resourceId,
        'feedback.touchpoint',
        recode ? `${purpose}; ${coded} unreviewed stories coded again` : purpose,
      );
    });
  }

  /** Adds a touchpoint at the end of the pathway. Returns its id. */
  async add(actor: Actor, serviceKey: string, input: unknown): Promise<string> {
    const service = await this.service(actor, serviceKey, 'feedback.touchpoint');
    const touchpointId = randomUUID();
    await this.change(actor, service, async (trx, touchpoints) => {
      const { label, keywords } = this.checked(input, touchpoints);
      if (touchpoints.length >= TOUCHPOINT_LIMITS.touchpoints) {
        throw invalid(`A pathway has at most ${TOUCHPOINT_LIMITS.touchpoints} touchpoints.`, 'label');
      }
      const position = Math.max(0, ...touchpoints.map((t) => t.position)) + 1;
      await store.insertTouchpoints(trx, [
        { touchpointId, serviceKey: service.serviceKey, label, keywords, position },
      ]);
      return { resourceId: touchpointId, purpose: `added “${label}”` };
    });
    return touchpointId;
  }

  /** Starts an empty pathway from the suggested one (domain/feedback/touchpoints.ts). */
  async startFromSuggested(actor: Actor, serviceKey: string): Promise<void> {
    const service = await this.service(actor, serviceKey, 'feedback.touchpoint');
    await this.change(actor, service, async (trx, touchpoints) => {
      if (touchpoints.length) {
        throw new ServiceError(
          409,
          'Pathway started',
          'This pathway has touchpoints already: add or change them one at a time.',
        );
      }
      await store.insertTouchpoints(
        trx,
        SUGGESTED_PATHWAY.map((t, i) => ({
          touchpointId: randomUUID(),
          serviceKey: service.serviceKey,
          label: t.label,
          keywords: t.keywords,
          position: i + 1,
        })),
      );
      return {
        resourceId: service.serviceKey,
        purpose: `started from the suggested pathway (${SUGGESTED_PATHWAY.length} touchpoints)`,
      };
    });
  }

  /** Changes a touchpoint's label and keywords. */
  async edit(actor: Actor, serviceKey: string, touchpointId: string, input: unknown): Promise<void> {
    const service = await this.service(actor, serviceKey, 'feedback.touchpoint');
    await this.touchpoint(actor, service, touchpointId, 'feedback.touchpoint');
    await this.change(actor, service, async (trx, touchpoints) => {
      const current = touchpoints.find((t) => t.touchpointId === touchpointId);
      if (!current) throw notFound('This touchpoint');
      const { label, keywords } = this.checked(
        input,
        touchpoints.filter((t) => t.touchpointId !== touchpointId),
      );
      await store.updateTouchpoint(trx, touchpointId, { label, keywords });
      return {
        resourceId: touchpointId,
        purpose: `changed “${current.label}”${current.label === label ? '' : ` to “${label}”`}`,
      };
    });
  }

  /** Moves a touchpoint one place earlier (up) or later (down) in the pathway. */
  async move(actor: Actor, serviceKey: string, touchpointId: string, input: unknown): Promise<void> {
    const service = await this.service(actor, serviceKey, 'feedback.touchpoint');
    await this.touchpoint(actor, service, touchpointId, 'feedback.touchpoint');
    const { direction } = TouchpointMoveContract.check(input);
    await this.change(
      actor,
      service,
      async (trx, touchpoints) => {
        const at = touchpoints.findIndex((t) => t.touchpointId === touchpointId);
        if (at < 0) throw notFound('This touchpoint');
        const to = direction === 'up' ? at - 1 : at + 1;
        const other = touchpoints[to];
        const self = touchpoints[at] as Touchpoint;
        if (!other)
          throw invalid(`“${self.label}” is ${direction === 'up' ? 'first' : 'last'} already.`, 'direction');
        // Positions renumbered 1…n in the new order, so ties and gaps left by retired ones go.
        const order = [...touchpoints];
        order[at] = other;
        order[to] = self;
        for (const [i, t] of order.entries()) {
          if (t.position !== i + 1) await store.setPosition(trx, t.touchpointId, i + 1);
        }
        return { resourceId: touchpointId, purpose: `moved “${self.label}” ${direction}` };
      },
      false,
    );
  }

  /** Retires a touchpoint: it leaves the pathway, the pack and the story page; decisions on it are kept. */
  async retire(actor: Actor, serviceKey: string, touchpointId: string): Promise<string> {
    const service = await this.service(actor, serviceKey, 'feedback.touchpoint');
    const { touchpoint } = await this.touchpoint(actor, service, touchpointId, 'feedback.touchpoint');
    await this.change(actor, service, async (trx) => {
      await store.retireTouchpoint(trx, touchpointId);
      return { resourceId: touchpointId, purpose: `retired “${touchpoint.label}”` };
    });
    return touchpoint.label;
  }

  /**
   * A story's touchpoints for its page: every active touchpoint with the coder's suggestion or
   * staff's decision, for staff to review. For a reader of the story (the story page's read is
   * audited there); null when the actor does not handle the service's feedback (its safeguarding
   * contact from elsewhere in the organisation, say), who is shown no touchpoints.
   */
  async storyView(
    actor: Actor,
    service: FeedbackService,
    feedbackId: string,
  ): Promise<{ touchpoints: StoryTouchpointView[] } | null> {
    if (!handlesFeedback(actor, service)) return null;
    const [touchpoints, rows] = await Promise.all([
      store.activeTouchpoints(this.db, service.serviceKey),
      store.storyTouchpoints(this.db, feedbackId),
    ]);
    const byId = new Map(rows.map((r) => [r.touchpointId, r]));
    return {
      touchpoints: touchpoints.map((t) => {
        const row = byId.get(t.touchpointId);
        return {
          touchpointId: t.touchpointId,
          label: t.label,
          status: row?.status ?? null,
          confidence: row?.confidence ?? null,
          words: row?.words ?? [],
          reviewedBy: row?.reviewedBy ?? null,
          reviewedAt: row?.reviewedAt ?? null,
        };
      }),
    };
  }

  /** Staff decide a story's touchpoints: those given are confirmed, every other active one rejected. */
  async review(actor: Actor, serviceKey: string, feedbackId: string, input: unknown): Promise<void> {
    const action = 'feedback.story-touchpoints';
    const service = await this.service(actor, serviceKey, action);
    if (!UUID.test(feedbackId) || !(await store.storyOfService(this.db, service.serviceKey, feedbackId))) {
      return refuseFeedback(
        this.audit,
        actor,
        action,
        UUID.test(feedbackId) ? feedbackId : service.serviceKey,
        notFound('This story'),
      );
    }
    const { touchpointIds } = StoryTouchpointsContract.check(input);
    await this.db.transaction().execute(async (trx) => {
      const touchpoints = await store.activeTouchpoints(trx, service.serviceKey);
      const active = new Set(touchpoints.map((t) => t.touchpointId));
      if (touchpointIds.some((id) => !active.has(id))) {
        throw invalid(
          'Choose touchpoints of this service’s pathway: one was changed or retired. Try again.',
          'touchpointIds',
        );
      }
      const chosen = new Set(touchpointIds);
      const decisions = touchpoints.map((t) => ({
        touchpointId: t.touchpointId,
        status: chosen.has(t.touchpointId) ? ('confirmed' as const) : ('rejected' as const),
      }));
      await store.saveDecisions(trx, feedbackId, decisions, actor.userId);
      await this.recorded(
        actor,
        trx,
        feedbackId,
        action,
        `confirmed ${chosen.size}, rejected ${decisions.length - chosen.size}`,
      );
    });
  }

  /**
   * The touchpoint pack for a period: per touchpoint in pathway order, its stories, shares positive
   * and negative, top themes and quotes (domain/feedback/touchpoint-pack.ts). Masked text of
   * consenting stories only; audited, since it carries stories beyond the service's staff.
   */
  async pack(
    actor: Actor,
    serviceKey: string,
    period: PackPeriod = DEFAULT_PACK_PERIOD,
  ): Promise<TouchpointPack> {
    const service = await this.service(actor, serviceKey, 'feedback.touchpoint-pack');
    const until = todayIso();
    const since = packPeriodStart(period, until);
    const [touchpoints, stories] = await Promise.all([
      store.activeTouchpoints(this.db, service.serviceKey),
      store.packStories(this.db, service.serviceKey, since),
    ]);
    const rows = touchpointPack(touchpoints, stories);
    await this.recorded(actor, this.db, service.serviceKey, 'feedback.touchpoint-pack', `period ${period}`);
    return {
      service,
      period,
      periodLabel: PACK_PERIODS.find((p) => p.key === period)?.label ?? period,
      since,
      until,
      rows,
    };
  }
}
