// "Reassign" on the case view for roles that may assign cases: moves the case to another
// caseworker of the agency with POST /cases/{id}/reassign. The people to choose from come from
// GET /users/assignable: active users of the agency whose role may own cases. Each is a large
// button with name and user name, and a search box appears when the list is long. Both requests
// need a connection, so offline the card only says so.

import { useEffect, useState } from 'preact/hooks';
import { api, NetworkError } from '../api';
import { searchTokens } from '../domain/text';
import { errorText } from '../errors';
import { label, t } from '../i18n';
import type { LocalCase } from '../model';
import { session } from '../session';
import { refreshCases, syncState } from '../sync';

/** A user a case can be given to, as GET /users/assignable returns them. */
export interface AssignableUser {
  id: string;
  username: string;
  full_name: string;
  role_id: string;
}

/** Lists longer than this get a search box. */
export const SEARCH_FROM = 8;

/** Returns the users whose name or user name has a word starting with each word of `query`,
 * compared with the spelling folds of the case search, so "rahi" finds "Rahima Akter". */
export function matchUsers(users: AssignableUser[], query: string): AssignableUser[] {
  const wanted = searchTokens(query);
  if (wanted.length === 0) return users;
  return users.filter((user) => {
    const words = [...searchTokens(user.full_name), ...searchTokens(user.username.replace(/[._-]+/g, ' ')), user.username.toLowerCase()];
    return wanted.every((token) => words.some((word) => word.startsWith(token)));
  });
}

export function Reassign({ record }: { record: LocalCase }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)} data-testid="reassign-open">
          {t('case-reassign')}
        </button>
      </p>
    );
  }
  return <ReassignCard record={record} />;
}

function ReassignCard({ record }: { record: LocalCase }) {
  const online = syncState.value.online;
  const [users, setUsers] = useState<AssignableUser[] | null>(null);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<AssignableUser | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [working, setWorking] = useState(false);

  useEffect(() => {
    if (!online || users) return;
    api<AssignableUser[]>('GET', '/users/assignable')
      .then(setUsers)
      .catch((failure) => setMessage({ ok: false, text: failure instanceof NetworkError ? t('reassign-offline') : errorText(failure) }));
  }, [online]);

  async function submit(event: Event) {
    event.preventDefault();
    if (!chosen) return;
    setWorking(true);
    setMessage(null);
    try {
      await api('POST', `/cases/${record.id}/reassign`, { owner_id: chosen.id });
      setMessage({ ok: true, text: t('reassign-done') });
      setChosen(null);
      await refreshCases([record.id]);
    } catch (failure) {
      setMessage({ ok: false, text: failure instanceof NetworkError ? t('reassign-offline') : errorText(failure) });
    } finally {
      setWorking(false);
    }
  }

  const current = users?.find((user) => user.id === record.owner_id);
  const others = (users ?? []).filter((user) => user.id !== record.owner_id);
  const shown = matchUsers(others, query);
  return (
    <form class="card" onSubmit={submit} aria-labelledby="reassign-title" data-testid="reassign">
      <h2 id="reassign-title">{t('reassign-title')}</h2>
      {!online && <p class="notice">{t('reassign-offline')}</p>}
      {online && !users && !message && <p class="hint">{t('reassign-loading')}</p>}
      {current && (
        <p class="hint">
          {t('reassign-current')}: {current.full_name} ({current.username})
        </p>
      )}
      {online && users && others.length === 0 && <p class="notice">{t('reassign-none')}</p>}
      {online && users && others.length > 0 && !chosen && (
        <fieldset>
          <legend>{t('reassign-choose')}</legend>
          {others.length > SEARCH_FROM && (
            <div class="field">
              <label for="reassign-search">{t('reassign-search')}</label>
              <input
                id="reassign-search"
                type="search"
                autocapitalize="none"
                spellcheck={false}
                value={query}
                onInput={(event) => setQuery((event.target as HTMLInputElement).value)}
              />
            </div>
          )}
          {shown.length === 0 && <p class="hint">{t('reassign-no-match')}</p>}
          <ul class="pick-list">
            {shown.map((user) => (
              <li key={user.id}>
                <button type="button" class="pick" onClick={() => setChosen(user)} data-testid="reassign-user" data-user-id={user.id}>
                  <span class="name">{user.full_name}</span>
                  <span class="hint">
                    {user.username} · {roleName(user.role_id)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {chosen && (
        <div class="button-row">
          <button type="submit" class="primary" disabled={working || !online} data-testid="reassign-submit">
            {t('reassign-to-user', { name: chosen.full_name })}
          </button>
          <button type="button" disabled={working} onClick={() => setChosen(null)}>
            {t('reassign-change')}
          </button>
        </div>
      )}
      {message && (
        <p class={message.ok ? 'notice ok' : 'notice error'} role="status">
          {message.text}
        </p>
      )}
    </form>
  );
}

/** Returns the name of role `id` in the reader's language, or the id when the configuration lacks it. */
function roleName(id: string): string {
  const role = session.value?.configuration?.roles.find((entry) => entry.id === id);
  return role ? label(role.name) : id;
}
