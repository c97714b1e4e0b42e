import { type Static, Type } from '@sinclair/typebox';
import { VIEWPOINT_LABELS, VIEWPOINTS } from '../ratings.js';
import { BREAKDOWN_LABELS, BREAKDOWNS, type Breakdown, isDimBreakdown } from './breakdowns.js';
import { allowedBreakdowns, type IndicatorSource, SOURCE_KEYS, type SourceKey, sourceOf } from './sources.js';

/**
 * An indicator is data, not code: which source it counts (its population and condition, or the
 * value it averages), filters on that source, which way is better, an optional target, the
 * breakdowns it may be shown by, and the period of its charts. This contract is the API body, the
 * indicator service's input and what the commissioner's form maps onto; the rules across fields
 * are `indicatorDefinitionProblems`, applied after it.
 */

const KEBAB = '^[a-z0-9]+(?:-[a-z0-9]+)*$';

export const IMPROVEMENTS = ['increase', 'decrease', 'neutral'] as const;
export type Improvement = (typeof IMPROVEMENTS)[number];
export const IMPROVEMENT_LABELS: Record<Improvement, string> = {
  increase: 'Higher is better',
  decrease: 'Lower is better',
  neutral: 'Neither higher nor lower is better',
};

export const PERIODICITIES = ['month', 'quarter'] as const;
export type Periodicity = (typeof PERIODICITIES)[number];
export const PERIODICITY_LABELS: Record<Periodicity, string> = { month: 'Monthly', quarter: 'Quarterly' };

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

export const IndicatorFiltersSchema = Type.Object(
  {
    viewpoint: Type.Optional(
      literals(VIEWPOINTS, 'Count only ratings from this viewpoint (sources kept by viewpoint)'),
    ),
    domainCode: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 60,
        pattern: KEBAB,
        description: 'Count only outcomes coded to the outcome domain with this code',
      }),
    ),
  },
  { additionalProperties: false },
);
export type IndicatorFilters = Static<typeof IndicatorFiltersSchema>;

export const IndicatorDefinitionSchema = Type.Object(
  {
    key: Type.String({
      minLength: 1,
      maxLength: 60,
      pattern: KEBAB,
      description: 'Lower-case words joined by hyphens; a definition with a key in use is its next version',
      errorMessage: 'must be lower-case words joined by hyphens, for example people-seen-with-a-plan',
    }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 2000 }),
    source: literals(SOURCE_KEYS, 'What the indicator counts or averages'),
    filters: IndicatorFiltersSchema,
    improvement: literals(IMPROVEMENTS, 'Which direction is an improvement'),
    target: Type.Union([Type.Number(), Type.Null()], { description: 'The value aimed for, or null' }),
    breakdowns: Type.Array(literals(BREAKDOWNS, 'A breakdown the indicator may be shown by'), {
      maxItems: BREAKDOWNS.length,
    }),
    periodicity: literals(PERIODICITIES, 'The period of its charts over time'),
  },
  { additionalProperties: false },
);
export type IndicatorDefinition = Static<typeof IndicatorDefinitionSchema>;

/** One thing wrong with a definition, and the field it is about (a dotted path: `breakdowns.2`). */
export interface IndicatorProblem {
  field: string;
  message: string;
}

/** The source's own sentence for a label, lower-cased at the start to sit inside a sentence. */
const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * What is wrong across the fields of a definition that keeps the contract, in words a
 * commissioner can act on: [] when it can be saved. Every problem is listed, each on its field.
 */
export function indicatorDefinitionProblems(definition: IndicatorDefinition): IndicatorProblem[] {
  const problems: IndicatorProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const source: IndicatorSource = sourceOf(definition.source);
  const sourceName = lower(source.label);
  const { viewpoint, domainCode } = definition.filters;

  if (viewpoint && !source.viewpoints.includes(viewpoint)) {
    problem(
      'filters.viewpoint',
      source.viewpoints.length
        ? `${sourceName} has no ratings from the viewpoint “${lower(VIEWPOINT_LABELS[viewpoint])}”.`
        : `${capitalise(sourceName)} is not kept by viewpoint: leave the viewpoint empty.`,
    );
  }
  if (domainCode && !source.hasDomains) {
    problem(
      'filters.domainCode',
      `${capitalise(sourceName)} is not about outcomes, so it has no outcome domains: leave the domain empty.`,
    );
  }

  const allowed = allowedBreakdowns(definition.source);
  const seen = new Set<Breakdown>();
  definition.breakdowns.forEach((breakdown, i) => {
    const field = `breakdowns.${i}`;
    const label = lower(BREAKDOWN_LABELS[breakdown]);
    if (seen.has(breakdown)) {
      problem(field, `The breakdown by ${label} is listed more than once.`);
      return;
    }
    seen.add(breakdown);
    if (!allowed.includes(breakdown)) {
      problem(
        field,
        breakdown === 'domain'
          ? `${capitalise(sourceName)} is not about outcomes, so it cannot be broken down by outcome domain.`
          : `${capitalise(sourceName)} is not kept by viewpoint, so it cannot be broken down by viewpoint.`,
      );
      return;
    }
    if (breakdown === 'viewpoint' && viewpoint) {
      problem(field, 'The indicator counts one viewpoint only, so it cannot be broken down by viewpoint.');
    } else if (breakdown === 'domain' && domainCode) {
      problem(field, 'The indicator counts one outcome domain only, so it cannot be broken down by domain.');
    } else if (domainCode && isDimBreakdown(breakdown)) {
      // The rollup keeps each breakdown kind apart (a fact once per kind), so a domain and a
      // demographic cannot be read together.
      problem(
        field,
        `An indicator filtered to one outcome domain cannot be broken down by ${label}: choose one or the other.`,
      );
    }
  });

  if (
    source.improvement &&
    source.improvement !== 'neutral' &&
    definition.improvement !== 'neutral' &&
    definition.improvement !== source.improvement
  ) {
    // A standard measure's own method says which way is better (fewer symptoms, more people
    // recovered): an indicator saying the opposite would colour every SPC chart the wrong way.
    problem(
      'improvement',
      `${IMPROVEMENT_LABELS[source.improvement]} for “${source.label}”: choose “${IMPROVEMENT_LABELS[source.improvement]}” (or neither).`,
    );
  }

  if (definition.target !== null) {
    const { min, max } = source.range;
    if (
      !Number.isFinite(definition.target) ||
      definition.target < min ||
      (max !== null && definition.target > max)
    ) {
      problem(
        'target',
        max === null
          ? `The target must be ${formatBound(min)} or more.`
          : `The target must be between ${formatBound(min)} and ${formatBound(max)}${source.unit === '%' ? ' (a percentage)' : ` (${source.unit})`}.`,
      );
    }
  }
  return problems;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A bound as people read it: whole numbers as they are, others to one decimal place. */
const formatBound = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** What a definition counts, in sentences, for the indicator's page. */
export function describeDefinition(definition: IndicatorDefinition, domainName?: string): string[] {
  const source = sourceOf(definition.source as SourceKey);
  const sentences: string[] = [];
  const among = [
    definition.filters.viewpoint
      ? `rated from the viewpoint of ${lower(VIEWPOINT_LABELS[definition.filters.viewpoint])}`
      : null,
    definition.filters.domainCode
      ? `coded to the domain “${domainName ?? definition.filters.domainCode}”`
      : null,
  ].filter(Boolean);
  const filter = among.length ? `, counting only those ${among.join(' and ')}` : '';
  switch (source.kind) {
    case 'proportion':
      sentences.push(
        `${capitalise(source.numerator ?? '')}, as a percentage of ${source.denominator}${filter}.`,
      );
      break;
    case 'mean':
      sentences.push(`The average of ${source.numerator}, over ${source.denominator}${filter}.`);
      break;
    case 'gas-service':
      sentences.push(`${capitalise(source.numerator ?? '')}, over ${source.denominator}${filter}.`);
      break;
    case 'count':
      sentences.push(`The number of ${source.denominator}${filter}.`);
      break;
  }
  sentences.push(`${IMPROVEMENT_LABELS[definition.improvement]}.`);
  if (definition.target !== null) {
    sentences.push(
      `Target: ${formatBound(definition.target)}${source.unit === '%' ? '%' : ` ${source.unit}`}.`,
    );
  }
  return sentences;
}
