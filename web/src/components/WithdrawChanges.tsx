// "Withdraw unsent changes" on the case view of a case with changes waiting to be sent. The
// confirmation is part of the page, not `window.confirm`, so its question and buttons are in the
// user's language and large enough to tap.

import { useState } from 'preact/hooks';
import { errorText } from '../errors';
import { t } from '../i18n';
import type { LocalCase } from '../model';
import { withdrawUnsent } from '../sync';

export function WithdrawChanges({ record }: { record: LocalCase }) {
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (record.pending === 0 && !record.sendError) return null;

  async function withdraw() {
    setWorking(true);
    setError(null);
    try {
      await withdrawUnsent(record.id);
      setConfirming(false);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setWorking(false);
    }
  }

  return (
    <div class="withdraw" data-testid="withdraw">
      {record.sendError && <p class="notice error">{record.sendError}</p>}
      {!confirming ? (
        <button type="button" class="danger" onClick={() => setConfirming(true)} data-testid="withdraw-open">
          {t('case-withdraw')}
        </button>
      ) : (
        <div class="notice" role="alertdialog" aria-labelledby="withdraw-question" aria-modal="false">
          <p id="withdraw-question">
            {record.version === 0 ? t('case-withdraw-confirm-new') : t('case-withdraw-confirm', { count: Math.max(record.pending, 1) })}
          </p>
          <div class="button-row">
            <button type="button" class="danger" disabled={working} onClick={() => void withdraw()} data-testid="withdraw-confirm">
              {t('case-withdraw-yes')}
            </button>
            <button type="button" disabled={working} onClick={() => setConfirming(false)} autofocus>
              {t('case-withdraw-no')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
