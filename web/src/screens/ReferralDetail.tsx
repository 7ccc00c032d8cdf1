// One referral: who sent it to whom, for which service, what the recipient may read, and the
// consent it was sent on. Its `can` list sets the transitions offered: accept, reject (reason
// required), mark done (optional note), revoke, end. Each transition carries the version shown.
// When someone else moved first, the server returns 409 state_changed, so the screen names the
// referral's status now and shows it again.

import { useEffect, useState } from 'preact/hooks';
import { incomingReferrals } from '../actions';
import { ApiError, NetworkError } from '../api';
import { agencyName, formName, referralStatusText, serviceName, StatusBadge } from '../components/CaseSharing';
import { errorText } from '../errors';
import { formatInstant, t } from '../i18n';
import { actOnReferral, ALWAYS_SHARED_FORM, fetchReferral, knownReferrals, rememberReferrals, type ReferralAction, type ReferralView } from '../referrals';
import { href } from '../router';
import { session } from '../session';
import { cases, syncNow, syncState } from '../sync';

export function ReferralDetail({ id }: { id: string }) {
  const online = syncState.value.online;
  const cached = knownReferrals.value.get(id) ?? (incomingReferrals.value as unknown as ReferralView[]).find((entry) => entry.id === id);
  const [referral, setReferral] = useState<ReferralView | null | undefined>(cached);
  const [loadError, setLoadError] = useState<string | null>(null);

  async function reload(): Promise<ReferralView | null> {
    const fresh = await fetchReferral(id, referral?.case_id ?? cached?.case_id);
    setReferral(fresh);
    return fresh;
  }

  useEffect(() => {
    if (!online) return;
    reload().catch((failure) => setLoadError(errorText(failure)));
  }, [id, online]);

  if (referral === undefined) {
    return <p class="card">{loadError ?? (online ? t('referral-loading') : t('referral-offline-unknown'))}</p>;
  }
  if (referral === null) {
    return (
      <section class="card" data-testid="referral-gone">
        <p>{t('referral-gone')}</p>
        <a href={href({ name: 'referrals' })}>{t('referral-back')}</a>
      </section>
    );
  }
  return <ReferralCard referral={referral} online={online} reload={reload} onChanged={setReferral} />;
}

const TEXT_ACTIONS: ReferralAction[] = ['reject', 'done', 'end'];

function ReferralCard(props: { referral: ReferralView; online: boolean; reload: () => Promise<ReferralView | null>; onChanged: (next: ReferralView | null) => void }) {
  const { referral, online } = props;
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;
  const onPhone = cases.value.some((record) => record.id === referral.case_id);
  const [open, setOpen] = useState<ReferralAction | null>(null);
  const [text, setText] = useState('');
  const [tried, setTried] = useState(false);
  const [working, setWorking] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function choose(action: ReferralAction) {
    setOpen(action);
    setText('');
    setTried(false);
    setMessage(null);
  }

  async function confirm() {
    if (!open) return;
    setTried(true);
    if (open === 'reject' && text.trim() === '') return;
    setWorking(true);
    setMessage(null);
    try {
      const next = await actOnReferral(referral, open, text.trim() || undefined);
      rememberReferrals([next]);
      props.onChanged(next);
      setOpen(null);
      setMessage({ ok: true, text: t('referral-now', { value: referralStatusText(next.status) }) });
      // Accepting brings the case to this phone; done, revoked and ended take it away.
      void syncNow();
    } catch (failure) {
      await explain(failure);
    } finally {
      setWorking(false);
    }
  }

  async function explain(failure: unknown) {
    if (failure instanceof ApiError && failure.code === 'state_changed') {
      setOpen(null);
      const fresh = await props.reload().catch(() => undefined);
      if (fresh) setMessage({ ok: false, text: t('referral-now', { value: referralStatusText(fresh.status) }) });
      else setMessage({ ok: false, text: errorText(failure) });
      return;
    }
    setMessage({ ok: false, text: failure instanceof NetworkError ? t('referral-needs-connection') : errorText(failure) });
  }

  const shared = [ALWAYS_SHARED_FORM, ...referral.shared_forms.filter((form) => form !== ALWAYS_SHARED_FORM)];
  const title = referral.child_name || referral.display_id;
  return (
    <article class="card" aria-labelledby="referral-title" data-testid="referral-detail" data-status={referral.status}>
      <h1 id="referral-title">{t('referral-title', { name: serviceName(referral.service_type) })}</h1>
      <p style={{ display: 'flex', gap: '0.5rem', alignItems: 'center', flexWrap: 'wrap' }}>
        <StatusBadge status={referral.status} kind="referral" />
        {onPhone ? (
          <a href={href({ name: 'case', id: referral.case_id })} data-testid="referral-case">
            {title}
          </a>
        ) : (
          <span>{title}</span>
        )}
        {referral.child_name && <span class="badge">{referral.display_id}</span>}
      </p>
      <dl class="values stacked">
        <dt>{t('referral-from')}</dt>
        <dd>
          {referral.from_user.full_name} · {agencyName(referral.from_agency_id)}
        </dd>
        <dt>{t('referral-to')}</dt>
        <dd>{referral.to_user ? `${referral.to_user.full_name} · ${agencyName(referral.to_agency_id)}` : t('referral-to-anyone', { name: agencyName(referral.to_agency_id) })}</dd>
        <dt>{t('referral-shared-forms')}</dt>
        <dd data-testid="referral-shared-forms">{shared.map(formName).join(', ')}</dd>
        <dt>{t('referral-consent')}</dt>
        <dd>{consentText(referral.consent_basis)}</dd>
        {referral.note && (
          <>
            <dt>{t('referral-note')}</dt>
            <dd style={{ whiteSpace: 'pre-wrap' }}>{referral.note}</dd>
          </>
        )}
        {referral.reason && (
          <>
            <dt>{t('referral-reason')}</dt>
            <dd style={{ whiteSpace: 'pre-wrap' }}>{referral.reason}</dd>
          </>
        )}
        <dt>{t('referral-sent-at')}</dt>
        <dd>{formatInstant(Date.parse(referral.created_at), offset)}</dd>
        {referral.updated_at !== referral.created_at && (
          <>
            <dt>{t('referral-updated-at')}</dt>
            <dd>{formatInstant(Date.parse(referral.updated_at), offset)}</dd>
          </>
        )}
      </dl>

      {message && (
        <p class={message.ok ? 'notice ok' : 'notice error'} role="status" data-testid="referral-message" style={{ marginTop: '0.75rem' }}>
          {message.text}
        </p>
      )}
      {referral.can.length > 0 && !online && <p class="notice">{t('referral-needs-connection')}</p>}
      {referral.can.length > 0 && !open && (
        <div class="button-row" style={{ marginTop: '0.75rem' }}>
          {referral.can.map((action) => (
            <button
              type="button"
              key={action}
              class={buttonClass(action)}
              disabled={!online || working}
              onClick={() => choose(action)}
              data-testid={`referral-${action}`}
            >
              {actionText(action)}
            </button>
          ))}
        </div>
      )}
      {open && (
        <div class="card" style={{ marginTop: '0.75rem' }} data-testid="referral-confirm">
          <p style={{ fontWeight: 600 }}>{confirmQuestion(open)}</p>
          {TEXT_ACTIONS.includes(open) && (
            <div class="field">
              <label for="referral-text">
                {textLabel(open)} {open === 'reject' && <span class="required-mark">*</span>}
              </label>
              <textarea
                id="referral-text"
                data-testid="referral-text"
                maxLength={2000}
                value={text}
                aria-invalid={tried && open === 'reject' && text.trim() === '' ? 'true' : undefined}
                onInput={(event) => setText((event.target as HTMLTextAreaElement).value)}
              />
              {tried && open === 'reject' && text.trim() === '' && <p class="error">{t('referral-reason-missing')}</p>}
            </div>
          )}
          <div class="button-row">
            <button type="button" class={open === 'reject' || open === 'revoke' || open === 'end' ? 'danger' : 'primary'} disabled={working || !online} onClick={() => void confirm()} data-testid="referral-confirm-yes">
              {actionText(open)}
            </button>
            <button type="button" disabled={working} onClick={() => setOpen(null)}>
              {t('referral-keep')}
            </button>
          </div>
        </div>
      )}
    </article>
  );
}

function actionText(action: ReferralAction): string {
  switch (action) {
    case 'accept':
      return t('referral-accept');
    case 'reject':
      return t('referral-reject');
    case 'done':
      return t('referral-mark-done');
    case 'revoke':
      return t('referral-revoke');
    case 'end':
      return t('referral-end');
  }
}

function confirmQuestion(action: ReferralAction): string {
  switch (action) {
    case 'accept':
      return t('referral-accept-question');
    case 'reject':
      return t('referral-reject-question');
    case 'done':
      return t('referral-done-question');
    case 'revoke':
      return t('referral-revoke-question');
    case 'end':
      return t('referral-end-question');
  }
}

function textLabel(action: ReferralAction): string {
  if (action === 'done') return t('referral-done-note');
  if (action === 'reject') return t('referral-reject-reason');
  return t('referral-end-reason');
}

/** Returns the button style of a transition: the expected next step stands out, a refusal warns. */
function buttonClass(action: ReferralAction): string | undefined {
  if (action === 'accept' || action === 'done') return 'primary';
  if (action === 'reject') return 'danger';
  return undefined;
}

export function consentText(basis: string | undefined): string {
  switch (basis) {
    case 'internal':
      return t('referral-consent-internal');
    case 'override':
      return t('referral-consent-override');
    default:
      return t('referral-consent-given');
  }
}
