import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { formatNhsNumber } from '../../domain/nhs-number.js';
import { isRole, ROLE_LABELS } from '../../domain/roles.js';
import { requireActor } from '../../http/request-actor.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { FormBodySchema, renderWithErrors } from '../../web/forms.js';
import { auditSearchErrors, auditSearchFrom } from './form.js';
import { AUDIT_OUTCOMES, MAX_AUDIT_PAGE } from './schema.js';
import { type AccessLogEntry, AUDIT_ACTION_LABELS, type AuditSearchEntry } from './service.js';

const PageQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AUDIT_PAGE })),
  upTo: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$' })),
  own: Type.Optional(Type.String({ maxLength: 10 })),
});

const UK_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});

/** "4 March 2026 at 2:05pm", UK time, as the NHS style guide writes times. */
export function ukDateTime(at: Date): string {
  const parts = UK_TIME.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = Number(part('hour')) === 0 ? '12' : part('hour');
  return `${part('day')} ${part('month')} ${part('year')} at ${hour}:${part('minute')}${part('dayPeriod').toLowerCase().replace(/\s|\./g, '')}`;
}

const roleLabel = (role: string): string => (isRole(role) ? ROLE_LABELS[role] : role);

/** Who did it, as the person would want to be told: a name, what they do, and where they work. */
function whoView(entry: AccessLogEntry): { name: string; details: string[] } {
  if (entry.byThePerson) return { name: 'You', details: [] };
  if (!entry.who) return { name: 'WhatMatters', details: ['Done automatically by the service'] };
  const { displayName, jobTitle, organisations, roles } = entry.who;
  const firstRole = roles[0];
  const role = jobTitle ?? (firstRole ? roleLabel(firstRole) : null);
  return { name: displayName, details: [...(role ? [role] : []), ...organisations] };
}

/** Why each basis for sharing lets someone see the record, as the person would be told. */
const BASIS_FOR_THE_PERSON: Record<string, string> = {
  consent: 'you agreed to share your record',
  'direct-care': 'to give you care',
  'legal-obligation': 'a legal duty',
  'vital-interests': 'to protect you from serious harm',
  safeguarding: 'to keep you safe',
};

/**
 * The recorded purpose, in the person's terms where it has a known shape (as `PersonAccess` writes
 * it: "direct care (consent: …)", "break-glass: …"); otherwise as recorded.
 */
export function purposeForThePerson(purpose: string | null): string | null {
  if (!purpose) return null;
  const careTeam = /^direct care \(([a-z-]+): (.*)\)$/s.exec(purpose);
  if (careTeam?.[1] && careTeam[2] !== undefined) {
    const basis = BASIS_FOR_THE_PERSON[careTeam[1]];
    return basis ? `${careTeam[2]} (${basis})` : purpose;
  }
  if (purpose === 'direct care (carer)') return 'As your carer, with your agreement';
  if (purpose === 'direct care (self)') return 'Your own record';
  const breakGlass = /^break-glass: (.*)$/s.exec(purpose);
  if (breakGlass) return `Emergency access: ${breakGlass[1]}`;
  return purpose;
}

const OUTCOME_LABELS: Record<(typeof AUDIT_OUTCOMES)[number], string> = {
  success: 'Allowed',
  denied: 'Not allowed',
  failure: 'Did not succeed',
};

/** The audit search's "What was done" choices, by label. */
const ACTION_CHOICES = Object.entries(AUDIT_ACTION_LABELS)
  .map(([value, text]) => ({ value, text }))
  .sort((a, b) => a.text.localeCompare(b.text, 'en-GB'));

function searchRow(entry: AuditSearchEntry) {
  return {
    auditId: entry.auditId,
    when: ukDateTime(entry.occurredAt),
    whenIso: entry.occurredAt.toISOString(),
    who: entry.actor ? (entry.actor.displayName ?? 'Removed user') : 'No signed-in user',
    username: entry.actor?.username ?? null,
    role: entry.actorRole ? entry.actorRole.split(',').map(roleLabel).join(', ') : null,
    action: entry.description,
    personName: entry.personName,
    nhsNumber: entry.nhsNumber ? formatNhsNumber(entry.nhsNumber) : null,
    // An entry about someone outside the reader's teams keeps who it was about to itself.
    aboutSomeone: entry.aboutAPerson,
    purpose: entry.purpose,
    ip: entry.ip,
    outcome: OUTCOME_LABELS[entry.outcome],
    refused: entry.outcome !== 'success',
  };
}

export async function auditPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { auditLog } = opts.services;

  app.get(
    '/my/access-log',
    { config: { access: { roles: ['person'] }, page: true }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!actor.personId) {
        throw new ServiceError(404, 'Page not found', 'Your account is not linked to a record.');
      }
      const includeOwn = request.query.own === 'on';
      const log = await auditLog.accessLog(
        actor,
        actor.personId,
        { page: request.query.page, upTo: request.query.upTo, includeOwn },
        { collapseRepeats: true },
      );
      const href = (page: number) =>
        `/my/access-log?${new URLSearchParams({
          ...(includeOwn ? { own: 'on' } : {}),
          ...(log.upTo ? { upTo: log.upTo } : {}),
          page: String(page),
        })}`;
      return reply.page('audit-access-log', {
        pageTitle: 'Who has looked at my record',
        includeOwn,
        page: log.page,
        entries: log.entries.map((entry) => ({
          when: ukDateTime(entry.occurredAt),
          whenIso: entry.occurredAt.toISOString(),
          who: whoView(entry),
          what: entry.description,
          why: purposeForThePerson(entry.purpose),
          refused: entry.outcome !== 'success',
        })),
        previous: log.page > 1 ? href(log.page - 1) : null,
        next: log.hasNextPage ? href(log.page + 1) : null,
      });
    },
  );

  app.get(
    '/audit',
    {
      config: { access: { roles: ['admin', 'team-manager'] }, page: true },
      schema: { hide: true, querystring: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { values, input } = auditSearchFrom(request.query);
      const context = {
        pageTitle: 'Search the audit log',
        values,
        outcomes: AUDIT_OUTCOMES.map((o) => ({ value: o, text: OUTCOME_LABELS[o] })),
        actions: ACTION_CHOICES,
        result: null as unknown,
      };
      try {
        const result = await auditLog.search(actor, input);
        const href = (page: number) => {
          const query = new URLSearchParams();
          for (const [key, value] of Object.entries(request.query)) {
            if (key !== 'page' && key !== 'upTo' && typeof value === 'string' && value.trim()) {
              query.set(key, value);
            }
          }
          if (result.upTo) query.set('upTo', result.upTo);
          query.set('page', String(page));
          return `/audit?${query}`;
        };
        return renderWithErrors(
          reply,
          'audit-search',
          {
            ...context,
            result: {
              scope: result.scope,
              page: result.page,
              rows: result.entries.map(searchRow),
              previous: result.page > 1 ? href(result.page - 1) : null,
              next: result.hasNextPage ? href(result.page + 1) : null,
            },
          },
          [],
        );
      } catch (error) {
        return renderWithErrors(reply, 'audit-search', context, auditSearchErrors(error));
      }
    },
  );
}
