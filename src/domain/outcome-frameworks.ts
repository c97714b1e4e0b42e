/**
 * Outcome frameworks as data: the domains a personal outcome can be coded to, and the scale its
 * achievement is rated on.
 *
 * The defaults follow the Talking Points personal outcomes approach (Joint Improvement Team,
 * Scotland; Cook A, Miller E. Talking Points: Personal Outcomes Approach — Practical Guide, 2012)
 * and its framework for unpaid carers. Names are close to the published ones so that practitioners
 * trained in the approach recognise them; the descriptions are our own plain-English summaries.
 * Frameworks are versioned because coded outcomes must keep meaning what they meant when coded.
 */

export type OutcomeCategory =
  | 'quality-of-life'
  | 'process'
  | 'change'
  | 'carer-quality-of-life'
  | 'managing-caring-role'
  | 'carer-process';

export const OUTCOME_CATEGORIES: readonly OutcomeCategory[] = [
  'quality-of-life',
  'process',
  'change',
  'carer-quality-of-life',
  'managing-caring-role',
  'carer-process',
];

export const CATEGORY_LABELS: Record<OutcomeCategory, string> = {
  'quality-of-life': 'Quality of life',
  process: 'Process',
  change: 'Change',
  'carer-quality-of-life': 'Quality of life for the carer',
  'managing-caring-role': 'Managing the caring role',
  'carer-process': 'Process for the carer',
};

/** Score k (counting from 1) has the label `labels[k - 1]`. */
export interface RatingScale {
  labels: readonly string[];
}

export const DEFAULT_RATING_SCALE: RatingScale = { labels: ['Not at all', 'A little', 'Mostly', 'Fully'] };

export interface FrameworkDomainDefinition {
  /** Kebab-case and unique within its framework; stored against coded outcomes, so never renamed. */
  code: string;
  name: string;
  description: string;
  category: OutcomeCategory;
}

export interface FrameworkDefinition {
  key: string;
  version: number;
  name: string;
  description: string;
  ratingScale: RatingScale;
  domains: readonly FrameworkDomainDefinition[];
}

export const TALKING_POINTS_FRAMEWORK: FrameworkDefinition = {
  key: 'talking-points',
  version: 1,
  name: 'Talking Points personal outcomes',
  description:
    'What matters to people who use services: the quality of life they want, how they want to be ' +
    'treated along the way, and the changes that support can help bring about.',
  ratingScale: DEFAULT_RATING_SCALE,
  domains: [
    {
      code: 'feeling-safe',
      name: 'Feeling safe',
      description: 'Feeling safe and secure at home and out and about, and free from harm or fear.',
      category: 'quality-of-life',
    },
    {
      code: 'having-things-to-do',
      name: 'Having things to do',
      description:
        'Doing things that are meaningful and enjoyable, such as work, learning, hobbies or volunteering.',
      category: 'quality-of-life',
    },
    {
      code: 'seeing-people',
      name: 'Seeing people',
      description: 'Keeping in touch with family, friends and community, and not feeling lonely or cut off.',
      category: 'quality-of-life',
    },
    {
      code: 'staying-well',
      name: 'Staying as well as you can',
      description: 'Looking after physical and mental health and keeping as well as possible.',
      category: 'quality-of-life',
    },
    {
      code: 'living-as-you-want',
      name: 'Living where and as you want',
      description: 'Living in a place you choose, in the way you choose, with your own routines.',
      category: 'quality-of-life',
    },
    {
      code: 'dealing-with-stigma',
      name: 'Dealing with stigma and discrimination',
      description:
        'Being treated fairly by others and able to deal with prejudice, stigma or discrimination.',
      category: 'quality-of-life',
    },
    {
      code: 'listened-to',
      name: 'Being listened to',
      description: 'People take the time to hear what you say and take it seriously.',
      category: 'process',
    },
    {
      code: 'having-a-say',
      name: 'Having a say',
      description: 'Having real choice and a say in decisions about your support.',
      category: 'process',
    },
    {
      code: 'treated-with-respect',
      name: 'Being treated with respect',
      description: 'Being treated as a person, with dignity and courtesy, and your views valued.',
      category: 'process',
    },
    {
      code: 'responded-to',
      name: 'Being responded to',
      description: 'Getting help when you need it, without long waits, and in a way that suits you.',
      category: 'process',
    },
    {
      code: 'reliability',
      name: 'Reliability',
      description: 'Support turns up when agreed, from people you know, and does what was promised.',
      category: 'process',
    },
    {
      code: 'improved-confidence',
      name: 'Improved confidence and morale',
      description: 'Feeling more confident, hopeful and positive about yourself and the future.',
      category: 'change',
    },
    {
      code: 'improved-skills',
      name: 'Improved skills',
      description: 'Learning or regaining skills to do more things for yourself.',
      category: 'change',
    },
    {
      code: 'improved-mobility',
      name: 'Improved mobility',
      description: 'Being able to move about more easily, at home and outside.',
      category: 'change',
    },
    {
      code: 'reduced-symptoms',
      name: 'Reduced symptoms',
      description: 'Less pain, distress or other symptoms getting in the way of life.',
      category: 'change',
    },
  ],
};

export const CARERS_FRAMEWORK: FrameworkDefinition = {
  key: 'carers',
  version: 1,
  name: 'Personal outcomes for carers',
  description:
    'What matters to unpaid carers: their own quality of life, feeling able to manage the caring ' +
    'role, and how services work with them.',
  ratingScale: DEFAULT_RATING_SCALE,
  domains: [
    {
      code: 'carer-health-and-wellbeing',
      name: 'Health and wellbeing',
      description: 'The carer looks after their own physical and mental health and gets enough rest.',
      category: 'carer-quality-of-life',
    },
    {
      code: 'a-life-of-their-own',
      name: 'A life of their own',
      description: 'Having time for themselves, their interests, work or learning, outside caring.',
      category: 'carer-quality-of-life',
    },
    {
      code: 'positive-relationship',
      name: 'A positive relationship with the person cared for',
      description: 'Keeping a good relationship with the person they care for, beyond the caring tasks.',
      category: 'carer-quality-of-life',
    },
    {
      code: 'freedom-from-financial-hardship',
      name: 'Freedom from financial hardship',
      description: 'Caring does not leave the carer struggling for money or missing out on benefits.',
      category: 'carer-quality-of-life',
    },
    {
      code: 'seeing-people',
      name: 'Seeing people',
      description: 'Keeping in touch with friends, family and community, and not feeling isolated.',
      category: 'carer-quality-of-life',
    },
    {
      code: 'able-to-care',
      name: 'Feeling able to care',
      description: 'Having the confidence, skills, information and help needed to keep caring safely.',
      category: 'managing-caring-role',
    },
    {
      code: 'choice-in-caring',
      name: 'Choice in caring',
      description: 'Choosing whether to care, and how much, rather than having no alternative.',
      category: 'managing-caring-role',
    },
    {
      code: 'satisfaction-in-caring',
      name: 'Satisfaction in caring',
      description: 'Finding caring worthwhile and feeling that the person is well looked after.',
      category: 'managing-caring-role',
    },
    {
      code: 'emergency-planning',
      name: 'Knowing what to do in an emergency',
      description: 'Having a plan, and knowing who to call, if the carer or the person is suddenly unwell.',
      category: 'managing-caring-role',
    },
    {
      code: 'listened-to',
      name: 'Being listened to',
      description: 'Services hear what the carer says and take it seriously.',
      category: 'carer-process',
    },
    {
      code: 'having-a-say',
      name: 'Having a say',
      description: 'The carer has a say in the support for the person they care for and for themselves.',
      category: 'carer-process',
    },
    {
      code: 'treated-as-expert',
      name: 'Treated as an expert and with respect',
      description: "The carer's knowledge of the person is valued and they are treated as a partner.",
      category: 'carer-process',
    },
    {
      code: 'responded-to',
      name: 'Being responded to',
      description: 'Help comes when the carer needs it, without long waits or having to chase.',
      category: 'carer-process',
    },
    {
      code: 'reliability',
      name: 'Reliability',
      description: 'Support for the carer and the person turns up when agreed and does what was promised.',
      category: 'carer-process',
    },
  ],
};

/**
 * Which framework a record's outcomes are coded with, from whose record it is: a carer's own record
 * (about the carer, not the person cared for) uses the carers' framework; any other record, the
 * default framework (undefined).
 */
export function frameworkKeyForRecord(registeredAs: string): string | undefined {
  return registeredAs === 'carer' ? CARERS_FRAMEWORK.key : undefined;
}

export const DEFAULT_FRAMEWORKS: readonly FrameworkDefinition[] = [
  TALKING_POINTS_FRAMEWORK,
  CARERS_FRAMEWORK,
];

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MIN_SCALE_POINTS = 2;
// More points than this stops being a conversation aid and becomes a false precision.
export const MAX_SCALE_POINTS = 10;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** One thing wrong with a framework, and the field it is about (a dotted path: `domains.2.code`). */
export interface FrameworkProblem {
  field: string;
  message: string;
}

/**
 * Everything wrong with a framework an administrator wants to add, in words they can act on; an
 * empty list means it can be saved. All problems are listed, not just the first, so a framework
 * pasted in from elsewhere can be fixed in one go.
 */
export function frameworkProblems(definition: unknown): string[] {
  return frameworkFieldProblems(definition).map((p) => p.message);
}

/** The same problems, each naming the field it is about. */
export function frameworkFieldProblems(definition: unknown): FrameworkProblem[] {
  if (!isRecord(definition)) return [{ field: '', message: 'The framework must be an object.' }];
  const problems: FrameworkProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  const { key, version, name, description, ratingScale, domains } = definition;
  if (typeof key !== 'string' || !KEBAB_CASE.test(key)) {
    problem('key', 'The key must be kebab-case: lower-case letters and digits separated by single hyphens.');
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    problem('version', 'The version must be a whole number of 1 or more.');
  }
  if (!isNonEmptyText(name)) problem('name', 'The framework needs a name.');
  if (typeof description !== 'string')
    problem('description', 'The description must be text (it may be empty).');

  const labels = isRecord(ratingScale) ? ratingScale.labels : undefined;
  if (!Array.isArray(labels)) {
    problem('ratingScale.labels', 'The rating scale needs a list of labels.');
  } else {
    if (labels.length < MIN_SCALE_POINTS || labels.length > MAX_SCALE_POINTS) {
      problem(
        'ratingScale.labels',
        `The rating scale must have from ${MIN_SCALE_POINTS} to ${MAX_SCALE_POINTS} labels, not ${labels.length}.`,
      );
    }
    labels.forEach((label, i) => {
      if (!isNonEmptyText(label))
        problem(`ratingScale.labels.${i}`, `Rating scale label ${i + 1} must not be empty.`);
    });
    const seen = new Set<string>();
    labels.forEach((label, i) => {
      if (!isNonEmptyText(label)) return;
      const normalised = label.trim().toLowerCase();
      // Two points with the same label could not be told apart when rating.
      if (seen.has(normalised)) {
        problem(`ratingScale.labels.${i}`, `The rating scale label "${label}" is used more than once.`);
      }
      seen.add(normalised);
    });
  }

  if (!Array.isArray(domains) || domains.length === 0) {
    problem('domains', 'The framework needs at least one domain.');
  } else {
    const codes = new Set<string>();
    domains.forEach((domain: unknown, i) => {
      const where = `Domain ${i + 1}`;
      const field = `domains.${i}`;
      if (!isRecord(domain)) {
        problem(field, `${where} must be an object.`);
        return;
      }
      const { code } = domain;
      if (typeof code !== 'string' || !KEBAB_CASE.test(code)) {
        problem(`${field}.code`, `${where}: the code must be kebab-case.`);
      } else if (codes.has(code)) {
        problem(`${field}.code`, `${where}: the code "${code}" is already used by another domain.`);
      } else {
        codes.add(code);
      }
      if (!isNonEmptyText(domain.name)) problem(`${field}.name`, `${where} needs a name.`);
      if (typeof domain.description !== 'string') {
        problem(`${field}.description`, `${where}: the description must be text (it may be empty).`);
      }
      if (!(OUTCOME_CATEGORIES as readonly unknown[]).includes(domain.category)) {
        problem(
          `${field}.category`,
          `${where}: the category must be one of ${OUTCOME_CATEGORIES.join(', ')}.`,
        );
      }
    });
  }
  return problems;
}

/** Scores are whole numbers from 1 to the number of labels on the scale. */
export function isValidScore(scale: RatingScale, score: unknown): boolean {
  return typeof score === 'number' && Number.isInteger(score) && score >= 1 && score <= scale.labels.length;
}

/** What a framework version says, without its key and version: what a new version must change. */
function contentOf(f: Omit<FrameworkDefinition, 'key' | 'version'>) {
  const trim = (text: string) => text.trim();
  return JSON.stringify({
    name: trim(f.name),
    description: trim(f.description),
    labels: f.ratingScale.labels.map(trim),
    domains: f.domains.map((d) => [d.code, trim(d.name), trim(d.description), d.category]),
  });
}

/**
 * Whether a proposed version says exactly what an existing one says (names, descriptions, scale
 * labels and domains, in order; spaces at the ends ignored). A version is a change: an identical
 * one would only split outcomes coded with the same framework across two versions.
 */
export function sameFrameworkContent(
  proposed: Omit<FrameworkDefinition, 'key' | 'version'>,
  existing: Omit<FrameworkDefinition, 'key' | 'version'>,
): boolean {
  return contentOf(proposed) === contentOf(existing);
}
