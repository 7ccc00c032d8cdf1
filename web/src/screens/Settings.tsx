import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { LOCALES, locale, setLocale, t, type Locale } from '../i18n';
import { disablePush, enablePush, pushStatus, type PushState } from '../push';
import { logout, session, updateSession } from '../session';
import { syncState } from '../sync';

export function Settings() {
  const current = session.value!;
  const [confirming, setConfirming] = useState(false);
  const pending = syncState.value.pending;
  useEffect(() => setConfirming(false), [pending]);

  async function changeLanguage(next: Locale) {
    setLocale(next);
    // Remembered per user: in the vault for offline logins, and on the server when reachable.
    const user = { ...current.user, locale: next };
    updateSession({ user });
    await current.vault.put('me', user);
    await api('PATCH', '/me', { locale: next }).catch(() => undefined);
  }

  return (
    <section class="card" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings-title')}</h1>
      <p>{t('settings-user', { name: current.user.full_name })}</p>
      <div class="field">
        <label for="settings-language">{t('settings-language')}</label>
        <select id="settings-language" value={locale.value} onChange={(event) => void changeLanguage((event.target as HTMLSelectElement).value as Locale)}>
          {LOCALES.map((entry) => (
            <option value={entry.code} lang={entry.code} key={entry.code}>
              {entry.name}
            </option>
          ))}
        </select>
      </div>
      <PushToggle />
      <p class="hint">{t('settings-device')}</p>
      {confirming && pending > 0 && <p class="notice">{t('logout-pending', { count: pending })}</p>}
      <button
        type="button"
        class="danger"
        onClick={() => {
          if (pending > 0 && !confirming) {
            setConfirming(true);
            return;
          }
          // Another user may log in on this phone next, so it stops receiving this user's pushes.
          void disablePush().finally(() => void logout());
        }}
      >
        {t('logout')}
      </button>
    </section>
  );
}

/** "Notifications on this phone": web push where the browser allows it, and a plain
 * explanation where it does not. */
export function PushToggle() {
  const [state, setState] = useState<PushState | null>(null);
  const [working, setWorking] = useState(false);
  useEffect(() => {
    let current = true;
    void pushStatus().then((status) => current && setState(status));
    return () => {
      current = false;
    };
  }, []);

  async function toggle() {
    setWorking(true);
    setState(state === 'on' ? await disablePush() : await enablePush());
    setWorking(false);
  }

  const canToggle = state !== null && state !== 'unsupported' && state !== 'server-off';
  return (
    <div class="field" data-testid="push-settings">
      <h2>{t('push-title')}</h2>
      {state !== null && (
        <p class="hint" role="status" data-state={state}>
          {t(`push-${state}`)}
        </p>
      )}
      {canToggle && (
        <button type="button" disabled={working} onClick={() => void toggle()}>
          {working ? t('push-working') : state === 'on' ? t('push-turn-off') : t('push-turn-on')}
        </button>
      )}
    </div>
  );
}
