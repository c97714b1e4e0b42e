// Prints one line of counts per Vitest JSON report named on the command line (LABEL=FILE), then a
// total line last: the plain closing lines CI readers look for. A missing report counts as a
// failure, so a run that crashed before writing one cannot look green.
import fs from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const argument of process.argv.slice(2)) {
  const [label, file] = argument.split('=');
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    console.log(`vitest (${label}): no report in ${file}; counted as 1 failed`);
    failed += 1;
    continue;
  }
  const runSkipped = report.numPendingTests + report.numTodoTests;
  console.log(
    `vitest (${label}): ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${runSkipped} skipped`,
  );
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += runSkipped;
}
console.log(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped`);
