// "Export" on the case list: a small panel that requests from the server a file of the cases the
// list shows (its filter and search), in one of four formats, optionally inside a ZIP archive
// locked with a password. The server writes the file in the background; "My exports" lists it with its
// download link until it expires.

import { useState } from 'preact/hooks';
import { errorText } from '../errors';
import { t, verbatim } from '../i18n';
import { type CaseExportFormat, createExport, EXPORT_FORMATS } from '../exportsApi';
import { href } from '../router';
import { syncState } from '../sync';

/** Password lengths the server accepts for a protected export. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export function ExportPanel({ filter }: { filter: Record<string, string> }) {
  const online = syncState.value.online;
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<CaseExportFormat>('xlsx');
  const [protect, setProtect] = useState(false);
  const [password, setPassword] = useState('');
  const [working, setWorking] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const passwordValid = !protect || (password.length >= PASSWORD_MIN && password.length <= PASSWORD_MAX);
  const submit = async () => {
    setWorking(true);
    setError(null);
    try {
      await createExport(format, filter, protect ? password : null);
      setDone(true);
      setPassword('');
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setWorking(false);
    }
  };

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} data-testid="export-open">
        {t('export-open')}
      </button>
    );
  }
  return (
    <section class="card" aria-labelledby="export-title" data-testid="export-panel">
      <h2 id="export-title">{t('export-title')}</h2>
      <p class="hint">{t('export-hint')}</p>
      {!online && <p class="notice">{t('export-offline')}</p>}
      <fieldset>
        <legend>{t('export-format')}</legend>
        {EXPORT_FORMATS.map((choice) => (
          <label class="choice" key={choice}>
            <input type="radio" name="export-format" value={choice} checked={format === choice} onChange={() => setFormat(choice)} data-testid={`export-format-${choice}`} />
            <span>
              {t(`export-format-${choice}`)}
              <span class="hint" style={{ display: 'block' }}>
                {t(`export-format-${choice}-hint`)}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <label class="choice">
        <input type="checkbox" checked={protect} onChange={(event) => setProtect((event.target as HTMLInputElement).checked)} data-testid="export-protect" />
        <span>{t('export-protect')}</span>
      </label>
      {protect && (
        <div class="field">
          <label for="export-password">{t('export-password')}</label>
          <p class="hint">{t('export-password-hint', { min: PASSWORD_MIN, program: verbatim('7-Zip') })}</p>
          <input
            id="export-password"
            type="password"
            autocomplete="new-password"
            value={password}
            aria-invalid={password !== '' && !passwordValid ? 'true' : undefined}
            onInput={(event) => setPassword((event.target as HTMLInputElement).value)}
            data-testid="export-password"
          />
        </div>
      )}
      <div class="button-row">
        <button type="button" class="primary" disabled={!online || working || !passwordValid} onClick={submit} data-testid="export-create">
          {t('export-create')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('export-close')}
        </button>
      </div>
      {done && (
        <p class="notice ok" data-testid="export-started">
          {t('export-started')} <a href={href({ name: 'exports' })}>{t('export-my-exports')}</a>
        </p>
      )}
      {error && <p class="notice error">{error}</p>}
    </section>
  );
}
