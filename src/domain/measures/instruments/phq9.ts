import type { ScoreBand } from '../types.js';
import { LOINC } from './instrument.js';
import { phqInstrument } from './phq-answers.js';

/**
 * PHQ-9 (Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity
 * measure. J Gen Intern Med 2001;16:606–13). Nine items scored 0–3, total 0–27; the severity bands
 * are the paper's (5, 10, 15 and 20 as the cut points of mild, moderate, moderately severe
 * and severe). Codes are LOINC's: panel 44249-1, items 44250-9 …, total 44261-6, difficulty
 * 69722-7, as in LOINC's PHQ-9 Questionnaire for LHC-Forms.
 */

/** The nine scored items in the order of the form, by LOINC code. */
const ITEMS: readonly [code: string, text: string][] = [
  ['44250-9', 'Little interest or pleasure in doing things'],
  ['44255-8', 'Feeling down, depressed, or hopeless'],
  ['44259-0', 'Trouble falling or staying asleep, or sleeping too much'],
  ['44254-1', 'Feeling tired or having little energy'],
  ['44251-7', 'Poor appetite or overeating'],
  [
    '44258-2',
    'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
  ],
  ['44252-5', 'Trouble concentrating on things, such as reading the newspaper or watching television'],
  [
    '44253-3',
    'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
  ],
  ['44260-8', 'Thoughts that you would be better off dead or of hurting yourself in some way'],
];

export const PHQ9_TOTAL_CODE = {
  system: LOINC,
  code: '44261-6',
  display: 'Patient health questionnaire 9 item total score',
};
const DIFFICULTY_CODE = '69722-7';

export const PHQ9_BANDS: readonly ScoreBand[] = [
  { key: 'none', label: 'None or minimal', min: 0, max: 4 },
  { key: 'mild', label: 'Mild', min: 5, max: 9 },
  { key: 'moderate', label: 'Moderate', min: 10, max: 14 },
  { key: 'moderately-severe', label: 'Moderately severe', min: 15, max: 19 },
  { key: 'severe', label: 'Severe', min: 20, max: 27 },
];

export const PHQ9 = phqInstrument({
  key: 'phq9',
  title: 'Patient Health Questionnaire (PHQ-9)',
  measures: 'How often symptoms of depression have bothered the person over the last two weeks.',
  name: 'PHQ9',
  panel: { system: LOINC, code: '44249-1', display: 'PHQ-9 quick depression assessment panel' },
  items: ITEMS,
  total: PHQ9_TOTAL_CODE,
  bands: PHQ9_BANDS,
  difficultyCode: DIFFICULTY_CODE,
});
