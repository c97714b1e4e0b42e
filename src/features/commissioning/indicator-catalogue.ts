import type { Kysely } from 'kysely';
import type { Improvement } from '../../domain/indicators/definition.js';
import type { DB } from '../../store/schema.js';

/**
 * What the commissioning features need to know of the indicator library: each indicator's key, name
 * and direction of improvement. A port, so frameworks and contracts depend on what they use and
 * not on how the library is kept (src/features/indicators).
 */
export interface IndicatorChoice {
  key: string;
  name: string;
  improvement: Improvement;
}

export interface IndicatorCatalogue {
  /** Every indicator that can be named now (the latest version of each key not retired), by name. */
  choices(): Promise<readonly IndicatorChoice[]>;
}

/** The catalogue as stored: the latest version of each key in `indicator_definition` (migration 0015). */
export function storedIndicatorCatalogue(db: Kysely<DB>): IndicatorCatalogue {
  return {
    async choices() {
      const rows = await db
        .selectFrom('indicator_definition as d')
        .select(['d.key', 'd.name', 'd.improvement'])
        .where('d.retired_at', 'is', null)
        .where(({ eb, selectFrom }) =>
          eb(
            'd.version',
            '=',
            selectFrom('indicator_definition as l')
              .select(({ fn }) => fn.max('l.version').as('v'))
              .whereRef('l.key', '=', 'd.key'),
          ),
        )
        .orderBy('d.name')
        .execute();
      return rows.map((r) => ({ key: r.key, name: r.name, improvement: r.improvement as Improvement }));
    },
  };
}
