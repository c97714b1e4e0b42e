import type {
  AnswerOption,
  Coding,
  Extension,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireItemType,
  ResponseAnswer,
} from '../types.js';
import { QUESTIONNAIRE_ITEM_TYPES } from '../types.js';
import { enableWhenValue } from './enable-when.js';
import { expressionProblems } from './expressions.js';
import {
  calculatedExpressionOf,
  EXTENSION,
  FHIRPATH_LANGUAGE,
  HARMLESS_EXTENSIONS,
  HONOURED_ITEM_CONTROLS,
  itemControlOf,
  optionOrdinal,
  variablesOf,
} from './extensions.js';
import { optionLabel, sameOptionValue } from './options.js';
import { type Answers, itemsWithAncestors } from './response.js';
import { withCalculatedAnswers } from './score.js';

/**
 * What the engine makes of a Questionnaire from elsewhere, before anyone answers it: `problems`
 * mean it cannot be imported (it is not a Questionnaire, a linkId repeats, an enableWhen names a
 * question that is not there, an expression does not compile…); `unsupported` lists what imports
 * but will not be asked or worked out as its author meant, each with the path of its item, so an
 * administrator reads it at import and a person never meets it mid-form.
 *
 * Supported: item types choice (radios; checkboxes when it repeats; a select when an item control
 * asks for a drop-down or there are more than SELECT_THRESHOLD options), integer, decimal,
 * string, text, date, time, boolean, display, group (nested); enableWhen with every operator and
 * enableBehavior all/any; required; readOnly; the questionnaire-hidden extension; maxLength;
 * minValue/maxValue; questionnaire-unit; entryFormat; initial and initialSelected; answerOption
 * with valueCoding, valueInteger or valueString; answerValueSet naming a contained ValueSet with
 * an expansion or listed concepts; ordinalValue/itemWeight on options; SDC calculatedExpression
 * and variable in text/fhirpath; the item controls drop-down, radio-button, check-box, help
 * (a display item shown as its question's hint), inline, prompt and list.
 */

export interface ImportProblem {
  path: string;
  message: string;
}

export interface UnsupportedFeature {
  path: string;
  feature: string;
  message: string;
}

export interface QuestionnaireAnalysis {
  /** The Questionnaire as the engine reads it (answer options from contained value sets filled in); absent when it has problems. */
  questionnaire?: Questionnaire;
  problems: ImportProblem[];
  unsupported: UnsupportedFeature[];
}

/** Item types the form asks: a subset of QUESTIONNAIRE_ITEM_TYPES, checked against it by its type. */
export const SUPPORTED_ITEM_TYPES: ReadonlySet<string> = new Set<QuestionnaireItemType>([
  'group',
  'display',
  'boolean',
  'decimal',
  'integer',
  'date',
  'time',
  'string',
  'text',
  'choice',
]);

const STATUSES = new Set(['draft', 'active', 'retired', 'unknown']);
const OPERATORS = new Set(['exists', '=', '!=', '>', '<', '>=', '<=']);
/** The answer[x] an enableWhen may compare with each type of question. */
const ANSWER_KINDS_FOR: Record<string, readonly string[]> = {
  boolean: ['answerBoolean'],
  decimal: ['answerDecimal', 'answerInteger'],
  integer: ['answerInteger', 'answerDecimal'],
  date: ['answerDate'],
  string: ['answerString'],
  text: ['answerString'],
  choice: ['answerCoding', 'answerString', 'answerInteger'],
};

/** Extensions the engine reads, per where they may be. */
const READ_ON_ITEM = new Set<string>([
  EXTENSION.calculatedExpression,
  EXTENSION.variable,
  EXTENSION.unit,
  EXTENSION.itemControl,
  EXTENSION.hidden,
  EXTENSION.minValue,
  EXTENSION.maxValue,
  EXTENSION.entryFormat,
]);
const READ_ON_OPTION = new Set<string>([EXTENSION.ordinalValue, EXTENSION.itemWeight]);
const READ_ON_ROOT = new Set<string>([EXTENSION.variable]);

/** What each SDC extension the engine does not run would have done, for the admin's list. */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression':
    'An enableWhenExpression is not run: the item is always asked unless its enableWhen says otherwise.',
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression':
    'An initialExpression is not run: the item starts empty.',
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-answerExpression':
    'An answerExpression is not run: only the listed answer options are offered.',
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-candidateExpression':
    'A candidateExpression is not run.',
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-contextExpression':
    'A contextExpression is not run.',
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-launchContext':
    'Launch context is not used: nothing is filled in from other records.',
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-itemPopulationContext':
    'Population from other records is not done.',
  'http://hl7.org/fhir/StructureDefinition/regex':
    'The regular expression an answer must match is not checked.',
  'http://hl7.org/fhir/StructureDefinition/minLength': 'The minimum length of an answer is not checked.',
  'http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces':
    'The maximum number of decimal places is not checked.',
  'http://hl7.org/fhir/StructureDefinition/cqf-library': 'CQL libraries are not run.',
  'http://hl7.org/fhir/StructureDefinition/cqf-expression': 'CQL expressions are not run.',
  'http://hl7.org/fhir/StructureDefinition/questionnaire-choiceOrientation':
    'Answer options are always listed one under another.',
  'http://hl7.org/fhir/StructureDefinition/questionnaire-sliderStepValue':
    'Sliders are shown as a number box.',
  'http://hl7.org/fhir/StructureDefinition/questionnaire-referenceResource': 'References cannot be answered.',
};

/** More options than this and a choice is a select, as long lists of radios are hard to scan. */
export const SELECT_THRESHOLD = 12;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

class Findings {
  readonly problems: ImportProblem[] = [];
  readonly unsupported: UnsupportedFeature[] = [];
  problem(path: string, message: string) {
    this.problems.push({ path, message });
  }
  unsupportedFeature(path: string, feature: string, message: string) {
    this.unsupported.push({ path, feature, message });
  }
}

/** A contained ValueSet's codes: its expansion's `contains`, else its compose's listed concepts. */
function valueSetOptions(valueSet: Json): AnswerOption[] | null {
  const expansion = isObject(valueSet.expansion) ? valueSet.expansion : null;
  const flatten = (contains: unknown): Coding[] =>
    Array.isArray(contains)
      ? contains.flatMap((c) =>
          isObject(c)
            ? [
                ...(nonEmptyString(c.code)
                  ? [
                      {
                        system: typeof c.system === 'string' ? c.system : undefined,
                        code: c.code,
                        display: typeof c.display === 'string' ? c.display : undefined,
                      },
                    ]
                  : []),
                ...flatten(c.contains),
              ]
            : [],
        )
      : [];
  let codings = expansion ? flatten(expansion.contains) : [];
  let extensions: (Extension[] | undefined)[] = [];
  if (!codings.length && isObject(valueSet.compose) && Array.isArray(valueSet.compose.include)) {
    const includes = valueSet.compose.include.filter(isObject);
    // A filter or a whole code system needs a terminology server to expand.
    if (includes.some((i) => i.filter !== undefined || !Array.isArray(i.concept))) return null;
    codings = [];
    extensions = [];
    for (const include of includes) {
      for (const concept of (include.concept as unknown[]).filter(isObject)) {
        if (!nonEmptyString(concept.code)) continue;
        codings.push({
          system: typeof include.system === 'string' ? include.system : undefined,
          code: concept.code,
          display: typeof concept.display === 'string' ? concept.display : undefined,
        });
        extensions.push(Array.isArray(concept.extension) ? (concept.extension as Extension[]) : undefined);
      }
    }
  }
  if (!codings.length) return null;
  return codings.map((coding, i) => {
    const clean = Object.fromEntries(Object.entries(coding).filter(([, v]) => v !== undefined)) as Coding;
    const ext = extensions[i]?.filter((e) => READ_ON_OPTION.has(e.url));
    return ext?.length ? { valueCoding: clean, extension: ext } : { valueCoding: clean };
  });
}

function checkExtensions(
  f: Findings,
  path: string,
  extensions: unknown,
  read: ReadonlySet<string>,
  where: string,
): void {
  if (extensions === undefined) return;
  if (!Array.isArray(extensions)) {
    f.problem(`${path}.extension`, 'must be a list of extensions');
    return;
  }
  extensions.forEach((ext, i) => {
    if (!isObject(ext) || !nonEmptyString(ext.url)) {
      f.problem(`${path}.extension[${i}]`, 'an extension needs a url');
      return;
    }
    if (read.has(ext.url) || HARMLESS_EXTENSIONS.has(ext.url)) return;
    const known = KNOWN_UNSUPPORTED[ext.url];
    f.unsupportedFeature(
      `${path}.extension[${i}]`,
      ext.url,
      known ?? `This extension on ${where} is not understood and is ignored.`,
    );
  });
}

function checkModifierExtensions(f: Findings, path: string, element: Json): void {
  if (Array.isArray(element.modifierExtension) && element.modifierExtension.length) {
    f.problem(
      `${path}.modifierExtension`,
      'has a modifier extension, which changes what the element means; the engine cannot read it',
    );
  }
}

/** Checks a calculatedExpression or variable; returns whether the engine can run it. */
function checkExpression(
  f: Findings,
  path: string,
  value: { language?: string; expression?: string; name?: string } | undefined,
  what: string,
  inScope: ReadonlySet<string>,
): boolean {
  if (!isObject(value)) {
    f.problem(path, `${what} needs a valueExpression`);
    return false;
  }
  if (value.language !== FHIRPATH_LANGUAGE) {
    f.unsupportedFeature(
      path,
      `${what} in ${String(value.language ?? 'no language')}`,
      `Only ${FHIRPATH_LANGUAGE} expressions are worked out; this ${what} is not.`,
    );
    return false;
  }
  if (!nonEmptyString(value.expression)) {
    f.problem(path, `${what} has no expression`);
    return false;
  }
  const problems = expressionProblems(value.expression, inScope);
  for (const message of problems) f.problem(path, `The ${what} ${message}: ${value.expression}`);
  return problems.length === 0;
}

/** Answers an item's own initial / option values in the shape the form uses; problems if they do not fit. */
function checkInitial(f: Findings, path: string, item: QuestionnaireItem): void {
  if (item.initial === undefined) return;
  if (!Array.isArray(item.initial)) {
    f.problem(`${path}.initial`, 'must be a list');
    return;
  }
  if (item.type === 'choice' && item.answerOption?.length) {
    item.initial.forEach((initial, i) => {
      const value = isObject(initial) ? initial : {};
      const match = item.answerOption?.some((o) => sameOptionValue(o, value as AnswerOption));
      if (!match) {
        f.unsupportedFeature(
          `${path}.initial[${i}]`,
          'initial value not among the options',
          'This initial answer is not one of the answer options, so nothing is chosen to start with.',
        );
      }
    });
  }
}

interface Walk {
  f: Findings;
  contained: Map<string, Json>;
  linkIds: Map<string, string>;
  /** Items by linkId, to check enableWhen after every item is known. */
  items: Map<string, QuestionnaireItem>;
  enableWhens: { path: string; item: QuestionnaireItem }[];
}

function analyseItem(
  w: Walk,
  raw: unknown,
  path: string,
  inScope: ReadonlySet<string>,
  parent: QuestionnaireItem | null,
): QuestionnaireItem | null {
  const { f } = w;
  if (!isObject(raw)) {
    f.problem(path, 'must be an item (an object)');
    return null;
  }
  const item = raw as QuestionnaireItem;
  if (!nonEmptyString(item.linkId)) {
    f.problem(`${path}.linkId`, 'every item needs a linkId');
    return null;
  }
  const earlier = w.linkIds.get(item.linkId);
  if (earlier) f.problem(`${path}.linkId`, `linkId "${item.linkId}" is also used by ${earlier}`);
  else w.linkIds.set(item.linkId, path);
  w.items.set(item.linkId, item);

  if (!(QUESTIONNAIRE_ITEM_TYPES as readonly string[]).includes(item.type as string)) {
    f.problem(`${path}.type`, `"${String(item.type)}" is not a Questionnaire item type`);
    return null;
  }
  checkModifierExtensions(f, path, item as Json);
  checkExtensions(f, path, item.extension, READ_ON_ITEM, 'an item');

  if (!SUPPORTED_ITEM_TYPES.has(item.type)) {
    f.unsupportedFeature(
      path,
      `item type ${item.type}`,
      `"${item.text ?? item.linkId}" is a ${item.type} question, which the form cannot ask: it is left out.`,
    );
  }
  if (parent && parent.type !== 'group' && !(item.type === 'display')) {
    f.problem(
      path,
      `"${item.text ?? item.linkId}" is nested under the question "${parent.text ?? parent.linkId}"; only display items may be`,
    );
  }
  if (item.type !== 'display' && item.type !== 'group' && !nonEmptyString(item.text)) {
    f.unsupportedFeature(
      path,
      'question without text',
      `Question ${item.linkId} has no words; it is shown as "Question ${item.linkId}".`,
    );
  }
  if (item.type === 'group' && !item.item?.length) f.problem(path, 'a group must contain items');
  if (item.type === 'display' && item.item?.length) f.problem(path, 'a display item cannot contain items');
  if (item.repeats === true && item.type !== 'choice' && item.type !== 'display') {
    f.unsupportedFeature(
      `${path}.repeats`,
      `repeating ${item.type}`,
      `"${item.text ?? item.linkId}" may be answered more than once elsewhere; here it is asked once.`,
    );
  }
  if (item.maxLength !== undefined && !(Number.isInteger(item.maxLength) && item.maxLength > 0)) {
    f.problem(`${path}.maxLength`, 'must be a whole number above 0');
  }
  const control = itemControlOf(item);
  if (control && !HONOURED_ITEM_CONTROLS.has(control)) {
    f.unsupportedFeature(
      path,
      `item control ${control}`,
      `The "${control}" control is not used; "${item.text ?? item.linkId}" is shown as the NHS.UK form field for its type.`,
    );
  }

  // Answer options, perhaps from a contained value set.
  if (item.type === 'choice' || item.type === 'open-choice') {
    if (item.answerValueSet !== undefined && !item.answerOption?.length) {
      const ref = String(item.answerValueSet);
      const contained = ref.startsWith('#') ? w.contained.get(ref.slice(1)) : undefined;
      const options = contained ? valueSetOptions(contained) : null;
      if (options) item.answerOption = options;
      else if (item.type === 'choice') {
        f.unsupportedFeature(
          `${path}.answerValueSet`,
          'answer value set',
          `The answers of "${item.text ?? item.linkId}" come from the value set ${ref}, which would need a terminology server: the question is left out.`,
        );
      }
    }
    if (item.type === 'choice' && item.answerValueSet === undefined && !item.answerOption?.length) {
      f.problem(`${path}.answerOption`, `"${item.text ?? item.linkId}" is a choice with no answer options`);
    }
    (item.answerOption ?? []).forEach((option, i) => {
      const optionPath = `${path}.answerOption[${i}]`;
      if (!isObject(option)) {
        f.problem(optionPath, 'must be an answer option');
        return;
      }
      checkModifierExtensions(f, optionPath, option as Json);
      checkExtensions(f, optionPath, option.extension, READ_ON_OPTION, 'an answer option');
      if (option.valueCoding) {
        if (
          !isObject(option.valueCoding) ||
          (!nonEmptyString(option.valueCoding.code) && !nonEmptyString(option.valueCoding.display))
        ) {
          f.problem(`${optionPath}.valueCoding`, 'needs a code or a display');
        }
      } else if (option.valueInteger !== undefined) {
        if (!Number.isInteger(option.valueInteger))
          f.problem(`${optionPath}.valueInteger`, 'must be a whole number');
      } else if (option.valueString !== undefined) {
        if (!nonEmptyString(option.valueString)) f.problem(`${optionPath}.valueString`, 'must not be empty');
      } else if (option.valueDate !== undefined) {
        f.unsupportedFeature(
          optionPath,
          'date answer option',
          'Date answer options are offered by their text.',
        );
      } else {
        const kind = Object.keys(option).find((k) => k.startsWith('value')) ?? 'no value';
        f.unsupportedFeature(
          optionPath,
          `answer option ${kind}`,
          `An answer option with ${kind} is left out.`,
        );
      }
    });
    const options = item.answerOption ?? [];
    options.forEach((option, i) => {
      const duplicate = options.findIndex((o) => o !== option && sameOptionValue(o, option as never));
      if (duplicate >= 0 && duplicate < i) {
        f.problem(`${path}.answerOption[${i}]`, `is the same answer as answerOption[${duplicate}]`);
      }
    });
  } else if (item.answerOption?.length && SUPPORTED_ITEM_TYPES.has(item.type)) {
    f.unsupportedFeature(
      `${path}.answerOption`,
      `answer options on a ${item.type} question`,
      `"${item.text ?? item.linkId}" is asked as a ${item.type}: its answer options are not offered.`,
    );
  }
  checkInitial(f, path, item);

  // Variables on this item, then its calculatedExpression, then its children.
  const scope = new Set(inScope);
  for (const [i, variable] of variablesOf(item).entries()) {
    const ok = checkExpression(f, `${path}.extension(variable ${i + 1})`, variable, 'variable', scope);
    if (!nonEmptyString(variable.name))
      f.problem(`${path}.extension(variable ${i + 1})`, 'a variable needs a name');
    else if (ok || variable.language === FHIRPATH_LANGUAGE) scope.add(variable.name);
  }
  const calculated = calculatedExpressionOf(item);
  if (calculated || item.extension?.some((e) => e?.url === EXTENSION.calculatedExpression)) {
    checkExpression(
      f,
      `${path}.extension(calculatedExpression)`,
      calculated ?? undefined,
      'calculatedExpression',
      scope,
    );
  }
  if (item.enableWhen !== undefined) {
    if (!Array.isArray(item.enableWhen)) f.problem(`${path}.enableWhen`, 'must be a list');
    else w.enableWhens.push({ path, item });
  }
  if (item.item !== undefined && !Array.isArray(item.item)) {
    f.problem(`${path}.item`, 'must be a list of items');
  } else {
    item.item = (item.item ?? []).flatMap((child, i) => {
      const analysed = analyseItem(w, child, `${path}.item[${i}]`, scope, item);
      return analysed ? [analysed] : [];
    });
    if (!item.item.length) delete item.item;
  }
  return item;
}

function checkEnableWhen(w: Walk, path: string, item: QuestionnaireItem): void {
  const { f } = w;
  const conditions = item.enableWhen ?? [];
  if (conditions.length > 1 && item.enableBehavior !== 'all' && item.enableBehavior !== 'any') {
    f.problem(`${path}.enableBehavior`, 'must be "all" or "any" when there is more than one enableWhen');
  }
  conditions.forEach((condition, i) => {
    const at = `${path}.enableWhen[${i}]`;
    if (!isObject(condition)) {
      f.problem(at, 'must be a condition');
      return;
    }
    const question = w.items.get(condition.question);
    if (!question) {
      f.problem(
        `${at}.question`,
        `names "${String(condition.question)}", which is not an item of this questionnaire`,
      );
      return;
    }
    if (!OPERATORS.has(condition.operator)) {
      f.problem(`${at}.operator`, `"${String(condition.operator)}" is not an enableWhen operator`);
      return;
    }
    const expected = enableWhenValue(condition);
    if (!expected) {
      const other = Object.keys(condition).find((k) => k.startsWith('answer'));
      if (other) {
        f.unsupportedFeature(
          at,
          `enableWhen ${other}`,
          `A condition on ${other} is never met here, so "${item.text ?? item.linkId}" is never asked.`,
        );
      } else f.problem(at, 'needs an answer to compare with');
      return;
    }
    if (condition.operator === 'exists') {
      if (expected.kind !== 'answerBoolean') f.problem(at, 'an "exists" condition needs answerBoolean');
      return;
    }
    const allowed = ANSWER_KINDS_FOR[question.type];
    if (allowed && !allowed.includes(expected.kind)) {
      f.problem(
        at,
        `compares the ${question.type} question "${question.text ?? question.linkId}" with ${expected.kind}`,
      );
      return;
    }
    if (
      ['>', '<', '>=', '<='].includes(condition.operator) &&
      ['answerCoding', 'answerBoolean'].includes(expected.kind)
    ) {
      f.problem(at, `cannot compare ${expected.kind} with "${condition.operator}"`);
    }
  });
}

/** A plausible answer to each item, to try the expressions on before anyone answers for real. */
function sampleAnswer(item: QuestionnaireItem): ResponseAnswer | null {
  switch (item.type) {
    case 'choice': {
      const option = item.answerOption?.[0];
      if (!option) return null;
      if (option.valueCoding) return { valueCoding: option.valueCoding };
      return option.valueInteger !== undefined
        ? { valueInteger: option.valueInteger }
        : { valueString: option.valueString ?? '' };
    }
    case 'integer':
      return { valueInteger: 1 };
    case 'decimal':
      return { valueDecimal: 1.5 };
    case 'string':
    case 'text':
      return { valueString: 'x' };
    case 'boolean':
      return { valueBoolean: true };
    case 'date':
      return { valueDate: '2020-01-01' };
    case 'time':
      return { valueTime: '09:00:00' };
    default:
      return null;
  }
}

/**
 * Works every calculated expression out on an empty response and on one with every question
 * answered: an expression that fails (a wrong type, a function given the wrong number of
 * arguments) is an import problem, found now rather than when a person saves their answers.
 */
function tryExpressions(f: Findings, questionnaire: Questionnaire, paths: Map<string, string>): void {
  const full: Answers = new Map();
  for (const { item } of itemsWithAncestors(questionnaire.item)) {
    const answer = sampleAnswer(item);
    if (answer) full.set(item.linkId, [answer]);
  }
  const reported = new Set<string>();
  const report = (item: QuestionnaireItem, message: string) => {
    if (reported.has(item.linkId)) return;
    reported.add(item.linkId);
    f.problem(`${paths.get(item.linkId) ?? item.linkId}.extension(calculatedExpression)`, message);
  };
  const warn = console.warn;
  let warning: string | null = null;
  // The library reports a function called with the wrong number of arguments only by a warning.
  console.warn = (message: unknown) => {
    warning = String(message);
  };
  try {
    for (const answers of [new Map() as Answers, full]) {
      withCalculatedAnswers(questionnaire, answers, (item, error) =>
        report(item, `The calculatedExpression fails when worked out: ${error.message.split('\n')[0]}`),
      );
      if (warning) {
        f.problem('extension', `An expression calls a function wrongly: ${warning}`);
        break;
      }
    }
  } finally {
    console.warn = warn;
  }
}

/** Reads an imported Questionnaire (parsed JSON): what it is, what stops its import, what it cannot do here. */
export function analyseQuestionnaire(json: unknown): QuestionnaireAnalysis {
  const f = new Findings();
  if (!isObject(json) || json.resourceType !== 'Questionnaire') {
    f.problem('resourceType', 'is not "Questionnaire": this is not a FHIR Questionnaire');
    return { problems: f.problems, unsupported: f.unsupported };
  }
  // The stored resource stays as imported; the engine works on its own copy.
  const questionnaire = structuredClone(json) as Questionnaire;
  if (!STATUSES.has(questionnaire.status)) {
    f.problem('status', 'must be one of draft, active, retired, unknown');
  }
  if (!nonEmptyString(questionnaire.title) && !nonEmptyString(questionnaire.name)) {
    f.problem('title', 'give the questionnaire a title (or a name)');
  }
  if (questionnaire.url !== undefined && !nonEmptyString(questionnaire.url)) f.problem('url', 'must be text');
  if (questionnaire.version !== undefined && typeof questionnaire.version !== 'string') {
    f.problem('version', 'must be text');
  }
  checkModifierExtensions(f, '', questionnaire as Json);
  checkExtensions(f, '', questionnaire.extension, READ_ON_ROOT, 'the questionnaire');
  const contained = new Map<string, Json>();
  if (Array.isArray(questionnaire.contained)) {
    for (const resource of questionnaire.contained.filter(isObject)) {
      if (resource.resourceType === 'ValueSet' && nonEmptyString(resource.id))
        contained.set(resource.id, resource);
    }
  }
  const scope = new Set<string>();
  for (const [i, variable] of variablesOf(questionnaire).entries()) {
    const ok = checkExpression(f, `extension(variable ${i + 1})`, variable, 'variable', scope);
    if (!nonEmptyString(variable.name)) f.problem(`extension(variable ${i + 1})`, 'a variable needs a name');
    else if (ok || variable.language === FHIRPATH_LANGUAGE) scope.add(variable.name);
  }
  if (!Array.isArray(questionnaire.item) || !questionnaire.item.length) {
    f.problem('item', 'a questionnaire needs at least one item');
  } else {
    const w: Walk = { f, contained, linkIds: new Map(), items: new Map(), enableWhens: [] };
    questionnaire.item = questionnaire.item.flatMap((item, i) => {
      const analysed = analyseItem(w, item, `item[${i}]`, scope, null);
      return analysed ? [analysed] : [];
    });
    for (const { path, item } of w.enableWhens) checkEnableWhen(w, path, item);
    if (!f.problems.length) tryExpressions(f, questionnaire, w.linkIds);
  }
  return f.problems.length
    ? { problems: f.problems, unsupported: f.unsupported }
    : { questionnaire, problems: [], unsupported: f.unsupported };
}

/** Whether the form asks this item: a supported type, answerable, not hidden or worked out. */
export function isAsked(item: QuestionnaireItem): boolean {
  if (!SUPPORTED_ITEM_TYPES.has(item.type)) return false;
  if (item.type === 'choice' && !item.answerOption?.some((o) => optionLabel(o))) return false;
  return true;
}

export { optionLabel, optionOrdinal, sameOptionValue };
