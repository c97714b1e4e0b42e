import { describe, expect, it } from 'vitest';
import type { Actor, ActorRole } from '../actor.js';
import { FFT_BANDS } from '../measures/instruments/fft.js';
import { feedbackServicesOf, handlesFeedback } from './access.js';
import { FEEDBACK_AGE_BANDS, FFT_ANSWERS, isServiceKey } from './vocabulary.js';

const actor = (...roles: Partial<ActorRole>[]): Actor => ({
  userId: 'u',
  username: 'u',
  displayName: 'U',
  jobTitle: null,
  personId: null,
  ip: null,
  roles: roles.map((r) => ({
    role: 'practitioner',
    organisationId: null,
    organisationName: null,
    teamId: null,
    teamName: null,
    ...r,
  })),
});

describe('feedback vocabularies', () => {
  it('takes the FFT answers from the FFT instrument, in its order', () => {
    expect(FFT_ANSWERS).toEqual(FFT_BANDS.map((b) => b.key));
    expect(FFT_ANSWERS).toEqual(['very-good', 'good', 'neither', 'poor', 'very-poor', 'dont-know']);
  });
  it('uses the reporting age bands', () => {
    expect(FEEDBACK_AGE_BANDS[0]).toBe('0-17');
    expect(FEEDBACK_AGE_BANDS.at(-1)).toBe('85+');
  });
  it('knows a service key by its form', () => {
    expect(isServiceKey('AbCdEfGh_-123456')).toBe(true);
    expect(isServiceKey('short')).toBe(false);
    expect(isServiceKey('AbCdEfGh/-123456')).toBe(false);
  });
});

describe('who handles a service’s feedback', () => {
  const team = { organisationId: 'o1', teamId: 't1' };
  const organisation = { organisationId: 'o1', teamId: null };
  it('the team’s practitioners and managers handle the team’s and its organisation’s', () => {
    const a = actor({ role: 'team-manager', organisationId: 'o1', teamId: 't1' });
    expect(handlesFeedback(a, team)).toBe(true);
    expect(handlesFeedback(a, organisation)).toBe(true);
    expect(feedbackServicesOf(a)).toEqual([team, organisation]);
  });
  it('staff of another team, and other roles, do not', () => {
    expect(handlesFeedback(actor({ organisationId: 'o1', teamId: 't2' }), team)).toBe(false);
    expect(handlesFeedback(actor({ role: 'admin' }), organisation)).toBe(false);
    expect(handlesFeedback(actor({ role: 'commissioner', organisationId: 'o1' }), organisation)).toBe(false);
    expect(feedbackServicesOf(actor({ role: 'analyst', organisationId: 'o1', teamId: 't1' }))).toEqual([]);
  });
});
