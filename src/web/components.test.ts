import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { NHSUK_DIST } from './assets.js';
import { createViewEnvironment } from './render.js';

// nhsuk-frontend as published, with the same filters: what every component must render exactly as.
const published = new nunjucks.Environment(new nunjucks.FileSystemLoader([NHSUK_DIST]), {
  autoescape: true,
  throwOnUndefined: false,
});
const views = createViewEnvironment();
for (const [name, filter] of Object.entries(
  (views as unknown as { filters: Record<string, () => unknown> }).filters,
)) {
  published.addFilter(name, filter);
}

const PAGE = `
{% from "nhsuk/components/button/macro.njk" import button %}
{% from "nhsuk/components/tag/macro.njk" import tag %}
{% from "nhsuk/components/input/macro.njk" import input %}
{% from "nhsuk/components/checkboxes/macro.njk" import checkboxes %}
{% from "nhsuk/components/error-summary/macro.njk" import errorSummary %}
{% from "nhsuk/components/details/macro.njk" import details %}
{{ button({ text: "Save", classes: "nhsuk-button--secondary" }) }}
{% for t in tags %}{{ tag({ text: t, classes: "nhsuk-tag--grey" }) }}{% endfor %}
{{ input({ label: { text: "Search" }, id: "search", name: "search", value: search }) }}
{{ checkboxes({ idPrefix: "f", name: "f", items: [{ value: "on", text: "Overdue", checked: overdue }] }) }}
{{ errorSummary({ titleText: "There is a problem", errorList: errors }) if errors.length }}
{% call details({ summaryText: "Why" }) %}<p>Because {{ search }}</p>{% endcall %}
`;

describe('the component cache', () => {
  it('renders each component exactly as nhsuk-frontend does, first time and kept', () => {
    for (const context of [
      { tags: ['One', 'Two <b>', 'One'], search: 'a "quoted" <name>', overdue: true, errors: [] },
      { tags: ['One'], search: 'other', overdue: false, errors: [{ text: 'Enter a name', href: '#search' }] },
      { tags: ['One', 'Two <b>', 'One'], search: 'a "quoted" <name>', overdue: true, errors: [] },
    ]) {
      expect(views.renderString(PAGE, context)).toBe(published.renderString(PAGE, context));
    }
  });

  it('keeps one rendering per set of parameters: other text gives other HTML', () => {
    const once = views.renderString(PAGE, { tags: ['Urgent'], search: 'x', overdue: false, errors: [] });
    const other = views.renderString(PAGE, { tags: ['Routine'], search: 'x', overdue: false, errors: [] });
    expect(once).toContain('Urgent');
    expect(other).toContain('Routine');
    expect(other).not.toContain('Urgent');
  });
});
