import type { ScoreBand } from '../types.js';
import { LOINC } from './instrument.js';
import { phqInstrument } from './phq-answers.js';

/**
 * GAD-7 (Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized
 * anxiety disorder: the GAD-7. Arch Intern Med 2006;166:1092–7). Seven items scored 0–3, total
 * 0–21; cut points 5, 10 and 15 for mild, moderate and severe anxiety (the paper's severity
 * levels). LOINC panel 69737-5, items 69725-0 …, total 70274-6. The published form closes with the
 * same functional-difficulty question as the PHQ-9, recorded and not scored; LOINC gives it no code
 * within this panel that we could confirm, so it carries none.
 */

const ITEMS: readonly [code: string, text: string][] = [
  ['69725-0', 'Feeling nervous, anxious or on edge'],
  ['68509-9', 'Not being able to stop or control worrying'],
  ['69733-4', 'Worrying too much about different things'],
  ['69734-2', 'Trouble relaxing'],
  ['69735-9', 'Being so restless that it is hard to sit still'],
  ['69689-8', 'Becoming easily annoyed or irritable'],
  ['69736-7', 'Feeling afraid as if something awful might happen'],
];

export const GAD7_TOTAL_CODE = {
  system: LOINC,
  code: '70274-6',
  display: 'Generalized anxiety disorder 7 item (GAD-7) total score',
};

export const GAD7_BANDS: readonly ScoreBand[] = [
  { key: 'none', label: 'None or minimal', min: 0, max: 4 },
  { key: 'mild', label: 'Mild', min: 5, max: 9 },
  { key: 'moderate', label: 'Moderate', min: 10, max: 14 },
  { key: 'severe', label: 'Severe', min: 15, max: 21 },
];

export const GAD7 = phqInstrument({
  key: 'gad7',
  title: 'Generalised Anxiety Disorder assessment (GAD-7)',
  measures: 'How often symptoms of anxiety have bothered the person over the last two weeks.',
  name: 'GAD7',
  panel: { system: LOINC, code: '69737-5', display: 'Generalized anxiety disorder 7 item (GAD-7)' },
  items: ITEMS,
  total: GAD7_TOTAL_CODE,
  bands: GAD7_BANDS,
});
