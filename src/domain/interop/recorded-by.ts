import { parseReference } from './fhir-ids.js';
import { whatmattersExtension } from './uk-core.js';

/**
 * Who recorded something, on resources whose base definition has no element for it: an Encounter
 * (R4 Encounter has no recorder; its participants are who took part, not who wrote it down) and a
 * Consent (R4 `performer` is who agrees, the person for their own consent, not who recorded the
 * basis). Our extension, a Reference(Practitioner) with the name as display: written by the
 * mappings (features/outcomes/fhir-encounter.ts, features/sharing/fhir-consent.ts) and read back by
 * bulk import, so what travels with an export is recorded by the same member of staff again.
 * A system client's account (an import, an API client) is no Practitioner: it is left out.
 */
export const RECORDED_BY_EXTENSION = whatmattersExtension('recorded-by');

/**
 * Who withdrew a basis for sharing: R4 Consent has no element for it (`performer` is who agrees,
 * https://hl7.org/fhir/R4/consent.html), so the same shape as `recorded-by` under its own url.
 */
export const WITHDRAWN_BY_EXTENSION = whatmattersExtension('withdrawn-by');

/** The account that recorded something, as the stores read it. */
export interface RecorderAccount {
  userId: string;
  name: string;
  /** A system client's account, not a member of staff. */
  system: boolean;
}

interface ExtensionLike {
  url?: string;
  valueReference?: { reference?: string; display?: string };
}

/** The extension naming the member of staff who recorded it, or none for a system's account. */
export function recordedByExtension(
  account: RecorderAccount,
  url: string = RECORDED_BY_EXTENSION,
): { url: string; valueReference: { reference: string; display: string } }[] {
  return account.system
    ? []
    : [
        {
          url,
          valueReference: { reference: `Practitioner/${account.userId}`, display: account.name },
        },
      ];
}

/**
 * The id of the Practitioner a recorded-by extension names (the source database's account id),
 * null when there is none; a malformed one is refused by the caller (`problem`).
 */
export function recorderIdOf(
  extensions: readonly ExtensionLike[] | undefined,
  url: string = RECORDED_BY_EXTENSION,
): {
  id: string | null;
  problem: string | null;
} {
  const found = (extensions ?? []).filter((x) => x.url === url);
  if (found.length === 0) return { id: null, problem: null };
  const ref = found[0]?.valueReference?.reference;
  const parsed = ref ? parseReference(ref) : null;
  if (found.length > 1 || parsed?.type !== 'Practitioner')
    return { id: null, problem: 'Who recorded it is one reference to a Practitioner.' };
  return { id: parsed.id, problem: null };
}

/** A Practitioner reference's id, when the reference is to a Practitioner (a performer, an author). */
export function practitionerIdOf(reference: string | undefined): string | null {
  const parsed = reference ? parseReference(reference) : null;
  return parsed?.type === 'Practitioner' ? parsed.id : null;
}
