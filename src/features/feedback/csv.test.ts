import { describe, expect, it } from 'vitest';
import { FeedbackCsvError, readFeedbackCsv } from './csv.js';

describe('reading a feedback import file', () => {
  it('maps columns in any order, FFT answers by key or words, and consent as yes or no', () => {
    const rows = readFeedbackCsv(
      '\uFEFFconsent,fft,id,received_on,good\r\nYes,Don’t know,a,2026-01-02,"Good, ""really"""\r\nn,VERY GOOD,b,2026-01-03,\r\n',
    );
    expect(rows.map((r) => r.input)).toEqual([
      expect.objectContaining({
        sourceId: 'a',
        fft: 'dont-know',
        consentToPublish: true,
        whatWasGood: 'Good, "really"',
      }),
      expect.objectContaining({
        sourceId: 'b',
        fft: 'very-good',
        consentToPublish: false,
        writer: null,
        ageBand: null,
      }),
    ]);
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
  });
  it('reports a consent that is neither yes nor no as the row’s problem', () => {
    const [row] = readFeedbackCsv('id,received_on,fft,consent\na,2026-01-02,good,perhaps\n');
    expect(row?.problems).toEqual([{ column: 'consent', message: 'must be yes or no' }]);
  });
  it('refuses a file with a missing or unknown column, or that is not CSV', () => {
    expect(() => readFeedbackCsv('id,fft\n')).toThrow(/missing column "received_on", "consent"/);
    expect(() => readFeedbackCsv('id,received_on,fft,consent,name\n')).toThrow(/unknown column "name"/);
    expect(() => readFeedbackCsv('id,received_on,fft,consent\n"a,2026-01-01,good,yes\n')).toThrow(
      FeedbackCsvError,
    );
    expect(() => readFeedbackCsv('')).toThrow(/empty/);
  });
});
