import type { Actor } from '../../domain/actor.js';
import type { ServiceError } from '../../services/errors.js';
import type { AuditService } from '../audit/audit-trail.js';

/** Audits a refused feedback request as refused, then throws the error that explains it. */
export async function refuseFeedback(
  audit: AuditService,
  actor: Actor,
  action: string,
  resourceId: string,
  error: ServiceError,
): Promise<never> {
  await audit.record(actor, { action, resourceType: 'feedback', resourceId, outcome: 'denied' });
  throw error;
}
