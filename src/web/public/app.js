// Progressive enhancement only: every page works without this.
import { initAll } from '/assets/nhsuk-frontend.min.js';

initAll();

/**
 * The plan editor's "Add another goal" and "Add another action" buttons. Without script they post the
 * form and it comes back with a blank row more (nothing saved); with it, the blank row is added here
 * instead: the last row of its kind is copied, its fields renumbered (names, ids, labels and hints
 * follow the form's `goals-<g>-actions-<a>-<field>` scheme), emptied, and the form's row counts
 * raised so the server reads the new row.
 */
function renumber(root, from, to) {
  for (const element of [root, ...root.querySelectorAll('*')]) {
    for (const attribute of ['id', 'name', 'for', 'aria-describedby', 'value', 'data-wm-goal']) {
      const value = element.getAttribute(attribute);
      if (value?.includes(from)) element.setAttribute(attribute, value.split(from).join(to));
    }
  }
}

/** A copied row as a blank new one: empty fields, default choices, no errors, no "Remove". */
function blank(row) {
  for (const group of row.querySelectorAll('.nhsuk-checkboxes')) group.closest('.nhsuk-form-group')?.remove();
  for (const message of row.querySelectorAll('.nhsuk-error-message')) message.remove();
  for (const group of row.querySelectorAll('.nhsuk-form-group--error'))
    group.classList.remove('nhsuk-form-group--error');
  for (const field of row.querySelectorAll(
    '.nhsuk-input--error, .nhsuk-textarea--error, .nhsuk-select--error',
  )) {
    field.classList.remove('nhsuk-input--error', 'nhsuk-textarea--error', 'nhsuk-select--error');
  }
  for (const field of row.querySelectorAll('input, textarea')) {
    const name = field.getAttribute('name') ?? '';
    if (field.type === 'hidden') {
      if (name.endsWith('-new')) field.value = 'yes';
      else if (name.endsWith('-id') || name.endsWith('-teamId')) field.value = '';
    } else {
      field.value = '';
    }
  }
  for (const select of row.querySelectorAll('select')) {
    const chosen = [...select.options].findIndex((option) => option.defaultSelected);
    select.selectedIndex = Math.max(0, chosen);
  }
  for (const legend of row.querySelectorAll('legend')) {
    legend.textContent = legend.textContent.replace(/^\s*(Goal \d+|Action \d+)/, (m) =>
      m.trim().startsWith('Goal') ? 'Add a goal' : 'Add an action',
    );
  }
  const newFlag = row.querySelector('input[type="hidden"][name$="-id"]');
  if (newFlag && !row.querySelector(`input[name="${newFlag.name.replace(/-id$/, '-new')}"]`)) {
    const flag = document.createElement('input');
    flag.type = 'hidden';
    flag.name = newFlag.name.replace(/-id$/, '-new');
    flag.value = 'yes';
    newFlag.after(flag);
  }
}

function addAction(button) {
  const goal = button.closest('[data-wm-goal]');
  const g = goal?.getAttribute('data-wm-goal');
  const count = goal?.querySelector(`input[name="goals-${g}-actions-count"]`);
  const rows = goal?.querySelectorAll('[data-wm-action]');
  const last = rows?.[rows.length - 1];
  if (!goal || !count || !last) return false;
  const a = Number(count.value);
  const row = last.cloneNode(true);
  renumber(row, `goals-${g}-actions-${rows.length - 1}-`, `goals-${g}-actions-${a}-`);
  blank(row);
  last.after(row);
  count.value = String(a + 1);
  row.querySelector('input:not([type="hidden"]), textarea')?.focus();
  return true;
}

function addGoal(button) {
  const form = button.closest('form');
  const count = form?.querySelector('input[name="goals-count"]');
  const goals = form?.querySelectorAll('[data-wm-goal]');
  const last = goals?.[goals.length - 1];
  if (!form || !count || !last) return false;
  const from = last.getAttribute('data-wm-goal');
  const g = Number(count.value);
  const goal = last.cloneNode(true);
  const actions = goal.querySelectorAll('[data-wm-action]');
  for (const extra of [...actions].slice(1)) extra.remove();
  // The one action kept becomes the new goal's first.
  const first = goal.querySelector('[data-wm-action]');
  const firstName = first?.querySelector('input[name$="-what"]')?.getAttribute('name') ?? '';
  const index = /-actions-(\d+)-what$/.exec(firstName)?.[1];
  if (first && index && index !== '0')
    renumber(first, `goals-${from}-actions-${index}-`, `goals-${from}-actions-0-`);
  renumber(goal, `goals-${from}-`, `goals-${g}-`);
  renumber(goal, `add-action-${from}`, `add-action-${g}`);
  goal.setAttribute('data-wm-goal', String(g));
  blank(goal);
  const addButton = goal.querySelector('[data-wm-add="action"]');
  if (addButton) addButton.textContent = 'Add another action to this goal';
  const actionCount = goal.querySelector(`input[name="goals-${g}-actions-count"]`);
  if (actionCount) actionCount.value = '1';
  last.after(goal);
  count.value = String(g + 1);
  goal.querySelector('textarea, input:not([type="hidden"])')?.focus();
  return true;
}

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-wm-add]') : null;
  if (!button) return;
  const kind = button.getAttribute('data-wm-add');
  const added = kind === 'action' ? addAction(button) : kind === 'goal' ? addGoal(button) : false;
  if (added) event.preventDefault();
});

/**
 * Questionnaire forms (components/questionnaire-form.njk): a question that applies only after
 * certain answers is hidden until they are given. Each such part carries its conditions in terms of
 * the form's fields (`data-wm-enable-when`, from web/questionnaire-form.ts); answers inside a hidden
 * part count as not given, as the server drops them. Without script every question shows, its hint
 * says when it applies, and the server decides.
 */
function givenValues(root, name) {
  const values = [];
  for (const field of root.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
    if (field.closest('[data-wm-enable-when][hidden]')) continue;
    if (field.type === 'radio' || field.type === 'checkbox') {
      if (field.checked) values.push(field.value);
    } else if (field.value.trim()) values.push(field.value.trim().replaceAll(',', ''));
  }
  return values;
}

function conditionHolds(root, condition) {
  const values = givenValues(root, condition.field);
  if (condition.op === 'exists') return values.length > 0 === condition.exists;
  const equal = condition.values
    ? values.some((v) => condition.values.includes(v))
    : values.some((v) => Number(v) === condition.number);
  if (condition.op === '=') return equal;
  if (condition.op === '!=') return !equal;
  const numbers = values.map(Number).filter(Number.isFinite);
  const compare = {
    '>': (n) => n > condition.number,
    '<': (n) => n < condition.number,
    '>=': (n) => n >= condition.number,
    '<=': (n) => n <= condition.number,
  }[condition.op];
  return compare ? numbers.some(compare) : true;
}

function showApplicableQuestions(root) {
  const parts = [...root.querySelectorAll('[data-wm-enable-when]')];
  // A condition may rest on a question that is itself hidden: repeat until nothing changes.
  for (let round = 0; round <= parts.length; round++) {
    let changed = false;
    for (const part of parts) {
      const rule = JSON.parse(part.getAttribute('data-wm-enable-when'));
      const results = rule.conditions.map((c) => conditionHolds(root, c));
      const applies = rule.any ? results.some(Boolean) : results.every(Boolean);
      if (part.hidden === applies) {
        part.hidden = !applies;
        changed = true;
      }
    }
    if (!changed) break;
  }
}

for (const root of document.querySelectorAll('[data-wm-questionnaire]')) {
  if (!root.querySelector('[data-wm-enable-when]')) continue;
  showApplicableQuestions(root);
  root.addEventListener('input', () => showApplicableQuestions(root));
  root.addEventListener('change', () => showApplicableQuestions(root));
}
