// Field errors in the user's language, from the same codes and messages the server uses.

import type { Configuration } from './domain/config';
import type { FieldError } from './domain/validation';
import { label, t } from './i18n';

export function fieldErrorText(error: FieldError, config: Configuration | null): string {
  const args: Record<string, string> = {};
  const lookup = error.params.lookup ? config?.lookups.find((entry) => entry.id === error.params.lookup) : undefined;
  for (const [name, value] of Object.entries(error.params)) {
    if (name === 'expected') args[name] = t(`type-${value}`);
    else if (name === 'min_level') args[name] = t(`level-${value}`);
    else if (name === 'allowed' && lookup) args[name] = lookup.options.map((option) => label(option.label)).join(', ');
    else args[name] = value;
  }
  return t(`error-${error.code}`, args);
}

/** Errors keyed by field path, for showing each under its field. */
export function errorsByPath(errors: FieldError[], config: Configuration | null): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const error of errors) {
    if (!byPath.has(error.path)) byPath.set(error.path, fieldErrorText(error, config));
  }
  return byPath;
}
