import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/** `whatmatters coding evaluate` (issue 12): train on one labelled CSV, score another, print JSON. */
describe('whatmatters coding evaluate', () => {
  let dir: string;
  const file = (name: string, content: string) => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, content);
    return target;
  };
  let train: string;
  let test: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-coding-cli-'));
    const rows = ['id,text,codes,sentiment'];
    const parking = [
      '"Could not park, the car park was full"',
      '"Parking costs, ""too much"""',
      'Parking was easy',
    ];
    const food = ['"The food was cold,\nand bland"', 'Lovely hot meals', '"No choice on the menu, at all"'];
    for (let i = 0; i < 15; i++) {
      rows.push(`p${i},${parking[i % 3]},travel-transport-parking,${i % 3 === 2 ? 4 : 2}`);
      rows.push(`f${i},${food[i % 3]},food,${i % 3 === 1 ? 5 : 2}`);
      rows.push(`b${i},"The invoice was wrong, again",billing|overall-negative,1`);
    }
    train = file('train.csv', `${rows.join('\n')}\n`);
    test = file(
      'test.csv',
      [
        'id,text,codes,sentiment',
        '1,"The car park was full, so I was late",travel-transport-parking,2',
        '2,"Cold food; ""bland"" too",food,2',
        '3,The invoice was wrong,billing|overall-negative,',
        '4,Nothing to add,,3',
      ].join('\n'),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON object with the figures of the contract', async () => {
    const result = await runCli(['coding', 'evaluate', '--train', train, '--test', test]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      microF1: expect.any(Number),
      macroF1: expect.any(Number),
      sentimentAccuracy: expect.any(Number),
      trainMs: expect.any(Number),
      predictionsPerSecond: expect.any(Number),
      trainExamples: 45,
      testExamples: 4,
    });
    expect(Object.keys(output.labels).sort()).toEqual([
      'billing',
      'food',
      'overall-negative',
      'travel-transport-parking',
    ]);
    expect(output.labels.billing).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(output.macroF1).toBeGreaterThan(0.5);
  });

  it('gives identical JSON on two runs, but for the timings (and wholly with --no-timing)', async () => {
    const args = ['coding', 'evaluate', '--train', train, '--test', test];
    const [first, second] = await Promise.all([runCli(args), runCli(args)]);
    const untimed = (stdout: string) => ({ ...JSON.parse(stdout), trainMs: 0, predictionsPerSecond: 0 });
    expect(untimed(first.stdout)).toEqual(untimed(second.stdout));
    const [a, b] = await Promise.all([runCli([...args, '--no-timing']), runCli([...args, '--no-timing'])]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout)).toMatchObject({ trainMs: null, predictionsPerSecond: null });
  });

  it('leaves sentimentAccuracy out when the test file has no sentiment', async () => {
    const noSentiment = file('no-sentiment.csv', 'id,text,codes\n1,Cold food,food\n');
    const result = await runCli(['coding', 'evaluate', '--train', train, '--test', noSentiment]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).not.toHaveProperty('sentimentAccuracy');
  });

  const refused = async (args: string[], message: RegExp) => {
    const result = await runCli(['coding', 'evaluate', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  };

  it('exits 2 with one line on a missing file', async () => {
    await refused(['--train', path.join(dir, 'nowhere.csv'), '--test', test], /nowhere\.csv: no such file/);
    await refused(['--train', train, '--test', path.join(dir, 'gone.csv')], /gone\.csv: no such file/);
  });

  it('exits 2 with one line on a missing column, naming it', async () => {
    const noCodes = file('no-codes.csv', 'id,text\n1,Cold food\n');
    await refused(['--train', noCodes, '--test', test], /no-codes\.csv has no "codes" column/);
    const noText = file('no-text.csv', 'id,codes\n1,food\n');
    await refused(['--train', train, '--test', noText], /no-text\.csv has no "text" column/);
  });

  it('exits 2 with one line on an empty training set', async () => {
    const empty = file('empty.csv', 'id,text,codes\n');
    await refused(['--train', empty, '--test', test], /empty\.csv has no rows to train on/);
    const blank = file('blank.csv', '');
    await refused(['--train', blank, '--test', test], /blank\.csv has no "id" column/);
  });

  it('exits 2 with one line on a bad sentiment, naming the row and column', async () => {
    const bad = file('bad-sentiment.csv', 'id,text,codes,sentiment\na,Fine,food,4\nb,"Cold, again",food,6\n');
    await refused(
      ['--train', bad, '--test', test],
      /bad-sentiment\.csv row 2 \(id "b"\), column sentiment: "6" is not a whole number from 1 to 5/,
    );
  });

  it('exits 2 on bad CSV and on missing options or subcommand', async () => {
    const broken = file('broken.csv', 'id,text,codes\n1,"unclosed,food\n');
    await refused(['--train', broken, '--test', test], /broken\.csv: not valid CSV/);
    await refused(['--train', train], /--test is required/);
    const result = await runCli(['coding']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: whatmatters coding evaluate/);
  });
});
