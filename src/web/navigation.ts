import { type Actor, hasRole } from '../domain/actor.js';

export interface NavigationItem {
  href: string;
  text: string;
  current?: boolean;
  active?: boolean;
}

/** The header's links for this user: only pages their role can open. */
export function navigationFor(actor: Actor | null, currentUrl: string): NavigationItem[] {
  const items: NavigationItem[] = [{ href: '/', text: 'Home' }];
  if (actor) {
    if (hasRole(actor, 'practitioner', 'team-manager')) items.push({ href: '/caseload', text: 'Caseload' });
    if (hasRole(actor, 'person', 'carer')) items.push({ href: '/my', text: 'My record' });
    items.push({ href: '/organisations', text: 'Organisations' });
    items.push({ href: '/frameworks', text: 'Frameworks' });
    if (hasRole(actor, 'admin', 'team-manager')) items.push({ href: '/audit', text: 'Audit log' });
    if (hasRole(actor, 'admin')) items.push({ href: '/admin/erasure-requests', text: 'Erasure requests' });
    if (hasRole(actor, 'admin', 'team-manager', 'analyst', 'commissioner')) {
      items.push({ href: '/api/docs', text: 'API' });
    }
  }
  const path = currentUrl.split('?')[0] ?? '/';
  return items.map((item) => ({
    ...item,
    current: item.href === path,
    active: item.href !== '/' && path.startsWith(item.href),
  }));
}
