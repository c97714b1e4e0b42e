import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { UnsupportedFeature } from '../../domain/measures/questionnaire/analyse.js';
import type { InstrumentKey, Questionnaire } from '../../domain/measures/types.js';
import type { DB } from '../../store/schema.js';

/** The questionnaire library's queries: reference data, about no person. */

export interface QuestionnaireRow {
  questionnaireId: string;
  url: string;
  version: number;
  title: string;
  instrumentKey: InstrumentKey | null;
  resource: Questionnaire;
  unsupported: UnsupportedFeature[];
  status: 'active' | 'retired';
  importedByUserId: string | null;
  importedAt: Date;
}

export function rowToQuestionnaire(row: Selectable<DB['questionnaire']>): QuestionnaireRow {
  return {
    questionnaireId: row.questionnaire_id,
    url: row.url,
    version: row.version,
    title: row.title,
    instrumentKey: row.instrument_key as InstrumentKey | null,
    resource: row.resource as Questionnaire,
    unsupported: row.unsupported as UnsupportedFeature[],
    status: row.status as 'active' | 'retired',
    importedByUserId: row.imported_by_user_id,
    importedAt: row.imported_at,
  };
}

/** Every questionnaire and version: built-ins first, then by title, newest version first. */
export async function allQuestionnaires(db: Kysely<DB>): Promise<QuestionnaireRow[]> {
  const rows = await db
    .selectFrom('questionnaire')
    .selectAll()
    .orderBy((eb) => eb.case().when('instrument_key', 'is', null).then(1).else(0).end())
    .orderBy('title')
    .orderBy('url')
    .orderBy('version', 'desc')
    .execute();
  return rows.map(rowToQuestionnaire);
}

export async function questionnaireById(
  db: Kysely<DB>,
  questionnaireId: string,
): Promise<QuestionnaireRow | null> {
  const row = await db
    .selectFrom('questionnaire')
    .selectAll()
    .where('questionnaire_id', '=', questionnaireId)
    .executeTakeFirst();
  return row ? rowToQuestionnaire(row) : null;
}

/** The newest version stored under a url (any status), or null. */
export async function latestByUrl(db: Kysely<DB>, url: string): Promise<QuestionnaireRow | null> {
  const row = await db
    .selectFrom('questionnaire')
    .selectAll()
    .where('url', '=', url)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? rowToQuestionnaire(row) : null;
}

/** The newest active version: of a built-in instrument (by key) or of a url. */
export async function currentActive(
  db: Kysely<DB>,
  by: { instrumentKey: InstrumentKey } | { url: string },
): Promise<QuestionnaireRow | null> {
  let query = db.selectFrom('questionnaire').selectAll().where('status', '=', 'active');
  query =
    'instrumentKey' in by
      ? query.where('instrument_key', '=', by.instrumentKey)
      : query.where('url', '=', by.url);
  const row = await query.orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? rowToQuestionnaire(row) : null;
}

export interface NewQuestionnaire {
  url: string;
  title: string;
  instrumentKey: InstrumentKey | null;
  resource: Questionnaire;
  unsupported: UnsupportedFeature[];
  importedByUserId: string | null;
}

/** Stores the next version of the url (1 for a new url); returns its id and version. */
export async function insertQuestionnaire(
  db: Kysely<DB>,
  entry: NewQuestionnaire,
): Promise<{ questionnaireId: string; version: number }> {
  const latest = await latestByUrl(db, entry.url);
  const questionnaireId = randomUUID();
  const version = (latest?.version ?? 0) + 1;
  await db
    .insertInto('questionnaire')
    .values({
      questionnaire_id: questionnaireId,
      url: entry.url,
      version,
      title: entry.title,
      instrument_key: entry.instrumentKey,
      resource: JSON.stringify(entry.resource),
      unsupported: JSON.stringify(entry.unsupported),
      imported_by_user_id: entry.importedByUserId,
    })
    .execute();
  return { questionnaireId, version };
}

export async function setStatus(
  db: Kysely<DB>,
  questionnaireId: string,
  status: 'active' | 'retired',
): Promise<void> {
  await db
    .updateTable('questionnaire')
    .set({ status })
    .where('questionnaire_id', '=', questionnaireId)
    .execute();
}
