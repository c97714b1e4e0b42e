import type { ContractDefinition } from '../../domain/commissioning/contract.js';
import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import { dateFields, dateParts, type FieldError, type FormBody, list, text } from '../../web/forms.js';
import type { IndicatorChoice } from '../commissioning/indicator-catalogue.js';
import type { SaveContractInput } from './schema.js';

/**
 * The contract form mapped onto the save contract and back. Each library indicator has a target
 * field: a target makes it part of the contract, a blank leaves it out. Text that is not a number
 * or date goes on as typed, for the contract to refuse on the field that holds it.
 */
export interface ContractForm {
  title: string;
  commissionerOrganisationId: string;
  providerOrganisationId: string;
  teamIds: string[];
  startsOn: { day: string; month: string; year: string };
  endsOn: { day: string; month: string; year: string };
  /** Indicator key → target as typed. */
  targets: Record<string, string>;
  riskGainShare: string;
  frameworkKey: string;
}

export const targetField = (key: string) => `target-${key}`;

export function emptyContractForm(commissionerOrganisationId: string): ContractForm {
  return {
    title: '',
    commissionerOrganisationId,
    providerOrganisationId: '',
    teamIds: [],
    startsOn: { day: '', month: '', year: '' },
    endsOn: { day: '', month: '', year: '' },
    targets: {},
    riskGainShare: '',
    frameworkKey: '',
  };
}

export function formFromContract(contract: ContractDefinition): ContractForm {
  return {
    title: contract.title,
    commissionerOrganisationId: contract.commissionerOrganisationId,
    providerOrganisationId: contract.providerOrganisationId,
    teamIds: [...contract.teamIds],
    startsOn: dateParts(contract.startsOn),
    endsOn: dateParts(contract.endsOn),
    targets: Object.fromEntries(contract.indicators.map((i) => [i.indicatorKey, String(i.target)])),
    riskGainShare: contract.riskGainShare,
    frameworkKey: contract.frameworkKey ?? '',
  };
}

export function formFromBody(body: FormBody, indicators: readonly IndicatorChoice[]): ContractForm {
  return {
    title: text(body, 'title'),
    commissionerOrganisationId: text(body, 'commissionerOrganisationId'),
    providerOrganisationId: text(body, 'providerOrganisationId'),
    teamIds: list(body, 'teamIds'),
    startsOn: dateFields(body, 'startsOn'),
    endsOn: dateFields(body, 'endsOn'),
    targets: Object.fromEntries(
      indicators.map((i) => [i.key, text(body, targetField(i.key))]).filter(([, v]) => v !== ''),
    ),
    riskGainShare: text(body, 'riskGainShare'),
    frameworkKey: text(body, 'frameworkKey'),
  };
}

function isoOrTyped(on: ContractForm['startsOn']): string {
  const pad = (v: string, n: number) => (/^\d+$/.test(v) ? v.padStart(n, '0') : v);
  return on.day || on.month || on.year ? `${pad(on.year, 4)}-${pad(on.month, 2)}-${pad(on.day, 2)}` : '';
}

/** The save contract's input, in the order the form lists indicators. */
export function inputFromForm(form: ContractForm, indicators: readonly IndicatorChoice[]): SaveContractInput {
  return {
    title: form.title,
    commissionerOrganisationId: form.commissionerOrganisationId,
    providerOrganisationId: form.providerOrganisationId,
    teamIds: form.teamIds,
    startsOn: isoOrTyped(form.startsOn),
    endsOn: isoOrTyped(form.endsOn),
    indicators: indicators
      .filter((i) => form.targets[i.key] !== undefined)
      .map((i) => {
        const typed = (form.targets[i.key] ?? '').trim();
        const number = Number(typed);
        // A number as typed ("62.5"), else the text as it is, for the contract to refuse.
        return {
          indicatorKey: i.key,
          target: (typed !== '' && Number.isFinite(number) ? number : typed) as number,
        };
      }),
    riskGainShare: form.riskGainShare,
    frameworkKey: form.frameworkKey === '' ? null : form.frameworkKey,
  };
}

const LABELS: Record<string, string> = {
  title: 'The title',
  commissionerOrganisationId: 'The commissioner',
  providerOrganisationId: 'The provider',
  teamIds: 'The services or teams',
  startsOn: 'The start date',
  endsOn: 'The end date',
  riskGainShare: 'Risk and gain share',
  frameworkKey: 'The framework',
  indicators: 'The indicators',
};

function fieldIdFor(path: string, input: SaveContractInput): string {
  const [head = '', index, leaf] = path.split('.');
  if (head === 'startsOn' || head === 'endsOn') return `${head}-day`;
  if (head === 'indicators') {
    const key = index === undefined ? undefined : input.indicators[Number(index)]?.indicatorKey;
    return key && leaf ? targetField(key) : 'indicators';
  }
  if (head === 'teamIds') return 'teamIds';
  return head in LABELS ? head : 'title';
}

function sentence(
  path: string,
  message: string,
  input: SaveContractInput,
  names: Map<string, string>,
): string {
  const [head = '', index] = path.split('.');
  if (head === 'startsOn' || head === 'endsOn')
    return `${LABELS[head]} must be a real date, for example 1 4 2026.`;
  if (head === 'commissionerOrganisationId' || head === 'providerOrganisationId') {
    return `Choose ${head === 'providerOrganisationId' ? 'the provider' : 'the commissioning organisation'}.`;
  }
  if (head === 'indicators' && index !== undefined) {
    const key = input.indicators[Number(index)]?.indicatorKey ?? '';
    return `The target for ${names.get(key) ?? key} must be a number.`;
  }
  if (message === 'must not be empty' || message === 'is required')
    return `${LABELS[head] ?? 'This'} is needed.`;
  return `${LABELS[head] ?? 'This'} ${message}.`;
}

/** A refused save as errors on the form's fields; anything else is rethrown. */
export function contractFormErrors(
  error: unknown,
  input: SaveContractInput,
  indicators: readonly IndicatorChoice[],
): FieldError[] {
  const names = new Map(indicators.map((i) => [i.key, i.name]));
  if (error instanceof ContractError) {
    // The domain's problems (422) are sentences already; the schema's are turned into ones.
    return error.fields.map((f) => ({
      field: fieldIdFor(f.field, input),
      message: error.status === 422 ? f.message : sentence(f.field, f.message, input, names),
    }));
  }
  if (error instanceof ServiceError && error.status < 500 && error.status !== 403 && error.status !== 404) {
    return [{ field: fieldIdFor(error.field ?? '', input), message: error.message }];
  }
  throw error;
}
