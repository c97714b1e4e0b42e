import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE_ACTOR } from '../../src/features/auth/client-account.js';
import { runFhirImport } from '../../src/interop/fhir/bulk-import.js';
import { insertCareTeamMember } from '../../src/store/care-team-member.js';
import { demoPersonInCaseload } from '../support/demo.js';
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

beforeAll(async () => {
  source = await createTestApp({ demoPeople: 12 });
  target = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-round-trip-page-'));
  sourceCookie = await signIn(source.app, 'practitioner@demo');
  personId = await demoPersonInCaseload(source, sourceCookie);
  const exporter = bulkExport(() => source);
  const manifest = await exporter.run('/fhir/$export', sourceCookie);
  expect(manifest.error).toEqual([]);
  const files: string[] = [];
  for (const [i, output] of manifest.output.entries()) {
    const file = path.join(dir, `${i}-${output.type}.ndjson`);
    const resources = await exporter.lines(output.url, sourceCookie);
    fs.writeFileSync(file, resources.map((r) => JSON.stringify(r)).join('\n'));
    files.push(file);
  }
  const report = await runFhirImport(target.services, files);
  // Someone to read the page in the new database: a practitioner in a team of the organisation the
  // person was registered into (their direct-care Consent's), on their care team (accounts do not
  // travel with the export).
  expect(report.people).toMatchObject({ refused: 0 });
  const { organisation_id: organisationId } = await target.database.db
    .selectFrom('care_team_member')
    .select('organisation_id')
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
  const teamId = crypto.randomUUID();
  await target.database.db
    .insertInto('team')
    .values({ team_id: teamId, organisation_id: organisationId, name: 'Community team' })
    .execute();
  await target.services.users.add({
    username: 'reader@example.org',
    displayName: 'Rea Reader',
    role: 'practitioner',
    organisationId,
    teamId,
    password: 'a long enough password here',
  });
  await insertCareTeamMember(
    target.database.db,
    { personId },
    {
      memberId: crypto.randomUUID(),
      organisationId,
      teamId,
      userId: null,
      supportKind: 'social-care',
      roleDescription: 'Reads the imported record',
      isKeyWorker: false,
    },
  );
  targetCookie = await signIn(target.app, 'reader@example.org', 'a long enough password here');
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
const IMPORTER = `Recorded by ${COMMAND_LINE_ACTOR.displayName}`;

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
    // The banner, the plan's version and the next review; the team responsible is the care team's (below).
    const withoutLead = (text = '') =>
      text.replace(/Team responsible .*? Care and support plan Version/, 'Version');
    expect(withoutLead(afterText.top)).toBe(withoutLead(beforeText.top));
  });

  it('shows the same conversations, recorded by the import (accounts do not travel with the export)', () => {
    expect(beforeText.conversations).toMatch(RECORDED_BY);
    expect(afterText.conversations).toBe(beforeText.conversations?.replace(RECORDED_BY, IMPORTER));
  });

  it('shows the same people important to them, without the accounts they use to see the record', () => {
    const withoutAccounts = (text = '') =>
      text.replace(/ May see this record.*? Save what [^ ]+ [^ ]+ may do/g, '');
    expect(beforeText.circle).toContain('May see this record');
    expect(afterText.circle).toBe(withoutAccounts(beforeText.circle));
  });

  it('shows the same bases for sharing, recorded by the import', () => {
    // One basis an organisation, under its heading. The person is registered into the organisation
    // of their direct-care Consent, so the registration adds no basis of its own.
    const original = byHeading(before.sharing).slice(1);
    expect(original.length).toBeGreaterThan(1);
    expect(byHeading(after.sharing).slice(1)).toEqual(original.map((b) => b.replace(RECORDED_BY, IMPORTER)));
  });

  it('shows the same latest scores of measures', () => {
    // The "Latest scores" table only: the overdue line and the "Due" list around it come from
    // measure requests and schedules, which have no FHIR mapping and do not travel with an export.
    // Its rows, one a measure, in order (measures first scored together come in response order).
    const latestScores = (html = '') =>
      html.slice(html.indexOf('<table'), html.indexOf('</table>')).split('<tr').map(text);
    expect(text(before.measures ?? '')).toContain('Latest scores');
    expect(latestScores(before.measures).length).toBeGreaterThan(2);
    expect(latestScores(after.measures)).toEqual(latestScores(before.measures));
  });
});
