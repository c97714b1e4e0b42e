/**
 * Password rules, after the NCSC's password guidance: a minimum length and a deny-list of the
 * passwords people choose most often, and no composition rules (no "one capital, one digit, one
 * symbol"), which make passwords harder to remember without making them harder to guess. Spaces and
 * any characters are allowed, so passphrases such as three random words work.
 */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** The name of the service: a password containing it is one of the first an attacker would try. */
const SERVICE_NAME = 'whatmatters';

/**
 * The most common passwords in breached-password lists (the head of the NCSC's PwnedPasswords
 * top 100,000 and similar lists), compared without regard to case. Most are shorter than the
 * minimum length and would be refused for that anyway; they are listed so the reason given is the
 * true one, and so the list still protects if the minimum changes.
 */
const COMMON_PASSWORDS: readonly string[] = [
  '123456',
  '123456789',
  'qwerty',
  'password',
  '111111',
  '12345678',
  'abc123',
  '1234567',
  'password1',
  '12345',
  '1234567890',
  '123123',
  '000000',
  'iloveyou',
  '1234',
  '1q2w3e4r5t',
  'qwertyuiop',
  '123',
  'monkey',
  'dragon',
  '123456a',
  '654321',
  '123321',
  '666666',
  '1qaz2wsx',
  'myspace1',
  '121212',
  'homelesspa',
  '123qwe',
  'a123456',
  '123abc',
  '1q2w3e4r',
  'qwe123',
  '7777777',
  'qwerty123',
  'target123',
  'tinkle',
  '987654321',
  'qwerty1',
  '222222',
  'zxcvbnm',
  '1g2w3e4r',
  'gwerty',
  'zag12wsx',
  'gwerty123',
  '555555',
  'fuckyou',
  '112233',
  'asdfghjkl',
  '1q2w3e',
  '123123123',
  'qazwsx',
  'computer',
  'princess',
  '12345a',
  'ashley',
  '159753',
  'michael',
  'football',
  'sunshine',
  '1234qwer',
  'iloveyou1',
  'aaaaaa',
  'fuckyou1',
  '789456123',
  'daniel',
  '777777',
  'princess1',
  '123654',
  '11111',
  'asdfgh',
  '999999',
  '11111111',
  'passer2009',
  '888888',
  'love',
  'abcd1234',
  'shadow',
  'football1',
  'love123',
  'superman',
  'jordan23',
  'jessica',
  'monkey1',
  '12qwaszx',
  'a12345',
  'baseball',
  '123456789a',
  'killer',
  'asdf',
  'samsung',
  'master',
  'azerty',
  'charlie',
  'asd123',
  'soccer',
  '88888888',
  'jordan',
  'michael1',
  'jesus1',
  'babygirl',
  'liverpool',
  'letmein',
  'welcome',
  'welcome1',
  'hello123',
  'password123',
  'password12',
  'password1234',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'pa55word',
  'pass1234',
  'admin',
  'admin123',
  'administrator',
  'login',
  'changeme',
  'secret',
  'trustno1',
  'whatever',
  'starwars',
  'hunter2',
  'batman',
  'freedom',
  'access',
  'mustang',
  'arsenal',
  'chelsea',
  'chelsea1',
  'liverpool1',
  'manchester',
  'everton',
  'tottenham',
  'rangers',
  'celtic',
  'blink182',
  'pokemon',
  'matrix',
  'summer',
  'summer2024',
  'summer2025',
  'spring2025',
  'autumn2025',
  'winter2025',
  'january2025',
  'qwerty12345',
  'qwerty123456',
  'qwertyuiop1',
  'qwertyuiop123',
  '1qazxsw2',
  '1qaz2wsx3edc',
  'zaq12wsx',
  'zaq1zaq1',
  'asdfghjkl1',
  'asdfasdf',
  'zxcvbnm123',
  'abcdefghij',
  'abcdefg123',
  'abc12345678',
  'aa12345678',
  'a1234567890',
  '0987654321',
  '1111111111',
  '0000000000',
  '1212121212',
  '1234512345',
  '12345678910',
  '123456789012',
  '12344321',
  '147258369',
  '159357',
  '741852963',
  '987654321a',
  '1234554321',
  'iloveyou12',
  'iloveyou123',
  'iloveyou2',
  'loveyou123',
  'lovelove',
  'sunshine1',
  'sunshine123',
  'letmein123',
  'letmein1234',
  'welcome123',
  'welcome2025',
  'default123',
  'computer1',
  'internet',
  'football123',
  'baseball1',
  'superman123',
  'princess123',
  'mypassword',
  'mypassword1',
  'newpassword',
  'newpassword1',
  'yourpassword',
  'passwordpassword',
  'thisismypassword',
  'changeme123',
  'unknownpassword',
  'nhs12345678',
  'nhspassword',
  'nhspassword1',
  'socialcare',
  'healthcare',
  'carehome123',
];

const COMMON_SET: ReadonlySet<string> = new Set(COMMON_PASSWORDS.map((p) => p.toLowerCase()));

/** How many common passwords are refused (for the documentation and tests). */
export const COMMON_PASSWORD_COUNT = COMMON_SET.size;

export type PasswordProblemCode =
  | 'missing'
  | 'too-short'
  | 'too-long'
  | 'common'
  | 'contains-username'
  | 'contains-service-name';

export interface PasswordProblem {
  code: PasswordProblemCode;
  /** What is wrong and what to do about it, in plain words, ready for an error message. */
  message: string;
}

export interface PasswordContext {
  /** The account's username: a password must not contain it. */
  username?: string | null;
}

/** The number of characters as a person counts them (code points, not UTF-16 units). */
function characterCount(value: string): number {
  return [...value.normalize('NFKC')].length;
}

function usernameParts(username: string): string[] {
  const whole = username.trim().toLowerCase();
  if (!whole) return [];
  // "jane.smith@nhs.net": a password holding "jane.smith" is as guessable as one holding the lot.
  const local = whole.split('@')[0] ?? '';
  return [...new Set([whole, ...(local.length >= 4 ? [local] : [])])].filter((p) => p.length >= 3);
}

/**
 * The first thing wrong with a new password, or null when it may be used. Checks, in order: given
 * at all, long enough, not too long, not a common password, not containing the username or the
 * service's name.
 */
export function passwordProblem(password: string, context: PasswordContext = {}): PasswordProblem | null {
  if (password.length === 0) return { code: 'missing', message: 'Enter a new password' };
  const length = characterCount(password);
  if (length < PASSWORD_MIN_LENGTH) {
    return {
      code: 'too-short',
      message: `Your password must be at least ${PASSWORD_MIN_LENGTH} characters long. A good way to make a long password is to put three random words together`,
    };
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return {
      code: 'too-long',
      message: `Your password must be ${PASSWORD_MAX_LENGTH} characters or fewer`,
    };
  }
  const folded = password.normalize('NFKC').toLowerCase();
  if (COMMON_SET.has(folded) || COMMON_SET.has(folded.trim())) {
    return {
      code: 'common',
      message:
        'Your password is one of the most commonly used passwords, so it would be easy to guess. Choose a different one, for example three random words',
    };
  }
  if (context.username && usernameParts(context.username).some((part) => folded.includes(part))) {
    return { code: 'contains-username', message: 'Your password must not contain your username' };
  }
  if (folded.replace(/[\s._-]/g, '').includes(SERVICE_NAME)) {
    return {
      code: 'contains-service-name',
      message: 'Your password must not contain the name of this service, WhatMatters',
    };
  }
  return null;
}
