// Referrals from `GET /api/v1/referrals` with the route's query, and how many: the list a
// manager's referral figures open (for example the agency's referrals of one service sent in the
// dashboard's period). It needs a connection.

import { useEffect, useState } from 'preact/hooks';
import { ReferralItem } from '../components/CaseSharing';
import { errorText } from '../errors';
import { localizeDigits, t } from '../i18n';
import { api } from '../api';
import { rememberReferrals, type ReferralView } from '../referrals';
import { syncState } from '../sync';

export function ReferralList({ params }: { params: Record<string, string> }) {
  const online = syncState.value.online;
  const query = new URLSearchParams(params).toString();
  const [referrals, setReferrals] = useState<ReferralView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!online) return;
    let live = true;
    setReferrals(null);
    setError(null);
    api<ReferralView[]>('GET', `/referrals?${query}`)
      .then((list) => {
        if (!live) return;
        rememberReferrals(list);
        setReferrals(list);
      })
      .catch((failure) => live && setError(errorText(failure)));
    return () => {
      live = false;
    };
  }, [query, online]);

  const incoming = params.box === 'incoming' || params.box === 'agency_received';
  return (
    <section aria-labelledby="referral-list-title" data-testid="referral-list">
      <h1 id="referral-list-title">
        {t('referrals-title')}{' '}
        {referrals && (
          <span class="badge" data-testid="referrals-count" data-count={referrals.length}>
            {localizeDigits(String(referrals.length))}
          </span>
        )}
      </h1>
      {!online && <p class="notice">{t('server-list-offline')}</p>}
      {error && <p class="notice error">{error}</p>}
      {online && !referrals && !error && <p class="hint">{t('referrals-loading')}</p>}
      {referrals?.length === 0 && <p class="card">{t('referrals-none-here')}</p>}
      {referrals && referrals.length > 0 && (
        <ul class="pick-list">
          {referrals.map((referral) => (
            <ReferralItem referral={referral} incoming={incoming} showChild key={referral.id} />
          ))}
        </ul>
      )}
    </section>
  );
}
