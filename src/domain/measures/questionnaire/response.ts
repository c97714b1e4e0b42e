import type {
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  ResponseAnswer,
  ResponseItem,
} from '../types.js';

/**
 * A QuestionnaireResponse as the engine works with it: the answers by linkId (a linkId is unique in
 * a Questionnaire, and the engine collects one instance of each item), and back to the FHIR tree
 * that follows the Questionnaire's own nesting of groups.
 */
export type Answers = Map<string, ResponseAnswer[]>;

/** Every item in document order, with its ancestors (outermost first). */
export function* itemsWithAncestors(
  items: readonly QuestionnaireItem[] | undefined,
  ancestors: QuestionnaireItem[] = [],
): Generator<{ item: QuestionnaireItem; ancestors: QuestionnaireItem[] }> {
  for (const item of items ?? []) {
    yield { item, ancestors };
    yield* itemsWithAncestors(item.item, [...ancestors, item]);
  }
}

/** Every item in document order. */
export function* allItems(questionnaire: Pick<Questionnaire, 'item'>): Generator<QuestionnaireItem> {
  for (const { item } of itemsWithAncestors(questionnaire.item)) yield item;
}

export function itemsByLinkId(questionnaire: Pick<Questionnaire, 'item'>): Map<string, QuestionnaireItem> {
  const map = new Map<string, QuestionnaireItem>();
  for (const item of allItems(questionnaire)) if (!map.has(item.linkId)) map.set(item.linkId, item);
  return map;
}

/** The answers of a response by linkId, including items nested under answers; the first instance wins. */
export function answersOf(response: QuestionnaireResponse | undefined): Answers {
  const answers: Answers = new Map();
  const visit = (items: readonly ResponseItem[] | undefined) => {
    for (const item of items ?? []) {
      if (item.answer?.length && !answers.has(item.linkId)) {
        answers.set(
          item.linkId,
          item.answer.map(({ item: _nested, ...value }: ResponseAnswer & { item?: ResponseItem[] }) => value),
        );
      }
      visit(item.item);
      for (const answer of item.answer ?? []) visit((answer as { item?: ResponseItem[] }).item);
    }
  };
  visit(response?.item);
  return answers;
}

/**
 * The response tree for these answers: each answered item where the Questionnaire puts it, groups
 * kept only when something inside them is answered (FHIR: a response item has answers or items).
 */
export function buildResponse(
  questionnaire: Questionnaire,
  answers: Answers,
  base: Partial<QuestionnaireResponse> = {},
): QuestionnaireResponse {
  const build = (items: readonly QuestionnaireItem[] | undefined): ResponseItem[] =>
    (items ?? []).flatMap((item): ResponseItem[] => {
      const own = answers.get(item.linkId);
      const children = build(item.item);
      if (!own?.length && !children.length) return [];
      const node: ResponseItem = { linkId: item.linkId };
      if (item.text) node.text = item.text;
      if (own?.length) node.answer = own.map((a) => ({ ...a }));
      if (children.length) node.item = children;
      return [node];
    });
  const response: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    status: base.status ?? 'completed',
    ...base,
    item: build(questionnaire.item),
  };
  if (!response.questionnaire && questionnaire.url) {
    response.questionnaire = questionnaire.version
      ? `${questionnaire.url}|${questionnaire.version}`
      : questionnaire.url;
  }
  return response;
}

/** The response item for a linkId in a built response, if it is there. */
export function responseItem(response: QuestionnaireResponse, linkId: string): ResponseItem | undefined {
  const find = (items: readonly ResponseItem[] | undefined): ResponseItem | undefined => {
    for (const item of items ?? []) {
      if (item.linkId === linkId) return item;
      const inner = find(item.item);
      if (inner) return inner;
    }
    return undefined;
  };
  return find(response.item);
}
