import { isStakeholderGroup, STAKEHOLDER_GROUP_LABELS, type StakeholderGroup } from './stakeholders.js';

/**
 * A commissioning outcomes framework: overarching outcome statements, each made of "I statements"
 * written from the person's point of view, each mapped to the personal outcome domains it is about
 * (so what people say matters can be counted against it) and to the indicators that measure it.
 * The shape follows the National Voices / Think Local Act Personal narrative for person-centred
 * coordinated care ("I can plan my care with people who work together to understand me and my
 * carer(s)", 2013), where each I statement is what good looks like to the person.
 *
 * Versions are never changed: an edit publishes a new version, and the newest is current.
 */

export interface IStatementDefinition {
  /** Stable across versions, so a figure about an I statement can be followed over time. */
  code?: string;
  text: string;
  /** Codes of domains in the personal outcomes framework named by `outcomesFrameworkKey`. */
  domainCodes: string[];
  /** Keys of indicators in the indicator library (text references). */
  indicatorKeys: string[];
}

export interface OverarchingOutcomeDefinition {
  code?: string;
  statement: string;
  iStatements: IStatementDefinition[];
}

export interface StakeholderInvolvement {
  group: StakeholderGroup;
  /** How the group shaped this version, in a sentence or two. */
  how: string;
  /** YYYY-MM-DD */
  on: string;
}

export interface CommissioningFrameworkDefinition {
  key: string;
  name: string;
  description: string;
  /** The personal outcomes framework whose domains the I statements are mapped to. */
  outcomesFrameworkKey: string;
  outcomes: OverarchingOutcomeDefinition[];
  shapedBy: StakeholderInvolvement[];
  /** What this version changes, for the version history. */
  changeSummary: string;
}

export const MAX_OUTCOMES = 20;
export const MAX_I_STATEMENTS_PER_OUTCOME = 20;
export const MAX_INVOLVEMENTS = 30;

export const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface CommissioningProblem {
  /** A dotted path into the definition: `outcomes.0.iStatements.2.domainCodes`. */
  field: string;
  message: string;
}

/** What a definition is checked against: what exists where it is published. */
export interface CommissioningContext {
  /** Domain codes of the personal outcomes framework named by the definition. */
  domainCodes: ReadonlySet<string>;
  /** Keys of indicators in the library. */
  indicatorKeys: ReadonlySet<string>;
  /** YYYY-MM-DD: stakeholders cannot have been involved after it. */
  today: string;
}

const blank = (value: string) => value.trim() === '';

export function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Everything wrong with a framework version, each naming its field, in words a commissioner can act
 * on. Empty means it can be published. Shape (types, lengths) is the contract's; these are the
 * rules across fields and against what exists.
 */
export function commissioningFrameworkProblems(
  definition: CommissioningFrameworkDefinition,
  context: CommissioningContext,
): CommissioningProblem[] {
  const problems: CommissioningProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  if (!KEBAB_CASE.test(definition.key)) {
    problem('key', 'The key must be lower-case words joined by hyphens, for example long-term-conditions.');
  }
  if (blank(definition.name)) problem('name', 'Give the framework a name.');
  if (definition.outcomes.length === 0) {
    problem('outcomes', 'Add at least one overarching outcome.');
  }

  const outcomeTexts = new Set<string>();
  const statementTexts = new Set<string>();
  const outcomeCodes = new Set<string>();
  const statementCodes = new Set<string>();
  definition.outcomes.forEach((outcome, o) => {
    const where = `Outcome ${o + 1}`;
    const field = `outcomes.${o}`;
    if (blank(outcome.statement)) {
      problem(`${field}.statement`, `${where}: write the outcome statement.`);
    } else {
      const normalised = outcome.statement.trim().toLowerCase();
      if (outcomeTexts.has(normalised)) {
        problem(`${field}.statement`, `${where}: the same outcome statement is written twice.`);
      }
      outcomeTexts.add(normalised);
    }
    if (outcome.code !== undefined) {
      if (outcomeCodes.has(outcome.code)) problem(`${field}.code`, `${where}: its code is used twice.`);
      outcomeCodes.add(outcome.code);
    }
    if (outcome.iStatements.length === 0) {
      problem(`${field}.iStatements`, `${where}: add at least one I statement.`);
    }
    outcome.iStatements.forEach((statement, s) => {
      const at = `${where}, I statement ${s + 1}`;
      const path = `${field}.iStatements.${s}`;
      if (blank(statement.text)) {
        problem(`${path}.text`, `${at}: write the I statement.`);
      } else {
        const normalised = statement.text.trim().toLowerCase();
        if (statementTexts.has(normalised)) {
          problem(`${path}.text`, `${at}: the same I statement is written twice.`);
        }
        statementTexts.add(normalised);
      }
      if (statement.code !== undefined) {
        if (statementCodes.has(statement.code)) problem(`${path}.code`, `${at}: its code is used twice.`);
        statementCodes.add(statement.code);
      }
      // Without a domain, what people say matters could never be counted against it.
      if (statement.domainCodes.length === 0) {
        problem(`${path}.domainCodes`, `${at}: choose at least one personal outcome domain it is about.`);
      }
      const unknownDomains = statement.domainCodes.filter((c) => !context.domainCodes.has(c));
      if (unknownDomains.length) {
        problem(
          `${path}.domainCodes`,
          `${at}: ${unknownDomains.map((c) => `"${c}"`).join(', ')} is not a domain of the personal outcomes framework.`,
        );
      }
      if (new Set(statement.domainCodes).size !== statement.domainCodes.length) {
        problem(`${path}.domainCodes`, `${at}: a domain is chosen twice.`);
      }
      const unknownIndicators = statement.indicatorKeys.filter((k) => !context.indicatorKeys.has(k));
      if (unknownIndicators.length) {
        problem(
          `${path}.indicatorKeys`,
          `${at}: ${unknownIndicators.map((k) => `"${k}"`).join(', ')} is not an indicator in the library.`,
        );
      }
      if (new Set(statement.indicatorKeys).size !== statement.indicatorKeys.length) {
        problem(`${path}.indicatorKeys`, `${at}: an indicator is chosen twice.`);
      }
    });
  });

  // Who shaped it is what makes it a commissioning framework rather than a commissioner's list.
  if (definition.shapedBy.length === 0) {
    problem('shapedBy', 'Record at least one group of people who shaped this version, and how.');
  }
  definition.shapedBy.forEach((involvement, i) => {
    const where = `Involvement ${i + 1}`;
    const field = `shapedBy.${i}`;
    if (!isStakeholderGroup(involvement.group)) {
      problem(
        `${field}.group`,
        `${where}: choose who was involved (${Object.values(STAKEHOLDER_GROUP_LABELS).join(', ')}).`,
      );
    }
    if (blank(involvement.how)) problem(`${field}.how`, `${where}: say how they shaped it.`);
    if (!isRealDate(involvement.on)) {
      problem(`${field}.on`, `${where}: the date must be a real date, for example 27 3 2026.`);
    } else if (involvement.on > context.today) {
      problem(`${field}.on`, `${where}: the date must be today or in the past.`);
    }
  });
  return problems;
}

function nextCode(prefix: string, used: Set<string>): string {
  let n = 1;
  while (used.has(`${prefix}-${n}`)) n++;
  const code = `${prefix}-${n}`;
  used.add(code);
  return code;
}

/**
 * Gives every outcome and I statement without a code one that is not used yet in the framework
 * (outcome-1…, i-statement-1…), so codes kept from an earlier version keep their meaning and new
 * ones never take an old one's.
 */
export function withCodes(
  definition: CommissioningFrameworkDefinition,
  earlierCodes: Iterable<string> = [],
): CommissioningFrameworkDefinition {
  const used = new Set<string>(earlierCodes);
  for (const outcome of definition.outcomes) {
    if (outcome.code) used.add(outcome.code);
    for (const statement of outcome.iStatements) if (statement.code) used.add(statement.code);
  }
  return {
    ...definition,
    outcomes: definition.outcomes.map((outcome) => ({
      ...outcome,
      code: outcome.code || nextCode('outcome', used),
      iStatements: outcome.iStatements.map((statement) => ({
        ...statement,
        code: statement.code || nextCode('i-statement', used),
      })),
    })),
  };
}

/** What a version says, without its change note: what a new version must change. */
function contentOf(definition: CommissioningFrameworkDefinition): string {
  const trim = (text: string) => text.trim();
  return JSON.stringify({
    name: trim(definition.name),
    description: trim(definition.description),
    outcomesFrameworkKey: definition.outcomesFrameworkKey,
    outcomes: definition.outcomes.map((o) => [
      trim(o.statement),
      o.iStatements.map((s) => [trim(s.text), [...s.domainCodes].sort(), [...s.indicatorKeys].sort()]),
    ]),
    shapedBy: definition.shapedBy.map((i) => [i.group, trim(i.how), i.on]),
  });
}

/** Whether two versions say the same (spaces at the ends, and the order of mappings, ignored). */
export function sameCommissioningContent(
  a: CommissioningFrameworkDefinition,
  b: CommissioningFrameworkDefinition,
): boolean {
  return contentOf(a) === contentOf(b);
}

/** Every indicator key the framework names, each once, in the order first named. */
export function indicatorKeysOf(definition: Pick<CommissioningFrameworkDefinition, 'outcomes'>): string[] {
  return [...new Set(definition.outcomes.flatMap((o) => o.iStatements.flatMap((s) => s.indicatorKeys)))];
}
