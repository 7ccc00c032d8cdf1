import { useEffect, useState } from 'preact/hooks';
import { LOCALES, locale, setLocale, t, type Locale } from '../i18n';
import { login, LoginError, loginNotice } from '../session';
import { pendingCountFor } from '../vault/store';
import { errorText } from '../errors';

export function Login() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Unsent changes of the user name typed, when the server refused the login: a disabled account
  // looks like a wrong password from outside, and its work may still be on this phone.
  const [unsent, setUnsent] = useState(0);
  const [working, setWorking] = useState(false);
  // Only a language picked here overrides the one saved for the user.
  const [pickedLocale, setPickedLocale] = useState<Locale | null>(null);
  const [offline, setOffline] = useState(() => typeof navigator !== 'undefined' && !navigator.onLine);
  // The note follows the connection while the screen is open, not only its state at first render.
  useEffect(() => {
    const update = () => setOffline(!navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    setWorking(true);
    setError(null);
    setUnsent(0);
    try {
      await login(username.trim(), password, pickedLocale);
    } catch (failure) {
      if (failure instanceof LoginError) {
        setError(failure.serverMessage ?? t(failure.messageId, failure.args));
        if (failure.messageId === 'login-wrong-password') setUnsent(await pendingCountFor(username.trim()).catch(() => 0));
      } else {
        setError(errorText(failure));
      }
    } finally {
      setWorking(false);
    }
  }

  return (
    <main class="login">
      <div class="logo">
        <img src="/icons/icon.svg" alt="" />
        <div>
          <h1>{t('app-name')}</h1>
          <p class="hint">{t('app-tagline')}</p>
        </div>
      </div>
      <form class="card" onSubmit={submit} aria-labelledby="login-title">
        <h2 id="login-title">{t('login-title')}</h2>
        {loginNotice.value && (
          <p class="notice error" role="alert" data-testid="login-notice">
            {t(loginNotice.value.id, loginNotice.value.args)}
          </p>
        )}
        {offline && <p class="notice">{t('login-offline-note')}</p>}
        {error && (
          <p class="notice error" role="alert">
            {error}
          </p>
        )}
        {unsent > 0 && (
          <p class="notice" data-testid="login-unsent">
            {t('login-unsent-on-phone', { count: unsent })}
          </p>
        )}
        <div class="field">
          <label for="login-language">{t('login-language')}</label>
          <select
            id="login-language"
            value={locale.value}
            onChange={(event) => {
              const picked = (event.target as HTMLSelectElement).value as Locale;
              setPickedLocale(picked);
              setLocale(picked);
            }}
          >
            {LOCALES.map((entry) => (
              <option value={entry.code} lang={entry.code} key={entry.code}>
                {entry.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="login-username">{t('login-username')}</label>
          <input
            id="login-username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            value={username}
            onInput={(event) => setUsername((event.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="login-password">{t('login-password')}</label>
          <input
            id="login-password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword((event.target as HTMLInputElement).value)}
          />
        </div>
        <button class="primary" type="submit" disabled={working}>
          {working ? t('login-working') : t('login-submit')}
        </button>
      </form>
    </main>
  );
}
