/**
 * The catalogue of measures ("mapping what really matters", issue 11 item 7): a register of the
 * measures, metrics, indicators, tools and approaches that exist, what each measures, at which
 * level, which outcome-framework domains it covers, who answers it, how well it is validated, on
 * what licence and where to get it. It grew from NHS Improving Quality's Person Centred Outcomes
 * programme, whose first work stream was "understanding what measures, metrics, indicators,
 * outcomes, tools and approaches are already available, in use and what the gaps are", reaching
 * beyond health and care into housing, employment and the wider system.
 *
 * The vocabularies and their labels are defined here once; the entries themselves are data (table
 * `catalogue_entry`, seeded from catalogue-seed.ts, edited by administrators and commissioners).
 */

export const CATALOGUE_KINDS = ['measure', 'metric', 'indicator', 'tool', 'approach'] as const;
export type CatalogueKind = (typeof CATALOGUE_KINDS)[number];
export const CATALOGUE_KIND_LABELS: Record<CatalogueKind, string> = {
  measure: 'Measure or instrument',
  metric: 'Metric',
  indicator: 'Indicator',
  tool: 'Tool',
  approach: 'Approach',
};

/** The four levels person-centred outcomes work at (the product's DESIGN.md, from the seeds). */
export const CATALOGUE_LEVELS = ['individual', 'service', 'commissioner', 'wider-system'] as const;
export type CatalogueLevel = (typeof CATALOGUE_LEVELS)[number];
export const CATALOGUE_LEVEL_LABELS: Record<CatalogueLevel, string> = {
  individual: 'Individual',
  service: 'Service provider',
  commissioner: 'Commissioner',
  'wider-system': 'Wider system',
};

/** Areas of life, health and care first, then the wider system's (housing, work, learning, money). */
export const LIFE_AREAS = [
  'health',
  'mental-health',
  'wellbeing',
  'independence',
  'relationships',
  'safety',
  'experience-of-care',
  'caring',
  'housing',
  'employment',
  'education',
  'money',
  'community',
] as const;
export type LifeArea = (typeof LIFE_AREAS)[number];
export const LIFE_AREA_LABELS: Record<LifeArea, string> = {
  health: 'Physical health',
  'mental-health': 'Mental health',
  wellbeing: 'Wellbeing',
  independence: 'Independence and daily living',
  relationships: 'Relationships and social contact',
  safety: 'Feeling safe',
  'experience-of-care': 'Experience of care',
  caring: 'Caring for someone',
  housing: 'Housing',
  employment: 'Employment',
  education: 'Education and learning',
  money: 'Money',
  community: 'Community and belonging',
};

export const RESPONDENTS = ['person', 'carer', 'practitioner', 'service', 'administrative-data'] as const;
export type Respondent = (typeof RESPONDENTS)[number];
export const RESPONDENT_LABELS: Record<Respondent, string> = {
  person: 'The person',
  carer: 'A carer',
  practitioner: 'A practitioner',
  service: 'The service',
  'administrative-data': 'Administrative data',
};

/**
 * Where an entry is in the product: one of the built-in instruments, an indicator of the
 * aggregation engine, or the product's own personal-outcome tools (ratings from several
 * viewpoints, goal attainment scaling). An entry with no link is not in the product.
 */
export const PRODUCT_LINK_KINDS = ['instrument', 'indicator', 'ratings', 'gas'] as const;
export type ProductLinkKind = (typeof PRODUCT_LINK_KINDS)[number];
export const PRODUCT_LINK_LABELS: Record<ProductLinkKind, string> = {
  instrument: 'Built-in instrument',
  indicator: 'Indicator',
  ratings: 'Ratings of personal outcomes',
  gas: 'Goal attainment scaling',
};
/** Link kinds that name something by key; the others are the one tool of their kind. */
export const KEYED_LINK_KINDS: readonly ProductLinkKind[] = ['instrument', 'indicator'];

export interface ProductLink {
  kind: ProductLinkKind;
  /** The instrument's or indicator's key; null for ratings and GAS. */
  key: string | null;
}

/**
 * The frameworks an entry's domains belong to: a personal outcomes framework (`outcomes:<key>`,
 * its domains) or a commissioning framework (`commissioning:<key>`, its I statements). Keys are
 * kept across versions, and so are codes, so a mapping survives a new version.
 */
export const FRAMEWORK_KINDS = ['outcomes', 'commissioning'] as const;
export type FrameworkKind = (typeof FRAMEWORK_KINDS)[number];

export interface FrameworkRef {
  kind: FrameworkKind;
  key: string;
}

export const frameworkRefText = (ref: FrameworkRef): string => `${ref.kind}:${ref.key}`;

export function parseFrameworkRef(text: string): FrameworkRef | null {
  const match = /^(outcomes|commissioning):([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(text);
  if (!match) return null;
  return { kind: match[1] as FrameworkKind, key: match[2] as string };
}

/** One domain an entry covers: the framework (`outcomes:talking-points`) and the domain's code. */
export interface DomainRef {
  framework: string;
  code: string;
}

export interface CatalogueEntryDefinition {
  /** Kebab-case, unique, never changed: links and mappings name it. */
  key: string;
  name: string;
  kind: CatalogueKind;
  /** What it measures, in a sentence or two. */
  measures: string;
  levels: CatalogueLevel[];
  lifeAreas: LifeArea[];
  domains: DomainRef[];
  respondents: Respondent[];
  /** How well it is validated, with references. */
  validation: string;
  /** Who holds the rights, and on what terms it may be used. */
  licence: string;
  /** Where to get it; null when there is nowhere outside the product. */
  sourceUrl: string | null;
  link: ProductLink | null;
}

export const MAX_ENTRY_DOMAINS = 100;
const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface CatalogueProblem {
  /** A dotted path into the definition: `domains.2.code`. */
  field: string;
  message: string;
}

/** What an entry is checked against: what exists in the product now. */
export interface CatalogueContext {
  /** Domain codes of each framework, by `frameworkRefText`. */
  frameworkDomains: ReadonlyMap<string, ReadonlySet<string>>;
  instrumentKeys: ReadonlySet<string>;
  indicatorKeys: ReadonlySet<string>;
}

/** Whether a text is an http(s) address a browser can open. */
export function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/**
 * Everything wrong with an entry that its shape alone does not say, each naming its field: lists
 * that must not be empty or repeat, domains that no framework has, a link to nothing. All are
 * listed, so an editor fixes the form in one go.
 */
export function catalogueEntryProblems(
  entry: CatalogueEntryDefinition,
  context: CatalogueContext,
): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  if (!KEBAB_CASE.test(entry.key)) {
    problem('key', 'The key must be lower-case letters and digits joined by single hyphens.');
  }
  if (!entry.name.trim()) problem('name', 'Give the entry a name.');
  if (!entry.measures.trim()) problem('measures', 'Say what it measures.');
  const nonEmpty = [
    ['levels', entry.levels, 'Choose at least one level it is used at.'],
    ['lifeAreas', entry.lifeAreas, 'Choose at least one area of life it is about.'],
    ['respondents', entry.respondents, 'Choose who answers it or where its data comes from.'],
  ] as const;
  for (const [field, values, message] of nonEmpty) {
    if (values.length === 0) problem(field, message);
    if (new Set(values).size !== values.length) problem(field, 'Choose each option once.');
  }
  if (entry.sourceUrl !== null && !isWebAddress(entry.sourceUrl)) {
    problem('sourceUrl', 'Where to get it must be a web address starting https:// or http://.');
  }
  const seen = new Set<string>();
  entry.domains.forEach((d, i) => {
    const codes = context.frameworkDomains.get(d.framework);
    if (!codes) {
      problem(`domains.${i}.framework`, `No framework in the product is “${d.framework}”.`);
    } else if (!codes.has(d.code)) {
      problem(`domains.${i}.code`, `The framework “${d.framework}” has no domain “${d.code}”.`);
    }
    const id = `${d.framework} ${d.code}`;
    if (seen.has(id)) problem(`domains.${i}.code`, `The domain “${d.code}” is listed twice.`);
    seen.add(id);
  });
  const link = entry.link;
  if (link) {
    const keyed = KEYED_LINK_KINDS.includes(link.kind);
    if (keyed && !link.key) {
      problem(
        'link.key',
        `Name the ${PRODUCT_LINK_LABELS[link.kind].toLowerCase()} it is in the product as.`,
      );
    } else if (!keyed && link.key) {
      problem('link.key', `${PRODUCT_LINK_LABELS[link.kind]} is one tool: it takes no key.`);
    } else if (link.kind === 'instrument' && link.key && !context.instrumentKeys.has(link.key)) {
      problem('link.key', `There is no built-in instrument “${link.key}”.`);
    } else if (link.kind === 'indicator' && link.key && !context.indicatorKeys.has(link.key)) {
      problem('link.key', `There is no indicator “${link.key}”.`);
    }
  }
  return problems;
}
