// The approvals queue: requests to approve an assessment, a case plan or a closure that the user
// may decide, and the user's own requests still waiting. The list is the one kept in the vault
// after the last sync, so it opens offline. Deciding needs a connection, because a decision is
// compare-and-set on the version of the request the user saw. When someone else decided first,
// the card says so and the list is fetched again.

import { useState } from 'preact/hooks';
import { listsFetchedAt, pendingApprovals, type ApprovalView } from '../actions';
import { decideApproval, StateChangedError } from '../casework';
import { caseName } from '../caseText';
import { errorText } from '../errors';
import { formatInstant, t, verbatim } from '../i18n';
import { href } from '../router';
import { session } from '../session';
import { cases, syncNow, syncState } from '../sync';

export function Approvals() {
  const me = session.value!.user.id;
  const list = pendingApprovals.value;
  const toDecide = list.filter((approval) => approval.requested_by.id !== me);
  const mine = list.filter((approval) => approval.requested_by.id === me);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  return (
    <section aria-labelledby="approvals-title" data-testid="approvals">
      <h1 id="approvals-title">{t('approvals-title')}</h1>
      {!syncState.value.online && <p class="notice">{t('approvals-offline')}</p>}
      {notice && (
        <p class={notice.ok ? 'notice ok' : 'notice error'} role="status" data-testid="approvals-notice">
          {notice.text}
        </p>
      )}
      {listsFetchedAt.value === null && <p class="hint">{t('tasks-server-not-yet')}</p>}
      {toDecide.length === 0 && mine.length === 0 && <p class="card">{t('approvals-none')}</p>}
      {toDecide.map((approval) => (
        <ApprovalCard key={approval.id} approval={approval} decide onDone={setNotice} />
      ))}
      {mine.length > 0 && <h2>{t('approvals-mine')}</h2>}
      {mine.map((approval) => (
        <ApprovalCard key={approval.id} approval={approval} decide={false} onDone={setNotice} />
      ))}
    </section>
  );
}

function ApprovalCard({ approval, decide, onDone }: { approval: ApprovalView; decide: boolean; onDone: (notice: { ok: boolean; text: string }) => void }) {
  const online = syncState.value.online;
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;
  const [comment, setComment] = useState('');
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const local = cases.value.find((record) => record.id === approval.case_id);
  const title = [local ? caseName(local) : null, approval.display_id].filter(Boolean).join(' · ');

  async function act(decision: 'approve' | 'reject' | 'withdraw') {
    if (decision === 'reject' && comment.trim() === '') {
      setError(t('approvals-reject-needs-comment'));
      return;
    }
    setWorking(true);
    setError(null);
    try {
      await decideApproval(approval, decision, comment.trim() || undefined);
      onDone({ ok: true, text: t(`approvals-done-${decision}`, { name: verbatim(title) }) });
    } catch (failure) {
      if (failure instanceof StateChangedError) {
        onDone({ ok: false, text: t('approvals-state-changed', { name: verbatim(title) }) });
        void syncNow();
      } else {
        setError(errorText(failure));
      }
    } finally {
      setWorking(false);
    }
  }

  const commentId = `approval-comment-${approval.id}`;
  return (
    <article class="card" data-testid="approval" data-approval-id={approval.id}>
      <h2>{t(`approval-title-${approval.kind}`)}</h2>
      <p>
        {local ? <a href={href({ name: 'case', id: approval.case_id })}>{title}</a> : title}
      </p>
      <p class="hint">
        {t('approvals-requested-by', { name: approval.requested_by.full_name, time: formatInstant(Date.parse(approval.requested_at), offset) })}
      </p>
      {approval.request_comment && <p class="quote">{approval.request_comment}</p>}
      {decide ? (
        <>
          <div class="field">
            <label for={commentId}>{t('approvals-comment')}</label>
            <textarea id={commentId} rows={2} value={comment} onInput={(event) => setComment((event.target as HTMLTextAreaElement).value)} />
            <p class="hint">{t('approvals-comment-hint')}</p>
          </div>
          <div class="button-row">
            <button type="button" class="primary" disabled={working || !online} onClick={() => void act('approve')} data-testid="approve">
              {t('approvals-approve')}
            </button>
            <button type="button" disabled={working || !online} onClick={() => void act('reject')} data-testid="reject">
              {t('approvals-reject')}
            </button>
          </div>
        </>
      ) : (
        <div class="button-row">
          <button type="button" disabled={working || !online} onClick={() => void act('withdraw')} data-testid="withdraw">
            {t('approvals-withdraw')}
          </button>
        </div>
      )}
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
