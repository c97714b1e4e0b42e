import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { type CoderModel, codeText, trainCoder } from '../../domain/coding/coder.js';
import { codeLabel, PATIENT_EXPERIENCE_FRAMEWORK, SENTIMENT_SCALE } from '../../domain/coding/framework.js';
import { feedbackServicesOf, handlesFeedback, trainsCodingModel } from '../../domain/feedback/access.js';
import {
  codingLabels,
  codingText,
  RETRAIN_POLICY,
  retrainDue,
  reviewCodes,
  trainingExample,
} from '../../domain/feedback/coding-policy.js';
import { isServiceKey } from '../../domain/feedback/vocabulary.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { refuseFeedback } from '../feedback/refusal.js';
import { CodeReviewContract, type CodeReviewInput } from './schema.js';
import * as store from './store.js';

export type { ModelVersion, StoryCode } from './store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Stories recoded per transaction after a retrain: short transactions, so saves are never held up long. */
const RECODE_BATCH = 200;
/** Parsed models kept in memory (versions are immutable, so an entry never goes stale). */
const CACHE_SIZE = 20;

/** What a retrain did. */
export interface RetrainReport {
  version: number;
  examples: number;
  recoded: number;
  trainMs: number;
}

/**
 * Automatic coding in use (issue 12, item 3; docs/CODING.md "Learning from confirmed codes"): every
 * story is coded by its organisation's latest model when it is stored; the service's staff confirm
 * and correct its codes and sentiment; the organisation's team managers retrain the model on demand,
 * and it is retrained on its own when enough stories were reviewed since (domain/feedback/
 * coding-policy.ts). Each retrain is a new version in the database with its cross-validated figures,
 * and recodes every story no one has reviewed. Reviews, retrains and refusals are audited.
 */
export class FeedbackCodingService {
  /** Parsed models by organisation and version, most recently used last. */
  private readonly cache = new Map<string, CoderModel>();
  /** Automatic retrains running in the background, by organisation (one at a time each). */
  private readonly training = new Map<string, Promise<RetrainReport | null>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
  ) {}

  private remember(key: string, model: CoderModel): CoderModel {
    this.cache.delete(key);
    this.cache.set(key, model);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return model;
  }

  /**
   * The organisation's latest model, always looked up by number (another process may have trained
   * one); the first use stores version 1, the lexicon alone ("starting").
   */
  private async latestModel(
    db: Kysely<DB>,
    organisationId: string,
  ): Promise<{ version: number; model: CoderModel }> {
    let latest = await store.latestVersion(db, organisationId);
    if (!latest) {
      const model = trainCoder([], { labels: codingLabels() });
      await store.insertModel(db, {
        organisationId,
        version: 1,
        frameworkId: PATIENT_EXPERIENCE_FRAMEWORK.id,
        model,
        examples: 0,
        reason: 'starting',
        trainedByUserId: null,
      });
      latest = (await store.latestVersion(db, organisationId)) as { version: number; trainedAt: Date };
    }
    const key = `${organisationId}:${latest.version}`;
    const cached = this.cache.get(key);
    if (cached) return { version: latest.version, model: this.remember(key, cached) };
    const model = await store.modelAt(db, organisationId, latest.version);
    return { version: latest.version, model: this.remember(key, model) };
  }

  /**
   * Codes a story as it is stored (FeedbackCollectionService.keep, in its transaction): suggested
   * codes with confidence and words, and the coded sentiment, by the organisation's latest model,
   * on the masked answers (domain/feedback/coding-policy.ts `codingText` says why).
   */
  async codeStory(
    trx: Kysely<DB>,
    story: {
      feedbackId: string;
      serviceKey: string;
      maskedWhatWasGood: string;
      maskedWhatCouldBeBetter: string;
    },
  ): Promise<void> {
    const service = await store.serviceRef(trx, story.serviceKey);
    if (!service) throw notFound('This service');
    const { version, model } = await this.latestModel(trx, service.organisationId);
    await store.writeCodings(trx, version, [
      { feedbackId: story.feedbackId, result: codeText(model, codingText(story)) },
    ]);
  }

  /** The story's service when the actor is its staff (handles its feedback); refusals audited. */
  private async staffStory(actor: Actor, serviceKey: string, feedbackId: string, action: string) {
    const service = isServiceKey(serviceKey) ? await store.serviceRef(this.db, serviceKey) : null;
    const story =
      service && UUID.test(feedbackId) ? await store.storyCoding(this.db, serviceKey, feedbackId) : null;
    const ref = UUID.test(feedbackId) ? feedbackId : serviceKey.slice(0, 100);
    if (!service || !story) return refuseFeedback(this.audit, actor, action, ref, notFound('This story'));
    if (!handlesFeedback(actor, service))
      return refuseFeedback(this.audit, actor, action, ref, forbidden('code this service’s feedback'));
    return { organisationId: service.organisationId };
  }

  /**
   * The codes section of the story page: null for anyone who is not the service's staff (a
   * safeguarding contact from elsewhere in the organisation reads the story, not its codes).
   * Stories stored before coding existed are coded on first sight.
   */
  async storyView(actor: Actor, serviceKey: string, feedbackId: string) {
    const service = isServiceKey(serviceKey) ? await store.serviceRef(this.db, serviceKey) : null;
    if (!service || !handlesFeedback(actor, service)) return null;
    let coding = UUID.test(feedbackId) ? await store.storyCoding(this.db, serviceKey, feedbackId) : null;
    if (!coding) return null;
    if (coding.codedModelVersion === null && coding.reviewedAt === null) {
      await this.db.transaction().execute((trx) =>
        this.codeStory(trx, {
          feedbackId,
          serviceKey,
          maskedWhatWasGood: coding?.maskedWhatWasGood ?? '',
          maskedWhatCouldBeBetter: coding?.maskedWhatCouldBeBetter ?? '',
        }),
      );
      coding = (await store.storyCoding(this.db, serviceKey, feedbackId)) ?? coding;
    }
    const codes = await store.storyCodes(this.db, feedbackId);
    return {
      codes: codes.map((c) => ({
        ...c,
        label: codeLabel(c.code),
        percent: c.confidence === null ? null : Math.round(c.confidence * 100),
      })),
      sentiment: coding.sentiment,
      sentimentLabel: SENTIMENT_SCALE.find((s) => s.value === coding?.sentiment)?.label ?? null,
      sentimentWords: coding.sentimentWords,
      sentimentConfirmed: coding.sentimentConfirmed,
      modelVersion: coding.codedModelVersion,
      reviewedAt: coding.reviewedAt,
      reviewedBy: coding.reviewedBy,
      /** Everything staff may add: each theme, then its sub-themes. */
      choices: codingLabels().map((code) => ({ code, label: codeLabel(code) })),
      scale: SENTIMENT_SCALE,
    };
  }

  /**
   * Saves staff's review of a story's codes (one form): kept codes confirmed, the others rejected,
   * added codes confirmed, the sentiment confirmed. After it commits, starts retraining the
   * organisation's model in the background when enough stories have been reviewed since its latest
   * version (`retraining`): at 2,000 reviewed stories that takes seconds (docs/CODING.md), which
   * the person saving should not wait for.
   */
  async review(
    actor: Actor,
    serviceKey: string,
    feedbackId: string,
    input: unknown,
  ): Promise<{ retraining: boolean }> {
    const { organisationId } = await this.staffStory(actor, serviceKey, feedbackId, 'feedback.codes');
    const review = CodeReviewContract.check(input) as CodeReviewInput;
    const existing = await store.storyCodes(this.db, feedbackId);
    const outcome = reviewCodes(existing, review);
    const [problem] = outcome.problems;
    if (problem) throw invalid(problem.message, problem.field);
    await this.db.transaction().execute(async (trx) => {
      await store.saveReview(trx, feedbackId, {
        codes: outcome.codes,
        sentiment: review.sentiment,
        userId: actor.userId,
        at: new Date(),
      });
      const confirmed = outcome.codes.filter((c) => c.status === 'confirmed').length;
      await this.audit.record(
        actor,
        {
          action: 'feedback.codes',
          resourceType: 'feedback',
          resourceId: feedbackId,
          outcome: 'success',
          purpose: `${confirmed} confirmed, ${outcome.codes.length - confirmed} rejected, sentiment ${review.sentiment}`,
        },
        trx,
      );
    });
    const latest = await store.latestVersion(this.db, organisationId);
    const counts = await store.reviewCounts(this.db, organisationId, latest?.trainedAt ?? null);
    if (!retrainDue(counts).due || this.training.has(organisationId)) return { retraining: false };
    const running = this.train(organisationId, 'new-codes', null)
      .catch(async (error: unknown) => {
        // Someone retrained at the same moment: their version stands. Anything else is recorded.
        if (!(error instanceof ServiceError && error.status === 409)) {
          await this.audit.record(null, {
            action: 'feedback.coding-retrain',
            resourceType: 'coding_model',
            resourceId: organisationId,
            outcome: 'failure',
            purpose: String((error as Error)?.message ?? error).slice(0, 200),
          });
        }
        return null;
      })
      .finally(() => this.training.delete(organisationId));
    this.training.set(organisationId, running);
    return { retraining: true };
  }

  /** Waits for background retrains (the app waits for them as it closes, so the database outlives them). */
  async settled(): Promise<(RetrainReport | null)[]> {
    return Promise.all([...this.training.values()]);
  }

  /** Retrains the organisation's model now: its team managers (domain/feedback/access.ts). */
  async retrain(actor: Actor, organisationId: string): Promise<RetrainReport> {
    const ref = organisationId.slice(0, 100);
    if (!UUID.test(organisationId) || !trainsCodingModel(actor, organisationId)) {
      return refuseFeedback(
        this.audit,
        actor,
        'feedback.coding-retrain',
        ref,
        forbidden('retrain this organisation’s coding model'),
      );
    }
    const report = await this.train(organisationId, 'on-demand', actor);
    return report;
  }

  /** Retrains an organisation's model from the command line (an operator: no user to check). */
  async retrainByOperator(organisationId: string): Promise<RetrainReport> {
    const found = UUID.test(organisationId) ? await store.organisationNames(this.db, [organisationId]) : [];
    if (!found.length) throw notFound(`The organisation ${organisationId}`);
    return this.train(organisationId, 'on-demand', null);
  }

  /**
   * Trains a new version on the organisation's reviewed stories, stores it with its cross-validated
   * evaluation, and recodes every unreviewed story with it, a batch per transaction. Audited.
   */
  private async train(
    organisationId: string,
    reason: 'on-demand' | 'new-codes',
    actor: Actor | null,
  ): Promise<RetrainReport> {
    const started = performance.now();
    const examples = (await store.reviewedStories(this.db, organisationId)).map((s) =>
      trainingExample({ ...s, text: codingText(s) }),
    );
    const model = trainCoder(examples, { labels: codingLabels() });
    const trainMs = Math.round(performance.now() - started);
    const version = await this.db.transaction().execute(async (trx) => {
      await this.latestModel(trx, organisationId);
      const next = ((await store.latestVersion(trx, organisationId))?.version ?? 0) + 1;
      const stored = await store.insertModel(trx, {
        organisationId,
        version: next,
        frameworkId: PATIENT_EXPERIENCE_FRAMEWORK.id,
        model,
        examples: examples.length,
        reason,
        trainedByUserId: actor?.userId ?? null,
      });
      if (!stored)
        throw new ServiceError(
          409,
          'Retrained already',
          'Someone else retrained this model at the same moment.',
        );
      await this.audit.record(
        actor,
        {
          action: 'feedback.coding-retrain',
          resourceType: 'coding_model',
          resourceId: organisationId,
          outcome: 'success',
          purpose: `version ${next}, ${reason}, ${examples.length} examples`,
        },
        trx,
      );
      return next;
    });
    this.remember(`${organisationId}:${version}`, model);
    let recoded = 0;
    let after = store.FIRST_ID;
    for (;;) {
      const batch = await store.unreviewedBatch(this.db, organisationId, after, RECODE_BATCH);
      if (!batch.length) break;
      const coded = batch.map((s) => ({
        feedbackId: s.feedback_id,
        result: codeText(
          model,
          codingText({
            maskedWhatWasGood: s.masked_what_was_good,
            maskedWhatCouldBeBetter: s.masked_what_could_be_better,
          }),
        ),
      }));
      await this.db.transaction().execute((trx) => store.writeCodings(trx, version, coded));
      recoded += batch.length;
      after = (batch.at(-1) as { feedback_id: string }).feedback_id;
    }
    return { version, examples: examples.length, recoded, trainMs };
  }

  /**
   * The models page: for each organisation whose feedback the actor handles, its model's versions,
   * the latest evaluation, how many stories were reviewed since and how many more make a retrain
   * due, and whether the actor may retrain it. Audited as a read.
   */
  async modelsView(actor: Actor) {
    const organisationIds = [
      ...new Set(
        feedbackServicesOf(actor)
          .filter((s) => handlesFeedback(actor, { organisationId: s.organisationId, teamId: null }))
          .map((s) => s.organisationId),
      ),
    ];
    if (!organisationIds.length) {
      return refuseFeedback(
        this.audit,
        actor,
        'feedback.coding-models',
        actor.userId,
        forbidden('see coding models'),
      );
    }
    const organisations = await store.organisationNames(this.db, organisationIds);
    const result = [];
    for (const o of organisations) {
      await this.latestModel(this.db, o.organisationId);
      const versions = await store.modelVersions(this.db, o.organisationId);
      const names = await store.userNames(
        this.db,
        versions.flatMap((v) => (v.trainedByUserId ? [v.trainedByUserId] : [])),
      );
      const counts = await store.reviewCounts(this.db, o.organisationId, versions[0]?.trainedAt ?? null);
      result.push({
        ...o,
        versions: versions.map((v) => ({
          ...v,
          trainedBy: v.trainedByUserId ? (names.get(v.trainedByUserId) ?? null) : null,
        })),
        ...counts,
        ...retrainDue(counts),
        policy: RETRAIN_POLICY,
        canRetrain: trainsCodingModel(actor, o.organisationId),
      });
    }
    await this.audit.record(actor, {
      action: 'feedback.coding-models',
      resourceType: 'coding_model',
      resourceId: organisationIds.join(',').slice(0, 100),
      outcome: 'success',
    });
    return result;
  }
}
