import { type DeidentifyOptions, findIdentifiers } from '../deidentify.js';
import type { DetectedKind, Span } from '../spans.js';
import type { LabelledExample } from './test-set.js';

/**
 * Measures the de-identifier on a labelled test set: recall and precision for each kind.
 *
 * - A labelled identifier is *recalled* when spans of its kind cover every character of it that is
 *   not a space: a half-masked phone number leaks, so it counts as missed.
 * - A found span is *correct* when it overlaps a labelled identifier of its kind; a span in clean
 *   text, or of the wrong kind, counts against precision.
 * - *Masked by any rule* is the privacy view: the share of labelled identifiers fully covered by
 *   spans of whatever kind (a Scottish CHI number reported as a phone number is still hidden).
 */

export const EVALUATED_KINDS: readonly DetectedKind[] = [
  'name',
  'nhs-number',
  'phone',
  'email',
  'address',
  'postcode',
  'date-of-birth',
  'age-over-90',
];

const MARK = /\[\[([a-z0-9-]+):(.*?)\]\]/g;

/** Reads `[[kind:text]]` marks into plain text and the spans they label. */
export function parseMarked(marked: string): { text: string; spans: Span[] } {
  let text = '';
  let at = 0;
  const spans: Span[] = [];
  for (const m of marked.matchAll(MARK)) {
    const [whole, kind = '', inner = ''] = m;
    if (!EVALUATED_KINDS.includes(kind as DetectedKind))
      throw new RangeError(`Unknown kind "${kind}" in: ${marked}`);
    text += marked.slice(at, m.index);
    spans.push({ kind: kind as DetectedKind, start: text.length, end: text.length + inner.length });
    text += inner;
    at = m.index + whole.length;
  }
  return { text: text + marked.slice(at), spans };
}

export interface KindScore {
  kind: DetectedKind;
  labelled: number;
  recalled: number;
  /** Labelled identifiers fully masked by spans of any kind. */
  maskedAnyKind: number;
  found: number;
  correct: number;
  recall: number | null;
  precision: number | null;
}

export interface Miss {
  text: string;
  kind: DetectedKind;
  what: string;
  /** 'missed': labelled but not fully masked as its kind; 'false mask': masked but not labelled so. */
  problem: 'missed' | 'false mask';
}

export interface Evaluation {
  examples: number;
  cleanExamples: number;
  /** Clean examples (no identifier at all) where something was masked. */
  cleanWithMasks: number;
  kinds: KindScore[];
  misses: Miss[];
}

type Detector = (text: string, options: DeidentifyOptions) => Span[];

const covers = (spans: readonly Span[], text: string, target: Span) => {
  for (let i = target.start; i < target.end; i++) {
    if (/\s/.test(text[i] ?? '')) continue;
    if (!spans.some((s) => s.start <= i && i < s.end)) return false;
  }
  return true;
};
const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

export function evaluate(
  examples: readonly LabelledExample[],
  detect: Detector = findIdentifiers,
): Evaluation {
  const scores = new Map<DetectedKind, KindScore>(
    EVALUATED_KINDS.map((kind) => [
      kind,
      {
        kind,
        labelled: 0,
        recalled: 0,
        maskedAnyKind: 0,
        found: 0,
        correct: 0,
        recall: null,
        precision: null,
      },
    ]),
  );
  const misses: Miss[] = [];
  let cleanExamples = 0;
  let cleanWithMasks = 0;
  for (const example of examples) {
    const { text, spans: labels } = parseMarked(example.marked);
    const found = detect(text, { knownNames: example.knownNames ?? [] });
    if (labels.length === 0) {
      cleanExamples++;
      if (found.length > 0) cleanWithMasks++;
    }
    for (const label of labels) {
      const score = scores.get(label.kind);
      if (!score) continue;
      score.labelled++;
      if (covers(found, text, label)) score.maskedAnyKind++;
      if (
        covers(
          found.filter((f) => f.kind === label.kind),
          text,
          label,
        )
      )
        score.recalled++;
      else
        misses.push({ text, kind: label.kind, what: text.slice(label.start, label.end), problem: 'missed' });
    }
    for (const span of found) {
      const score = scores.get(span.kind);
      if (!score) continue;
      score.found++;
      if (labels.some((l) => l.kind === span.kind && overlaps(l, span))) score.correct++;
      else
        misses.push({ text, kind: span.kind, what: text.slice(span.start, span.end), problem: 'false mask' });
    }
  }
  const kinds = [...scores.values()].map((s) => ({
    ...s,
    recall: s.labelled ? s.recalled / s.labelled : null,
    precision: s.found ? s.correct / s.found : null,
  }));
  return { examples: examples.length, cleanExamples, cleanWithMasks, kinds, misses };
}

const percent = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);

/** The measured table for docs/DEIDENTIFICATION.md. */
export function evaluationTable(evaluation: Evaluation): string {
  const rows = evaluation.kinds.map(
    (k) =>
      `| ${k.kind} | ${k.labelled} | ${k.recalled} | ${percent(k.recall)} | ${percent(k.labelled ? k.maskedAnyKind / k.labelled : null)} | ${k.found} | ${k.correct} | ${percent(k.precision)} |`,
  );
  return [
    '| kind | labelled | recalled | recall | masked by any rule | found | correct | precision |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `${evaluation.examples} examples, of which ${evaluation.cleanExamples} hold no identifier; ` +
      `${evaluation.cleanWithMasks} of those had something masked.`,
  ].join('\n');
}
