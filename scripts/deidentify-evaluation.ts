/**
 * Measures the de-identifier on its test sets and prints the tables for docs/DEIDENTIFICATION.md.
 * Run: npx tsx scripts/deidentify-evaluation.ts [--misses]
 */
import { evaluate, evaluationTable } from '../src/domain/deidentify/evaluation/evaluate.js';
import { HELD_OUT_SET } from '../src/domain/deidentify/evaluation/held-out-set.js';
import { TEST_SET } from '../src/domain/deidentify/evaluation/test-set.js';

for (const [title, set] of [
  ['Test set', TEST_SET],
  ['Held-out set', HELD_OUT_SET],
] as const) {
  const evaluation = evaluate(set);
  console.log(`### ${title}\n\n${evaluationTable(evaluation)}\n`);
  if (process.argv.includes('--misses') && evaluation.misses.length > 0) {
    console.log('| problem | kind | text | in |\n|---|---|---|---|');
    for (const miss of evaluation.misses) {
      console.log(`| ${miss.problem} | ${miss.kind} | ${miss.what} | ${miss.text.replaceAll('|', '\\|')} |`);
    }
    console.log('');
  }
}
