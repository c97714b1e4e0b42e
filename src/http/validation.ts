import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Two validators: query strings, path parameters and headers arrive as text, so their numbers and
 * booleans are coerced; JSON bodies are taken exactly as sent, so `{"age":"5"}` is a type error
 * rather than quietly becoming 5. Neither drops unknown fields: a schema that forbids them names them.
 *
 * Shared schemas must be added at the root (see openapi.ts): `addSchema` inside a child plugin gives
 * that plugin a fresh schema controller with Fastify's default, coercing validator.
 */
export function installValidators(app: FastifyInstance): void {
  // verbose: each error carries its schema, so a schema's own errorMessage (as the contracts use it)
  // is what the API answers, not a pattern's regular expression.
  const base: Options = {
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    verbose: true,
  };
  const bodies = addFormats.default(new Ajv({ ...base, coerceTypes: false }));
  const text = addFormats.default(new Ajv({ ...base, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? bodies.compile(schema) : text.compile(schema),
  );
}
