import { describe, expect, it } from 'vitest';
import {
  COMMON_PASSWORD_COUNT,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordProblem,
} from './password-policy.js';

const code = (password: string, username?: string) => passwordProblem(password, { username })?.code ?? null;

describe('passwordProblem (NCSC password guidance)', () => {
  it('accepts a long passphrase with no composition rules: three random words, all lower case', () => {
    expect(passwordProblem('correct horse battery')).toBeNull();
    expect(passwordProblem('kettlemarmaladetrumpet')).toBeNull();
    expect(passwordProblem('purple otter window', { username: 'jane.smith@nhs.net' })).toBeNull();
  });

  it('asks for a password when none is given', () => {
    expect(passwordProblem('')).toEqual({ code: 'missing', message: 'Enter a new password' });
  });

  it(`needs at least ${PASSWORD_MIN_LENGTH} characters, counting characters as people do`, () => {
    expect(code('a'.repeat(PASSWORD_MIN_LENGTH - 1))).toBe('too-short');
    expect(code('zebra lamp')).toBeNull(); // exactly 10
    expect(code('日本語のパスワード')).toBe('too-short'); // 9 characters, 27 bytes
    expect(code('🐢🐢🐢🐢🐢🐢🐢🐢🐢')).toBe('too-short'); // 9 characters, 18 UTF-16 units
    expect(passwordProblem('short')?.message).toMatch(/at least 10 characters long/);
  });

  it(`allows up to ${PASSWORD_MAX_LENGTH} characters`, () => {
    const words = 'lantern meadow pebble ';
    const long = words.repeat(20).slice(0, PASSWORD_MAX_LENGTH);
    expect(code(long)).toBeNull();
    expect(code(`${long}x`)).toBe('too-long');
    expect(passwordProblem(`${long}x`)?.message).toBe('Your password must be 256 characters or fewer');
  });

  it('refuses common passwords whatever their case', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThanOrEqual(200);
    for (const common of [
      '1234567890',
      'qwertyuiop',
      'Password123',
      'PASSWORD1234',
      '1q2w3e4r5t',
      'iloveyou123',
    ]) {
      expect(code(common), common).toBe('common');
    }
    expect(passwordProblem('qwertyuiop')?.message).toMatch(/most commonly used passwords/);
  });

  it('refuses the short common passwords for their length, the first reason a person can act on', () => {
    expect(code('123456')).toBe('too-short');
    expect(code('password')).toBe('too-short');
  });

  it('refuses a password containing the username, or the part before the @', () => {
    expect(code('my name is practitioner@demo', 'practitioner@demo')).toBe('contains-username');
    expect(code('Jane.Smith-2026!', 'jane.smith@nhs.net')).toBe('contains-username');
    expect(passwordProblem('jane.smith rocks', { username: 'jane.smith@nhs.net' })?.message).toBe(
      'Your password must not contain your username',
    );
  });

  it('refuses the name of the service, however it is spaced', () => {
    expect(code('WhatMatters2026')).toBe('contains-service-name');
    expect(code('what matters to me')).toBe('contains-service-name');
    expect(code('what-matters!!')).toBe('contains-service-name');
  });
});
