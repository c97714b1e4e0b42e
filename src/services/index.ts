import type { Database } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { AuditService } from './audit-service.js';
import { AuthService } from './auth/auth-service.js';
import { DemoDataService } from './demo-data-service.js';
import { DirectoryService } from './directory-service.js';
import { FrameworkService } from './framework-service.js';
import { ConversationService } from './outcomes/conversation-service.js';
import { OutcomeService } from './outcomes/outcome-service.js';
import { PeopleService } from './people/people-service.js';
import { PersonAccess } from './people/person-access.js';
import { PersonRecordService } from './people/person-record-service.js';
import { PlanService } from './plans/plan-service.js';

/** The use cases, wired to one database. Routes and CLI commands reach data only through these. */
export interface Services {
  database: Database;
  audit: AuditService;
  auth: AuthService;
  directory: DirectoryService;
  demoData: DemoDataService;
  frameworks: FrameworkService;
  access: PersonAccess;
  people: PeopleService;
  conversations: ConversationService;
  outcomes: OutcomeService;
  plans: PlanService;
  records: PersonRecordService;
}

export function createServices(database: Database): Services {
  const { db } = database;
  const audit = new AuditService(db);
  const frameworks = new FrameworkService(db, audit);
  const access = new PersonAccess(db, audit);
  const people = new PeopleService(db, access, audit);
  const outcomes = new OutcomeService(db, access, frameworks, audit);
  const plans = new PlanService(db, access, audit);
  return {
    database,
    audit,
    auth: new AuthService(db, audit),
    directory: new DirectoryService(db),
    demoData: new DemoDataService(db),
    frameworks,
    access,
    people,
    conversations: new ConversationService(db, access, frameworks, audit),
    outcomes,
    plans,
    records: new PersonRecordService(db, people, outcomes, plans),
  };
}

/** Brings a database to the state the services expect: the schema, then the shipped reference data. */
export async function prepareDatabase(database: Database): Promise<string[]> {
  const { applied } = await migrateToLatest(database.db);
  await new FrameworkService(database.db, new AuditService(database.db)).ensureDefaults();
  return applied;
}
