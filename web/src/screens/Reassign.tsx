// "Reassign" on the case view for roles that may assign cases: moves the case to another
// caseworker of the agency with POST /cases/{id}/reassign.
//
// NOTE: GET /users needs the manage_users grant, which supervisors do not have, so there is no
// list of caseworkers with names to pick from. The supervisor enters the new caseworker's user
// id; the owners of the other cases on the device are offered as suggestions.

import { useState } from 'preact/hooks';
import { api, ApiError, NetworkError } from '../api';
import { t } from '../i18n';
import type { LocalCase } from '../model';
import { cases, refreshCases, syncState } from '../sync';

export function Reassign({ record }: { record: LocalCase }) {
  const [open, setOpen] = useState(false);
  const [ownerId, setOwnerId] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [working, setWorking] = useState(false);
  const online = syncState.value.online;
  const owners = [...new Set(cases.value.map((entry) => entry.owner_id))].filter((id) => id !== record.owner_id).sort();

  async function submit(event: Event) {
    event.preventDefault();
    setWorking(true);
    setMessage(null);
    try {
      await api('POST', `/cases/${record.id}/reassign`, { owner_id: ownerId.trim() });
      setMessage({ ok: true, text: t('reassign-done') });
      setOwnerId('');
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
        <label for="reassign-owner">{t('reassign-to')}</label>
        <input
          id="reassign-owner"
          type="text"
          list="reassign-owners"
          autocapitalize="none"
          spellcheck={false}
          required
          value={ownerId}
          onInput={(event) => setOwnerId((event.target as HTMLInputElement).value)}
        />
        <datalist id="reassign-owners">
          {owners.map((id) => (
            <option value={id} key={id} />
          ))}
        </datalist>
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
