// The change log of a case (GET /cases/{id}/changes): who changed which field, from what to
// what, and when, newest first. An entry with a `conflict_id` was written by a conflict
// resolution and is labelled with the value kept.

import { useEffect, useState } from 'preact/hooks';
import { api, NetworkError } from '../api';
import { caseName } from '../caseText';
import { t } from '../i18n';
import type { Configuration } from '../domain/config';
import type { ChangeLogEntry, LocalCase } from '../model';
import { href } from '../router';
import { session } from '../session';
import { useCase } from '../useCase';
import { instant } from './ConflictPanel';
import { pathLabel, PathValue, pathValueText } from './SyncStatus';
import { errorText } from '../errors';

export function CaseHistory({ id }: { id: string }) {
  const record = useCase(id);
  const config = session.value?.configuration ?? null;
  const [entries, setEntries] = useState<ChangeLogEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<ChangeLogEntry[]>('GET', `/cases/${id}/changes`)
      .then((answer) => setEntries([...answer].reverse()))
      .catch((failure) => setError(failure instanceof NetworkError ? t('history-offline') : errorText(failure)));
  }, [id]);

  if (record === undefined) return null;
  const offset = config?.deployment.utc_offset_minutes ?? 360;
  return (
    <section aria-labelledby="history-title">
      <p>
        <a href={href({ name: 'case', id })}>← {record ? caseName(record) : t('nav-back')}</a>
      </p>
      <h1 id="history-title">{t('history-title')}</h1>
      {error && <p class="notice">{error}</p>}
      {entries && entries.length === 0 && <p class="card">{t('history-empty')}</p>}
      <ol class="history" data-testid="history">
        {(entries ?? []).map((entry, index) => (
          <li key={index} class="card" data-testid="history-entry" data-path={entry.path}>
            <p style={{ margin: 0 }}>
              <strong>{config ? pathLabel(config, entry.path) : entry.path}</strong>
            </p>
            {entry.conflict_id && (
              <p class="resolution" data-testid="history-resolution">
                {resolutionText(config, entry, record)}
              </p>
            )}
            <p style={{ margin: 0 }}>
              {config && record ? <PathValue config={config} path={entry.path} value={entry.old_value} record={record} /> : String(entry.old_value)}
              {' → '}
              {config && record ? <PathValue config={config} path={entry.path} value={entry.new_value} record={record} /> : String(entry.new_value)}
            </p>
            <p class="hint" style={{ margin: 0 }}>
              {t('history-by', { name: entry.full_name || entry.username || t('conflict-unknown-user'), time: instant(entry.changed_at, offset) })}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Returns "Conflict resolved: kept …" with the kept value, or the label alone when the value
 * takes more than a line (it is shown below as the new value anyway). */
function resolutionText(config: Configuration | null, entry: ChangeLogEntry, record: LocalCase | null): string {
  const kept = config && record ? pathValueText(config, entry.path, entry.new_value, record) : null;
  return kept === null ? t('history-resolution') : t('history-resolution-kept', { value: kept });
}
