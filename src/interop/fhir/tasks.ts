import type { Task } from '@medplum/fhirtypes';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import { isQuestionnaireTask } from '../../domain/interop/measure-task.js';
import { taskFhir as attendanceTaskFhir } from '../../features/community-referrals/fhir-task.js';
import { measureTaskFhir } from '../../features/measures/fhir-task.js';
import type { AccessGrant } from '../../features/record-access/person-access.js';
import type { FhirContext, FhirHandler } from './handler.js';
import { PATIENT_PARAM_NAMES, personResources } from './person-resources.js';

/**
 * Task, one type served by one handler (the routes, the CapabilityStatement and bulk export know a
 * type once), holding two kinds of the person's Tasks, each mapped in its feature: the measures
 * asked of them (features/measures/fhir-task.ts, SDC Task for questionnaire) and attendance on
 * their community referrals (features/community-referrals/fhir-task.ts). A search parameter both
 * kinds have is answered by each kind's own definition; one only a kind has matches none of the
 * other kind.
 */
const KINDS: readonly { is(task: Task): boolean; handler: FhirHandler<Task> }[] = [
  { is: (t) => isQuestionnaireTask(t as unknown as Record<string, unknown>), handler: measureTaskFhir },
  { is: () => true, handler: attendanceTaskFhir },
];

const kindOf = (task: Task) =>
  KINDS.find((k) => k.is(task)) ?? (KINDS[KINDS.length - 1] as (typeof KINDS)[number]);

const ownParams = (handler: FhirHandler<Task>) =>
  handler.searchParams.filter((p) => !(PATIENT_PARAM_NAMES as readonly string[]).includes(p.name));

const names = [...new Set(KINDS.flatMap((k) => ownParams(k.handler).map((p) => p.name)))];
const params: SearchParamDefinition<Task>[] = names.map((name) => {
  const defs = KINDS.flatMap((k) => ownParams(k.handler).filter((p) => p.name === name));
  const first = defs[0] as SearchParamDefinition<Task>;
  return {
    name,
    type: first.type,
    documentation: [...new Set(defs.map((d) => d.documentation))].join('; '),
    valuesOf: (task) =>
      ownParams(kindOf(task).handler)
        .find((p) => p.name === name)
        ?.valuesOf(task) ?? [],
  };
});

async function tasksOf(ctx: FhirContext, personId: string): Promise<Task[]> {
  const lists = await Promise.all(
    KINDS.map((k) => (k.handler.listForPerson ? k.handler.listForPerson(ctx, personId) : [])),
  );
  return lists.flat();
}

/** Each kind's read of many people at once, when every kind has one (else bulk export reads person by person). */
const togetherReads = KINDS.flatMap((k) => (k.handler.listForPeople ? [k.handler.listForPeople] : []));

/**
 * Bulk export: for each grant (checked and audited by the caller, PersonAccess.requireEach), the
 * kinds' Tasks in the order `tasksOf` gives them, each kind reading everyone at once.
 */
async function tasksOfEach(ctx: FhirContext, grants: readonly AccessGrant[]): Promise<Map<string, Task[]>> {
  const lists = await Promise.all(togetherReads.map((listForPeople) => listForPeople(ctx, grants)));
  const each = new Map<string, Task[]>();
  for (const { personId } of grants) {
    const tasks = lists.flatMap((byPerson) => byPerson.get(personId) ?? []);
    if (tasks.length) each.set(personId, tasks);
  }
  return each;
}

export const tasksFhir = personResources<Task>({
  type: 'Task',
  documentation: `Two kinds of the person’s Tasks. ${KINDS.map((k) => k.handler.documentation).join(' ')}`,
  searchParams: params,
  listForPerson: tasksOf,
  ...(togetherReads.length === KINDS.length ? { listForPeople: tasksOfEach } : {}),
});
