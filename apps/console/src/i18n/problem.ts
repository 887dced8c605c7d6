import type { TFunction } from 'i18next';

/**
 * The API's validation messages (class-validator's, e.g. "widthCm must not be less than 50") in
 * the person's language, for the failures people meet most, with the field named as the form
 * names it. A message it does not recognise, or a field the catalog does not name, is shown as
 * the API sent it.
 */
const RULES: readonly { test: RegExp; key: string }[] = [
  // Named groups are the catalog message's placeholders.
  { test: /must not be less than (?<min>-?[\d.]+)/, key: 'validation.min' },
  { test: /must not be greater than (?<max>-?[\d.]+)/, key: 'validation.max' },
  { test: /must sum to the quantity \((?<quantity>\d+) pieces\); these sizes sum to (?<sum>\d+)/, key: 'validation.sizesSum' },
  { test: /must be on or after earliestStart/, key: 'validation.afterStart' },
  { test: /should not be empty|must be defined|should not be null or undefined|is required/, key: 'validation.required' },
  { test: /must be an? (?:integer |positive )?number|must be an integer/, key: 'validation.number' },
  { test: /must be one of/, key: 'validation.oneOf' },
  { test: /ISO 8601|must be a valid date|YYYY-MM-DD/, key: 'validation.date' },
  { test: /in the past|before today/, key: 'validation.pastDate' },
  { test: /must be within a year/, key: 'validation.withinYear' },
  { test: /not a field of an? \w+ line/, key: 'validation.notOfLineKind' },
];

/** The field's own name: `fabric.widthCm` → widthCm, `days[0].date` → date. */
const lastSegment = (field: string): string => field.replace(/\[\d+\]/g, '').split('.').pop() ?? field;

export function localizeFieldError(t: TFunction, exists: (key: string) => boolean, field: string, message: string): string {
  const name = lastSegment(field);
  if (!exists(`field.${name}`)) return message;
  for (const rule of RULES) {
    const match = rule.test.exec(message);
    if (match) return t(rule.key, { field: t(`field.${name}`), ...match.groups });
  }
  return message;
}

/** A problem's title in the person's language, by status; the API's title when the status is unusual. */
export function problemTitle(t: TFunction, exists: (key: string) => boolean, status: number, apiTitle: string): string {
  return exists(`problem.status.${status}`) ? t(`problem.status.${status}`) : apiTitle;
}
