import { useState } from 'preact/hooks';
import { api } from '../api';
import { formatInstant, t } from '../i18n';
import { href } from '../router';
import { session, updateSession } from '../session';
import { notSent, syncNow, syncState, type SyncState } from '../sync';
import { errorText } from '../errors';

/** Whether everything is sent, at a glance: connection, pending count, download progress, files
 * waiting to upload, changes not sent, last sync and errors. */
export function SyncBar() {
  const state = syncState.value;
  const rejected = notSent.value.length;
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;
  const connection = connectionOf(state);
  const allSent = state.pending === 0 && state.attachments === 0 && rejected === 0;
  return (
    <div class="syncbar" role="status" aria-live="polite" data-testid="sync-bar">
      <span class={`dot ${connection}`} aria-hidden="true" />
      <span data-testid="connection">{t(`sync-${connection}`)}</span>
      {state.pending > 0 && (
        <span class="pending" data-testid="pending">
          {t('sync-pending', { count: state.pending })}
        </span>
      )}
      {allSent && <span data-testid="pending">{t('sync-all-sent')}</span>}
      {state.download ? (
        <span data-testid="download-progress">{t('sync-downloading', { number: state.download.done, count: state.download.total })}</span>
      ) : (
        state.incomplete && (
          <span class="pending" data-testid="download-incomplete">
            {t('sync-download-incomplete', { number: state.incomplete.done, count: state.incomplete.total })}
          </span>
        )
      )}
      {state.attachments > 0 && (
        <span class="pending" data-testid="attachments-pending">
          {t('sync-attachments', { count: state.attachments })}
        </span>
      )}
      {rejected > 0 && (
        <a class="error-link" href={href({ name: 'not-sent' })} data-testid="not-sent-link">
          {t('sync-not-sent-link', { count: rejected })}
        </a>
      )}
      {state.lastSync ? (
        <span class="last">{t('sync-last', { time: formatInstant(state.lastSync, offset) })}</span>
      ) : (
        !state.incomplete && <span class="last">{t('sync-never')}</span>
      )}
      <button type="button" onClick={() => void syncNow()} disabled={state.working}>
        {state.working ? t('sync-working') : t('sync-now')}
      </button>
      {state.sessionEnded && <LoginAgain />}
      {state.error && <span class="error">{t('sync-failed', { reason: state.error })}</span>}
    </div>
  );
}

/** The state of the connection as the bar names it: the browser's network flag, and whether the
 * last request got a response from the server. */
export function connectionOf(state: SyncState): 'offline' | 'unreachable' | 'online' {
  if (!state.online) return 'offline';
  return state.unreachable ? 'unreachable' : 'online';
}

/** The server session ended while the vault stayed open: ask for the password to send again. */
function LoginAgain() {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const user = session.value?.user;

  async function submit(event: Event) {
    event.preventDefault();
    if (!user) return;
    try {
      await api('POST', '/auth/login', { username: user.username, password, client: 'web' });
      updateSession({ serverSession: true });
      syncState.value = { ...syncState.value, sessionEnded: false };
      setPassword('');
      void syncNow();
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <form class="error" onSubmit={submit} style={{ display: 'flex', gap: '0.4rem', flexWrap: 'wrap', alignItems: 'center' }}>
      <span>{t('sync-session-ended')}</span>
      <label class="visually-hidden" for="relogin-password">
        {t('login-password')}
      </label>
      <input
        id="relogin-password"
        type="password"
        autocomplete="current-password"
        placeholder={t('login-password')}
        value={password}
        onInput={(event) => setPassword((event.target as HTMLInputElement).value)}
        style={{ maxWidth: '14rem' }}
      />
      <button type="submit">{t('login-submit')}</button>
      {error && <span role="alert">{error}</span>}
    </form>
  );
}
