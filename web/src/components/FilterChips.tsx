// The filters a list applies, one chip each, so the reader sees what the list counts. Each chip
// is a link to the same list without that filter.

import { t } from '../i18n';

export interface Chip {
  key: string;
  text: string;
  /** The route of the list without this filter. */
  removeHref: string;
}

export function FilterChips({ chips }: { chips: Chip[] }) {
  if (chips.length === 0) return null;
  return (
    <ul class="filter-chips" aria-label={t('filters-active')} data-testid="filter-chips">
      {chips.map((chip) => (
        <li key={chip.key} class="filter-chip" data-filter={chip.key}>
          <span>{chip.text}</span>
          <a href={chip.removeHref} aria-label={t('filters-remove', { name: chip.text })} data-testid={`filter-remove-${chip.key}`}>
            <span aria-hidden="true">×</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
