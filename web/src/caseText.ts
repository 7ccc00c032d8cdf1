// Names and descriptions of a case for lists and headers.

import type { Configuration } from './domain/config';
import { ageYears, parseDate, today } from './domain/dates';
import { label, t } from './i18n';
import type { LocalCase } from './model';

export function caseName(record: LocalCase): string {
  const parts = ['name_first', 'name_middle', 'name_last']
    .map((key) => record.data[key])
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
  return parts.length > 0 ? parts.join(' ') : t('cases-no-name');
}

/** Age in whole years today in the deployment's zone, with "about" when estimated. */
export function caseAge(record: LocalCase, config: Configuration | null): string | null {
  const born = typeof record.data.date_of_birth === 'string' ? parseDate(record.data.date_of_birth, []) : null;
  if (!born || !born.ok) return null;
  const offset = config?.deployment.utc_offset_minutes ?? 360;
  const age = ageYears(born.value, today(Date.now(), offset));
  return record.data.date_of_birth_estimated === true ? t('case-age-estimated', { age }) : t('case-age', { age });
}

export function optionLabel(config: Configuration | null, lookupId: string, optionId: unknown): string {
  if (typeof optionId !== 'string') return '';
  const option = config?.lookups.find((lookup) => lookup.id === lookupId)?.options.find((entry) => entry.id === optionId);
  return option ? label(option.label) : optionId;
}

// The case list names the place of up to 200 cases at once, so the lookup is built once per
// configuration.
const locationMaps = new WeakMap<Configuration, Map<string, Configuration['locations'][number]>>();

function locationsByCode(config: Configuration): Map<string, Configuration['locations'][number]> {
  let byCode = locationMaps.get(config);
  if (!byCode) {
    byCode = new Map(config.locations.map((location) => [location.code, location]));
    locationMaps.set(config, byCode);
  }
  return byCode;
}

/** Returns the camp (and block) of a location code by name: the child's place at a glance. */
export function placeName(config: Configuration | null, code: unknown): string {
  if (typeof code !== 'string' || !config) return '';
  const byCode = locationsByCode(config);
  let location = byCode.get(code);
  const names: string[] = [];
  while (location && (location.level === 'block' || location.level === 'camp' || location.level === 'union')) {
    names.unshift(label(location.name));
    location = location.parent ? byCode.get(location.parent) : undefined;
  }
  return names.join(', ') || code;
}
