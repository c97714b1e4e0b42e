import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregatesTitle, mergeSections, percentile } from './aggregates.js';

describe('the aggregates benchmark report', () => {
  it('takes nearest-rank percentiles', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile([42], 95)).toBe(42);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });

  it('names a section by backend and size, so runs at other sizes are kept', () => {
    expect(aggregatesTitle('PostgreSQL', 1_000_000)).toBe('## Aggregates on PostgreSQL, 1,000,000 people');
  });

  it('replaces a section of the same title in place, keeps the others, and adds new ones at the end', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-report-')), 'BENCHMARKS.md');
    fs.writeFileSync(
      file,
      '# Benchmarks\n\nIntro.\n\n## HTTP\n\nold http\n\n## Aggregates on PGlite, 100 people\n\nold\n',
    );
    mergeSections(file, [
      '## Aggregates on PGlite, 100 people\n\nnew\n',
      '## Aggregates on PostgreSQL, 100 people\n\npg\n',
    ]);
    expect(fs.readFileSync(file, 'utf8')).toBe(
      '# Benchmarks\n\nIntro.\n\n## HTTP\n\nold http\n\n## Aggregates on PGlite, 100 people\n\nnew\n\n## Aggregates on PostgreSQL, 100 people\n\npg\n',
    );
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
