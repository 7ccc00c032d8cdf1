// "Reassign" on the case view for roles that may assign cases: moves the case to another
// caseworker of the agency with POST /cases/{id}/reassign.
//
// NOTE: GET /users needs the manage_users grant, which supervisors do not have, so there is no
// list of caseworkers to pick from: the supervisor enters the user name of the new caseworker.

import { useState } from 'preact/hooks';
import { api, ApiError, NetworkError } from '../api';
import { t } from '../i18n';
import type { LocalCase } from '../model';
import { refreshCases, syncState } from '../sync';

export function Reassign({ record }: { record: LocalCase }) {
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [working, setWorking] = useState(false);
  const online = syncState.value.online;

  async function submit(event: Event) {
    event.preventDefault();
    setWorking(true);
    setMessage(null);
    try {
      await api('POST', `/cases/${record.id}/reassign`, { username: username.trim() });
      setMessage({ ok: true, text: t('reassign-done') });
      setUsername('');
      await refreshCases([record.id]);
    } catch (failure) {
      const text = failure instanceof NetworkError ? t('reassign-offline') : failure instanceof ApiError ? failure.message : String(failure);
      setMessage({ ok: false, text });
    } finally {
      setWorking(false);
    }
  }

  if (!open) {
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)} data-testid="reassign-open">
          {t('case-reassign')}
        </button>
      </p>
    );
  }
  return (
    <form class="card" onSubmit={submit} aria-labelledby="reassign-title">
      <h2 id="reassign-title">{t('reassign-title')}</h2>
      <div class="field">
        <label for="reassign-username">{t('reassign-to')}</label>
        <input
          id="reassign-username"
          type="text"
          autocapitalize="none"
          spellcheck={false}
          required
          value={username}
          onInput={(event) => setUsername((event.target as HTMLInputElement).value)}
        />
      </div>
      {!online && <p class="notice">{t('reassign-offline')}</p>}
      {message && (
        <p class={message.ok ? 'notice ok' : 'notice error'} role="status">
          {message.text}
        </p>
      )}
      <button type="submit" class="primary" disabled={working || !online}>
        {t('reassign-save')}
      </button>
    </form>
  );
}
