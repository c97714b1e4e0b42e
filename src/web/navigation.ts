import { type Actor, hasRole } from '../domain/actor.js';
import type { Role } from '../domain/roles.js';
import { type Access, decideAccess } from '../domain/route-access.js';

export interface NavigationItem {
  href: string;
  text: string;
  current?: boolean;
  active?: boolean;
}

/** The header's links, in order. Who sees each is not decided here: it is the page route's own access rule. */
const HEADER_LINKS: readonly { href: string; text: string; audience?: readonly Role[] }[] = [
  { href: '/', text: 'Home' },
  { href: '/caseload', text: 'Caseload' },
  { href: '/my', text: 'My record' },
  // Public: anyone, signed in or not, may look for support in the community directory.
  { href: '/community', text: 'Find support' },
  { href: '/organisations', text: 'Organisations' },
  { href: '/frameworks', text: 'Frameworks' },
  // The map of what measures exist and where the gaps are: for staff, not for people using services.
  {
    href: '/catalogue',
    text: 'Measures catalogue',
    audience: ['practitioner', 'team-manager', 'commissioner', 'analyst', 'admin'],
  },
  { href: '/audit', text: 'Audit log' },
  { href: '/admin', text: 'Administration' },
  { href: '/admin/erasure-requests', text: 'Erasure requests' },
  // Managers reach it from their caseload; administrators have no caseload to start from.
  { href: '/records-needing-a-team', text: 'Records needing a team', audience: ['admin'] },
  // Public, but only worth a header link for those who build on the API.
  { href: '/api/docs', text: 'API', audience: ['admin', 'team-manager', 'analyst', 'commissioner'] },
];

/** A task on the home page: where it is, what it is called, and what it is for. */
export interface HomeTask {
  href: string;
  heading: string;
  description: string;
}

/**
 * What each role can do, as the home page offers it: only what exists (issue 9: say only what is
 * true). A task shows to those in its audience whose roles the page's own access rule lets in,
 * as the header's links do; the first task for an address wins, so a role's own wording comes first.
 */
const HOME_TASKS: readonly (HomeTask & { audience: readonly Role[] })[] = [
  // Each role that reads aggregates starts at its dashboard (issue 10).
  {
    href: '/dashboards/team',
    heading: 'Your team’s dashboard',
    description:
      'Reviews due and overdue, outcomes by domain and how far they are achieved, change since first review, goal attainment, where views differ and what people say matters most.',
    audience: ['team-manager'],
  },
  {
    href: '/dashboards/commissioner',
    heading: 'Commissioner dashboard',
    description:
      'Each contract’s indicators against target with SPC, and providers compared on a funnel plot; every figure opens onto what people said.',
    audience: ['commissioner'],
  },
  {
    href: '/dashboards/analyst',
    heading: 'Analyst dashboard',
    description:
      'Any indicator by any breakdown, and equality comparisons between two groups with confidence intervals.',
    audience: ['analyst'],
  },
  {
    href: '/commissioning/community',
    heading: 'Outcomes of community support',
    description:
      'People connected to walking groups, peer support, advice and other community support, and how what matters to them changed afterwards, beside every service; by the organisation that runs each.',
    audience: ['commissioner', 'analyst'],
  },
  {
    href: '/my',
    heading: 'Your record',
    description:
      'What matters to you, your care and support plan, how things are going, who has looked at your record, and your rights over it.',
    audience: ['person'],
  },
  {
    href: '/my',
    heading: 'The people you care for, and you',
    description: 'The records of the people who let you see them, and your own outcomes as a carer.',
    audience: ['carer'],
  },
  {
    href: '/caseload',
    heading: 'Your team’s caseload',
    description:
      'Everyone in your team’s care by named worker, with reviews due and overdue; give someone a different worker.',
    audience: ['team-manager'],
  },
  {
    href: '/caseload',
    heading: 'Your caseload',
    description:
      'The people in your care, with reviews due and overdue: open a record, have a conversation, agree a plan.',
    audience: ['practitioner'],
  },
  {
    href: '/people/new',
    heading: 'Register a person',
    description:
      'Add someone to WhatMatters, for example at referral. You and your team join their care team.',
    audience: ['practitioner', 'team-manager'],
  },
  {
    href: '/dashboards/provider',
    heading: 'Provider dashboard',
    description:
      'Your organisation’s teams compared on any indicator, with a funnel plot and the organisation month by month.',
    audience: ['team-manager'],
  },
  {
    href: '/records-needing-a-team',
    heading: 'Records needing a responsible team',
    description: 'Records whose lead team stepped back or was withdrawn: choose a team responsible for each.',
    audience: ['team-manager', 'admin'],
  },
  {
    href: '/safeguarding',
    heading: 'Safeguarding flags on feedback',
    description:
      'Stories that may describe abuse, neglect, self-harm or danger, flagged to you as a service’s safeguarding contact, with the time each has waited for a first action.',
    audience: ['practitioner', 'team-manager', 'admin'],
  },
  {
    href: '/service-feedback',
    heading: 'Feedback from people who use your services',
    description:
      'Each service’s public feedback form and its QR code poster, what people said, newest first, and feedback received on paper or by phone.',
    audience: ['practitioner', 'team-manager'],
  },
  {
    href: '/community/manage',
    heading: 'Your community directory entries',
    description:
      'The groups and services your organisation runs, as people find them in the community directory: add one, keep each up to date, and check those due for review.',
    audience: ['practitioner', 'team-manager', 'admin'],
  },
  {
    href: '/community/referrals',
    heading: 'Referrals to your organisation',
    description:
      'People referred to the groups and services your organisation runs: accept or decline each, record who comes, and end the support.',
    audience: ['practitioner', 'team-manager', 'commissioner', 'analyst'],
  },
  {
    href: '/break-glass',
    heading: 'Emergency access',
    description:
      'Read the record of someone outside your care in an emergency, with a reason. It is reported.',
    audience: ['practitioner', 'team-manager'],
  },
  {
    href: '/break-glass/report',
    heading: 'Emergency access report',
    description: 'Who used emergency access to records in your care in the last 30 days, and why.',
    audience: ['team-manager', 'admin'],
  },
  {
    href: '/admin/users',
    heading: 'User accounts',
    description:
      'Add, change, disable or unlock accounts, reset a password with a one-time link, and give roles and teams.',
    audience: ['admin'],
  },
  {
    href: '/admin/organisations',
    heading: 'Organisations and teams',
    description: 'Add and change the organisations and teams that support people in the area.',
    audience: ['admin'],
  },
  {
    href: '/frameworks',
    heading: 'Outcomes frameworks',
    description: 'Add a framework or a new version, retire one, or choose the default for new outcomes.',
    audience: ['admin'],
  },
  {
    href: '/admin/questionnaires',
    heading: 'Questionnaires',
    description:
      'The questionnaires standard measures are given with: import a FHIR Questionnaire, see what it does not support, preview and retire.',
    audience: ['admin'],
  },
  {
    href: '/admin/erasure-requests',
    heading: 'Requests to erase records',
    description: 'Decide on requests to erase a record, seeing what would be deleted and what kept.',
    audience: ['admin'],
  },
  {
    href: '/audit',
    heading: 'Audit log',
    description: 'Who read or changed personal data, when and why; check the audit trail is intact.',
    audience: ['admin', 'team-manager'],
  },
  {
    href: '/organisations',
    heading: 'Organisations and teams',
    description: 'Every organisation and team that supports people in the area.',
    audience: ['practitioner', 'team-manager', 'commissioner', 'analyst', 'person', 'carer'],
  },
  {
    href: '/frameworks',
    heading: 'Outcomes frameworks',
    description: 'The domains that what matters to people is coded to, version by version.',
    audience: ['practitioner', 'team-manager', 'commissioner', 'analyst'],
  },
  {
    href: '/community',
    heading: 'Find support in the community',
    description:
      'Groups, activities and services near a postcode, by need, day and time: walking groups, peer support, debt advice, carers’ centres and more.',
    audience: ['practitioner', 'team-manager', 'commissioner', 'analyst', 'admin', 'person', 'carer'],
  },
  {
    href: '/catalogue',
    heading: 'Catalogue of measures',
    description:
      'The measures, indicators and tools that exist for what matters to people, which are in use here, and where the gaps are.',
    audience: ['practitioner', 'team-manager', 'commissioner', 'analyst', 'admin'],
  },
];

/** The home page's tasks for this user, decided as the header's links are. */
export function homeTasksFor(actor: Actor, accessOf: (href: string) => Access | undefined): HomeTask[] {
  const seen = new Set<string>();
  return HOME_TASKS.flatMap(({ audience, ...task }) => {
    if (seen.has(task.href) || !hasRole(actor, ...audience)) return [];
    const access = accessOf(task.href);
    if (access === undefined || decideAccess(access, actor) !== 'allow') return [];
    seen.add(task.href);
    return [task];
  });
}

/**
 * The header's links for this user: only pages their roles can open, as each route's declared
 * access (looked up through `accessOf`) decides. Before sign-in: Home, and the public pages meant
 * for everyone (a public route with no audience).
 */
export function navigationFor(
  actor: Actor | null,
  currentUrl: string,
  accessOf: (href: string) => Access | undefined,
): NavigationItem[] {
  const items = HEADER_LINKS.filter((link) => {
    if (link.href === '/') return true;
    if (!actor) return !link.audience && accessOf(link.href) === 'public';
    if (link.audience && !hasRole(actor, ...link.audience)) return false;
    const access = accessOf(link.href);
    return access !== undefined && decideAccess(access, actor) === 'allow';
  });
  const path = currentUrl.split('?')[0] ?? '/';
  return items.map(({ href, text }) => ({
    href,
    text,
    current: href === path,
    active: href !== '/' && path.startsWith(href),
  }));
}
