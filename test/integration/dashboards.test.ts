import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateIds } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Issue 10, items 6, 9, 10 and 11: each role's dashboard opens for that role only; every chart's CSV
 * carries the figures its table shows; a contract's page shows each indicator with SPC and a funnel
 * plot; the drill-down asks why, audits the reading with that purpose (refusals too) and shows no
 * statement behind a figure too small to show.
 */
let t: TestApp;
const cookies: Record<string, string> = {};
const USERS = [
  'manager@demo',
  'commissioner@demo',
  'analyst@demo',
  'practitioner@demo',
  'person@demo',
  'admin@demo',
];

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 60 });
  for (const user of USERS) cookies[user] = await signIn(t.app, user);
}, 300_000);
afterAll(() => t?.close());

const get = (user: string, url: string) => t.app.inject({ url, headers: { cookie: cookies[user] ?? '' } });

/** The text of an HTML fragment, tags dropped and entities read. */
const textOf = (html: string) =>
  html
    .replace(/<span class="nhsuk-table__heading"[^>]*>.*?<\/span>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();

/** Each chart on a page: its data table's rows (text cells) and its CSV link. */
function chartsOf(html: string): { rows: string[][]; csv: string }[] {
  return [...html.matchAll(/<figure class="wm-chart"[\s\S]*?<\/figure>/g)].map(([figure]) => {
    const table = /<table[^>]*wm-chart__table[\s\S]*?<\/table>/.exec(figure)?.[0] ?? '';
    const body = /<tbody[\s\S]*?<\/tbody>/.exec(table)?.[0] ?? '';
    const rows = [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map(([tr]) =>
      [...tr.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => textOf(m[1] ?? '')),
    );
    const csv = (/href="([^"]+\.csv[^"]*)"/.exec(figure)?.[1] ?? '').replace(/&amp;/g, '&');
    return { rows, csv };
  });
}

/** RFC 4180 CSV as rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

describe('each role’s dashboard', () => {
  const DASHBOARDS: [string, string, RegExp][] = [
    ['/dashboards/team', 'manager@demo', /North Locality Social Work Team: dashboard/],
    ['/dashboards/provider', 'manager@demo', /provider dashboard/],
    ['/dashboards/commissioner', 'commissioner@demo', /Commissioner dashboard/],
    ['/dashboards/analyst', 'analyst@demo', /Analyst dashboard/],
  ];

  for (const [url, owner, heading] of DASHBOARDS) {
    it(`${url} opens for its role, with charts, and is refused to every other role`, async () => {
      const page = await get(owner, url);
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(heading);
      expect(duplicateIds(page.body)).toEqual([]);
      expect(chartsOf(page.body).length).toBeGreaterThan(0);
      for (const other of USERS.filter((u) => u !== owner)) {
        expect((await get(other, url)).statusCode, `${other} ${url}`).toBe(403);
      }
    }, 120_000);
  }

  it('the team dashboard covers reviews, achievement by domain, change, GAS, viewpoints and what matters', async () => {
    const page = await get('manager@demo', '/dashboards/team');
    for (const title of [
      'Reviews due and overdue',
      'Outcomes people rate mostly or fully achieved, by domain',
      'Change in people’s own ratings since their first, by domain',
      'Goal attainment (GAS T-scores)',
      'Where the person and their practitioner rate an outcome the same, by domain',
      'What people say matters to them, by domain',
    ]) {
      expect(page.body, title).toContain(title);
    }
  }, 120_000);

  it('covers the months chosen, carries them to its CSV links, and refuses a period that ends before it starts', async () => {
    const page = await get('manager@demo', '/dashboards/team?from=2026-01&to=2026-06');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('January 2026 to June 2026');
    expect(page.body).toContain('achieved-by-domain.csv?from=2026-01&amp;to=2026-06');
    expect((await get('manager@demo', '/dashboards/team?from=2026-06&to=2026-01')).statusCode).toBe(422);
    expect((await get('manager@demo', '/dashboards/team?from=2026-13')).statusCode).toBe(400);
  }, 120_000);

  it('counts reviews by the caseload’s own rule: the same totals as the caseload’s review filter', async () => {
    const page = await get('manager@demo', '/dashboards/team');
    const reviews = chartsOf(page.body)[0];
    const overdue = reviews?.rows.find((r) => r[0] === 'Overdue')?.[1];
    expect(overdue).toMatch(/^\d+$/);
    const caseload = await get('manager@demo', '/caseload?review=overdue');
    const caption = textOf(
      /<caption[^>]*>([\s\S]*?)<\/caption>/.exec(
        caseload.body.slice(caseload.body.indexOf('nhsuk-table-responsive')),
      )?.[1] ?? '',
    );
    expect(caption).toMatch(new RegExp(`^${overdue} (people|person)`));
  }, 120_000);
});

describe('CSV downloads', () => {
  const PAGES: [string, string][] = [
    ['manager@demo', '/dashboards/team'],
    ['manager@demo', '/dashboards/provider'],
    ['commissioner@demo', '/dashboards/commissioner'],
    ['analyst@demo', '/dashboards/analyst?breakdown=deprivation-quintile'],
  ];
  for (const [user, url] of PAGES) {
    it(`every chart on ${url} downloads as CSV with the rows its table shows`, async () => {
      const page = await get(user, url);
      const charts = chartsOf(page.body);
      expect(charts.length).toBeGreaterThan(0);
      for (const chart of charts) {
        const csv = await get(user, chart.csv);
        expect(csv.statusCode, chart.csv).toBe(200);
        expect(csv.headers['content-type']).toMatch(/^text\/csv/);
        expect(String(csv.headers['content-disposition'])).toMatch(
          /^attachment; filename="[a-z0-9-]+\.csv"$/,
        );
        const [, ...rows] = parseCsv(csv.body);
        expect(
          rows.map((r) => r[0]),
          chart.csv,
        ).toEqual(chart.rows.map((r) => r[0]));
        // A figure hidden in the table is hidden in the CSV, and a shown one is the same number.
        rows.forEach((row, i) => {
          const shown = chart.rows[i]?.[1] ?? '';
          if (shown === '*') expect(row[1], `${chart.csv} row ${i}`).toBe('*');
          else if (/^-?[\d.,]+%?$/.test(shown)) {
            // Funnel plots keep proportions as 0–1 in their CSV; bars keep the percentage itself.
            const value = Number(row[1]);
            const table = Number(shown.replace(/[,%]/g, ''));
            const asShown =
              shown.endsWith('%') && Math.abs(value) <= 1 && Math.abs(table) > 1 ? value * 100 : value;
            expect(asShown.toFixed(1), `${chart.csv} row ${i}`).toBe(table.toFixed(1));
          }
        });
      }
    }, 180_000);
  }

  it('a chart that does not exist is 404, and a CSV is refused to other roles', async () => {
    expect((await get('manager@demo', '/dashboards/team/no-such-chart.csv')).statusCode).toBe(404);
    expect((await get('commissioner@demo', '/dashboards/team/reviews.csv')).statusCode).toBe(403);
    expect((await get('manager@demo', '/dashboards/analyst/breakdown.csv')).statusCode).toBe(403);
  });
});

describe('a contract’s dashboard', () => {
  it('shows each indicator against its target with SPC, the icons’ words and a funnel plot, each with CSV', async () => {
    const list = await get('commissioner@demo', '/contracts');
    const ids = [...list.body.matchAll(/href="\/contracts\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    let spcSeen = false;
    let funnelSeen = false;
    for (const id of ids) {
      const page = await get('commissioner@demo', `/contracts/${id}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('How the contract is doing');
      expect(duplicateIds(page.body)).toEqual([]);
      for (const chart of chartsOf(page.body)) {
        spcSeen ||= chart.csv.endsWith('-spc.csv');
        funnelSeen ||= chart.csv.endsWith('-funnel.csv');
        const csv = await get('commissioner@demo', chart.csv);
        expect(csv.statusCode, chart.csv).toBe(200);
        expect(
          parseCsv(csv.body)
            .slice(1)
            .map((r) => r[0]),
        ).toEqual(chart.rows.map((r) => r[0]));
      }
    }
    expect(spcSeen, 'an SPC chart on some contract').toBe(true);
    expect(funnelSeen, 'a funnel plot on some contract').toBe(true);
  }, 180_000);
});

describe('an indicator’s own page', () => {
  it('shows the indicator month by month with SPC and its units on a funnel plot, each with CSV', async () => {
    for (const user of ['commissioner@demo', 'manager@demo']) {
      const page = await get(user, '/indicators/person-rated-achieved');
      expect(page.statusCode).toBe(200);
      expect(duplicateIds(page.body)).toEqual([]);
      const charts = chartsOf(page.body);
      // The funnel always (units with enough people); SPC once enough months have a value.
      expect(charts.map((c) => c.csv)).toContain('/indicators/person-rated-achieved/charts/funnel.csv');
      if (!charts.some((c) => c.csv.endsWith('/spc.csv')))
        expect(page.body).toContain('Too few months have a value');
      for (const chart of charts) {
        const csv = await get(user, chart.csv);
        expect(csv.statusCode).toBe(200);
        expect(
          parseCsv(csv.body)
            .slice(1)
            .map((r) => r[0]),
        ).toEqual(chart.rows.map((r) => r[0]));
      }
      // Its values open onto the statements behind them.
      expect(page.body).toContain('/indicators/person-rated-achieved/statements?');
    }
    // A practitioner sees the charts but is offered no drill-down.
    const cookie = await signIn(t.app, 'practitioner@demo');
    const practitioner = await t.app.inject({
      url: '/indicators/person-rated-achieved',
      headers: { cookie },
    });
    expect(practitioner.statusCode).toBe(200);
    expect(practitioner.body).not.toContain('/statements?');
  }, 120_000);
});

describe('the drill-down from a figure to what people said', () => {
  const url = '/indicators/person-rated-achieved/statements';

  const auditOf = (username: string) =>
    t.database.db
      .selectFrom('audit_event as a')
      .innerJoin('user_account as u', 'u.user_id', 'a.actor_user_id')
      .select(['a.action', 'a.purpose', 'a.outcome', 'a.listed_person_ids'])
      .where('u.username', '=', username)
      .where('a.action', '=', 'drill-down-indicator')
      .orderBy('a.occurred_at', 'desc')
      .execute();

  it('asks why first, then shows de-identified statements and audits the reading with its purpose', async () => {
    const before = (await auditOf('commissioner@demo')).length;
    const form = await get('commissioner@demo', url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Why are you reading these statements?');
    expect((await auditOf('commissioner@demo')).length, 'nothing read, nothing audited').toBe(before);

    const page = await get('commissioner@demo', `${url}?purpose=commissioning`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('A few representative quotes');
    expect(page.body).toContain('What matters to people');
    expect(page.body).not.toMatch(/href="\/people\//);
    expect(duplicateIds(page.body)).toEqual([]);
    const [latest] = await auditOf('commissioner@demo');
    expect(latest).toMatchObject({ outcome: 'success' });
    expect(latest?.purpose).toContain('Commissioning or contract monitoring');
    expect(latest?.listed_person_ids ?? []).toEqual([]);
  }, 60_000);

  it('shows a team manager links to the records their team may open, and lists them in the audit', async () => {
    const page = await get('manager@demo', `${url}?purpose=service-review`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/href="\/people\/[0-9a-f-]{36}">Open the record of /);
    const [latest] = await auditOf('manager@demo');
    expect(latest?.purpose).toContain('Reviewing how the service is doing');
    expect((latest?.listed_person_ids ?? []).length).toBeGreaterThan(0);
  }, 60_000);

  it('refuses, and audits the refusal with its purpose, a practitioner or a team outside the manager’s', async () => {
    expect((await get('practitioner@demo', `${url}?purpose=service-review`)).statusCode).toBe(403);
    const team = await t.database.db
      .selectFrom('team as t')
      .innerJoin('organisation as o', 'o.organisation_id', 't.organisation_id')
      .select('t.team_id')
      .where('o.name', 'not like', 'Riverside Borough Council%')
      .executeTakeFirstOrThrow();
    const before = (await auditOf('manager@demo')).length;
    expect((await get('manager@demo', `${url}?purpose=service-review&team=${team.team_id}`)).statusCode).toBe(
      403,
    );
    const [refused] = await auditOf('manager@demo');
    expect((await auditOf('manager@demo')).length).toBe(before + 1);
    expect(refused).toMatchObject({ outcome: 'denied' });
    expect(refused?.purpose).toContain('Reviewing how the service is doing');
    const [practitioner] = await auditOf('practitioner@demo');
    expect(practitioner).toMatchObject({ outcome: 'denied' });
  }, 60_000);

  it('shows no statement behind a figure too small to show', async () => {
    // A month before the demo's history: every figure is 0, so there is nothing to open.
    const page = await get('analyst@demo', `${url}?purpose=equality-analysis&from=2001-01&to=2001-12`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No statements shown');
    expect(page.body).not.toContain('What matters to people');
    // A cell too small to open: its link is not offered, and opened directly it shows nothing.
    const month = new Date().toISOString().slice(0, 7);
    const analyst = await get(
      'analyst@demo',
      `/dashboards/analyst?breakdown=age-band&from=${month}&to=${month}`,
    );
    const small = [...analyst.body.matchAll(/<li>([^<>]+): too few people to open<\/li>/g)].map(
      (m) => m[1]?.trim() ?? '',
    );
    expect(small.length, 'some age band this month covers too few people').toBeGreaterThan(0);
    for (const band of small.filter((b) => /^\d/.test(b))) {
      const cell = await get(
        'analyst@demo',
        `${url}?purpose=equality-analysis&breakdown=age-band&value=${encodeURIComponent(band)}&from=${month}&to=${month}`,
      );
      expect(cell.statusCode, band).toBe(200);
      expect(cell.body, band).toContain('No statements shown');
    }
  }, 60_000);
});
