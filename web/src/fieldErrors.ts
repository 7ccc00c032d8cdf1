// Field errors in the user's language, from the same codes and messages the server uses.

import type { Configuration } from './domain/config';
import type { FieldError } from './domain/validation';
import { intlLocale, label, t } from './i18n';

/** Reader-facing names of the digit scripts of src/domain/text.ts: ASCII digits as "English",
 * as the messages call them, the others by their ISO 15924 script. */
const DIGIT_SCRIPT_NAMES: Record<string, { type: 'language' | 'script'; code: string }> = {
  ascii: { type: 'language', code: 'en' },
  bengali: { type: 'script', code: 'Beng' },
  devanagari: { type: 'script', code: 'Deva' },
  arabic_indic: { type: 'script', code: 'Arab' },
  extended_arabic_indic: { type: 'script', code: 'Arab' },
  myanmar: { type: 'script', code: 'Mymr' },
};

/** Names the digit scripts in `ids` (comma-separated, as the validator sends them) in the reader's language. */
function digitScriptNames(ids: string): string {
  return ids
    .split(',')
    .map((id) => id.trim())
    .map((id) => {
      const known = DIGIT_SCRIPT_NAMES[id];
      if (!known) return id;
      return new Intl.DisplayNames([intlLocale()], { type: known.type }).of(known.code) ?? id;
    })
    .join(', ');
}

export function fieldErrorText(error: FieldError, config: Configuration | null): string {
  const args: Record<string, string> = {};
  const lookup = error.params.lookup ? config?.lookups.find((entry) => entry.id === error.params.lookup) : undefined;
  for (const [name, value] of Object.entries(error.params)) {
    if (name === 'expected') args[name] = t(`type-${value}`);
    else if (name === 'min_level') args[name] = t(`level-${value}`);
    else if (name === 'scripts') args[name] = digitScriptNames(value);
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
