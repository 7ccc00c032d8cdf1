// Requests for a supervisor's approval on the case view: the assessment once it is completed, the
// case plan once it has an intervention, and the closure once its reason is given. A request is
// queued in the vault (actions.ts) and sent with the next sync, so it works offline. The card
// also lists the case's approvals: waiting to be sent, not sent (with the server's reason),
// pending, approved or rejected with the supervisor's comment.

import { useEffect, useState } from 'preact/hooks';
import { actionsOf, dismissAction, queueAction, type ApprovalKind, type ApprovalView, type QueuedAction } from '../actions';
import { caseApprovals, loadCaseApprovals } from '../casework';
import { rejectionText } from '../errors';
import { formatInstant, t, verbatim } from '../i18n';
import type { LocalCase } from '../model';
import { session } from '../session';
import { syncState } from '../sync';

/** Returns whether `kind` may be requested now, by the contract's preconditions and because no
 * earlier approval of the same kind is still in force (one made before the case was reopened is not). */
export function approvalReady(kind: ApprovalKind, data: Record<string, unknown>): boolean {
  const reopened = typeof data.reopened_on === 'string' ? data.reopened_on : '';
  const since = (field: string) => typeof data[field] === 'string' && (data[field] as string) >= reopened && data[field] !== '';
  switch (kind) {
    case 'assessment':
      return since('assessment_completed_on') && !since('assessment_approved_on');
    case 'case_plan':
      return Array.isArray(data.case_plan_interventions) && data.case_plan_interventions.length > 0 && !since('case_plan_approved_on');
    case 'closure':
      return typeof data.closure_reason === 'string' && data.closure_reason !== '';
  }
}

/** Returns the kinds that have a request waiting: queued on the phone or pending on the server. */
export function waitingKinds(queued: QueuedAction[], approvals: ApprovalView[]): Set<ApprovalKind> {
  const kinds = new Set<ApprovalKind>();
  for (const action of queued) if (action.kind === 'approval' && action.state === 'pending') kinds.add(action.body.kind as ApprovalKind);
  for (const approval of approvals) if (approval.status === 'pending') kinds.add(approval.kind);
  return kinds;
}

export function ApprovalRequest({ record, canClose }: { record: LocalCase; canClose: boolean }) {
  const online = syncState.value.online;
  const queued = actionsOf(record.id).filter((action) => action.kind === 'approval');
  // A request leaving the queue has reached the server: the history is fetched again to show it.
  const queuedCount = queued.length;
  useEffect(() => {
    void loadCaseApprovals(record.id, online);
  }, [record.id, record.version, online, queuedCount]);

  const history = caseApprovals.value.get(record.id) ?? [];
  const waiting = waitingKinds(queued, history);
  const open = record.status === 'open';
  const kinds: ApprovalKind[] = ['assessment', 'case_plan'];
  const ready = open ? kinds.filter((kind) => approvalReady(kind, record.data) && !waiting.has(kind)) : [];
  const closureReady = open && canClose && approvalReady('closure', record.data) && !waiting.has('closure');

  if (ready.length === 0 && !closureReady && history.length === 0 && queued.length === 0) return null;
  return (
    <section class="card" aria-labelledby="approvals-case-title" data-testid="case-approvals">
      <h2 id="approvals-case-title">{t('case-approvals-title')}</h2>
      {queued.map((action) => (
        <QueuedApproval key={action.id} action={action} />
      ))}
      {history.map((approval) => (
        <ApprovalLine key={approval.id} approval={approval} />
      ))}
      {[...ready, ...(closureReady ? (['closure'] as const) : [])].map((kind) => (
        <RequestButton key={kind} record={record} kind={kind} />
      ))}
    </section>
  );
}

function RequestButton({ record, kind }: { record: LocalCase; kind: ApprovalKind }) {
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [working, setWorking] = useState(false);
  if (!open) {
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)} data-testid={`request-${kind}`}>
          {t(`case-approval-request-${kind}`)}
        </button>
      </p>
    );
  }
  async function send(event: Event) {
    event.preventDefault();
    setWorking(true);
    try {
      const body: Record<string, unknown> = { kind };
      if (comment.trim()) body.comment = comment.trim();
      await queueAction('approval', record.id, crypto.randomUUID(), body);
    } finally {
      setWorking(false);
    }
  }
  const id = `request-comment-${kind}`;
  return (
    <form onSubmit={send} data-testid={`request-form-${kind}`}>
      <div class="field">
        <label for={id}>{t('case-approval-comment')}</label>
        <textarea id={id} rows={2} value={comment} onInput={(event) => setComment((event.target as HTMLTextAreaElement).value)} />
      </div>
      <div class="button-row">
        <button type="submit" class="primary" disabled={working} data-testid={`request-send-${kind}`}>
          {t(`case-approval-request-${kind}`)}
        </button>
        <button type="button" disabled={working} onClick={() => setOpen(false)}>
          {t('flags-cancel')}
        </button>
      </div>
    </form>
  );
}

function QueuedApproval({ action }: { action: QueuedAction }) {
  const kind = action.body.kind as ApprovalKind;
  if (action.state === 'pending') {
    return (
      <p class="approval-line" data-testid="approval-queued">
        <span class="badge pending">{t('case-approval-waiting-to-send')}</span> {t(`approval-title-${kind}`)}
      </p>
    );
  }
  return (
    <div class="notice error" data-testid="approval-not-sent">
      <p>
        <strong>{t(`approval-title-${kind}`)}</strong>: {t('case-approval-not-sent', { reason: verbatim(rejectionText(action.error?.code ?? 'rejected', action.error?.message ?? '')) })}
      </p>
      <button type="button" onClick={() => void dismissAction(action.id)}>
        {t('not-sent-dismiss')}
      </button>
    </div>
  );
}

function ApprovalLine({ approval }: { approval: ApprovalView }) {
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;
  const when = approval.decided_at ?? approval.requested_at;
  const who = approval.decided_by?.full_name ?? approval.requested_by.full_name;
  return (
    <div class="approval-line" data-testid="approval-line" data-status={approval.status}>
      <p>
        <span class={`badge approval-${approval.status}`}>{t(`approval-status-${approval.status}`)}</span> {t(`approval-title-${approval.kind}`)}
      </p>
      <p class="hint">{t('case-approval-by', { name: who, time: formatInstant(Date.parse(when), offset) })}</p>
      {approval.comment && <p class="quote">{approval.comment}</p>}
    </div>
  );
}
