// The conflicts inbox: open conflicts on the cases the user may change (GET /conflicts), grouped
// by case, with a count. It needs a connection; the case view shows the conflicts of a case
// from the vault.

import { useEffect, useState } from 'preact/hooks';
import { api, NetworkError } from '../api';
import { caseName } from '../caseText';
import { t } from '../i18n';
import type { ConflictView } from '../model';
import { href } from '../router';
import { session } from '../session';
import { cases } from '../sync';
import { pathLabel } from './SyncStatus';
import { errorText } from '../errors';

type Listed = ConflictView & { display_id?: string };

export function Conflicts() {
  const config = session.value?.configuration ?? null;
  const [conflicts, setConflicts] = useState<Listed[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<Listed[] | { conflicts: Listed[] }>('GET', '/conflicts')
      .then((answer) => setConflicts(Array.isArray(answer) ? answer : answer.conflicts))
      .catch((failure) => setError(failure instanceof NetworkError ? t('conflicts-offline') : errorText(failure)));
  }, []);

  const byCase = new Map<string, Listed[]>();
  for (const conflict of conflicts ?? []) byCase.set(conflict.case_id, [...(byCase.get(conflict.case_id) ?? []), conflict]);

  return (
    <section aria-labelledby="conflicts-title">
      <h1 id="conflicts-title">
        {t('conflicts-title')}{' '}
        {conflicts && (
          <span class="badge" data-testid="conflicts-count">
            {t('conflicts-count', { count: conflicts.length })}
          </span>
        )}
      </h1>
      {error && <p class="notice">{error}</p>}
      {conflicts && conflicts.length === 0 && <p class="card">{t('conflicts-none')}</p>}
      <ul class="case-list" data-testid="conflict-list">
        {[...byCase].map(([caseId, list]) => {
          const local = cases.value.find((entry) => entry.id === caseId);
          return (
            <li key={caseId}>
              <a href={href({ name: 'case', id: caseId })}>
                <span class="name">{local ? caseName(local) : (list[0].display_id ?? caseId)}</span>
                <span class="badge failed">{t('conflicts-count', { count: list.length })}</span>
                <span class="meta">
                  {local?.display_id && <span>{local.display_id}</span>}
                  {list.map((conflict) => (
                    <span key={conflict.id}>{config ? pathLabel(config, conflict.path) : conflict.path}</span>
                  ))}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
