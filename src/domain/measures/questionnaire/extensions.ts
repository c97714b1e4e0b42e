import type { AnswerOption, Extension, Questionnaire, QuestionnaireItem } from '../types.js';

/**
 * The FHIR R4 and SDC extensions the Questionnaire engine reads, by their canonical URLs, and small
 * readers of them. Sources: FHIR R4 extension registry (http://hl7.org/fhir/R4/extensibility-registry.html),
 * FHIR extensions pack (http://hl7.org/fhir/extensions/, itemWeight) and SDC
 * (http://hl7.org/fhir/uv/sdc/expressions.html) for calculatedExpression and variable.
 */
export const EXTENSION = {
  ordinalValue: 'http://hl7.org/fhir/StructureDefinition/ordinalValue',
  itemWeight: 'http://hl7.org/fhir/StructureDefinition/itemWeight',
  calculatedExpression:
    'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression',
  variable: 'http://hl7.org/fhir/StructureDefinition/variable',
  unit: 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit',
  itemControl: 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl',
  hidden: 'http://hl7.org/fhir/StructureDefinition/questionnaire-hidden',
  minValue: 'http://hl7.org/fhir/StructureDefinition/minValue',
  maxValue: 'http://hl7.org/fhir/StructureDefinition/maxValue',
  entryFormat: 'http://hl7.org/fhir/StructureDefinition/entryFormat',
  optionPrefix: 'http://hl7.org/fhir/StructureDefinition/questionnaire-optionPrefix',
} as const;

/** The expression language the engine evaluates; any other is listed as unsupported. */
export const FHIRPATH_LANGUAGE = 'text/fhirpath';

/**
 * Extensions that change nothing a person answers or a score means (presentation the NHS.UK form
 * replaces, data-extraction hints, authoring-tool notes): read past without a word at import.
 */
export const HARMLESS_EXTENSIONS: ReadonlySet<string> = new Set([
  'http://hl7.org/fhir/StructureDefinition/rendering-style',
  'http://hl7.org/fhir/StructureDefinition/rendering-xhtml',
  'http://hl7.org/fhir/StructureDefinition/rendering-markdown',
  'http://hl7.org/fhir/StructureDefinition/translation',
  'http://hl7.org/fhir/StructureDefinition/designNote',
  'http://hl7.org/fhir/StructureDefinition/questionnaire-displayCategory',
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-observationExtract',
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-observationLinkPeriod',
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-collapsible',
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-shortText',
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-versionAlgorithm',
  'http://hl7.org/fhir/StructureDefinition/cqf-knowledgeCapability',
  EXTENSION.optionPrefix,
]);

/**
 * The item controls (http://hl7.org/fhir/R4/valueset-questionnaire-item-control.html) the NHS.UK
 * form honours: the design system's own components stand for them. Any other is listed at import.
 */
export const HONOURED_ITEM_CONTROLS: ReadonlySet<string> = new Set([
  'drop-down',
  'radio-button',
  'check-box',
  'help',
  'inline',
  'prompt',
  'list',
]);

export function extensionsOf(element: { extension?: Extension[] } | undefined, url: string): Extension[] {
  return (element?.extension ?? []).filter((e) => e?.url === url);
}

export function firstExtension(
  element: { extension?: Extension[] } | undefined,
  url: string,
): Extension | undefined {
  return extensionsOf(element, url)[0];
}

/**
 * The score an answer option carries: its ordinalValue (R4) or itemWeight (the extensions pack's
 * later name), on the option or, as some tools write it, on its valueCoding.
 */
export function optionOrdinal(option: AnswerOption): number | null {
  for (const holder of [option, option.valueCoding as { extension?: Extension[] } | undefined]) {
    for (const url of [EXTENSION.ordinalValue, EXTENSION.itemWeight]) {
      const ext = firstExtension(holder, url);
      const value = ext?.valueDecimal ?? ext?.valueInteger;
      if (typeof value === 'number' && Number.isFinite(value)) return value;
    }
  }
  return null;
}

export interface ExpressionExtension {
  name?: string;
  language?: string;
  expression?: string;
}

/** The item's (or questionnaire's) SDC calculatedExpression, if it has one. */
export function calculatedExpressionOf(item: QuestionnaireItem): ExpressionExtension | null {
  const ext = firstExtension(item, EXTENSION.calculatedExpression);
  return ext?.valueExpression ?? null;
}

/** The SDC `variable`s declared on an item or the questionnaire, in order. */
export function variablesOf(element: QuestionnaireItem | Questionnaire): ExpressionExtension[] {
  return extensionsOf(element, EXTENSION.variable).map((e) => e.valueExpression ?? {});
}

/** The item-control code, if any (`drop-down`, `help`…). */
export function itemControlOf(item: QuestionnaireItem): string | null {
  const ext = firstExtension(item, EXTENSION.itemControl);
  const concept = ext?.valueCodeableConcept as { coding?: { code?: string }[] } | undefined;
  return concept?.coding?.find((c) => typeof c?.code === 'string')?.code ?? null;
}

export function isHidden(item: QuestionnaireItem): boolean {
  return firstExtension(item, EXTENSION.hidden)?.valueBoolean === true;
}

/** A display item that an item control makes the help text of its parent question. */
export function isHelp(item: QuestionnaireItem): boolean {
  return item.type === 'display' && itemControlOf(item) === 'help';
}

/** minValue/maxValue on an integer or decimal item. */
export function boundsOf(item: QuestionnaireItem): { min: number | null; max: number | null } {
  const read = (url: string) => {
    const ext = firstExtension(item, url);
    const value = ext?.valueInteger ?? ext?.valueDecimal;
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  return { min: read(EXTENSION.minValue), max: read(EXTENSION.maxValue) };
}

/** The unit shown after a number (questionnaire-unit's display or code). */
export function unitOf(item: QuestionnaireItem): string | null {
  const ext = firstExtension(item, EXTENSION.unit);
  const coding = ext?.valueCoding;
  const text = coding?.display ?? coding?.code;
  // UCUM's annotations ({score}) are for machines, not words for a person.
  return text && !/^\{.*\}$/.test(text) ? text : null;
}

/** The entryFormat hint ("dd/mm/yyyy"…), if any. */
export function entryFormatOf(item: QuestionnaireItem): string | null {
  return firstExtension(item, EXTENSION.entryFormat)?.valueString ?? null;
}
