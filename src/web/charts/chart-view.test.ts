import { describe, expect, it } from 'vitest';
import { createViewEnvironment } from '../render.js';
import { renderBarChart } from './bar-chart.js';
import { renderSpcChart } from './spc-chart.js';

const env = createViewEnvironment();
const render = (params: object) =>
  env.renderString('{% from "components/chart.njk" import chart %}{{ chart(params) }}', { params });

describe('the chart macro (views/components/chart.njk)', () => {
  it('shows the figure, its caption, the SVG, a visible data table and the CSV link', async () => {
    const chart = await renderBarChart({
      idPrefix: 'b',
      title: 'People with a plan & <more>',
      valueLabel: 'People',
      categoryLabel: 'Team',
      categories: [
        { label: 'North <script>', value: 20, shown: '20' },
        { label: 'South', value: null, shown: '*' },
      ],
    });
    const html = render({ chart, csvHref: '/dashboards/x.csv?team=a&b=c', headingLevel: 2 });
    expect(html).toContain('<figure class="wm-chart">');
    expect(html).toContain(
      '<h2 class="nhsuk-heading-s wm-chart__title">People with a plan &amp; &lt;more&gt;</h2>',
    );
    expect(html).toContain(chart.svg);
    expect(html).not.toContain('<details');
    expect(html).toMatch(
      /<table\s+class="nhsuk-table nhsuk-table--responsive wm-chart__table"\s+role="table"/,
    );
    expect(html).toMatch(/<caption[\s\S]*People with a plan &amp; &lt;more&gt;: the data/);
    expect(html).toMatch(/<th[^>]*scope="row"[^>]*>\s*<span[^>]*>Team <\/span>North &lt;script&gt;\s*<\/th>/);
    expect(html).toMatch(/<td[^>]*>\s*<span[^>]*>People <\/span>\*\s*<\/td>/);
    expect(html).toContain('href="/dashboards/x.csv?team=a&amp;b=c" download>Download CSV');
    expect(html.match(/<script/g)).toBeNull();
  });

  it('shows the Making Data Count icons with their words', async () => {
    const chart = await renderSpcChart({
      idPrefix: 's',
      title: 'Reviews on time',
      valueLabel: 'Reviews',
      points: [
        { period: 'Jan', value: 1, special: 'none', variation: 'common' },
        { period: 'Feb', value: 2, special: 'none', variation: 'common' },
      ],
      mean: 1.5,
      lpl: 0,
      upl: 3,
      variationIcon: 'common-cause',
      assurance: 'pass',
    });
    const html = render({ chart, csvHref: '/x.csv' });
    expect(html).toContain('<h3 class="nhsuk-heading-s wm-chart__title">');
    expect(html).toContain('<strong>Common cause variation.</strong>');
    expect(html).toContain('<strong>Target consistently met.</strong>');
    expect(html.match(/class="wm-mdc-icon"/g)).toHaveLength(2);
  });
});
