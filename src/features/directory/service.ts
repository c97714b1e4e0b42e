import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import type { DB } from '../../store/schema.js';
import type { ApiClient } from '../auth/api-client-service.js';
import * as store from './store.js';

export type {
  DatedOrganisation,
  DatedTeam,
  OrganisationSummary,
  PractitionerSummary,
  StaffAccount,
  StaffRole,
  TeamSummary,
} from './store.js';

/**
 * The directory of organisations and teams that can support a person. It holds no personal data,
 * so every signed-in user may read it: people need it to see who is in their care team.
 */
export class DirectoryService {
  constructor(private readonly db: Kysely<DB>) {}

  /** Open to any signed-in user, and to API clients with the scope directory:read. */
  async listOrganisations(_caller: Actor | ApiClient): Promise<store.OrganisationSummary[]> {
    return store.allOrganisations(this.db);
  }

  /** Practitioners and team managers, by organisation and team: who can join a care team by name. */
  async listPractitioners(_actor: Actor): Promise<store.PractitionerSummary[]> {
    return store.activePractitioners(this.db);
  }

  /** The organisations and teams with when each was added, for /fhir: open as `listOrganisations` is. */
  async datedOrganisations(_caller: Actor | ApiClient): Promise<store.DatedOrganisation[]> {
    return store.datedOrganisations(this.db);
  }

  /**
   * Staff accounts with their practitioner and team-manager roles (disabled ones marked so), for
   * /fhir: open as `listPractitioners` is; names and job titles only, as the directory shows them.
   */
  async staff(_actor: Actor, userIds?: readonly string[]): Promise<store.StaffAccount[]> {
    return store.staffAccounts(this.db, userIds);
  }
}
