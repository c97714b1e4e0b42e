import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { registerFormats } from '../domain/formats.js';
import { ServiceError } from './errors.js';

/**
 * One contract per use case. A feature's `schema.ts` declares a TypeBox schema for each use case;
 * the same schema is the API route's body, the service's input type (`Static<>`), what the service
 * checks (`check` below, so the CLI, pages and jobs get the same rules as the API) and what the
 * page's form maps onto. Errors name fields by their dotted path in the contract
 * (`newOutcomes.0.statement`), the same way the HTTP layer names them, so a page can map each back
 * to its form field.
 */

// TypeBox's checker knows no formats until told; the domain's definitions agree with ajv-formats,
// so the service and the API agree.
registerFormats();

/** At most this many field errors are collected and reported: enough to fix a form, never a flood. */
export const MAX_FIELD_ERRORS = 10;

export interface FieldProblem {
  field: string;
  message: string;
}

/** A refusal that names each field at fault; the first is also `field`/`message` of the ServiceError. */
export class ContractError extends ServiceError {
  constructor(readonly fields: FieldProblem[]) {
    const first = fields[0] ?? { field: '', message: 'is not valid' };
    super(400, 'Invalid request', describe(fields), first.field);
  }
}

function describe(fields: FieldProblem[]): string {
  return fields.map((f) => `${f.field || 'request'} ${f.message}`).join('; ');
}

/** `/newOutcomes/0/statement` → `newOutcomes.0.statement`; a missing property names itself. */
function fieldOf(error: ValueError): string {
  const path = error.path.replace(/^\//, '').replaceAll('/', '.');
  return path;
}

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** A message a person can act on, from the schema's own limits; `errorMessage` on a schema overrides it. */
function messageOf(error: ValueError): string {
  const schema = error.schema as Record<string, unknown>;
  if (typeof schema.errorMessage === 'string') return schema.errorMessage;
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'is not a recognised field';
    case ValueErrorType.StringMaxLength:
      return `must be ${plural(schema.maxLength as number, 'character', 'characters')} or fewer`;
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1
        ? 'must not be empty'
        : `must be at least ${plural(schema.minLength as number, 'character', 'characters')}`;
    case ValueErrorType.StringFormat:
      return schema.format === 'date'
        ? 'must be a real date (YYYY-MM-DD)'
        : `must be a valid ${String(schema.format)}`;
    case ValueErrorType.StringPattern:
      return 'is not in the expected form';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `must be ${String(schema.minimum)} or more`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `must be ${String(schema.maximum)} or less`;
    case ValueErrorType.Integer:
      return 'must be a whole number';
    case ValueErrorType.ArrayMaxItems:
      return `must have ${plural(schema.maxItems as number, 'item', 'items')} or fewer`;
    case ValueErrorType.ArrayMinItems:
      return `must have at least ${plural(schema.minItems as number, 'item', 'items')}`;
    case ValueErrorType.Union: {
      const options = (schema.anyOf as { const?: unknown }[] | undefined)?.map((s) => s.const);
      if (options?.length && options.every((o) => typeof o === 'string')) {
        return `must be one of: ${options.join(', ')}`;
      }
      return 'is not valid';
    }
    case ValueErrorType.Literal:
      return `must be ${JSON.stringify(schema.const)}`;
    default:
      return error.message.charAt(0).toLowerCase() + error.message.slice(1);
  }
}

/**
 * A nullable field (`X | null`) that fails reports only "is not valid" for the union; when the
 * value is not null, what the person needs is why it fails X ("must be 4 or less"), so the
 * union's error is replaced by the errors of its one non-null branch.
 */
function* specific(error: ValueError): Generator<ValueError> {
  const branches = (error.schema as { anyOf?: { type?: unknown }[] }).anyOf;
  if (error.type === ValueErrorType.Union && error.value !== null && branches?.length === 2) {
    const index = branches.findIndex((b) => b.type !== 'null');
    const branch = branches.some((b) => b.type === 'null') ? error.errors[index] : undefined;
    if (branch) {
      for (const inner of branch) yield* specific(inner);
      return;
    }
  }
  yield error;
}

function* allSpecific(errors: Iterable<ValueError>): Generator<ValueError> {
  for (const error of errors) yield* specific(error);
}

export interface Contract<T extends TSchema> {
  readonly schema: T;
  /** The input as the contract's type, or a ContractError naming up to MAX_FIELD_ERRORS fields. */
  check(input: unknown): Static<T>;
  /** The field problems, without throwing: [] when the input keeps the contract. */
  problems(input: unknown): FieldProblem[];
}

export function contract<T extends TSchema>(schema: T): Contract<T> {
  const compiled = TypeCompiler.Compile(schema);
  const problems = (input: unknown): FieldProblem[] => {
    if (compiled.Check(input)) return [];
    const found: FieldProblem[] = [];
    const seen = new Set<string>();
    for (const error of allSpecific(compiled.Errors(input))) {
      const field = fieldOf(error);
      // A union reports each branch's failure too; one message per field is what a person needs.
      if (seen.has(field)) continue;
      seen.add(field);
      found.push({ field, message: messageOf(error) });
      if (found.length >= MAX_FIELD_ERRORS) break;
    }
    return found;
  };
  return {
    schema,
    problems,
    check(input: unknown): Static<T> {
      const found = problems(input);
      if (found.length) throw new ContractError(found);
      return input as Static<T>;
    },
  };
}
