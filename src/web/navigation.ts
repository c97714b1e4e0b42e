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
  { href: '/organisations', text: 'Organisations' },
  { href: '/frameworks', text: 'Frameworks' },
  { href: '/audit', text: 'Audit log' },
  { href: '/admin', text: 'Administration' },
  { href: '/admin/erasure-requests', text: 'Erasure requests' },
  // Managers reach it from their caseload; administrators have no caseload to start from.
  { href: '/records-needing-a-team', text: 'Records needing a team', audience: ['admin'] },
  // Public, but only worth a header link for those who build on the API.
  { href: '/api/docs', text: 'API', audience: ['admin', 'team-manager', 'analyst', 'commissioner'] },
];

/**
 * The header's links for this user: only pages their roles can open, as each route's declared
 * access (looked up through `accessOf`) decides. Nothing shows before sign-in except Home.
 */
export function navigationFor(
  actor: Actor | null,
  currentUrl: string,
  accessOf: (href: string) => Access | undefined,
): NavigationItem[] {
  const items = HEADER_LINKS.filter((link) => {
    if (link.href === '/') return true;
    if (!actor) return false;
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
