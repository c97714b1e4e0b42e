import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  DISTANCE_CHOICES,
  milesText,
  type SessionTime,
  TIME_OF_DAY_LABELS,
  TIMES_OF_DAY,
} from '../../domain/community/search.js';
import {
  ACCESSIBILITY_FEATURE_LABELS,
  COST_KIND_LABELS,
  DAY_LABELS,
  DAYS,
  NEED_LABELS,
  NEEDS,
  RESOURCE_KIND_LABELS,
  RESOURCE_KINDS,
} from '../../domain/community/vocabulary.js';
import type { Services } from '../../services/index.js';
import {
  type FieldError,
  type FormBody,
  FormBodySchema,
  formErrors,
  renderWithErrors,
} from '../../web/forms.js';
import { ResourceIdParams } from './schema.js';
import type { PublicCommunityResource } from './search-schema.js';
import {
  type CommunitySearchAnswer,
  type CommunitySearchInput,
  SEARCH_FIELDS,
  SEARCH_FORM_FIELDS,
} from './search-schema.js';

/** "Tuesdays, 10:00 to 11:30", one line per session, Monday first; none means by arrangement. */
export function sessionLines(sessions: readonly SessionTime[]): string[] {
  return [...sessions]
    .sort((a, b) => DAYS.indexOf(a.day) - DAYS.indexOf(b.day) || a.start.localeCompare(b.start))
    .map((s) => `${DAY_LABELS[s.day]}s, ${s.start} to ${s.end}`);
}

/** The search as the page received it: the first value of each field the contract knows, blanks left out. */
export function searchInputOf(query: FormBody): Record<string, string> {
  const input: Record<string, string> = {};
  for (const field of SEARCH_FIELDS) {
    const raw = query[field];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) input[field] = value;
  }
  return input;
}

/**
 * Which results of a search this page shows ("21 to 40"), and links to the pages before and after
 * it keeping the rest of the search (`params`: the search as asked and anything else the page keeps).
 */
export function resultPages(
  path: string,
  params: Record<string, string | undefined>,
  answer: Pick<CommunitySearchAnswer, 'count' | 'page' | 'pageSize' | 'results'>,
) {
  const href = (page: number) => {
    const query = new URLSearchParams(
      Object.entries({ ...params, page: page > 1 ? String(page) : undefined }).filter(
        (e): e is [string, string] => e[1] !== undefined && e[1] !== '',
      ),
    ).toString();
    return query ? `${path}?${query}` : path;
  };
  const first = (answer.page - 1) * answer.pageSize + 1;
  return {
    pageNumber: answer.page,
    shown: answer.results.length ? { first, last: first + answer.results.length - 1 } : null,
    previous: answer.page > 1 ? href(answer.page - 1) : null,
    next: answer.page * answer.pageSize < answer.count ? href(answer.page + 1) : null,
  };
}

/** A refused search's error, on its own form field; the page number (not on the form) on `fallback`. */
export const searchFieldOf = (fallback: string) => (path: string) =>
  SEARCH_FORM_FIELDS.includes(path) ? path : fallback;

const options = <T extends string>(
  values: readonly T[],
  labels: Record<T, string>,
  chosen: string | undefined,
  anyText: string,
) => [
  { value: '', text: anyText, selected: !chosen },
  ...values.map((v) => ({ value: v, text: labels[v], selected: v === chosen })),
];

/** Text as staff typed it, a paragraph per line: the page keeps their line breaks without raw HTML. */
const paragraphs = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** What the results list and the detail page say of an entry. */
function describe(resource: PublicCommunityResource) {
  return {
    ...resource,
    kindLabel: RESOURCE_KIND_LABELS[resource.kind],
    costLabel: COST_KIND_LABELS[resource.costKind],
    sessionLines: sessionLines(resource.sessions),
    needLabels: resource.needs.map((n) => NEED_LABELS[n]),
    accessibilityLabels: resource.accessibility.map((a) => ACCESSIBILITY_FEATURE_LABELS[a]),
    addressLines: resource.address ? resource.address.split('\n').filter((l) => l.trim()) : [],
    descriptionParagraphs: paragraphs(resource.description),
    eligibilityParagraphs: paragraphs(resource.eligibility),
    accessibilityNoteParagraphs: paragraphs(resource.accessibilityNote),
    howToReferParagraphs: paragraphs(resource.howToRefer),
    phoneHref: resource.phone ? `tel:${resource.phone.replace(/[^\d+]/g, '')}` : null,
  };
}

/**
 * The public pages of the community directory: searching for support (no sign-in), and one entry's
 * page with how to get it. The search service decides what people may see; these pages only adapt.
 * The search is a GET form, so a result list can be bookmarked or shared.
 */
export async function communitySearchPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { communitySearch } = opts.services;

  app.get(
    '/community',
    { config: { access: 'public', page: true }, schema: { hide: true, querystring: FormBodySchema } },
    async (request, reply) => {
      const input = searchInputOf(request.query);
      const searched = Object.keys(input).length > 0;
      let answer: CommunitySearchAnswer | null = null;
      let errors: FieldError[] = [];
      if (searched) {
        try {
          answer = await communitySearch.search(input as CommunitySearchInput);
        } catch (error) {
          // Each field's id is its name, so the error summary links to it.
          errors = formErrors(error, searchFieldOf('need'));
        }
      }
      const domainGroups = await communitySearch.domainChoices();
      return renderWithErrors(
        reply,
        'community-search',
        {
          pageTitle: 'Find support in your community',
          values: input,
          searched,
          needItems: options(NEEDS, NEED_LABELS, input.need, 'Any'),
          kindItems: options(RESOURCE_KINDS, RESOURCE_KIND_LABELS, input.kind, 'Any kind'),
          domainItems: [
            { value: '', text: 'Any outcome', selected: !input.domain },
            ...domainGroups.flatMap((g) =>
              g.domains.map((d) => ({
                value: d.code,
                text: domainGroups.length > 1 ? `${d.name} (${g.framework})` : d.name,
                selected: d.code === input.domain,
              })),
            ),
          ],
          withinItems: [
            { value: '', text: 'Any distance', selected: !input.within },
            ...DISTANCE_CHOICES.map((m) => ({
              value: String(m),
              text: `Within ${m} ${m === 1 ? 'mile' : 'miles'}`,
              selected: String(m) === input.within,
            })),
          ],
          dayItems: options(DAYS, DAY_LABELS, input.day, 'Any day'),
          timeItems: options(TIMES_OF_DAY, TIME_OF_DAY_LABELS, input.time, 'Any time'),
          answer: answer
            ? {
                ...answer,
                ...resultPages('/community', input, answer),
                results: answer.results.map((h) => ({
                  ...describe(h.resource),
                  distanceText:
                    h.distanceMiles !== null
                      ? `${milesText(h.distanceMiles)} away`
                      : h.resource.online
                        ? 'Online'
                        : null,
                })),
              }
            : null,
        },
        errors,
      );
    },
  );

  app.get(
    '/community/resources/:resourceId',
    { config: { access: 'public', page: true }, schema: { hide: true, params: ResourceIdParams } },
    async (request, reply) => {
      const resource = await communitySearch.get(request.actor ?? null, request.params.resourceId);
      const entry = describe(resource);
      return reply.page('community-resource', {
        pageTitle: resource.name,
        resource: entry,
        minAge: resource.minAge,
        maxAge: resource.maxAge,
      });
    },
  );
}
