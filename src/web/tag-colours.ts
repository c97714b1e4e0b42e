import type { ActionStatus } from '../domain/care-plan.js';

/**
 * NHS.UK tag colours for a plan action's status: presentation, so it lives in the web layer, and
 * once, so a status looks the same on the plan, its versions and the person's export.
 */
export const ACTION_STATUS_COLOURS: Record<ActionStatus, string> = {
  'not-started': 'grey',
  'in-progress': 'blue',
  done: 'green',
  stopped: 'red',
};
