// The "PDF" button of a case: downloads the server's printable summary of the case in the
// language of the screen. The server writes it from the case it holds, so the button needs a
// connection and a case the server has received.

import { useState } from 'preact/hooks';
import { errorText } from '../errors';
import { downloadCasePdf } from '../exportsApi';
import { locale, t } from '../i18n';
import type { LocalCase } from '../model';
import { syncState } from '../sync';

export function CasePdf({ record }: { record: LocalCase }) {
  const online = syncState.value.online;
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A case registered on this phone reaches the server with its first sync (version 1).
  const onServer = record.version > 0;

  const download = async () => {
    setWorking(true);
    setError(null);
    try {
      await downloadCasePdf(record.id, locale.value, `${record.display_id || record.id}.pdf`);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setWorking(false);
    }
  };

  let hint: string | null = null;
  if (!online) hint = t('case-pdf-offline');
  else if (!onServer) hint = t('case-pdf-not-sent');
  return (
    <div class="case-pdf">
      <button type="button" disabled={!online || !onServer || working} onClick={download} data-testid="case-pdf">
        {working ? t('case-pdf-working') : t('case-pdf')}
      </button>
      {hint && <p class="hint">{hint}</p>}
      {error && <p class="notice error">{error}</p>}
    </div>
  );
}
