// "My exports": the user's own export files that have not expired, newest first, with their
// state, size, number of cases, expiry and download link. The server keeps the files and logs
// every download, so the list needs a connection; files being written are polled until ready.

import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../errors';
import { formatInstant, localizeDigits, t, verbatim } from '../i18n';
import { downloadExport, type ExportView, fetchExports } from '../exportsApi';
import { session } from '../session';
import { syncState } from '../sync';

/** How often the list is read again while a file is being written. */
export const EXPORTS_POLL_MS = 2000;

/** Formats a size in bytes as KB or MB with one decimal, digits in the reader's script. */
export function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return t('exports-size-kb', { size: localizeDigits((Math.max(bytes, 1) / 1024).toFixed(1)) });
  return t('exports-size-mb', { size: localizeDigits((bytes / (1024 * 1024)).toFixed(1)) });
}

export function MyExports() {
  const online = syncState.value.online;
  const [exports, setExports] = useState<ExportView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;

  const load = () =>
    fetchExports().then(
      (list) => {
        setExports(list);
        setError(null);
      },
      (failure) => setError(errorText(failure)),
    );
  useEffect(() => {
    if (online) void load();
  }, [online]);
  const running = exports?.some((entry) => entry.state === 'running') ?? false;
  useEffect(() => {
    if (!online || !running) return;
    const timer = setInterval(() => void load(), EXPORTS_POLL_MS);
    return () => clearInterval(timer);
  }, [online, running]);

  const download = (entry: ExportView) => downloadExport(entry).catch((failure) => setError(errorText(failure)));

  return (
    <section aria-labelledby="exports-title" data-testid="my-exports">
      <h1 id="exports-title">{t('exports-title')}</h1>
      <p class="hint">{t('exports-hint')}</p>
      {!online && <p class="notice">{t('exports-offline')}</p>}
      {error && <p class="notice error">{error}</p>}
      {online && exports && exports.length === 0 && <p class="card">{t('exports-empty')}</p>}
      {online && exports && exports.length > 0 && (
        <ul class="task-list" data-testid="exports-list">
          {exports.map((entry) => (
            <li key={entry.id} class="card" data-testid="export-item" data-state={entry.state}>
              <p style={{ fontWeight: 600, overflowWrap: 'anywhere', margin: '0 0 0.2rem' }}>{entry.file_name}</p>
              <p class="hint">
                {[
                  t(`export-format-${entry.format}`),
                  t(`exports-state-${entry.state}`),
                  entry.rows !== null ? t('exports-rows', { count: entry.rows }) : null,
                  entry.size !== null ? sizeText(entry.size) : null,
                  entry.password_protected ? t('exports-protected') : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              <p class="hint">{t('exports-expires', { when: verbatim(formatInstant(Date.parse(entry.expires_at), offset)) })}</p>
              {entry.error && <p class="notice error">{entry.error}</p>}
              {entry.state === 'ready' && (
                <button type="button" class="primary" onClick={() => download(entry)} data-testid="export-download">
                  {t('exports-download')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
