import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { FastifyRequest } from 'fastify';
import { parseReference } from '../../domain/interop/fhir-ids.js';
import type { ParsedSearch } from '../../domain/interop/fhir-search.js';
import type { FhirContext, FhirHandler, SearchPage } from './handler.js';
import { fhirHandler } from './registry.js';

/** The request's query string with `_offset` set: the link to another page of the same search. */
function pageUrl(ctx: FhirContext, type: string, request: FastifyRequest, offset: number): string {
  const url = new URL(`${ctx.baseUrl}/${type}`);
  const query = request.query as Record<string, string | string[]>;
  for (const [key, value] of Object.entries(query)) {
    if (key === '_offset') continue;
    for (const v of [value].flat()) url.searchParams.append(key, v);
  }
  if (offset > 0) url.searchParams.set('_offset', String(offset));
  return url.toString();
}

/**
 * A searchset Bundle: the page's matches, the resources `_include` asked for (each once, read
 * through their own handlers, so the same access check applies), and absolute self/next/previous
 * links a client can follow as they are.
 */
export async function searchBundle<R extends Resource>(
  ctx: FhirContext,
  handler: FhirHandler<R>,
  request: FastifyRequest,
  search: ParsedSearch,
  page: SearchPage<R>,
): Promise<Bundle> {
  const entries: BundleEntry[] = page.resources.map((resource) => ({
    fullUrl: `${ctx.baseUrl}/${handler.type}/${resource.id}`,
    resource,
    search: { mode: 'match' },
  }));
  const seen = new Set(page.resources.map((r) => `${handler.type}/${r.id}`));
  for (const name of search.include) {
    const include = handler.includes?.find((i) => i.name === name);
    if (!include) continue;
    for (const resource of page.resources) {
      for (const reference of include.referencesOf(resource)) {
        const target = parseReference(reference);
        if (!target || seen.has(`${target.type}/${target.id}`)) continue;
        seen.add(`${target.type}/${target.id}`);
        const included = await fhirHandler(target.type)?.read(ctx, target.id);
        if (included) {
          entries.push({
            fullUrl: `${ctx.baseUrl}/${target.type}/${included.id}`,
            resource: included,
            search: { mode: 'include' },
          });
        }
      }
    }
  }
  const link: Bundle['link'] = [
    { relation: 'self', url: pageUrl(ctx, handler.type, request, search.offset) },
  ];
  if (page.hasMore)
    link.push({ relation: 'next', url: pageUrl(ctx, handler.type, request, search.offset + search.count) });
  if (search.offset > 0) {
    link.push({
      relation: 'previous',
      url: pageUrl(ctx, handler.type, request, Math.max(0, search.offset - search.count)),
    });
  }
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(page.total !== undefined ? { total: page.total } : {}),
    link,
    ...(entries.length ? { entry: entries } : {}),
  };
}
