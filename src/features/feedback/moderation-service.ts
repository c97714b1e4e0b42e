import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { handlesFeedback, moderatesFeedback } from '../../domain/feedback/access.js';
import { applyMasks, type MaskKind, maskWords, unmask } from '../../domain/feedback/masking.js';
import { secondsToFirstAction } from '../../domain/feedback/moderation.js';
import { isServiceKey } from '../../domain/feedback/vocabulary.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { refuseFeedback } from './refusal.js';
import {
  CriticalityContract,
  FirstActionContract,
  type FirstActionInput,
  MaskCorrectionContract,
  type MaskCorrectionInput,
  SafeguardingContactContract,
} from './schema.js';
import type { FeedbackService, ModeratedStory } from './store.js';
import * as store from './store.js';

export type { ModeratedStory } from './store.js';

/** What the actor may do with one story. */
export interface StoryPermissions {
  /** Correct what was masked, set criticality: the service's team managers. */
  moderate: boolean;
  /** Record the first action on a flag: the named safeguarding contact, and the moderators. */
  act: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Personal information out, harm flagged (issue 12, item 2; docs/FEEDBACK.md). A story is read,
 * beside its masked version, by the service's staff and by its named safeguarding contact; the
 * service's team managers moderate it (correct what was masked, set its criticality, name the
 * contact); the contact (or a moderator) records the first action on a flagged story, which stops
 * its clock. Every read, write and refusal is audited.
 */
export class FeedbackModerationService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
  ) {}

  private permissionsFor(actor: Actor, service: FeedbackService): StoryPermissions & { read: boolean } {
    const moderate = moderatesFeedback(actor, service);
    const contact = service.safeguardingUserId === actor.userId;
    return {
      moderate,
      act: moderate || contact,
      read: moderate || contact || handlesFeedback(actor, service),
    };
  }

  /** The story and its service, when the actor may do `need` with it; refusals audited. */
  private async open(
    actor: Actor,
    serviceKey: string,
    feedbackId: string,
    action: string,
    need: 'read' | 'moderate' | 'act',
  ): Promise<{ service: FeedbackService; story: ModeratedStory; permissions: StoryPermissions }> {
    const service = isServiceKey(serviceKey) ? await store.serviceByKey(this.db, serviceKey) : null;
    const story =
      service && UUID.test(feedbackId) ? await store.storyById(this.db, serviceKey, feedbackId) : null;
    const ref = UUID.test(feedbackId) ? feedbackId : serviceKey.slice(0, 100);
    if (!service || !story) return refuseFeedback(this.audit, actor, action, ref, notFound('This story'));
    const permissions = this.permissionsFor(actor, service);
    if (!permissions[need]) {
      const what = {
        read: 'read this service’s feedback',
        moderate: 'moderate this service’s feedback',
        act: 'act on this safeguarding flag',
      }[need];
      return refuseFeedback(this.audit, actor, action, ref, forbidden(what));
    }
    return { service, story, permissions: { moderate: permissions.moderate, act: permissions.act } };
  }

  /** Whether the actor moderates the service (pages offer moderation links by this). */
  canModerate(actor: Actor, service: FeedbackService): boolean {
    return moderatesFeedback(actor, service);
  }

  /** One story, original beside masked, with its flags and what the actor may do. */
  async story(actor: Actor, serviceKey: string, feedbackId: string) {
    const opened = await this.open(actor, serviceKey, feedbackId, 'feedback.read', 'read');
    await this.audit.record(actor, {
      action: 'feedback.read',
      resourceType: 'feedback',
      resourceId: feedbackId,
      outcome: 'success',
    });
    return opened;
  }

  /** Unmasks a false positive, or masks a missed stretch, in one field; the masked text is rebuilt. */
  async correctMask(actor: Actor, serviceKey: string, feedbackId: string, input: unknown): Promise<void> {
    const { story } = await this.open(actor, serviceKey, feedbackId, 'feedback.mask', 'moderate');
    const c = MaskCorrectionContract.check(input) as MaskCorrectionInput;
    const text = c.field === 'whatWasGood' ? story.whatWasGood : story.whatCouldBeBetter;
    const spans = story.masks[c.field];
    let next = spans;
    let purpose: string;
    if (c.change === 'unmask') {
      const span = c.index === undefined ? undefined : spans[c.index];
      if (!span || c.index === undefined) throw invalid('Choose a masked part to unmask.', 'index');
      next = unmask(spans, c.index);
      purpose = `unmasked ${span.kind}`;
    } else {
      if (!c.words?.trim()) throw invalid('Enter the words to mask.', 'words');
      const kind = (c.kind as MaskKind | undefined) ?? 'other';
      const result = maskWords(text, spans, c.words, kind);
      if (!result.added) {
        throw invalid('Those words are not in this answer, or are masked already.', 'words');
      }
      next = result.spans;
      purpose = `masked ${result.added} ${kind}`;
    }
    const masks = { ...story.masks, [c.field]: next };
    await this.db.transaction().execute(async (trx) => {
      await store.updateMasks(trx, feedbackId, masks, {
        whatWasGood: applyMasks(story.whatWasGood, masks.whatWasGood),
        whatCouldBeBetter: applyMasks(story.whatCouldBeBetter, masks.whatCouldBeBetter),
      });
      await this.audit.record(
        actor,
        {
          action: 'feedback.mask',
          resourceType: 'feedback',
          resourceId: feedbackId,
          outcome: 'success',
          purpose,
        },
        trx,
      );
    });
  }

  /** Sets the story's criticality (0–5). */
  async setCriticality(actor: Actor, serviceKey: string, feedbackId: string, input: unknown): Promise<void> {
    await this.open(actor, serviceKey, feedbackId, 'feedback.criticality', 'moderate');
    const { level } = CriticalityContract.check(input);
    await this.db.transaction().execute(async (trx) => {
      await store.setCriticality(trx, feedbackId, level);
      await this.audit.record(
        actor,
        {
          action: 'feedback.criticality',
          resourceType: 'feedback',
          resourceId: feedbackId,
          outcome: 'success',
          purpose: `level ${level}`,
        },
        trx,
      );
    });
  }

  /** The first action on a flagged story (acknowledged, or action taken, with a note): stops the clock. */
  async recordFirstAction(
    actor: Actor,
    serviceKey: string,
    feedbackId: string,
    input: unknown,
  ): Promise<number> {
    const { story } = await this.open(actor, serviceKey, feedbackId, 'feedback.first-action', 'act');
    const a = FirstActionContract.check(input) as FirstActionInput;
    if (!story.flaggedAt) throw invalid('This story is not flagged.');
    const at = new Date();
    const seconds = secondsToFirstAction(story.flaggedAt, at);
    const recorded = await this.db.transaction().execute(async (trx) => {
      const done = await store.recordFirstAction(trx, feedbackId, {
        action: a.action,
        note: a.note.trim(),
        userId: actor.userId,
        at,
        seconds,
      });
      if (!done) return false;
      await this.audit.record(
        actor,
        {
          action: 'feedback.first-action',
          resourceType: 'feedback',
          resourceId: feedbackId,
          outcome: 'success',
          purpose: `${a.action} after ${seconds} s`,
        },
        trx,
      );
      return true;
    });
    if (!recorded) {
      // The clock stopped already (a second press, or someone else first): refused, and audited.
      return refuseFeedback(
        this.audit,
        actor,
        'feedback.first-action',
        feedbackId,
        new ServiceError(409, 'Already recorded', 'The first action on this flag was recorded already.'),
      );
    }
    return seconds;
  }

  /** The flagged stories of the services whose safeguarding contact the actor is. */
  async inbox(actor: Actor) {
    const items = await store.flaggedFor(this.db, actor.userId);
    await this.audit.record(actor, {
      action: 'feedback.safeguarding-inbox',
      resourceType: 'feedback',
      resourceId: actor.userId,
      outcome: 'success',
    });
    return items;
  }

  /** The display name of a user named as a contact (shown to those who may read the story). */
  async contactName(userId: string): Promise<string | null> {
    return store.userDisplayName(this.db, userId);
  }

  /** The service, its contact and who may be named, for its moderators. */
  async contactSetting(actor: Actor, serviceKey: string) {
    const service = await this.moderatedService(actor, serviceKey, 'feedback.safeguarding-contact');
    return { service, candidates: await store.organisationUsers(this.db, service.organisationId) };
  }

  /** Names (or clears) the service's safeguarding contact: a user of its organisation. */
  async setContact(actor: Actor, serviceKey: string, input: unknown): Promise<void> {
    const service = await this.moderatedService(actor, serviceKey, 'feedback.safeguarding-contact');
    const { userId } = SafeguardingContactContract.check(input);
    if (userId) {
      const candidates = await store.organisationUsers(this.db, service.organisationId);
      if (!candidates.some((c) => c.userId === userId)) {
        throw invalid('Choose someone who works for this organisation.', 'userId');
      }
    }
    await this.db.transaction().execute(async (trx) => {
      await store.setSafeguardingContact(trx, service.serviceKey, userId);
      await this.audit.record(
        actor,
        {
          action: 'feedback.safeguarding-contact',
          resourceType: 'feedback',
          resourceId: service.serviceKey,
          outcome: 'success',
          purpose: userId ? `named ${userId}` : 'cleared',
        },
        trx,
      );
    });
  }

  private async moderatedService(actor: Actor, serviceKey: string, action: string): Promise<FeedbackService> {
    const service = isServiceKey(serviceKey) ? await store.serviceByKey(this.db, serviceKey) : null;
    if (!service)
      return refuseFeedback(this.audit, actor, action, serviceKey.slice(0, 100), notFound('This service'));
    if (!moderatesFeedback(actor, service)) {
      return refuseFeedback(
        this.audit,
        actor,
        action,
        serviceKey,
        forbidden('moderate this service’s feedback'),
      );
    }
    return service;
  }
}
