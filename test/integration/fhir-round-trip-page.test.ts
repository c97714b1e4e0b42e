import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { runFhirImport } from '../../src/interop/fhir/bulk-import.js';
import { demoAccount, demoPersonInCaseload } from '../support/demo.js';
import { bulkExport } from '../support/fhir.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Issue 13's acceptance, end to end: a practitioner's caseload exported with $export (the Bulk
 * Data files, as a client downloads them), imported into an empty database, and a person's summary
 * page there compared, section by section, with the page in the database it came from.
 */

let source: TestApp;
let target: TestApp;
let dir: string;
let personId: string;
let sourceCookie: string;
let targetCookie: string;
/** The export's NDJSON files, as a client downloaded them. */
const files: string[] = [];

beforeAll(async () => {
  source = await createTestApp({ demoPeople: 12 });
  target = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-round-trip-page-'));
  sourceCookie = await signIn(source.app, 'practitioner@demo');
  personId = await demoPersonInCaseload(source, sourceCookie);
  const exporter = bulkExport(() => source);
  const manifest = await exporter.run('/fhir/$export', sourceCookie);
  expect(manifest.error).toEqual([]);
  for (const [i, output] of manifest.output.entries()) {
    const file = path.join(dir, `${i}-${output.type}.ndjson`);
    const resources = await exporter.lines(output.url, sourceCookie);
    fs.writeFileSync(file, resources.map((r) => JSON.stringify(r)).join('\n'));
    files.push(file);
  }
  const report = await runFhirImport(target.services, files);
  expect(report.people).toMatchObject({ refused: 0 });
  // The page is read in the new database by the same practitioner: their account came with the
  // export (a Practitioner, with their PractitionerRole), without a password; an administrator
  // gives them one with a reset link, as for anyone whose account was made without one.
  const practitionerId = (await demoAccount(source, 'practitioner@demo')).user_id;
  const imported = await target.database.db
    .selectFrom('user_account')
    .select(['username', 'password_hash'])
    .where('user_id', '=', practitionerId)
    .executeTakeFirstOrThrow();
  expect(imported.password_hash, 'an imported account cannot sign in').toBeNull();
  const { userId: adminId } = await target.services.users.add({
    username: 'admin@example.org',
    displayName: 'Ada Admin',
    role: 'admin',
    password: 'a long enough password here',
  });
  const admin: Actor = {
    userId: adminId,
    username: 'admin@example.org',
    displayName: 'Ada Admin',
    jobTitle: null,
    personId: null,
    roles: [{ role: 'admin', organisationId: null, organisationName: null, teamId: null, teamName: null }],
    ip: null,
  };
  const { token } = await target.services.users.createPasswordReset(admin, practitionerId);
  await target.services.users.resetPassword(token, 'a long enough password here');
  targetCookie = await signIn(target.app, imported.username, 'a long enough password here');
}, 600_000);
afterAll(async () => {
  await source?.close();
  await target?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Text without tags and with spaces collapsed, as a reader sees it. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The page's HTML by section: the part before the first h2 (`top`), then each h2 by its id. */
function sections(html: string): Record<string, string> {
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  const parts = main.split(/<h2 id="/);
  const out: Record<string, string> = { top: parts[0] ?? '' };
  for (const part of parts.slice(1))
    out[part.slice(0, part.indexOf('"'))] = part.slice(part.indexOf('>') + 1);
  return out;
}

/** A section's text by its h3 headings (one basis for sharing each, say), first the part before them. */
const byHeading = (html = '') => html.split('<h3').map(text);

const page = async (t: TestApp, cookie: string) => {
  const response = await t.app.inject({ method: 'GET', url: `/people/${personId}`, headers: { cookie } });
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  return sections(response.body);
};

/** Who recorded something, as the page names them ("Recorded by Priya Shah"). */
const RECORDED_BY = /Recorded by [^.]+?(?= on \d|\.)/g;

describe('FHIR round trip: the person summary page after $export and import into an empty database', () => {
  /** Each section's HTML, and its text. */
  let before: Record<string, string>;
  let after: Record<string, string>;
  let beforeText: Record<string, string>;
  let afterText: Record<string, string>;
  beforeAll(async () => {
    before = await page(source, sourceCookie);
    after = await page(target, targetCookie);
    const texts = (all: Record<string, string>) =>
      Object.fromEntries(Object.entries(all).map(([k, v]) => [k, text(v)]));
    [beforeText, afterText] = [texts(before), texts(after)];
  });

  it('shows the same person, what matters to them with every rating and GAS score, and the same requests', () => {
    expect(beforeText['what-matters']).toContain('How far it is achieved');
    expect(beforeText['what-matters']).toContain('Goal attainment scale');
    expect(afterText['what-matters']).toBe(beforeText['what-matters']);
    expect(afterText['rights-requests']).toBe(beforeText['rights-requests']);
    // The whole banner: the person, the next review, the team responsible and the plan's version.
    expect(beforeText.top).toMatch(/Team responsible (?!No team)/);
    expect(afterText.top).toBe(beforeText.top);
  });

  it('shows the same care team: organisations, teams, named workers, support, roles and key worker', () => {
    // With the groups the person is connected to: their referrals travel as ServiceRequest, the
    // directory entries as HealthcareService (docs/FHIR.md).
    expect(beforeText['care-team']).toContain('Key worker');
    expect(beforeText['care-team']).toContain('Community support');
    expect(afterText['care-team']).toBe(beforeText['care-team']);
  });

  it('shows the same conversations, recorded by the same practitioners', () => {
    expect(beforeText.conversations).toMatch(RECORDED_BY);
    expect(afterText.conversations).toBe(beforeText.conversations);
  });

  it('shows the same people important to them, without the accounts they use to see the record', () => {
    const withoutAccounts = (text = '') =>
      text.replace(/ May see this record.*? Save what [^ ]+ [^ ]+ may do/g, '');
    expect(beforeText.circle).toContain('May see this record');
    expect(afterText.circle).toBe(withoutAccounts(beforeText.circle));
  });

  it('shows the same bases for sharing, recorded by the same people', () => {
    // One basis an organisation, under its heading. The person is registered into the organisation
    // of their direct-care Consent, so the registration adds no basis of its own.
    const original = byHeading(before.sharing).slice(1);
    expect(original.length).toBeGreaterThan(1);
    expect(original.join(' ')).toMatch(RECORDED_BY);
    expect(byHeading(after.sharing).slice(1)).toEqual(original);
  });

  it('shows the same plan, saved by the same member of staff (its comments and earlier versions do not travel)', async () => {
    const planText = async (t: TestApp, cookie: string) => {
      const response = await t.app.inject({
        method: 'GET',
        url: `/people/${personId}/plan`,
        headers: { cookie },
      });
      expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
      const html = response.body;
      return text(html.slice(html.indexOf('<main'), html.indexOf('</main>')));
    };
    const original = await planText(source, sourceCookie);
    const savedBy = /Version \d+, saved by [^.]+? on [^.]+\./.exec(original)?.[0];
    expect(savedBy, 'the demo person has a plan').toBeDefined();
    const copy = await planText(target, targetCookie);
    expect(copy).toContain(savedBy as string);
    // The plan itself with its community support (referrals travel as ServiceRequest, attendance as
    // Task), up to its version history. What follows does not travel: the plan's comments and
    // earlier versions (an export carries the current CarePlan only). Who made a self-referral is
    // the person's own account, and the accounts people use to see their record do not travel (as
    // in the circle above): the import names its own account, so that name alone is left out.
    const plan = (all: string) =>
      all
        .slice(all.indexOf('Print this plan') + 'Print this plan'.length, all.indexOf(' Version history '))
        .replace(/(by the person \(a self-referral\)) \((?:[^()]|\([^()]*\))*\)/g, '$1');
    const withoutCommentCount = (all: string) => all.replace(/^ (Earlier versions )?Comments \(\d+\)/, '');
    expect(withoutCommentCount(plan(copy))).toBe(withoutCommentCount(plan(original)));
    expect(plan(original)).toContain('My goals and hopes');
    expect(plan(original)).toMatch(/ Community support .* Attendance /);
  });

  it('importing the export again changes nothing: the same page', async () => {
    const report = await runFhirImport(target.services, files);
    expect(report.imported).toEqual({});
    expect(report.people).toMatchObject({ imported: 0, refused: 0 });
    expect(await page(target, targetCookie)).toEqual(after);
  });

  it('shows the same measures: latest scores, the overdue line and what is due', () => {
    // What is due travels as Task (features/measures/fhir-task.ts); a review request's date follows
    // the next review, which the conversations and the plan bring. Schedules do not travel, and
    // the section does not show them.
    // Its rows, one a measure, in order (measures first scored together come in response order).
    const latestScores = (html = '') =>
      html.slice(html.indexOf('<table'), html.indexOf('</table>')).split('<tr').map(text);
    expect(text(before.measures ?? '')).toContain('Latest scores');
    expect(latestScores(before.measures).length).toBeGreaterThan(2);
    expect(latestScores(after.measures)).toEqual(latestScores(before.measures));
    expect(beforeText.measures).toContain(' Due ');
    expect(afterText.measures).toBe(beforeText.measures);
  });
});
