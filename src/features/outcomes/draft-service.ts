import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { FormBody } from '../../web/forms.js';
import type { PersonAccess } from '../record-access/person-access.js';
import type { ConversationForm, ConversationService } from './conversation-service.js';
import { type ConversationDraft, deleteDraft, draftOf, keepDraft } from './draft-store.js';
import type { RecordConversationInput, RecordedConversation } from './schema.js';

export { type ConversationDraft, DRAFT_DAYS } from './draft-store.js';

/** A draft that was saved or discarded, asked for again (Back, then Save): nothing is saved twice. */
export const draftGone = () =>
  new ServiceError(
    409,
    'Already saved',
    'This conversation has already been saved or discarded. Nothing was saved again.',
  );

/**
 * A first conversation asked one question a page: the answers so far are the practitioner's draft
 * about the person, kept on the server until they confirm it on the check-your-answers page. Each
 * call is checked as recording a conversation is (a draft holds what the person said); a draft is
 * only ever its writer's. Confirming consumes the draft in the same transaction that saves the
 * conversation, through the one `record` use case and its contract.
 */
export class ConversationDraftService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly conversations: ConversationService,
  ) {}

  /** What a step of the form is built from, with the actor's draft (null when there is none). */
  async open(
    actor: Actor,
    personId: string,
  ): Promise<ConversationForm & { draft: ConversationDraft | null }> {
    const form = await this.conversations.formFor(actor, personId);
    const draft = await draftOf(this.db, { personId }, actor.userId);
    return { ...form, draft };
  }

  /** Keeps the answers so far; `fresh` starts a new draft (a new id) in place of any other. */
  async keep(actor: Actor, personId: string, answers: FormBody, fresh = false): Promise<string> {
    const grant = await this.access.require(actor, personId, 'manage', 'keep-conversation-draft');
    return keepDraft(this.db, grant, actor.userId, answers, fresh);
  }

  /** Throws the draft away: nothing of it is kept. */
  async discard(actor: Actor, personId: string): Promise<void> {
    const grant = await this.access.require(actor, personId, 'manage', 'discard-conversation-draft');
    await deleteDraft(this.db, grant, actor.userId);
  }

  /**
   * Saves the draft `draftId` as a conversation, once: its answers become the contract's input
   * (`toInput`), `record` checks and saves them, and the draft is deleted in the same transaction.
   * A draft already saved, discarded or replaced is refused with 409, and nothing is saved.
   */
  async confirm(
    actor: Actor,
    personId: string,
    draftId: string,
    toInput: (answers: FormBody) => RecordConversationInput,
  ): Promise<RecordedConversation> {
    const draft = await draftOf(this.db, { personId }, actor.userId);
    if (!draft || draft.draftId !== draftId) {
      // Checked as saving is, so a stranger learns nothing from the answer and the refusal is audited.
      await this.access.require(actor, personId, 'manage', 'record-conversation');
      throw draftGone();
    }
    return this.conversations.record(actor, personId, toInput(draft.answers), async (trx) => {
      if (!(await deleteDraft(trx, { personId }, actor.userId, draftId))) throw draftGone();
    });
  }
}
