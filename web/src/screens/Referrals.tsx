// Referrals and transfers of the signed-in user, in two tabs: Incoming (addressed to the user
// or to the user's agency) and Sent. Open ones come first, closed ones below. Online the lists
// come from the server. Offline, Incoming shows the open referrals the last sync kept on this
// phone, and Sent shows what still waits on this phone to be sent.

import { useEffect, useState } from 'preact/hooks';
import { incomingReferrals, listsFetchedAt, queuedActions, serverTasks } from '../actions';
import { QueuedActionItem, ReferralItem, TransferItem } from '../components/CaseSharing';
import { errorText } from '../errors';
import { formatInstant, localizeDigits, t } from '../i18n';
import { listReferrals, listTransfers, OPEN_REFERRAL_STATUSES, rememberReferrals, rememberTransfers, type ReferralView, type TransferView } from '../referrals';
import { href } from '../router';
import { session } from '../session';
import { syncNow, syncState } from '../sync';

export type ReferralBox = 'incoming' | 'sent';

interface Loaded {
  box: ReferralBox;
  referrals: ReferralView[];
  transfers: TransferView[];
}

/**
 * Renders the referrals screen. `only` narrows Incoming to what waits on the user, as the
 * dashboard's figures count it: `pending-referrals` (referrals not yet accepted or rejected) or
 * `transfers` (transfers and transfer requests to accept or reject).
 */
export function Referrals({ box, only }: { box: ReferralBox; only?: 'pending-referrals' | 'transfers' }) {
  return only && box === 'incoming' ? <WaitingOnMe only={only} /> : <ReferralBoxes box={box} />;
}

function ReferralBoxes({ box }: { box: ReferralBox }) {
  const online = syncState.value.online;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!online) return;
    let live = true;
    setError(null);
    const serverBox = box === 'incoming' ? 'incoming' : 'outgoing';
    Promise.all([listReferrals(serverBox, 'all'), listTransfers(serverBox)])
      .then(([referrals, transfers]) => {
        if (!live) return;
        rememberReferrals(referrals);
        rememberTransfers(transfers);
        setLoaded({ box, referrals, transfers });
      })
      .catch((failure) => live && setError(errorText(failure)));
    return () => {
      live = false;
    };
  }, [box, online]);

  const fresh = loaded?.box === box ? loaded : null;
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;
  // Offline, Incoming falls back to the open referrals the last sync stored on this phone.
  const cachedIncoming = !fresh && box === 'incoming' ? (incomingReferrals.value as unknown as ReferralView[]) : null;
  const referrals = fresh?.referrals ?? cachedIncoming ?? [];
  const transfers = fresh?.transfers ?? [];
  const queued = box === 'sent' ? queuedActions.value.filter((action) => action.kind === 'referral' || action.kind === 'transfer' || action.kind === 'transfer_request') : [];
  const incoming = box === 'incoming';

  const openReferrals = referrals.filter((referral) => OPEN_REFERRAL_STATUSES.includes(referral.status));
  const closedReferrals = referrals.filter((referral) => !OPEN_REFERRAL_STATUSES.includes(referral.status));
  const openTransfers = transfers.filter((transfer) => transfer.status === 'pending');
  const closedTransfers = transfers.filter((transfer) => transfer.status !== 'pending');
  const nothingOpen = openReferrals.length === 0 && openTransfers.length === 0 && queued.length === 0;

  return (
    <section aria-labelledby="referrals-title" data-testid="referrals" data-box={box}>
      <h1 id="referrals-title">{t('referrals-title')}</h1>
      <nav class="tabs" aria-label={t('referrals-boxes')}>
        <a href={href({ name: 'referrals', box: 'incoming' })} aria-current={incoming ? 'page' : undefined} data-testid="referrals-incoming">
          {t('referrals-incoming')}
        </a>
        <a href={href({ name: 'referrals', box: 'sent' })} aria-current={!incoming ? 'page' : undefined} data-testid="referrals-sent">
          {t('referrals-sent')}
        </a>
      </nav>
      {!online && (
        <p class="notice">
          {incoming && listsFetchedAt.value
            ? t('referrals-offline-saved', { time: formatInstant(listsFetchedAt.value, offset) })
            : incoming
              ? t('referrals-offline')
              : t('referrals-offline-sent')}
        </p>
      )}
      {error && <p class="notice error">{error}</p>}
      {online && !fresh && !error && <p class="hint">{t('referrals-loading')}</p>}

      {queued.length > 0 && (
        <ul class="pick-list" aria-label={t('sharing-waiting-to-send')} style={{ marginBottom: '0.75rem' }}>
          {queued.map((action) => (
            <QueuedActionItem action={action} key={action.id} />
          ))}
        </ul>
      )}
      {(fresh || cachedIncoming) && nothingOpen && <p class="card">{incoming ? t('referrals-none-incoming') : t('referrals-none-sent')}</p>}
      <Items referrals={openReferrals} transfers={openTransfers} incoming={incoming} />
      {(closedReferrals.length > 0 || closedTransfers.length > 0) && (
        <details style={{ marginTop: '0.75rem' }} data-testid="referrals-closed">
          <summary>{t('referrals-closed', { count: closedReferrals.length + closedTransfers.length })}</summary>
          <Items referrals={closedReferrals} transfers={closedTransfers} incoming={incoming} />
        </details>
      )}
    </section>
  );
}

function Items({ referrals, transfers, incoming }: { referrals: ReferralView[]; transfers: TransferView[]; incoming: boolean }) {
  if (referrals.length === 0 && transfers.length === 0) return null;
  return (
    <ul class="pick-list">
      {referrals.map((referral) => (
        <ReferralItem referral={referral} incoming={incoming} showChild key={referral.id} />
      ))}
      {transfers.map((transfer) => (
        <TransferItem transfer={transfer} incoming={incoming} showChild key={transfer.id} />
      ))}
    </ul>
  );
}

/**
 * Renders the incoming referrals not yet accepted or rejected, or the transfers waiting on the
 * user, with their number. Both come from the lists the last sync kept on the phone (`GET /referrals?box=incoming`
 * and the transfers of `GET /tasks`), which the dashboard counts, so the number here is the
 * dashboard's. Online, a sync starts at once to bring both up to date.
 */
function WaitingOnMe({ only }: { only: 'pending-referrals' | 'transfers' }) {
  const online = syncState.value.online;
  useEffect(() => {
    if (online) void syncNow();
  }, [online]);

  const referrals = only === 'pending-referrals' ? (incomingReferrals.value as unknown as ReferralView[]).filter((referral) => referral.status === 'pending') : [];
  const transfers = only === 'transfers' ? serverTasks.value.items.filter((task) => task.kind === 'transfer') : [];
  const count = referrals.length + transfers.length;
  const title = only === 'transfers' ? t('dash-key-transfers') : t('dash-key-referrals');
  return (
    <section aria-labelledby="referrals-title" data-testid="referrals" data-box="incoming">
      <h1 id="referrals-title">
        {title}{' '}
        <span class="badge" data-testid="referrals-count" data-count={count}>
          {localizeDigits(String(count))}
        </span>
      </h1>
      <p>
        <a href={href({ name: 'referrals', box: 'incoming' })}>{t('referrals-all-incoming')}</a>
      </p>
      {!online && <p class="notice">{t('referrals-offline')}</p>}
      {count === 0 && <p class="card">{t('referrals-none-incoming')}</p>}
      <Items referrals={referrals} transfers={[]} incoming />
      {transfers.length > 0 && (
        <ul class="pick-list" data-testid="transfer-tasks">
          {transfers.map((task) => (
            <li key={task.subject_id ?? task.case_id}>
              <a class="task-card week" href={task.subject_id ? href({ name: 'transfer-view', id: task.subject_id }) : href({ name: 'case', id: task.case_id })} data-testid="transfer-task">
                <span class="task-what">{t('task-transfer')}</span>
                <span class="task-who">
                  {task.child_name ?? t('tasks-child-hidden')} · {task.display_id}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
