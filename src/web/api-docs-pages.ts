import type { FastifyInstance } from 'fastify';

interface Operation {
  method: string;
  path: string;
  summary: string;
  description: string;
  requestFields: { name: string; type: string; required: boolean }[];
  responses: { status: string; description: string }[];
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  $ref?: string;
  const?: unknown;
  enum?: unknown[];
  format?: string;
};

function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  if (schema.$ref) return schema.$ref.split('/').pop() ?? 'object';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items)}[]`;
  const type = [schema.type ?? 'any'].flat().join(' | ');
  return schema.format ? `${type} (${schema.format})` : type;
}

/** Reads the OpenAPI document into rows a person can scan: one entry per operation, grouped by tag. */
export function operationsByTag(document: {
  paths?: Record<string, Record<string, Record<string, unknown>>>;
}): { tag: string; operations: Operation[] }[] {
  const groups = new Map<string, Operation[]>();
  for (const [path, methods] of Object.entries(document.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const body = (op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)
        ?.content;
      const schema = body ? Object.values(body)[0]?.schema : undefined;
      const operation: Operation = {
        method: method.toUpperCase(),
        path,
        summary: String(op.summary ?? ''),
        description: String(op.description ?? ''),
        requestFields: Object.entries(schema?.properties ?? {}).map(([name, field]) => ({
          name,
          type: typeOf(field),
          required: schema?.required?.includes(name) ?? false,
        })),
        responses: Object.entries((op.responses ?? {}) as Record<string, { description?: string }>).map(
          ([status, response]) => ({ status, description: response.description ?? '' }),
        ),
      };
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0] ?? 'other';
      groups.set(tag, [...(groups.get(tag) ?? []), operation]);
    }
  }
  return [...groups.entries()].map(([tag, operations]) => ({ tag, operations }));
}

/** The API reference as an accessible NHS.UK page, built from the same OpenAPI document. */
export async function apiDocsPages(app: FastifyInstance) {
  app.get(
    '/api/docs',
    { config: { access: 'public', page: true }, schema: { hide: true } },
    async (_request, reply) =>
      reply.page('api-docs', {
        pageTitle: 'API reference',
        groups: operationsByTag(app.swagger() as Parameters<typeof operationsByTag>[0]),
      }),
  );
}
