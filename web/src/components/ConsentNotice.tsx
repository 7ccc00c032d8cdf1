// Shows plainly whether a case may be shared with another agency, before a referral or transfer
// is sent. Outside the case's own agency the case must record consent for sharing. Without it,
// a role that may override consent writes a reason, which the server keeps in the audit log;
// anyone else is asked to record consent first, with a link to the consent form.

import { t } from '../i18n';
import { consentRecorded, type ConsentRule } from '../referrals';
import { href } from '../router';

interface Props {
  caseId: string;
  data: Record<string, unknown>;
  /** The rule for the chosen recipient; undefined before one is chosen. */
  rule: ConsentRule | undefined;
  reason: string;
  onReason: (reason: string) => void;
  /** Set after a send was tried with the reason empty. */
  reasonMissing: boolean;
}

export function ConsentNotice({ caseId, data, rule, reason, onReason, reasonMissing }: Props) {
  const recorded = consentRecorded(data);
  // Inside the case's own agency consent does not matter, so a missing one is no warning there.
  if (rule === 'internal' && !recorded) {
    return (
      <div data-testid="consent-notice" data-rule={rule}>
        <p class="hint">{t('consent-internal')}</p>
      </div>
    );
  }
  return (
    <div data-testid="consent-notice" data-rule={rule ?? ''}>
      <p class={recorded ? 'notice ok' : 'notice'} data-testid="consent-state">
        {recorded ? t('consent-recorded') : t('consent-not-recorded')}
      </p>
      {rule === 'blocked' && (
        <div class="notice error" role="alert" data-testid="consent-blocked">
          <p>{t('consent-blocked')}</p>
          <a class="button" href={href({ name: 'edit', id: caseId, form: 'consent' })}>
            {t('consent-record-first')}
          </a>
        </div>
      )}
      {rule === 'override' && (
        <div class="field">
          <p class="notice error">{t('consent-override-warning')}</p>
          <label for="consent-override-reason">
            {t('consent-override-reason')} <span class="required-mark">*</span>
          </label>
          <textarea
            id="consent-override-reason"
            data-testid="consent-override-reason"
            required
            maxLength={2000}
            aria-invalid={reasonMissing && reason.trim() === '' ? 'true' : undefined}
            aria-describedby={reasonMissing && reason.trim() === '' ? 'consent-override-error' : undefined}
            value={reason}
            onInput={(event) => onReason((event.target as HTMLTextAreaElement).value)}
          />
          {reasonMissing && reason.trim() === '' && (
            <p class="error" id="consent-override-error">
              {t('consent-override-reason-missing')}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
