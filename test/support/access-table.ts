import type { Access } from '../../src/domain/route-access.js';

/**
 * The access table: who may use each route, written out independently of the routes' own
 * configuration so the two can be checked against each other. A route missing here fails the
 * role × route matrix test.
 *
 * `person` is the rule the services apply to the person in the path, when there is one:
 * - view: the care team, the person, and carers they have authorised to see
 * - contribute: as view, but carers only if also authorised to add
 * - decide: the care team and the person (decisions about the record are not a carer's)
 * - manage: the care team only
 * - carer-of: carers the person has authorised (a carer's view of someone they care for)
 */
export type PersonRule = 'view' | 'contribute' | 'decide' | 'manage' | 'carer-of';

export interface RouteRule {
  access: Access;
  person?: PersonRule;
  /** A well-formed body, for probing people outside the caller's scope without being stopped by validation. */
  sample?: Record<string, unknown>;
  /** The path names a record by id (a request, say); the matrix uses made-up ids, so 404 is a right answer. */
  lookup?: boolean;
}

const staff = { roles: ['practitioner', 'team-manager'] } as const;
const managers = { roles: ['team-manager', 'admin'] } as const;
const admin = { roles: ['admin'] } as const;
const peopleAndStaff = { roles: ['person', 'carer', 'practitioner', 'team-manager'] } as const;
const aggregateReaders = { roles: ['practitioner', 'team-manager', 'commissioner', 'analyst'] } as const;
const indicatorAuthors = { roles: ['commissioner', 'analyst'] } as const;
const commissioners = { roles: ['commissioner'] } as const;
const frameworkReaders = { roles: ['commissioner', 'analyst'] } as const;
const contractReaders = { roles: ['commissioner', 'analyst', 'team-manager'] } as const;
/** Staff who may work for an organisation receiving referrals (every staff role but an administrator's). */
const referralReceivers = { roles: ['practitioner', 'team-manager', 'commissioner', 'analyst'] } as const;
const communityStaff = {
  roles: ['practitioner', 'team-manager', 'commissioner', 'analyst', 'admin'],
} as const;

export const ACCESS_TABLE: Record<string, RouteRule> = {
  'GET /api/openapi.json': { access: 'public' },
  // FHIR: one set of routes over every served type; the services decide per person (docs/FHIR.md).
  'GET /fhir/metadata': { access: 'public' },
  'GET /fhir/:type': { access: 'signed-in' },
  'POST /fhir/:type': { access: 'signed-in' },
  'GET /fhir/:type/:id': { access: 'signed-in', lookup: true },
  'PUT /fhir/:type/:id': { access: 'signed-in', lookup: true },
  'GET /fhir/:type/:id/_history': { access: 'signed-in', lookup: true },
  'GET /fhir/:type/:id/_history/:vid': { access: 'signed-in', lookup: true },
  'GET /health': { access: 'public' },
  'GET /ready': { access: 'public' },
  'POST /api/session': { access: 'public' },
  'GET /api/session': { access: 'signed-in' },
  'DELETE /api/session': { access: 'signed-in' },
  'GET /api/organisations': { access: 'signed-in' },
  'POST /api/calc/nhs-number': { access: 'signed-in' },
  'POST /api/calc/age': { access: 'signed-in' },
  'POST /api/calc/spc': { access: 'signed-in' },
  'POST /api/calc/funnel': { access: 'signed-in' },
  'POST /api/calc/suppress': { access: 'signed-in' },
  'POST /api/calc/deidentify': { access: 'signed-in' },
  'POST /api/calc/gas': { access: 'signed-in' },
  'POST /api/calc/score': { access: 'signed-in' },
  'GET /api/caseload': { access: staff },
  'POST /api/people': { access: staff },
  'GET /api/people/:personId': { access: 'signed-in', person: 'view' },
  'PATCH /api/people/:personId/contact': {
    access: 'signed-in',
    person: 'decide',
    sample: { phone: '01234 567890' },
  },
  'POST /api/people/:personId/care-team': { access: staff, person: 'manage' },
  'POST /api/people/:personId/relationships': {
    access: 'signed-in',
    person: 'decide',
    sample: { name: 'Sam', relationshipType: 'friend', isCarer: false },
  },
  'PUT /api/people/:personId/relationships/:relationshipId/authorisation': {
    access: 'signed-in',
    person: 'decide',
    sample: { mayView: false, mayContribute: false },
  },
  'GET /api/people/:personId/sharing': { access: 'signed-in', person: 'view' },
  'POST /api/people/:personId/sharing': { access: 'signed-in', person: 'decide' },
  'POST /api/people/:personId/sharing/:basisId/withdraw': {
    access: 'signed-in',
    person: 'decide',
    sample: {},
  },
  'POST /api/break-glass': { access: staff },
  'GET /api/break-glass/report': { access: managers },
  'GET /api/frameworks': { access: 'signed-in' },
  // The catalogue of measures: read by everyone signed in; writes pass the door and the service
  // refuses (and audits) anyone but administrators and commissioners; gaps are service figures.
  'GET /api/catalogue': { access: 'signed-in' },
  'GET /api/catalogue/gaps': { access: aggregateReaders },
  'GET /api/catalogue/:entryId': { access: 'signed-in', lookup: true },
  'POST /api/catalogue': { access: 'signed-in' },
  // The community directory's writes: signed in (or an API client with community:write) at the
  // door; the community service decides by the entry's organisation and audits refusals.
  'POST /api/community/resources': { access: 'signed-in' },
  'PUT /api/community/resources/:resourceId': { access: 'signed-in', lookup: true },
  // Finding support is for anyone, signed in or not (docs/COMMUNITY.md, "Finding support"); an
  // entry people may not see (closed, long out of date, or made up) answers 404.
  'GET /api/community/resources': { access: 'public' },
  'GET /api/community/resources/:resourceId': { access: 'public', lookup: true },
  'GET /community': { access: 'public' },
  'GET /community/resources/:resourceId': { access: 'public', lookup: true },
  'PUT /api/catalogue/:entryId': { access: 'signed-in', lookup: true },
  'POST /api/frameworks': { access: admin },
  // The questionnaire library: read by everyone signed in; an import passes the door and the
  // service refuses (and audits) anyone but administrators.
  'GET /api/questionnaires': { access: 'signed-in' },
  'GET /api/questionnaires/:questionnaireId': { access: 'signed-in', lookup: true },
  'POST /api/questionnaires': { access: 'signed-in' },
  'POST /api/people/:personId/conversations': { access: staff, person: 'manage' },
  'GET /api/people/:personId/outcomes': { access: 'signed-in', person: 'view' },
  'POST /api/people/:personId/outcomes': {
    access: 'signed-in',
    person: 'contribute',
    sample: { statement: 'I want to dance' },
  },
  'POST /api/people/:personId/outcomes/:outcomeId/ratings': {
    access: 'signed-in',
    person: 'contribute',
    sample: { score: 2 },
  },
  // Self-management steps (src/features/self-management): the steps are made-up ids, so 404 is a right answer.
  'GET /api/people/:personId/self-management/steps': { access: 'signed-in', person: 'view' },
  'POST /api/people/:personId/self-management/steps': {
    access: 'signed-in',
    person: 'contribute',
    sample: { outcomeId: '00000000-0000-4000-8000-000000000000', words: 'Walk to the shop' },
  },
  'PUT /api/people/:personId/self-management/steps/:stepId/progress': {
    access: 'signed-in',
    person: 'contribute',
    sample: { done: true },
    lookup: true,
  },
  // Referrals and signposts to community support (src/features/community-referrals, docs/REFERRALS.md):
  // the person's under the person, by the record's rule; the organisation's admit its staff roles
  // at the door and the service decides by the resource's organisation. Referral ids are made up
  // here, so 404 is a right answer.
  'GET /api/people/:personId/community-referrals': { access: 'signed-in', person: 'view' },
  'POST /api/people/:personId/community-referrals': {
    access: 'signed-in',
    person: 'contribute',
    sample: {
      resourceId: '00000000-0000-4000-8000-000000000000',
      kind: 'signpost',
      needs: [],
      reason: '',
      shareConsent: false,
    },
  },
  'POST /api/people/:personId/community-referrals/:referralId/responses': {
    access: 'signed-in',
    lookup: true,
  },
  'POST /api/people/:personId/community-referrals/:referralId/attendance': {
    access: 'signed-in',
    lookup: true,
  },
  'POST /api/people/:personId/community-referrals/:referralId/withdrawal': {
    access: 'signed-in',
    lookup: true,
  },
  'POST /api/people/:personId/community-referrals/:referralId/end': { access: 'signed-in', lookup: true },
  'GET /api/community/referrals': { access: referralReceivers },
  'GET /api/community/referrals/:personId/:referralId': { access: referralReceivers, lookup: true },
  'GET /people/:personId/community-support/find': { access: peopleAndStaff, person: 'contribute' },
  'GET /my/community-support/find': { access: { roles: ['person', 'carer'] }, lookup: true },
  'GET /my/community-support': { access: { roles: ['person', 'carer'] }, lookup: true },
  // Without a resource in the address the form has nothing to refer to: 404.
  'GET /people/:personId/community-referrals/new': {
    access: peopleAndStaff,
    person: 'contribute',
    lookup: true,
  },
  'POST /people/:personId/community-referrals/new': {
    access: peopleAndStaff,
    person: 'contribute',
    lookup: true,
  },
  'POST /people/:personId/community-referrals/:referralId/withdrawal': {
    access: peopleAndStaff,
    lookup: true,
  },
  'POST /people/:personId/community-referrals/:referralId/end': { access: peopleAndStaff, lookup: true },
  'GET /people/:personId/community-referrals/:referralId/attendance': {
    access: peopleAndStaff,
    lookup: true,
  },
  'POST /people/:personId/community-referrals/:referralId/attendance': {
    access: peopleAndStaff,
    lookup: true,
  },
  'GET /community/referrals': { access: referralReceivers },
  'GET /community/referrals/:personId/:referralId': { access: referralReceivers, lookup: true },
  'POST /community/referrals/:personId/:referralId/response': { access: referralReceivers, lookup: true },
  'POST /community/referrals/:personId/:referralId/attendance': { access: referralReceivers, lookup: true },
  'POST /community/referrals/:personId/:referralId/end': { access: referralReceivers, lookup: true },
  'GET /api/people/:personId/plan': { access: 'signed-in', person: 'view' },
  'GET /api/people/:personId/plan/versions/:version': { access: 'signed-in', person: 'view' },
  'GET /api/people/:personId/plan/compare': { access: 'signed-in', person: 'view' },
  'POST /api/people/:personId/plan/versions': { access: staff, person: 'manage' },
  'POST /api/people/:personId/plan/comments': {
    access: 'signed-in',
    person: 'contribute',
    sample: { version: 1, body: 'Looks right' },
  },
  'GET /api/people/:personId/access-log': { access: 'signed-in', person: 'view' },
  'GET /api/audit': { access: managers },
  'POST /api/audit/verification': { access: admin },
  'GET /': { access: 'public' },
  'GET /favicon.ico': { access: 'public' },
  'GET /account': { access: 'signed-in' },
  'GET /sign-in': { access: 'public' },
  'POST /sign-in': { access: 'public' },
  'POST /sign-out': { access: 'public' },
  'GET /organisations': { access: 'signed-in' },
  'GET /api/docs': { access: 'public' },
  'GET /people/:personId/plan': { access: 'signed-in', person: 'view' },
  'POST /people/:personId/plan/comments': { access: 'signed-in', person: 'contribute' },
  'GET /people/:personId/plan/print': { access: 'signed-in', person: 'view' },
  'GET /people/:personId/plan/versions/:version': { access: 'signed-in', person: 'view' },
  'GET /people/:personId/plan/compare': { access: 'signed-in', person: 'view' },
  'GET /people/:personId/plan/edit': { access: staff, person: 'manage' },
  'POST /people/:personId/plan/edit': { access: staff, person: 'manage' },
  'GET /my': { access: { roles: ['person', 'carer'] } },
  'GET /my/people/:personId': { access: { roles: ['carer'] }, person: 'carer-of' },
  'GET /my/carer-record': { access: { roles: ['carer'] } },
  'POST /my/carer-record': { access: { roles: ['carer'] } },
  // The person's own detail pages (/my/…) and a carer's view of someone's (/my/people/{personId}/…).
  // A carer without a record of their own has no /my/outcomes/… to open, so 404 is a right answer.
  'GET /my/outcomes/:outcomeId': { access: { roles: ['person', 'carer'] }, lookup: true },
  'GET /my/people/:personId/outcomes/:outcomeId': { access: { roles: ['carer'] }, person: 'carer-of' },
  'GET /my/care-team': { access: { roles: ['person'] } },
  'GET /my/people/:personId/care-team': { access: { roles: ['carer'] }, person: 'carer-of' },
  'GET /my/sharing': { access: { roles: ['person'] } },
  'GET /my/rights': { access: { roles: ['person'] } },
  'GET /my/people/:personId/rights': { access: { roles: ['carer'] }, person: 'carer-of' },
  'GET /my/steps': { access: { roles: ['person', 'carer'] }, lookup: true },
  'GET /my/people/:personId/steps': { access: { roles: ['carer'] }, person: 'carer-of' },
  'GET /people/:personId/self-management/steps/new': { access: peopleAndStaff, person: 'contribute' },
  'POST /people/:personId/self-management/steps/new': { access: peopleAndStaff, person: 'contribute' },
  'GET /people/:personId/self-management/steps/:stepId': {
    access: peopleAndStaff,
    person: 'contribute',
    lookup: true,
  },
  'POST /people/:personId/self-management/steps/:stepId': {
    access: peopleAndStaff,
    person: 'contribute',
    lookup: true,
  },
  'GET /people/:personId/outcomes/new': { access: peopleAndStaff, person: 'contribute' },
  'POST /people/:personId/outcomes/new': { access: peopleAndStaff, person: 'contribute' },
  'GET /people/:personId/outcomes/:outcomeId/rate': { access: peopleAndStaff, person: 'contribute' },
  'POST /people/:personId/outcomes/:outcomeId/rate': { access: peopleAndStaff, person: 'contribute' },
  'GET /caseload': { access: staff },
  'GET /people/:personId/reallocate': { access: { roles: ['team-manager'] }, person: 'manage' },
  'POST /people/:personId/reallocate': {
    access: { roles: ['team-manager'] },
    person: 'manage',
    sample: { toUserId: '00000000-0000-4000-8000-000000000000' },
  },
  'GET /people/new': { access: staff },
  'POST /people/new': { access: staff },
  'GET /people/:personId': { access: 'signed-in', person: 'view' },
  // Standard measures administered to people (features/measures). Routes naming a questionnaire,
  // schedule or request by id answer 404 for a made-up one.
  'POST /api/people/:personId/measures': {
    access: 'signed-in',
    person: 'decide',
    sample: { instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 0] },
  },
  'GET /api/people/:personId/measures': { access: 'signed-in', person: 'view' },
  'POST /api/people/:personId/measure-requests': {
    access: staff,
    person: 'manage',
    sample: { instrument: 'phq9' },
  },
  'POST /api/people/:personId/measure-schedules': {
    access: staff,
    person: 'manage',
    sample: { instrument: 'phq9', atStart: true, atReview: false, atEnd: false },
  },
  'POST /api/people/:personId/measure-schedules/end': { access: staff, person: 'manage', sample: {} },
  'DELETE /api/people/:personId/measure-schedules/:scheduleId': {
    access: staff,
    person: 'manage',
    lookup: true,
  },
  'GET /people/:personId/measures': { access: 'signed-in', person: 'view' },
  'GET /people/:personId/measures/:questionnaireId': { access: 'signed-in', person: 'view', lookup: true },
  'GET /people/:personId/measures/:questionnaireId/:series.csv': {
    access: 'signed-in',
    person: 'view',
    lookup: true,
  },
  'GET /people/:personId/measures/new': { access: staff, person: 'manage' },
  'POST /people/:personId/measures/new': { access: staff, person: 'manage' },
  'GET /people/:personId/measures/new/:questionnaireId': { access: staff, person: 'manage', lookup: true },
  'POST /people/:personId/measures/new/:questionnaireId': { access: staff, person: 'manage', lookup: true },
  'POST /people/:personId/measures/new/:questionnaireId/change': {
    access: staff,
    person: 'manage',
    lookup: true,
  },
  'POST /people/:personId/measures/new/:questionnaireId/save': {
    access: staff,
    person: 'manage',
    lookup: true,
  },
  'GET /people/:personId/measures/send': { access: staff, person: 'manage' },
  'POST /people/:personId/measures/send': { access: staff, person: 'manage' },
  'GET /people/:personId/measures/schedule': { access: staff, person: 'manage' },
  'POST /people/:personId/measures/schedule': { access: staff, person: 'manage' },
  'POST /people/:personId/measures/schedules/:scheduleId/stop': {
    access: staff,
    person: 'manage',
    lookup: true,
  },
  'GET /people/:personId/measures/end': { access: staff, person: 'manage' },
  'POST /people/:personId/measures/end': { access: staff, person: 'manage' },
  // The person's own questionnaires (a carer without a record of their own has none: 404).
  'GET /my/measures': { access: { roles: ['person', 'carer'] }, lookup: true },
  'GET /my/measures/scores/:questionnaireId': { access: { roles: ['person', 'carer'] }, lookup: true },
  'GET /my/measures/scores/:questionnaireId/:series.csv': {
    access: { roles: ['person', 'carer'] },
    lookup: true,
  },
  'GET /my/measures/:requestId': { access: { roles: ['person', 'carer'] }, lookup: true },
  'POST /my/measures/:requestId': { access: { roles: ['person', 'carer'] }, lookup: true },
  'POST /my/measures/:requestId/change': { access: { roles: ['person', 'carer'] }, lookup: true },
  'POST /my/measures/:requestId/save': { access: { roles: ['person', 'carer'] }, lookup: true },
  'GET /people/:personId/details': { access: 'signed-in', person: 'view' },
  'POST /people/:personId/details': { access: 'signed-in', person: 'decide' },
  'GET /people/:personId/timeline': { access: 'signed-in', person: 'view' },
  'GET /people/:personId/conversations/new': { access: staff, person: 'manage' },
  'POST /people/:personId/conversations/new': { access: staff, person: 'manage' },
  'GET /people/:personId/conversations/first/:step': { access: staff, person: 'manage' },
  'POST /people/:personId/conversations/first/:step': { access: staff, person: 'manage' },
  'GET /people/:personId/care-team/add': { access: staff, person: 'manage' },
  'POST /people/:personId/care-team/add': { access: staff, person: 'manage' },
  'GET /people/:personId/circle/add': { access: 'signed-in', person: 'view' },
  'POST /people/:personId/circle/add': { access: 'signed-in', person: 'decide' },
  'POST /people/:personId/circle/:relationshipId/authorisation': { access: 'signed-in', person: 'decide' },
  'GET /people/:personId/sharing/:basisId/withdraw': { access: 'signed-in', person: 'decide', lookup: true },
  'POST /people/:personId/sharing/:basisId/withdraw': { access: 'signed-in', person: 'decide' },
  'GET /people/:personId/sharing/consent/:organisationId': {
    access: { roles: ['person'] },
    person: 'decide',
    lookup: true,
  },
  'POST /people/:personId/sharing/consent/:organisationId': { access: { roles: ['person'] } },
  // A manager of the lead team, or an administrator for a record needing a team: 404 for the rest.
  'GET /people/:personId/lead-team': { access: managers, lookup: true },
  'POST /people/:personId/lead-team': { access: managers },
  'GET /records-needing-a-team': { access: managers },
  'GET /break-glass': { access: staff },
  'POST /break-glass': { access: staff },
  'GET /break-glass/report': { access: managers },
  'GET /frameworks': { access: 'signed-in' },
  // The community directory's staff pages (docs/COMMUNITY.md): staff at the door for what they
  // read; writes are signed in at the door and the community service refuses anyone not of the
  // organisation that runs the entry, audited. Made-up entry ids answer 404.
  'GET /community/manage': { access: communityStaff },
  'GET /community/manage/new': { access: communityStaff },
  'POST /community/manage/new': { access: 'signed-in' },
  'GET /community/manage/:resourceId/edit': { access: communityStaff, lookup: true },
  'POST /community/manage/:resourceId/edit': { access: 'signed-in', lookup: true },
  'POST /community/manage/:resourceId/review': { access: 'signed-in', lookup: true },
  'POST /community/manage/:resourceId/close': { access: 'signed-in', lookup: true },
  'POST /community/manage/:resourceId/reopen': { access: 'signed-in', lookup: true },
  // The directory as files (docs/COMMUNITY.md, "Exchanging the directory"): anyone downloads what
  // they may see; importing is staff at the door, and the exchange service refuses (audited) staff
  // of no organisation and rows for organisations the importer does not keep.
  'GET /community/export.csv': { access: 'public' },
  'GET /community/export.json': { access: 'public' },
  'GET /community/manage/import': { access: communityStaff },
  'POST /community/manage/import': { access: 'signed-in' },
  'GET /catalogue': { access: 'signed-in' },
  'GET /catalogue/gaps': { access: aggregateReaders },
  'GET /catalogue/new': { access: { roles: ['admin', 'commissioner'] } },
  'POST /catalogue/new': { access: 'signed-in' },
  'GET /catalogue/:entryId': { access: 'signed-in', lookup: true },
  'GET /catalogue/:entryId/edit': { access: { roles: ['admin', 'commissioner'] }, lookup: true },
  'POST /catalogue/:entryId/edit': { access: 'signed-in', lookup: true },
  // Each questionnaire's page, for staff, by id or a built-in's key (made-up ids: 404).
  'GET /questionnaires/:questionnaire': {
    access: { roles: ['practitioner', 'team-manager', 'commissioner', 'analyst', 'admin'] },
    lookup: true,
  },
  'GET /admin/questionnaires': { access: admin },
  'GET /admin/questionnaires/import': { access: admin },
  'POST /admin/questionnaires/import': { access: admin },
  'POST /admin/questionnaires/import/confirm': { access: admin },
  'GET /admin/questionnaires/:questionnaireId': { access: admin, lookup: true },
  'POST /admin/questionnaires/:questionnaireId/preview': { access: admin, lookup: true },
  'POST /admin/questionnaires/:questionnaireId/retire': { access: admin, lookup: true },
  'POST /admin/questionnaires/:questionnaireId/reinstate': { access: admin, lookup: true },
  'GET /frameworks/new': { access: admin },
  'POST /frameworks/new': { access: admin },
  'GET /frameworks/:frameworkId/retire': { access: admin, lookup: true },
  'POST /frameworks/:frameworkId/retire': { access: admin, lookup: true },
  'POST /frameworks/:frameworkId/reinstate': { access: admin, lookup: true },
  'POST /frameworks/:frameworkId/default': { access: admin, lookup: true },
  // Indicators: aggregates only (disclosure-controlled), within each role's units; defining one is
  // for commissioners and analysts. A made-up key is not an indicator: 404 is a right answer.
  'GET /api/commissioning/community': { access: indicatorAuthors },
  'GET /api/indicators': { access: aggregateReaders },
  'GET /api/indicators/:key': { access: aggregateReaders, lookup: true },
  'GET /api/indicators/:key/values': { access: aggregateReaders, lookup: true },
  'POST /api/indicators': { access: indicatorAuthors },
  'GET /indicators': { access: aggregateReaders },
  'GET /indicators/new': { access: indicatorAuthors },
  'POST /indicators/new': { access: indicatorAuthors },
  'GET /indicators/:key': { access: aggregateReaders, lookup: true },
  'GET /admin': { access: admin },
  'GET /admin/csv': { access: admin },
  'POST /admin/csv': { access: admin },
  'GET /admin/csv/export': { access: admin },
  'GET /admin/organisations': { access: admin },
  'GET /admin/organisations/new': { access: admin },
  'POST /admin/organisations/new': { access: admin },
  'GET /admin/organisations/:organisationId/edit': { access: admin, lookup: true },
  'POST /admin/organisations/:organisationId/edit': { access: admin, lookup: true },
  'GET /admin/organisations/:organisationId/teams/new': { access: admin, lookup: true },
  'POST /admin/organisations/:organisationId/teams/new': { access: admin, lookup: true },
  'GET /admin/organisations/:organisationId/teams/:teamId/edit': { access: admin, lookup: true },
  'POST /admin/organisations/:organisationId/teams/:teamId/edit': { access: admin, lookup: true },
  'GET /admin/users': { access: admin },
  'GET /admin/users/new': { access: admin },
  'POST /admin/users/new': { access: admin },
  'GET /admin/users/:userId': { access: admin, lookup: true },
  'GET /admin/users/:userId/edit': { access: admin, lookup: true },
  'POST /admin/users/:userId/edit': { access: admin, lookup: true },
  'GET /admin/users/:userId/disable': { access: admin, lookup: true },
  'POST /admin/users/:userId/disable': { access: admin, lookup: true },
  'POST /admin/users/:userId/enable': { access: admin, lookup: true },
  'POST /admin/users/:userId/unlock': { access: admin, lookup: true },
  'POST /admin/users/:userId/password-reset': { access: admin, lookup: true },
  'GET /admin/users/:userId/roles/new': { access: admin, lookup: true },
  'POST /admin/users/:userId/roles/new': { access: admin, lookup: true },
  'GET /admin/users/:userId/roles/:userRoleId/remove': { access: admin, lookup: true },
  'POST /admin/users/:userId/roles/:userRoleId/remove': { access: admin, lookup: true },
  // A made-up link is not valid: 404 for everyone.
  'GET /reset-password/:token': { access: 'public', lookup: true },
  'POST /reset-password/:token': { access: 'public', lookup: true },
  'GET /my/access-log': { access: { roles: ['person'] } },
  'GET /audit': { access: managers },
  'POST /oauth/token': { access: 'public' },
  // FHIR bulk export (docs/FHIR.md, "Bulk export"): started by care staff (their caseload) or a
  // system client (its scopes); a job's status and files answer only whoever started it (404 otherwise).
  'GET /fhir/$export': { access: staff },
  'POST /fhir/$export': { access: staff },
  'GET /fhir/Patient/$export': { access: staff },
  'POST /fhir/Patient/$export': { access: staff },
  'GET /fhir/Group/:id/$export': { access: staff, lookup: true },
  'POST /fhir/Group/:id/$export': { access: staff, lookup: true },
  'GET /fhir/$export-status/:jobId': { access: 'signed-in', lookup: true },
  'DELETE /fhir/$export-status/:jobId': { access: 'signed-in', lookup: true },
  'GET /fhir/$export-files/:jobId/:file': { access: 'signed-in', lookup: true },
  // 404 while OpenID Connect is not configured, as in these tests.
  'GET /sign-in/oidc': { access: 'public', lookup: true },
  'GET /sign-in/oidc/callback': { access: 'public', lookup: true },
  'GET /account/password': { access: 'signed-in' },
  'POST /account/password': { access: 'signed-in' },
  'POST /account/sign-out-everywhere': { access: 'signed-in' },
  'GET /api/people/:personId/export': { access: 'signed-in', person: 'decide' },
  'GET /api/people/:personId/rectification-requests': { access: 'signed-in', person: 'view' },
  'POST /api/people/:personId/rectification-requests': {
    access: 'signed-in',
    person: 'contribute',
    sample: { whatIsWrong: 'My date of birth is wrong' },
  },
  'POST /api/people/:personId/rectification-requests/:requestId/resolve': {
    access: 'signed-in',
    person: 'manage',
    lookup: true,
  },
  'GET /api/people/:personId/erasure-requests': { access: 'signed-in', person: 'view' },
  'POST /api/people/:personId/erasure-requests': { access: 'signed-in', person: 'decide' },
  'GET /api/admin/erasure-requests': { access: admin },
  'GET /api/admin/erasure-requests/:personId/:requestId': { access: admin, lookup: true },
  'POST /api/admin/erasure-requests/:personId/:requestId/decide': { access: admin, lookup: true },
  'GET /people/:personId/export': { access: 'signed-in', person: 'decide' },
  'GET /people/:personId/rectification-requests/new': { access: 'signed-in', person: 'contribute' },
  'POST /people/:personId/rectification-requests/new': { access: 'signed-in', person: 'contribute' },
  'GET /people/:personId/rectification-requests/:requestId': {
    access: 'signed-in',
    person: 'manage',
    lookup: true,
  },
  'POST /people/:personId/rectification-requests/:requestId': {
    access: 'signed-in',
    person: 'manage',
    lookup: true,
  },
  'GET /people/:personId/erasure-requests/new': { access: 'signed-in', person: 'decide' },
  'POST /people/:personId/erasure-requests/new': { access: 'signed-in', person: 'decide' },
  'GET /admin/erasure-requests': { access: admin },
  'GET /admin/erasure-requests/:personId/:requestId': { access: admin, lookup: true },
  'POST /admin/erasure-requests/:personId/:requestId/decline': { access: admin, lookup: true },
  'POST /admin/erasure-requests/:personId/:requestId/erase': { access: admin, lookup: true },
  // Commissioning frameworks: commissioners and analysts read; commissioners publish versions.
  'GET /api/commissioning/frameworks': { access: frameworkReaders },
  'GET /api/commissioning/frameworks/:frameworkId': { access: frameworkReaders, lookup: true },
  'POST /api/commissioning/frameworks': { access: commissioners },
  'GET /commissioning/frameworks': { access: frameworkReaders },
  'GET /commissioning/frameworks/:frameworkId': { access: frameworkReaders, lookup: true },
  'GET /commissioning/frameworks/new': { access: commissioners },
  'POST /commissioning/frameworks/new': { access: commissioners },
  'GET /commissioning/frameworks/:frameworkId/new-version': { access: commissioners, lookup: true },
  'POST /commissioning/frameworks/:frameworkId/new-version': { access: commissioners, lookup: true },
  // Contracts: commissioners and analysts read all; team managers those naming their organisation
  // (a made-up id is 404 for everyone); commissioners make and change their organisation's.
  'GET /api/contracts': { access: contractReaders },
  'GET /api/contracts/:contractId': { access: contractReaders, lookup: true },
  'POST /api/contracts': { access: commissioners },
  'GET /contracts': { access: contractReaders },
  'GET /contracts/new': { access: commissioners },
  'POST /contracts/new': { access: commissioners },
  'GET /contracts/:contractId': { access: contractReaders, lookup: true },
  'GET /contracts/:contractId/edit': { access: commissioners, lookup: true },
  'POST /contracts/:contractId/edit': { access: commissioners, lookup: true },
  // Dashboards: each role its own. A chart's CSV names the chart: a made-up one is 404.
  'GET /dashboards/team': { access: { roles: ['team-manager'] } },
  'GET /dashboards/team/:chart.csv': { access: { roles: ['team-manager'] }, lookup: true },
  'GET /dashboards/provider': { access: { roles: ['team-manager'] } },
  'GET /dashboards/provider/:chart.csv': { access: { roles: ['team-manager'] }, lookup: true },
  'GET /dashboards/commissioner': { access: commissioners },
  'GET /commissioning/community': { access: indicatorAuthors },
  'GET /dashboards/commissioner/:chart.csv': { access: commissioners, lookup: true },
  'GET /dashboards/analyst': { access: { roles: ['analyst'] } },
  'GET /dashboards/analyst/:chart.csv': { access: { roles: ['analyst'] }, lookup: true },
  'GET /contracts/:contractId/charts/:chart.csv': { access: contractReaders, lookup: true },
  // The statements behind a figure: de-identified text, read for a stated purpose and audited.
  // Practitioners open their own people's records instead.
  'GET /indicators/:key/charts/:chart.csv': { access: aggregateReaders, lookup: true },
  'GET /indicators/:key/statements': {
    access: { roles: ['team-manager', 'commissioner', 'analyst'] },
    lookup: true,
  },
  // Giving feedback (docs/FEEDBACK.md): each service's public form, no account needed; the
  // service's practitioners and team managers enter and read its feedback (the service refuses
  // staff of other services with 403; a made-up key is 404).
  'GET /feedback/:serviceKey': { access: 'public', lookup: true },
  'POST /feedback/:serviceKey': { access: 'public', lookup: true },
  'GET /feedback/:serviceKey/thank-you': { access: 'public', lookup: true },
  'GET /service-feedback': { access: staff },
  'GET /service-feedback/:serviceKey': { access: staff, lookup: true },
  'GET /service-feedback/:serviceKey/new': { access: staff, lookup: true },
  'POST /service-feedback/:serviceKey/new': { access: staff, lookup: true },
  'GET /service-feedback/:serviceKey/poster': { access: staff, lookup: true },
  // The service feedback dashboard and its charts' data: the service's own staff (others 403, audited).
  'GET /service-feedback/:serviceKey/dashboard': { access: staff, lookup: true },
  'GET /service-feedback/:serviceKey/dashboard/:chart.csv': { access: staff, lookup: true },
  'GET /api/services/:serviceKey/feedback': { access: staff, lookup: true },
  'POST /api/services/:serviceKey/feedback': { access: staff, lookup: true },
  // Moderation and safeguarding flags: signed in at the door; the moderation service lets the
  // service's staff and its named safeguarding contact read a story, its team managers moderate,
  // the contact (and moderators) record the first action, and audits every refusal.
  'GET /service-feedback/:serviceKey/stories/:feedbackId': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/stories/:feedbackId/masks': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/stories/:feedbackId/criticality': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/stories/:feedbackId/first-action': {
    access: 'signed-in',
    lookup: true,
  },
  'GET /service-feedback/:serviceKey/safeguarding-contact': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/safeguarding-contact': { access: 'signed-in', lookup: true },
  'GET /safeguarding': { access: 'signed-in' },
  // Experience-based co-design: signed in at the door; the touchpoint service lets the service's
  // staff define its pathway, review a story's touchpoints and make the pack, and audits refusals.
  'GET /service-feedback/:serviceKey/touchpoints': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/touchpoints': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/touchpoints/suggested': { access: 'signed-in', lookup: true },
  'GET /service-feedback/:serviceKey/touchpoints/pack': { access: 'signed-in', lookup: true },
  'GET /service-feedback/:serviceKey/touchpoints/pack.csv': { access: 'signed-in', lookup: true },
  'GET /service-feedback/:serviceKey/touchpoints/:touchpointId': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/touchpoints/:touchpointId': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/touchpoints/:touchpointId/move': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/touchpoints/:touchpointId/retire': {
    access: 'signed-in',
    lookup: true,
  },
  'POST /service-feedback/:serviceKey/stories/:feedbackId/touchpoints': { access: 'signed-in', lookup: true },
  // Coding in use (docs/CODING.md): the service's staff confirm and correct a story's codes (the
  // coding service refuses others, audited); the models page is for feedback staff, and retraining
  // for team managers (the service checks they manage the organisation named).
  'POST /service-feedback/:serviceKey/stories/:feedbackId/codes': { access: 'signed-in', lookup: true },
  'GET /service-feedback/coding': { access: staff },
  'POST /service-feedback/coding/:organisationId/retrain': {
    access: { roles: ['team-manager'] },
    lookup: true,
  },
  // Responding and changing (docs/FEEDBACK.md): signed in at the door; the responses service lets
  // the service's staff reply, record changes and link stories, its team managers publish, and
  // audits every refusal. The public page of published stories needs no account (404 unknown key).
  'POST /service-feedback/:serviceKey/stories/:feedbackId/reply': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/stories/:feedbackId/publish': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/stories/:feedbackId/withdraw': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/stories/:feedbackId/link-change': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/stories/:feedbackId/record-change': {
    access: 'signed-in',
    lookup: true,
  },
  'GET /service-feedback/:serviceKey/changes': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/changes': { access: 'signed-in', lookup: true },
  'POST /service-feedback/:serviceKey/changes/:changeId/made': { access: 'signed-in', lookup: true },
  'GET /feedback/:serviceKey/stories': { access: 'public', lookup: true },
};
