import { type TSchema, Type } from '@sinclair/typebox';
import { ORGANISATION_KINDS } from '../domain/organisation-kinds.js';
import { ROLES } from '../domain/roles.js';

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

const problemRef = Type.Ref('Problem');

/** The error answers every API route can give, plus its own success answers. */
export function responses(success: Record<number, TSchema>, errors: number[] = []): Record<number, TSchema> {
  const all: Record<number, TSchema> = { ...success };
  for (const status of [400, 401, 403, 500, ...errors]) all[status] = problemRef;
  return all;
}

/** The path parameter of every route about one person, API and pages alike. */
export const PersonParams = Type.Object({ personId: Type.String({ format: 'uuid' }) });

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const SignedInUserSchema = Type.Object(
  {
    userId: Type.String({ format: 'uuid' }),
    username: Type.String(),
    displayName: Type.String(),
    jobTitle: nullable(Type.String()),
    personId: nullable(Type.String({ format: 'uuid' })),
    roles: Type.Array(
      Type.Object({
        role: Type.Union(ROLES.map((r) => Type.Literal(r))),
        organisationId: nullable(Type.String()),
        organisationName: nullable(Type.String()),
        teamId: nullable(Type.String()),
        teamName: nullable(Type.String()),
      }),
    ),
  },
  { $id: 'SignedInUser', description: 'The signed-in user and their roles' },
);

export const OrganisationSchema = Type.Object(
  {
    organisationId: Type.String({ format: 'uuid' }),
    kind: Type.Union(ORGANISATION_KINDS.map((k) => Type.Literal(k))),
    name: Type.String(),
    odsCode: nullable(Type.String()),
    teams: Type.Array(
      Type.Object(
        { teamId: Type.String({ format: 'uuid' }), name: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'Organisation', additionalProperties: false },
);

/** Schemas referenced by `$ref`, added once at the root of the app. */
export const SHARED_SCHEMAS = [ProblemSchema, SignedInUserSchema, OrganisationSchema];
