// The flags of a case on its header: short warnings anyone working on the case must see ("do not
// contact the uncle"). Adding one takes a text, removing one takes a reason, and both need a
// connection: the server keeps who flagged and who removed, and the case's next sync brings the
// flag to every phone that stores it.

import { useState } from 'preact/hooks';
import { addFlag, removeFlag } from '../casework';
import { errorText } from '../errors';
import { formatInstant, t } from '../i18n';
import type { LocalCase } from '../model';
import { session } from '../session';
import { syncState } from '../sync';

export function FlagList({ record, canWrite }: { record: LocalCase; canWrite: boolean }) {
  const flags = record.flags ?? [];
  const online = syncState.value.online;
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;
  const [adding, setAdding] = useState(false);
  const [text, setText] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(request: () => Promise<unknown>, done: () => void) {
    setWorking(true);
    setError(null);
    try {
      await request();
      done();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setWorking(false);
    }
  }

  function submitAdd(event: Event) {
    event.preventDefault();
    if (text.trim() === '') return;
    void run(
      () => addFlag(record.id, text.trim()),
      () => {
        setText('');
        setAdding(false);
      },
    );
  }

  function submitRemove(event: Event, flagId: string) {
    event.preventDefault();
    if (reason.trim() === '') return;
    void run(
      () => removeFlag(record.id, flagId, reason.trim()),
      () => {
        setReason('');
        setRemoving(null);
      },
    );
  }

  if (flags.length === 0 && !canWrite) return null;
  return (
    <div class="flags" data-testid="flags">
      {flags.length > 0 && (
        <ul class="flag-list" aria-label={t('flags-title')}>
          {flags.map((flag) => (
            <li key={flag.id} class="flag" data-testid="flag">
              <span class="flag-text">
                <FlagIcon />
                {flag.text}
              </span>
              <span class="hint">{t('flags-by', { name: flag.flagged_by.full_name, time: formatInstant(Date.parse(flag.flagged_at), offset) })}</span>
              {canWrite && removing !== flag.id && (
                <button type="button" class="link" disabled={!online} onClick={() => setRemoving(flag.id)} data-testid="flag-remove-open">
                  {t('flags-remove')}
                </button>
              )}
              {removing === flag.id && (
                <form onSubmit={(event) => submitRemove(event, flag.id)}>
                  <div class="field">
                    <label for={`flag-reason-${flag.id}`}>{t('flags-remove-reason')}</label>
                    <input
                      type="text"
                      id={`flag-reason-${flag.id}`}
                      value={reason}
                      required
                      onInput={(event) => setReason((event.target as HTMLInputElement).value)}
                      data-testid="flag-reason"
                    />
                  </div>
                  <div class="button-row">
                    <button type="submit" class="primary" disabled={working || !online || reason.trim() === ''} data-testid="flag-remove">
                      {t('flags-remove')}
                    </button>
                    <button type="button" disabled={working} onClick={() => setRemoving(null)}>
                      {t('flags-cancel')}
                    </button>
                  </div>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      {canWrite && !adding && (
        <button type="button" class="link" onClick={() => setAdding(true)} data-testid="flag-add-open">
          {t('flags-add')}
        </button>
      )}
      {canWrite && adding && (
        <form onSubmit={submitAdd} data-testid="flag-form">
          <div class="field">
            <label for="flag-text">{t('flags-text')}</label>
            <input type="text" id="flag-text" value={text} maxLength={200} onInput={(event) => setText((event.target as HTMLInputElement).value)} data-testid="flag-text" />
            <p class="hint">{t('flags-text-hint')}</p>
          </div>
          {!online && <p class="notice">{t('flags-offline')}</p>}
          <div class="button-row">
            <button type="submit" class="primary" disabled={working || !online || text.trim() === ''} data-testid="flag-add">
              {t('flags-add')}
            </button>
            <button type="button" disabled={working} onClick={() => setAdding(false)}>
              {t('flags-cancel')}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function FlagIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d="M5 21V4M5 4h11l-2 4 2 4H5" />
    </svg>
  );
}
