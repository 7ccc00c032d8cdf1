import { formatInstant, t } from '../i18n';
import { session } from '../session';
import { syncNow, syncState } from '../sync';

/** Whether everything is sent, at a glance: connection, pending count, last sync, errors. */
export function SyncBar() {
  const state = syncState.value;
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;
  return (
    <div class="syncbar" role="status" aria-live="polite" data-testid="sync-bar">
      <span class={`dot ${state.online ? 'online' : 'offline'}`} aria-hidden="true" />
      <span data-testid="connection">{state.online ? t('sync-online') : t('sync-offline')}</span>
      <span class={state.pending > 0 ? 'pending' : ''} data-testid="pending">
        {state.pending > 0 ? t('sync-pending', { count: state.pending }) : t('sync-all-sent')}
      </span>
      <span class="last">{state.lastSync ? t('sync-last', { time: formatInstant(state.lastSync, offset) }) : t('sync-never')}</span>
      <button type="button" onClick={() => void syncNow()} disabled={state.working}>
        {state.working ? t('sync-working') : t('sync-now')}
      </button>
      {state.sessionEnded && <span class="error">{t('sync-session-ended')}</span>}
      {state.error && <span class="error">{t('sync-failed', { reason: state.error })}</span>}
    </div>
  );
}
