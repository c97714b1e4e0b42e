import { type FhirResourceType, isFhirResourceType } from './fhir-types.js';

/**
 * SMART system scopes (SMART Backend Services; SMART App Launch 2.0): what a system client may do
 * with a FHIR resource type, or with every type (`*`).
 *
 * - v1: `system/(Type|*).(read|write|*)`; `read` is `rs`, `write` is `cud`, `*` is `cruds`.
 * - v2: `system/(Type|*).<letters>`, one or more of c, r, u, d, s in that order (create, read,
 *   update, delete, search), for example `system/Patient.rs` or `system/*.cruds`.
 *
 * Only the `system` context and the resource types the `/fhir` endpoint serves are recognised.
 */
export type SmartPermission = 'c' | 'r' | 'u' | 'd' | 's';

export interface SmartScope {
  type: FhirResourceType | '*';
  perms: ReadonlySet<SmartPermission>;
}

/** The letters of v2 scopes, in the order a scope must list them. */
const PERMISSIONS: readonly SmartPermission[] = ['c', 'r', 'u', 'd', 's'];

const V1_PERMISSIONS: Readonly<Record<string, readonly SmartPermission[]>> = {
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
  '*': PERMISSIONS,
};

/** How a SMART system scope is written, for help texts and error messages. */
export const SMART_SCOPE_FORMAT = 'system/<type or *>.<read, write, * or letters from cruds in order>';

const SCOPE = /^system\/([A-Za-z]+|\*)\.([a-z]+|\*)$/;
const V2_LETTERS = /^c?r?u?d?s?$/;

/** The resource type and permissions a SMART system scope names, or null when it is not one. */
export function parseSmartScope(scope: string): SmartScope | null {
  const match = SCOPE.exec(scope);
  if (!match) return null;
  const [, type = '', permissions = ''] = match;
  if (type !== '*' && !isFhirResourceType(type)) return null;
  const perms = Object.hasOwn(V1_PERMISSIONS, permissions)
    ? V1_PERMISSIONS[permissions]
    : V2_LETTERS.test(permissions)
      ? PERMISSIONS.filter((p) => permissions.includes(p))
      : undefined;
  if (!perms?.length) return null;
  return { type, perms: new Set(perms) };
}

export function isSmartScope(scope: string): boolean {
  return parseSmartScope(scope) !== null;
}

/**
 * Whether the scopes a client holds grant the scope a route or token request needs. A SMART scope
 * is granted when the granted SMART scopes for its type, with those for every type (`*`), together
 * hold all its permissions; a wildcard is granted only by wildcards. Any other scope (such as
 * `directory:read`) is granted only by itself.
 */
export function grantsScope(granted: readonly string[], needed: string): boolean {
  const wanted = parseSmartScope(needed);
  if (!wanted) return granted.includes(needed);
  const held = new Set<SmartPermission>();
  for (const scope of granted) {
    const parsed = parseSmartScope(scope);
    if (parsed && (parsed.type === '*' || parsed.type === wanted.type)) {
      for (const p of parsed.perms) held.add(p);
    }
  }
  return [...wanted.perms].every((p) => held.has(p));
}
