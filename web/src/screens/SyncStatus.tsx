// Small pieces the sync screens share: a case's sync state as colour and word, and a value of a
// field path shown as the form shows it.

import type { Configuration, Field } from '../domain/config';
import type { JsonValue } from '../domain/validation';
import { label, t } from '../i18n';
import type { CaseSyncState, LocalCase } from '../model';
import { caseSyncState } from '../sync';
import { displayValue } from './CaseView';

const BADGE_CLASS: Record<CaseSyncState, string> = {
  synced: 'badge synced',
  pending: 'badge pending',
  conflict: 'badge failed',
  rejected: 'badge failed',
};

/** The sync state of a case as a badge; `quiet` hides it for a synced case. */
export function SyncBadge({ record, quiet = false }: { record: LocalCase; quiet?: boolean }) {
  const state = caseSyncState(record);
  if (quiet && state === 'synced') return null;
  return (
    <span class={BADGE_CLASS[state]} data-testid="case-sync" data-state={state}>
      {t(`sync-state-${state}`)}
    </span>
  );
}

/** Returns the field a path names (`field`, `subform/<row id>` or `subform/<row id>/<field>`). */
export function fieldAtPath(config: Configuration, path: string): { field: Field | undefined; parent: Field | undefined } {
  const [fieldId, rowId, rowField] = path.split('/');
  let top: Field | undefined;
  for (const form of config.forms) {
    top = form.fields.find((field) => field.id === fieldId);
    if (top) break;
  }
  if (rowId === undefined || !top) return { field: top, parent: undefined };
  if (rowField === undefined) return { field: top, parent: undefined };
  const inner = top.type === 'subform' ? top.fields.find((field) => field.id === rowField) : undefined;
  return { field: inner, parent: top };
}

/** Returns the label of the field at `path`, with its subform's label for a row field. */
export function pathLabel(config: Configuration, path: string): string {
  const { field, parent } = fieldAtPath(config, path);
  const own = field ? label(field.label) : path;
  return parent ? `${label(parent.label)} › ${own}` : own;
}

/** Returns a value of the field at `path` as one line of text, as the form shows it, or null
 * for a value that takes more than a line (a subform row, a list of files). */
export function pathValueText(config: Configuration, path: string, value: unknown, record: LocalCase): string | null {
  const { field } = fieldAtPath(config, path);
  if (value === null || value === undefined || value === '') return t('conflict-empty-value');
  if (!field) return typeof value === 'string' ? value : null;
  const isRow = path.split('/').length === 2 && field.type === 'subform';
  if (isRow) return null;
  const shown = displayValue(field, value as JsonValue, record, config);
  if (shown === '') return t('conflict-empty-value');
  return typeof shown === 'string' ? shown : null;
}

/** Shows a value of the field at `path` as the form shows it: option labels, dates in words. */
export function PathValue({ config, path, value, record }: { config: Configuration; path: string; value: unknown; record: LocalCase }) {
  const { field } = fieldAtPath(config, path);
  if (value === null || value === undefined || value === '') return <em>{t('conflict-empty-value')}</em>;
  if (!field) return <>{typeof value === 'string' ? value : JSON.stringify(value)}</>;
  // A whole row of a subform is shown as a subform with that one row.
  const isRow = path.split('/').length === 2 && field.type === 'subform';
  const shown = displayValue(field, (isRow ? [value] : value) as JsonValue, record, config);
  return <>{shown === '' ? <em>{t('conflict-empty-value')}</em> : shown}</>;
}
