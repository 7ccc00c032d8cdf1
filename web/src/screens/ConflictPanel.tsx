// The open conflicts of a case: for each field, every value that was kept, who made it and when,
// and a "Keep this value" button for users who may change the field.

import { useState } from 'preact/hooks';
import { api, ApiError, NetworkError } from '../api';
import { formAccess, scopeOf, type Configuration } from '../domain/config';
import { formatInstant, t } from '../i18n';
import type { ConflictCandidate, ConflictView, LocalCase, UserView } from '../model';
import { session } from '../session';
import { refreshCases, sameValue, syncState, valueAt } from '../sync';
import { fieldAtPath, pathLabel, PathValue } from './SyncStatus';
import { errorText } from '../errors';

/** A conflict that another user resolved first, so the reader's choice was not saved. */
interface SettledElsewhere {
  caseId: string;
  path: string;
}

export function ConflictPanel({ record, config }: { record: LocalCase; config: Configuration }) {
  // The card of a conflict resolved elsewhere disappears with the refreshed case, so the panel
  // keeps the notice. The panel may stay mounted while the reader opens another case.
  const [settled, setSettled] = useState<SettledElsewhere[]>([]);
  const conflicts = record.conflicts ?? [];
  const notices = settled.filter((entry) => entry.caseId === record.id);
  if (conflicts.length === 0 && notices.length === 0) return null;
  return (
    <>
      {notices.map(({ path }) => (
        <p key={path} class="notice" role="status" data-testid="settled-elsewhere">
          {t('conflict-settled-elsewhere', { name: pathLabel(config, path) })}{' '}
          <strong>
            <PathValue config={config} path={path} value={valueAt(record.data, path)} record={record} />
          </strong>
        </p>
      ))}
      {conflicts.map((conflict) => (
        <ConflictCard
          key={conflict.id}
          record={record}
          config={config}
          conflict={conflict}
          onSettledElsewhere={() => setSettled((list) => [...list, { caseId: record.id, path: conflict.path }])}
        />
      ))}
    </>
  );
}

interface ConflictCardProps {
  record: LocalCase;
  config: Configuration;
  conflict: ConflictView;
  /** Called after the server returned `409 conflict_resolved` for this conflict and the case was
   * refreshed. */
  onSettledElsewhere: () => void;
}

function ConflictCard({ record, config, conflict, onSettledElsewhere }: ConflictCardProps) {
  const [working, setWorking] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = session.value!;
  const role = config.roles.find((entry) => entry.id === current.user.role_id);
  const { field, parent } = fieldAtPath(config, conflict.path);
  const formId = config.forms.find((form) => form.fields.some((entry) => entry.id === (parent ?? field)?.id))?.id;
  const mayWrite = !!role && scopeOf(role, 'write') !== null && (!formId || formAccess(role, formId) === 'read_write');
  const online = syncState.value.online;
  const offset = config.deployment.utc_offset_minutes;

  async function keep(index: number, candidate: ConflictCandidate) {
    setWorking(index);
    setError(null);
    try {
      await api('POST', `/cases/${record.id}/conflicts/${conflict.id}/resolve`, { value: candidate.value ?? null });
      await refreshCases([record.id]);
    } catch (failure) {
      if (failure instanceof NetworkError) setError(t('conflict-offline'));
      else if (failure instanceof ApiError && failure.code === 'conflict_resolved') await settledElsewhere();
      else setError(errorText(failure));
    } finally {
      setWorking(null);
    }
  }

  /** Fetches the case as another user's resolution left it, then shows that the reader's choice
   * was not saved. Without a fresh copy the card stays and shows that in its error line. */
  async function settledElsewhere() {
    try {
      await refreshCases([record.id]);
    } catch {
      setError(t('conflict-settled-elsewhere-not-refreshed'));
      return;
    }
    onSettledElsewhere();
  }

  return (
    <section class="card conflict" aria-labelledby={`conflict-${conflict.id}`} data-testid="conflict" data-path={conflict.path}>
      <h2 id={`conflict-${conflict.id}`}>{t('conflict-title', { name: pathLabel(config, conflict.path), count: conflict.candidates.length })}</h2>
      <p class="hint">
        {oneAuthor(conflict)
          ? t('conflict-intro-one-user', { count: conflict.candidates.length })
          : t('conflict-intro', { count: authorCount(conflict) })}
      </p>
      <ul class="candidates">
        {conflict.candidates.map((candidate, index) => (
          <li key={index} data-testid="candidate">
            <CandidateMarks conflict={conflict} candidate={candidate} record={record} userId={current.user.id} />
            <p class="value">
              <PathValue config={config} path={conflict.path} value={candidate.value} record={record} />
            </p>
            <p class="hint">
              {t('conflict-by', { name: authorName(candidate, current.user), time: instant(candidate.server_time, offset) })}
              {candidate.device_time && (
                <>
                  <br />
                  {t('conflict-device-time', { time: instant(candidate.device_time, offset) })}
                </>
              )}
            </p>
            {mayWrite && (
              <button type="button" class="primary" disabled={!online || working !== null} onClick={() => void keep(index, candidate)}>
                {working === index ? t('conflict-keeping') : t('conflict-keep')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {mayWrite && !online && <p class="notice">{t('conflict-offline')}</p>}
      {!mayWrite && <p class="hint">{t('conflict-read-only')}</p>}
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** Whether every value of `conflict` came from the same user, e.g. from two of their devices. */
export function oneAuthor(conflict: ConflictView): boolean {
  return authorCount(conflict) === 1;
}

/** Counts the different users who made the values of `conflict`. */
function authorCount(conflict: ConflictView): number {
  return new Set(conflict.candidates.map((candidate) => candidate.user_id)).size;
}

/** Returns the name to show for the author of a value: the full name where the server or the
 * session provides one, else the user name. A bare user id means nothing to a reader, so a
 * candidate with neither gets "another user". */
export function authorName(candidate: ConflictCandidate, me: Pick<UserView, 'id' | 'full_name'>): string {
  if (candidate.full_name) return candidate.full_name;
  if (candidate.user_id === me.id && me.full_name) return me.full_name;
  return candidate.username || t('conflict-unknown-user');
}

/** Returns whether `candidate` is the value the case holds now. The server marks that value with
 * the case version that holds it; a conflict without such a mark is compared with the case data. */
export function isCurrentValue(conflict: ConflictView, candidate: ConflictCandidate, record: LocalCase): boolean {
  if (conflict.candidates.some((entry) => entry.version != null)) return candidate.version != null;
  return sameValue(candidate.value, valueAt(record.data, conflict.path));
}

function CandidateMarks(props: { conflict: ConflictView; candidate: ConflictCandidate; record: LocalCase; userId: string }) {
  const current = isCurrentValue(props.conflict, props.candidate, props.record);
  const mine = props.candidate.user_id === props.userId;
  if (!current && !mine) return null;
  return (
    <p class="marks">
      {current && (
        <span class="badge" data-testid="current-value">
          {t('conflict-current-value')}
        </span>
      )}
      {mine && (
        <span class="badge" data-testid="your-value">
          {t('conflict-your-value')}
        </span>
      )}
    </p>
  );
}

/** Formats an RFC 3339 instant in the deployment's zone; text that is not one is shown as it is. */
export function instant(value: string | null | undefined, offsetMinutes: number): string {
  if (!value) return '';
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? value : formatInstant(parsed, offsetMinutes);
}
