import { sql } from 'kysely';
import { DemoDataService } from '../demo/demo-data-service.js';
import { OrganisationAdminService } from '../features/admin/organisation-service.js';
import { AuditService, prepareAuditTrail } from '../features/audit/audit-trail.js';
import { AuditLogService } from '../features/audit/service.js';
import { ApiClientService } from '../features/auth/api-client-service.js';
import { AuthService } from '../features/auth/auth-service.js';
import { type OidcSettings, OidcSignIn } from '../features/auth/oidc-sign-in.js';
import { SessionCache } from '../features/auth/session-cache.js';
import { UserAccountService } from '../features/auth/user-accounts.js';
import { CatalogueService } from '../features/catalogue/service.js';
import { storedIndicatorCatalogue } from '../features/commissioning/indicator-catalogue.js';
import { CommissioningService } from '../features/commissioning/service.js';
import { CommunityExchangeService } from '../features/community/exchange-service.js';
import { CommunitySearchService } from '../features/community/search-service.js';
import { CommunityService } from '../features/community/service.js';
import { CommunityOutcomesService } from '../features/community-outcomes/service.js';
import { CommunityReferralService } from '../features/community-referrals/service.js';
import { ContractService } from '../features/contracts/service.js';
import { CsvExchangeService } from '../features/csv-exchange/service.js';
import { DrilldownService } from '../features/dashboards/drilldown-service.js';
import { DashboardService } from '../features/dashboards/service.js';
import { DirectoryService } from '../features/directory/service.js';
import { FeedbackDashboardService } from '../features/feedback/dashboard-service.js';
import { FeedbackModerationService } from '../features/feedback/moderation-service.js';
import { FeedbackResponsesService } from '../features/feedback/responses-service.js';
import { FeedbackCollectionService } from '../features/feedback/service.js';
import { FeedbackTouchpointService } from '../features/feedback/touchpoints-service.js';
import { FeedbackCodingService } from '../features/feedback-coding/service.js';
import { FrameworkService } from '../features/frameworks/service.js';
import { IndicatorService } from '../features/indicators/service.js';
import { MeasureService } from '../features/measures/service.js';
import { ConversationService } from '../features/outcomes/conversation-service.js';
import { ConversationDraftService } from '../features/outcomes/draft-service.js';
import { OutcomeService } from '../features/outcomes/service.js';
import { PersonRecordService } from '../features/people/person-record-service.js';
import { PeopleService } from '../features/people/service.js';
import { PlanService } from '../features/plans/service.js';
import { QuestionnaireService } from '../features/questionnaires/service.js';
import { PersonAccess } from '../features/record-access/person-access.js';
import { RightsService } from '../features/rights/service.js';
import { SelfManagementService } from '../features/self-management/service.js';
import { SharingService } from '../features/sharing/service.js';
import { FhirExportService } from '../interop/fhir/bulk-export.js';
import type { Database } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';

/** The use cases, wired to one database. Routes and CLI commands reach data only through these. */
export interface Services {
  database: Database;
  audit: AuditService;
  auditLog: AuditLogService;
  auth: AuthService;
  /** Signing in with an organisation's account; null unless OIDC_ISSUER and friends are set. */
  oidc: OidcSignIn | null;
  users: UserAccountService;
  apiClients: ApiClientService;
  directory: DirectoryService;
  /** Administrators adding and changing organisations and teams. */
  directoryAdmin: OrganisationAdminService;
  demoData: DemoDataService;
  frameworks: FrameworkService;
  access: PersonAccess;
  people: PeopleService;
  sharing: SharingService;
  conversations: ConversationService;
  /** The first conversation asked a page at a time: the answers so far, kept until confirmed. */
  conversationDrafts: ConversationDraftService;
  outcomes: OutcomeService;
  plans: PlanService;
  records: PersonRecordService;
  /** Small steps the person sets themselves between reviews, ticked off with what helped. */
  selfManagement: SelfManagementService;
  rights: RightsService;
  /** Indicators: definitions as data and their disclosure-controlled values from the rollups. */
  indicators: IndicatorService;
  /** Commissioning outcomes frameworks: outcomes → I statements → indicators, versioned. */
  commissioning: CommissioningService;
  /** Contracts between commissioners and providers, with indicators and targets. */
  contracts: ContractService;
  /** Each role's dashboard, put together from indicators, caseloads and contracts. */
  dashboards: DashboardService;
  /** From a figure to the de-identified statements behind it, read for a stated purpose and audited. */
  drilldown: DrilldownService;
  /** The catalogue of measures ("mapping what really matters") and its gap analysis. */
  catalogue: CatalogueService;
  /** The community resource directory: entries kept up to date by the organisations that run them. */
  community: CommunityService;
  /** Finding support in the community directory, for anyone: by need, place, day and time. */
  communitySearch: CommunitySearchService;
  /** The community directory as CSV and Open Referral UK JSON files: import with a per-row report, and export. */
  communityExchange: CommunityExchangeService;
  /** Referrals and signposts to community resources: made from the record, answered by the organisation. */
  communityReferrals: CommunityReferralService;
  /** Outcomes of community support for commissioners: connections and change by kind of support. */
  communityOutcomes: CommunityOutcomesService;
  /** Standard measures administered to people: responses, scores over time, requests and schedules. */
  measures: MeasureService;
  /** The questionnaire library: built-in instruments and imported FHIR Questionnaires. */
  questionnaires: QuestionnaireService;
  /** Care-experience feedback given on a service's public form, typed in by staff or imported. */
  feedback: FeedbackCollectionService;
  /** Masked stories moderated, harm flagged to the service's safeguarding contact. */
  feedbackModeration: FeedbackModerationService;
  /** Stories coded by their organisation's model, codes confirmed and corrected, the model retrained. */
  feedbackCoding: FeedbackCodingService;
  /** Replies to stories, publishing them, changes planned and made, the public page per service. */
  feedbackResponses: FeedbackResponsesService;
  /** The service feedback dashboard: volume, FFT, themes, sentiment, praise and concern, changes made. */
  feedbackDashboard: FeedbackDashboardService;
  /** The touchpoints of each service's pathway, stories grouped by them, and the touchpoint pack. */
  feedbackTouchpoints: FeedbackTouchpointService;
  /** People, outcomes with ratings, plans' actions and feedback imported and exported as CSV. */
  csvExchange: CsvExchangeService;
  /** FHIR Bulk Data $export jobs: queued, run in this process one at a time, files kept a day. */
  fhirExport: FhirExportService;
}

export function createServices(
  database: Database,
  options: {
    oidc?: OidcSettings | null;
    /** Where $export files go (default: the system's temporary folder). */
    fhirExportDir?: string;
  } = {},
): Services {
  const { db } = database;
  const audit = new AuditService(db, database.auditTrail);
  // One cache of resolved sessions, forgotten by whichever service ends or changes them.
  const sessions = new SessionCache();
  const auth = new AuthService(db, audit, sessions);
  const frameworks = new FrameworkService(db, audit);
  const access = new PersonAccess(db, audit);
  const sharing = new SharingService(db, access, audit);
  const people = new PeopleService(db, access, audit, sharing, sessions);
  const outcomes = new OutcomeService(db, access, frameworks, audit);
  const plans = new PlanService(db, access, audit);
  const conversations = new ConversationService(db, access, frameworks, audit);
  const selfManagement = new SelfManagementService(db, access, outcomes, audit);
  const indicatorCatalogue = storedIndicatorCatalogue(db);
  const commissioning = new CommissioningService(db, audit, frameworks, indicatorCatalogue);
  const indicators = new IndicatorService(db, audit);
  const contracts = new ContractService(db, audit, commissioning, indicatorCatalogue);
  const questionnaires = new QuestionnaireService(db, audit);
  const feedbackCoding = new FeedbackCodingService(db, audit);
  const feedback = new FeedbackCollectionService(db, audit, feedbackCoding);
  const communitySearch = new CommunitySearchService(db);
  const communityReferrals = new CommunityReferralService(db, access, audit, communitySearch, plans);
  return {
    database,
    audit,
    auditLog: new AuditLogService(db, access, audit),
    auth,
    oidc: options.oidc ? new OidcSignIn(db, auth, audit, options.oidc) : null,
    users: new UserAccountService(db, audit, sessions),
    apiClients: new ApiClientService(db, audit),
    directory: new DirectoryService(db),
    directoryAdmin: new OrganisationAdminService(db, audit),
    // Demo feedback is stored as any story is (masked, screened, coded), inside the load's transaction.
    demoData: new DemoDataService(db, (trx) => {
      const trail = new AuditService(trx, database.auditTrail);
      return new FeedbackCollectionService(trx, trail, new FeedbackCodingService(trx, trail));
    }),
    frameworks,
    access,
    people,
    sharing,
    conversations,
    conversationDrafts: new ConversationDraftService(db, access, conversations),
    outcomes,
    plans,
    records: new PersonRecordService(
      db,
      access,
      outcomes,
      plans,
      sharing,
      selfManagement,
      communityReferrals,
    ),
    selfManagement,
    rights: new RightsService(db, access, audit, people, sharing, outcomes, plans, database.kind),
    indicators,
    commissioning,
    contracts,
    dashboards: new DashboardService(indicators, people, contracts),
    drilldown: new DrilldownService(db, indicators, access, audit),
    catalogue: new CatalogueService(db, audit, frameworks, commissioning),
    community: new CommunityService(db, audit),
    communitySearch,
    communityReferrals,
    communityOutcomes: new CommunityOutcomesService(indicators, audit),
    communityExchange: new CommunityExchangeService(db, audit),
    measures: new MeasureService(db, access, audit, questionnaires),
    questionnaires,
    feedback,
    feedbackCoding,
    feedbackModeration: new FeedbackModerationService(db, audit),
    feedbackResponses: new FeedbackResponsesService(db, audit),
    feedbackDashboard: new FeedbackDashboardService(db, audit, feedback),
    feedbackTouchpoints: new FeedbackTouchpointService(db, audit),
    fhirExport: new FhirExportService(db, audit, options.fhirExportDir),
    csvExchange: new CsvExchangeService(db, audit, sharing, frameworks, outcomes, plans, feedback, (trx) => {
      const trail = new AuditService(trx, database.auditTrail);
      return new FeedbackCollectionService(trx, trail, new FeedbackCodingService(trx, trail));
    }),
  };
}

/** Brings a database to the state the services expect: the schema, then the shipped reference data. */
export async function prepareDatabase(database: Database): Promise<string[]> {
  const { applied } = await migrateToLatest(database.db);
  // Before anything is audited: the trail must be chained with this database's key.
  await prepareAuditTrail(database.db, database.auditTrail);
  await new FrameworkService(
    database.db,
    new AuditService(database.db, database.auditTrail),
  ).ensureDefaults();
  // The built-in instruments, before anything can schedule or answer a measure.
  await new QuestionnaireService(
    database.db,
    new AuditService(database.db, database.auditTrail),
  ).ensureBuiltIns();
  // PGlite runs no autovacuum, so the planner would never have statistics: refresh them at each
  // start (a few milliseconds on a practice-sized database). PostgreSQL's autovacuum does it there.
  if (database.kind === 'pglite') await sql`analyze`.execute(database.db);
  return applied;
}
