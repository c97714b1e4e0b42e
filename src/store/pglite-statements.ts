import { type PGlite, protocol, type Results } from '@electric-sql/pglite';

const { serialize } = protocol;
type BackendMessage = Awaited<ReturnType<PGlite['execProtocol']>>['messages'][number];

interface Field {
  name: string;
  dataTypeID: number;
}

interface Prepared {
  name: string;
  paramTypes: number[];
  fields: Field[];
}

/** Statements kept prepared at most: texts differ only for lists of varying length, and those are few. */
const MAX_PREPARED = 500;
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/**
 * The embedded database's `query`, with each data statement prepared once under a name and then
 * only bound and executed. PGlite's own `query` parses, describes and plans the text again on every
 * call, in five calls into WebAssembly on the thread that also serves HTTP; here a statement seen
 * before costs one call (bind, execute, sync) and PostgreSQL's plan cache keeps its plan, as the
 * server pool does with named statements (database.ts). Transaction control, DDL and anything
 * else go to PGlite's `query` unchanged.
 *
 * Values are serialised and rows parsed by PGlite's own serialisers and parsers for the types the
 * statement's description gives, so results are the same as from `query`.
 */
export function preparingPglite(client: PGlite): Pick<PGlite, 'query' | 'close' | 'closed'> {
  const prepared = new Map<string, Prepared>();
  let counter = 0;

  const prepare = async (text: string): Promise<Prepared> => {
    const name = `wm_${++counter}`;
    const { messages } = await client.execProtocol(
      concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    let paramTypes: number[] = [];
    let fields: Field[] = [];
    for (const m of messages) {
      if (m.name === 'parameterDescription')
        paramTypes = (m as unknown as { dataTypeIDs: number[] }).dataTypeIDs;
      if (m.name === 'rowDescription') {
        fields = (m as unknown as { fields: Field[] }).fields.map((f) => ({
          name: f.name,
          dataTypeID: f.dataTypeID,
        }));
      }
    }
    const statement = { name, paramTypes, fields };
    if (prepared.size < MAX_PREPARED) prepared.set(text, statement);
    return statement;
  };

  const run = async (text: string, params: unknown[]): Promise<Results<never>> => {
    const statement = prepared.get(text) ?? (await prepare(text));
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const type = statement.paramTypes[i] ?? 0;
      const serializer = client.serializers[type];
      return serializer ? serializer(value) : String(value);
    });
    const { messages } = await client.execProtocol(
      concat([
        serialize.bind({ statement: statement.name, values: values as string[] }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    return rowsOf(messages, statement.fields, client.parsers);
  };

  return {
    get closed() {
      return client.closed;
    },
    close: () => client.close(),
    query: (async (text: string, params?: unknown[]) => {
      if (!PREPARABLE.test(text)) return client.query(text, params);
      // One statement at a time, queued with PGlite's own queries.
      const result = await client.runExclusive(() => run(text, params ?? []));
      await client.syncToFs();
      return result;
    }) as PGlite['query'],
  };
}

function rowsOf(messages: BackendMessage[], fields: Field[], parsers: PGlite['parsers']): Results<never> {
  const rows: Record<string, unknown>[] = [];
  let affectedRows = 0;
  for (const m of messages) {
    if (m.name === 'dataRow') {
      const values = (m as unknown as { fields: (string | null)[] }).fields;
      const row: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i] as Field;
        const value = values[i] ?? null;
        const parser = parsers[field.dataTypeID];
        row[field.name] = value === null ? null : parser ? parser(value, field.dataTypeID) : value;
      }
      rows.push(row);
    } else if (m.name === 'commandComplete') {
      const [verb, a, b] = (m as unknown as { text: string }).text.split(' ');
      if (verb === 'INSERT') affectedRows = Number(b);
      else if (verb === 'UPDATE' || verb === 'DELETE' || verb === 'MERGE') affectedRows = Number(a);
    }
  }
  return { rows: rows as never[], fields, affectedRows };
}
