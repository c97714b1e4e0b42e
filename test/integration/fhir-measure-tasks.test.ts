import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, QuestionnaireResponse, Resource, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personRowId } from '../../src/domain/interop/fhir-ids.js';
import { runFhirImport } from '../../src/interop/fhir/bulk-import.js';
import { demoPersonInCaseload } from '../support/demo.js';
import { expectValidFhir } from '../support/fhir-validator.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * /fhir Task for measures asked of a person (features/measures/fhir-task.ts): searched by
 * patient, read, refused for a person the caller may not see, and restored by bulk import with
 * the response that completed it; a second import changes nothing.
 */

let source: TestApp;
let cookie: string;
let personId: string;
let oneOff: string;
let completed: string;
let responseId: string;
let dir: string;

beforeAll(async () => {
  source = await createTestApp({ demoPeople: 12 });
  cookie = await signIn(source.app, 'practitioner@demo');
  personId = await demoPersonInCaseload(source, cookie);
  const ask = async (body: unknown) => {
    const r = await source.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/measure-requests`,
      headers: { cookie },
      payload: body as Record<string, unknown>,
    });
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { requestId: string }).requestId;
  };
  oneOff = await ask({ instrument: 'gad7', dueOn: '2026-12-01', sendToPerson: true });
  completed = await ask({ instrument: 'phq9', dueOn: '2026-11-01', sendToPerson: false });
  const recorded = await source.app.inject({
    method: 'POST',
    url: `/api/people/${personId}/measures`,
    headers: { cookie },
    payload: { instrument: 'phq9', answers: [1, 2, 0, 1, 3, 0, 1, 2, 0], requestId: completed },
  });
  expect(recorded.statusCode, recorded.body).toBe(201);
  responseId = (recorded.json() as { responseId: string }).responseId;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-tasks-'));
}, 300_000);
afterAll(async () => {
  await source?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = { cookie }) =>
  source.app.inject({ method: 'GET', url, headers });

async function tasksOf(url: string): Promise<Task[]> {
  const response = await get(url);
  expect(response.statusCode, response.body).toBe(200);
  const bundle = response.json() as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as Task);
}

const requestRows = (t: TestApp) =>
  t.services.database.db
    .selectFrom('measure_request as r')
    .innerJoin('questionnaire as q', 'q.questionnaire_id', 'r.questionnaire_id')
    .select([
      'r.request_id',
      // (Each database's library has its own ids: the same version is the same url and version.)
      'q.url',
      'q.version',
      'r.occasion',
      'r.due_on',
      'r.not_before',
      'r.sent_to_person',
      'r.status',
      'r.response_id',
      'r.created_at',
      'r.closed_at',
    ])
    .where('r.person_id', '=', personId)
    .orderBy('r.request_id')
    .execute();

describe('/fhir Task: measures asked of a person', () => {
  it('searches by patient: every request, each valid R4, the completed one naming its response', async () => {
    const tasks = await tasksOf(`/fhir/Task?patient=${personId}&code=complete-questionnaire&_count=100`);
    const ids = tasks.map((t) => t.id);
    expect(ids).toContain(personRowId(personId, oneOff));
    expect(ids).toContain(personRowId(personId, completed));
    for (const task of tasks) await expectValidFhir(task);
    const done = tasks.find((t) => t.id === personRowId(personId, completed)) as Task;
    expect(done.status).toBe('completed');
    expect(done.output?.[0]?.valueReference?.reference).toBe(
      `QuestionnaireResponse/${personRowId(personId, responseId)}`,
    );
    const open = tasks.find((t) => t.id === personRowId(personId, oneOff)) as Task;
    expect(open).toMatchObject({ status: 'ready', owner: { reference: `Patient/${personId}` } });
    expect(open.restriction?.period?.end).toBe('2026-12-01');
    const ready = await tasksOf(`/fhir/Task?patient=${personId}&status=ready&_count=100`);
    expect(ready.map((t) => t.id)).toContain(open.id);
    expect(ready.map((t) => t.id)).not.toContain(done.id);
    const byId = await tasksOf(`/fhir/Task?patient=${personId}&_id=${done.id}`);
    expect(byId.map((t) => t.id)).toEqual([done.id]);
  });

  it('reads one, and the QuestionnaireResponse it names is there', async () => {
    const read = await get(`/fhir/Task/${personRowId(personId, completed)}`);
    expect(read.statusCode, read.body).toBe(200);
    const task = read.json() as Task;
    const ref = task.output?.[0]?.valueReference?.reference as string;
    const response = await get(`/fhir/${ref}`);
    expect(response.statusCode).toBe(200);
    expect((response.json() as QuestionnaireResponse).questionnaire).toBe(task.input?.[0]?.valueCanonical);
  });

  it('refuses a person the caller may not see, audited as refused', async () => {
    const own = await signIn(source.app, 'person@demo');
    const others = await source.services.database.db
      .selectFrom('person')
      .select('person_id')
      .where('person_id', '!=', personId)
      .limit(1)
      .execute();
    const other = others[0]?.person_id as string;
    // Without a relation to the person, the record is not found (access does not reveal it is there).
    for (const url of [`/fhir/Task?patient=${other}`, `/fhir/Task/${personRowId(other, completed)}`]) {
      const refused = await get(url, { cookie: own });
      expect(refused.statusCode, url).toBe(404);
      expect(refused.json().resourceType).toBe('OperationOutcome');
    }
    const denied = await source.services.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('person_id', '=', other)
      .where('action', '=', 'read-measure-requests')
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.length).toBeGreaterThan(0);
  });

  it('bulk import restores every request as it stood, linked to its response; twice changes nothing', async () => {
    const search = async (url: string) => {
      const response = await get(url);
      expect(response.statusCode, response.body).toBe(200);
      return ((response.json() as Bundle).entry ?? []).map((e) => e.resource as Resource);
    };
    const write = (type: string, resources: Resource[]) =>
      fs.writeFileSync(path.join(dir, `${type}.ndjson`), resources.map((r) => JSON.stringify(r)).join('\n'));
    write('Patient', await search(`/fhir/Patient?_id=${personId}`));
    write(
      'QuestionnaireResponse',
      await search(`/fhir/QuestionnaireResponse?patient=${personId}&_count=100`),
    );
    const tasks = (await search(`/fhir/Task?patient=${personId}&_count=100`)) as Task[];
    const foreign: Task = {
      resourceType: 'Task',
      id: 'not-a-measure',
      status: 'requested',
      intent: 'order',
      for: { reference: `Patient/${personId}` },
      description: 'Phone the GP',
    };
    // (The person's attendance Tasks need their referrals, another import's: not written here.)
    const measureTasks = tasks.filter((t) =>
      t.code?.coding?.some((c) => c.code === 'complete-questionnaire'),
    );
    const open = measureTasks.find((t) => t.status === 'ready') as Task;
    const done = measureTasks.find((t) => t.status === 'completed') as Task;
    // Refused one by one, naming the element; the person and the rest still imported.
    const unknownQuestionnaire: Task = {
      ...open,
      id: 'unknown-questionnaire',
      input: [
        {
          ...(open.input?.[0] as NonNullable<Task['input']>[number]),
          valueCanonical: 'http://example.org/none|1',
        },
      ],
    };
    const responseElsewhere: Task = {
      ...done,
      id: 'response-elsewhere',
      output: [
        {
          ...(done.output?.[0] as NonNullable<Task['output']>[number]),
          valueReference: { reference: 'QuestionnaireResponse/elsewhere-1' },
        },
      ],
    };
    write('Task', [...measureTasks, foreign, unknownQuestionnaire, responseElsewhere]);
    const files = ['Patient', 'QuestionnaireResponse', 'Task'].map((t) => path.join(dir, `${t}.ndjson`));
    const target = await createTestApp();
    try {
      await target.services.database.db
        .insertInto('organisation')
        .values({ organisation_id: crypto.randomUUID(), kind: 'council-adult-social-care', name: 'Target' })
        .execute();
      const report = await runFhirImport(target.services, files);
      expect(report.people.imported).toBe(1);
      const measureTasks = tasks.filter((t) =>
        t.code?.coding?.some((c) => c.code === 'complete-questionnaire'),
      );
      expect(report.imported.Task).toBe(measureTasks.length);
      const skipped = report.skipped.filter((s) => s.type === 'Task');
      expect(skipped.map((s) => [s.id, s.element ?? null]).sort()).toEqual([
        ['not-a-measure', null],
        ['response-elsewhere', 'Task.output'],
        ['unknown-questionnaire', 'Task.input'],
      ]);
      expect(await requestRows(target)).toEqual(await requestRows(source));
      const linked = await target.services.database.db
        .selectFrom('questionnaire_response')
        .select('request_id')
        .where('person_id', '=', personId)
        .where('response_id', '=', responseId)
        .executeTakeFirst();
      expect(linked?.request_id).toBe(completed);
      const again = await runFhirImport(target.services, files);
      expect(again.imported).toEqual({});
      expect(again.unchanged.Task).toBe(measureTasks.length);
      expect(await requestRows(target)).toEqual(await requestRows(source));
    } finally {
      await target.close();
    }
  });
});
