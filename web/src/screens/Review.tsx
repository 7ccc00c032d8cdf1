// For supervisors: changes that the server kept aside unapplied (GET /sync/quarantine), because
// the phone of a disabled user delivered them, or because their sender had lost the case through
// a transfer before they arrived. Each is applied as the supervisor, with the usual merge rules,
// or discarded with a reason.

import { useEffect, useState } from 'preact/hooks';
import { api, NetworkError } from '../api';
import { t } from '../i18n';
import type { LocalCase } from '../model';
import { href } from '../router';
import { session } from '../session';
import { syncNow, valueAt } from '../sync';
import { useCase } from '../useCase';
import { caseName } from '../caseText';
import { instant } from './ConflictPanel';
import { pathLabel, PathValue } from './SyncStatus';
import { errorText } from '../errors';

interface KeptMutation {
  id: string;
  user_id: string;
  username?: string | null;
  full_name?: string | null;
  case_id?: string | null;
  status: string;
  /** Why the server kept it aside: `account_disabled` or `not_owner_since`. Older servers omit it. */
  reason?: string;
  received_at: string;
  mutation: { kind: string; record_id?: string; changes?: { path: string; value: unknown }[]; data?: Record<string, unknown>; device_time?: string };
}

export function Review() {
  const [items, setItems] = useState<KeptMutation[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  function load() {
    api<KeptMutation[] | { mutations: KeptMutation[] }>('GET', '/sync/quarantine')
      .then((answer) => setItems(Array.isArray(answer) ? answer : answer.mutations))
      .catch((failure) => setError(failure instanceof NetworkError ? t('review-offline') : errorText(failure)));
  }
  useEffect(load, []);

  const held = (items ?? []).filter((item) => item.status === 'held');
  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">{t('review-title')}</h1>
      {error && <p class="notice">{error}</p>}
      {items && held.length === 0 ? <p class="card">{t('review-none')}</p> : <p class="hint">{t('review-intro')}</p>}
      {held.map((item) => (
        <KeptCard key={item.id} item={item} onDone={load} />
      ))}
    </section>
  );
}

/** Returns why the server kept a change aside, in the user's language, or null for a reason this
 * version of the client does not know. */
function keptReason(reason: string | undefined): string | null {
  switch (reason) {
    case 'account_disabled':
      return t('review-kept-account_disabled');
    case 'not_owner_since':
      return t('review-kept-not_owner_since');
    default:
      return null;
  }
}

/** Returns the child's name and the short case id of a case this device holds. */
function keptTitle(local: LocalCase): string {
  return [caseName(local), local.display_id].filter((part) => !!part).join(' · ');
}

function KeptCard({ item, onDone }: { item: KeptMutation; onDone: () => void }) {
  const config = session.value?.configuration;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const caseId = item.case_id ?? item.mutation.record_id ?? '';
  // The whole case, for its current values; null when the case is not on this device.
  const local = useCase(caseId) ?? null;
  const record: LocalCase = local ?? ({ id: caseId, data: {}, pending: 0 } as unknown as LocalCase);
  const showCurrent = local !== null && item.mutation.kind === 'update';
  const offset = config?.deployment.utc_offset_minutes ?? 360;
  const keptBecause = keptReason(item.reason);
  const changes =
    item.mutation.kind === 'create'
      ? Object.entries(item.mutation.data ?? {}).map(([path, value]) => ({ path, value }))
      : (item.mutation.changes ?? []);

  async function decide(action: 'apply' | 'discard') {
    if (action === 'discard' && reason.trim() === '') {
      setError(t('review-reason-required'));
      return;
    }
    setWorking(true);
    setError(null);
    try {
      await api('POST', `/sync/quarantine/${item.id}/${action}`, action === 'discard' ? { reason: reason.trim() } : {});
      onDone();
      void syncNow();
    } catch (failure) {
      setError(failure instanceof NetworkError ? t('review-offline') : errorText(failure));
    } finally {
      setWorking(false);
    }
  }

  return (
    <article class="card" data-testid="kept">
      <h2>{local ? <a href={href({ name: 'case', id: caseId })}>{keptTitle(local)}</a> : t('review-case-not-on-phone')}</h2>
      {keptBecause && (
        <p class="kept-reason" data-testid="kept-reason" data-reason={item.reason}>
          {keptBecause}
        </p>
      )}
      <p class="hint">{t('review-from', { name: item.full_name || item.username || t('conflict-unknown-user'), time: instant(item.received_at, offset) })}</p>
      {item.mutation.device_time && <p class="hint">{t('conflict-device-time', { time: instant(item.mutation.device_time, offset) })}</p>}
      {config && (
        <dl class="values">
          {changes.map((change) => (
            <>
              <dt key={`${change.path}-label`}>{pathLabel(config, change.path)}</dt>
              <dd key={`${change.path}-value`}>
                <PathValue config={config} path={change.path} value={change.value} record={record} />
                {showCurrent && (
                  <span class="hint current-value" data-testid="kept-current">
                    {t('review-current-value')} <PathValue config={config} path={change.path} value={valueAt(record.data, change.path)} record={record} />
                  </span>
                )}
              </dd>
            </>
          ))}
        </dl>
      )}
      <div class="field">
        <label for={`reason-${item.id}`}>{t('review-reason')}</label>
        <input id={`reason-${item.id}`} type="text" value={reason} onInput={(event) => setReason((event.target as HTMLInputElement).value)} />
      </div>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={working} onClick={() => void decide('apply')}>
          {t('review-apply')}
        </button>
        <button type="button" class="danger" disabled={working} onClick={() => void decide('discard')}>
          {t('review-discard')}
        </button>
      </div>
    </article>
  );
}
