import type { AnswerOption, Coding } from '../types.js';

/** An answer option's words as a person reads them. */
export function optionLabel(option: AnswerOption): string {
  if (option.valueCoding) return option.valueCoding.display ?? option.valueCoding.code ?? '';
  if (option.valueInteger !== undefined) return String(option.valueInteger);
  return option.valueString ?? option.valueDate ?? '';
}

/**
 * Whether a response answer (or an initial value) is this option: codings match by system (when
 * both have one) and code, or by display when neither has a code; other values by equality.
 */
export function sameOptionValue(
  option: AnswerOption,
  value: { valueCoding?: Coding; valueInteger?: number; valueString?: string; valueDate?: string },
): boolean {
  if (option.valueCoding && value.valueCoding) {
    const a = option.valueCoding;
    const b = value.valueCoding;
    const sameSystem = !a.system || !b.system || a.system === b.system;
    if (a.code !== undefined || b.code !== undefined) return sameSystem && a.code === b.code;
    return a.display === b.display;
  }
  if (option.valueInteger !== undefined) return option.valueInteger === value.valueInteger;
  if (option.valueString !== undefined) return option.valueString === value.valueString;
  if (option.valueDate !== undefined) return option.valueDate === value.valueDate;
  return false;
}
