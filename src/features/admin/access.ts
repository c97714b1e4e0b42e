import type { Access } from '../../domain/route-access.js';

/** Who may use the administration pages: administrators. The services check it again. */
export const ADMIN_ONLY = { roles: ['admin'] } as const satisfies Access;
