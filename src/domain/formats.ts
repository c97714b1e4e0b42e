import { FormatRegistry } from '@sinclair/typebox';

/**
 * The string formats the schemas use, defined once. The HTTP layer validates with Ajv and
 * ajv-formats, whereas TypeBox's own checker (the domain's checks and the services' contracts)
 * knows no format until told and rejects any it has not been told about; these definitions agree
 * with ajv-formats, so a value the API accepts is one the services accept.
 */
export const FORMATS: Readonly<Record<string, (value: string) => boolean>> = {
  uuid: (v) => /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(v),
  /** A real calendar date, YYYY-MM-DD: 2026-02-30 is not one. */
  date: (v) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m) return false;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.toISOString().slice(0, 10) === v;
  },
  email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
};

/** Tells TypeBox's checker about the formats; safe to call more than once. */
export function registerFormats(): void {
  for (const [name, check] of Object.entries(FORMATS)) {
    if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, check);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A plain uuid, as ids in addresses and forms are written. */
export const isUuid = (value: string): boolean => UUID.test(value);
