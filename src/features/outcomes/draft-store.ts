import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../store/schema.js';
import type { FormBody } from '../../web/forms.js';
import type { RecordScope } from '../record-access/person-access.js';

/**
 * The queries of conversation drafts: one practitioner's answers so far about one person, kept
 * between the pages of the stepped first conversation. Reads take a RecordScope from an access
 * check; a draft belongs to the user who wrote it, and no query reaches another user's.
 */

type Db = Kysely<DB>;

/** How long a draft not touched is kept. */
export const DRAFT_DAYS = 7;

export interface ConversationDraft {
  draftId: string;
  answers: FormBody;
  updatedAt: Date;
  expiresAt: Date;
}

/** The user's draft about the person, unless it has expired. */
export async function draftOf(db: Db, scope: RecordScope, userId: string): Promise<ConversationDraft | null> {
  const row = await db
    .selectFrom('conversation_draft')
    .select(['draft_id', 'answers', 'updated_at', 'expires_at'])
    .where('person_id', '=', scope.personId)
    .where('user_id', '=', userId)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row) return null;
  const answers = (typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as FormBody;
  return { draftId: row.draft_id, answers, updatedAt: row.updated_at, expiresAt: row.expires_at };
}

/**
 * Keeps the answers as the user's draft about the person. A draft that has expired is replaced by a
 * new one (a new id), as is one started again; otherwise the draft keeps its id. Expired drafts about
 * the person, anyone's, go at the same time.
 */
export async function keepDraft(
  db: Db,
  scope: RecordScope,
  userId: string,
  answers: FormBody,
  fresh: boolean,
): Promise<string> {
  await db
    .deleteFrom('conversation_draft')
    .where('person_id', '=', scope.personId)
    .where('expires_at', '<=', sql<Date>`now()`)
    .execute();
  const expiresAt = sql<Date>`now() + make_interval(days => ${DRAFT_DAYS})`;
  const draftId = randomUUID();
  const row = await db
    .insertInto('conversation_draft')
    .values({
      person_id: scope.personId,
      user_id: userId,
      draft_id: draftId,
      answers: JSON.stringify(answers),
      expires_at: expiresAt,
    })
    .onConflict((oc) =>
      oc.columns(['person_id', 'user_id']).doUpdateSet((eb) => ({
        answers: eb.ref('excluded.answers'),
        updated_at: sql<Date>`now()`,
        expires_at: expiresAt,
        ...(fresh ? { draft_id: eb.ref('excluded.draft_id') } : {}),
      })),
    )
    .returning('draft_id')
    .executeTakeFirstOrThrow();
  return row.draft_id;
}

/**
 * Deletes the user's draft about the person; with `draftId`, only that draft (and not one started
 * since). Says whether there was one: deleting the draft being saved is how it is consumed once.
 */
export async function deleteDraft(
  db: Db,
  scope: RecordScope,
  userId: string,
  draftId?: string,
): Promise<boolean> {
  let query = db
    .deleteFrom('conversation_draft')
    .where('person_id', '=', scope.personId)
    .where('user_id', '=', userId)
    .where('expires_at', '>', sql<Date>`now()`);
  if (draftId) query = query.where('draft_id', '=', draftId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
