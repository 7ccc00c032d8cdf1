// The day's tasks, the home screen of caseworkers, supervisors and service providers: what is
// overdue, due today and due this week. Assessments, case plans, services and follow-ups of the
// user's cases (owned, or assigned as the server's task list shows) are computed on the phone.
// They come from `due` of each case summary in the vault (domain/due.ts), so they change as soon
// as a form is saved, also offline. Approvals to decide, referrals and transfers to accept or reject, and
// requests to redo come from the server's list kept in the vault after each sync. A summary line
// at the top counts each section and jumps to it, and each section shows its first cards until
// the user requests all, so a long overdue list does not hide today's work. Items due after this
// week wait in a "Later" section that stays folded until the user opens it, so the next step (the
// case plan after an assessment, for example) can be seen without crowding the week.

import { useMemo, useState } from 'preact/hooks';
import { listsFetchedAt, pendingApprovals, serverTasks, type TaskKindName, type TaskView } from '../actions';
import { approvalKindOf } from '../casework';
import { caseName } from '../caseText';
import { type Chip, FilterChips } from '../components/FilterChips';
import { RiskBadge } from '../components/RiskBadge';
import { scopeOf } from '../domain/config';
import { bucket } from '../domain/due';
import { formatDate as isoDate, today } from '../domain/dates';
import { formatDate, localizeDigits, t } from '../i18n';
import type { LocalCase } from '../model';
import { knownPeople } from '../people';
import { href, type Route } from '../router';
import { session } from '../session';
import { cases } from '../sync';

/** One line of the task list, whichever side computed it. */
export interface TaskEntry {
  key: string;
  kind: TaskKindName;
  caseId: string;
  displayId: string;
  /** The child's name, or null when the user may not read it. */
  childName: string | null;
  riskLevel: string | null;
  /** `YYYY-MM-DD`, or null for a request that waits for a decision now. */
  dueOn: string | null;
  subjectId: string | null;
}

export type TaskSection = 'overdue' | 'today' | 'week' | 'later';

/** The form each case-derived task is done in. */
const FORM_OF: Partial<Record<TaskKindName, string>> = {
  assessment: 'assessment',
  case_plan: 'case_plan',
  service: 'services',
  follow_up: 'follow_up',
};

/**
 * Builds the task list from the user's cases on the phone and the server's tasks, and sorts it
 * into sections by the due date against `todayIso` (the deployment zone's date). The user's cases
 * are those they own and those that `serverCaseItems` (the server's case-derived tasks) name:
 * the server counts assigned cases too, and the case view does not carry assignments. A case on
 * the phone is computed from its own due items; a case the phone does not have yet keeps the
 * server's items. Requests that wait for a decision have no due date and go to "today". Items due
 * after this week go to "later". Each section is sorted by due date, then by risk (high first).
 */
export function buildTasks(
  userId: string,
  localCases: LocalCase[],
  server: TaskView[],
  todayIso: string,
  serverCaseItems: TaskView[] = [],
): Record<TaskSection, TaskEntry[]> {
  const entries: TaskEntry[] = [];
  const serverCaseIds = new Set(serverCaseItems.map((task) => task.case_id));
  const onPhone = new Set<string>();
  for (const record of localCases) {
    onPhone.add(record.id);
    // NOTE: an assigned case counts only while the server's last task list names it, so an item
    // that falls due on an assigned case after that list was fetched shows after the next sync.
    const mine = record.owner_id === userId || serverCaseIds.has(record.id);
    if (!mine || record.status !== 'open') continue;
    for (const item of record.due ?? []) {
      entries.push({
        key: `${record.id}/${item.kind}/${item.item}`,
        kind: item.kind as TaskKindName,
        caseId: record.id,
        displayId: record.display_id,
        childName: caseName(record),
        riskLevel: typeof record.data.risk_level === 'string' ? record.data.risk_level : null,
        dueOn: item.due_on,
        subjectId: null,
      });
    }
  }
  const serverEntries = [...server, ...serverCaseItems.filter((task) => !onPhone.has(task.case_id))];
  for (const task of serverEntries) {
    entries.push({
      key: `${task.case_id}/${task.kind}/${task.subject_id ?? task.item}`,
      kind: task.kind,
      caseId: task.case_id,
      displayId: task.display_id,
      childName: task.child_name,
      riskLevel: task.risk_level,
      dueOn: task.due_on,
      subjectId: task.subject_id,
    });
  }

  const sections: Record<TaskSection, TaskEntry[]> = { overdue: [], today: [], week: [], later: [] };
  for (const entry of entries) {
    const section = entry.dueOn === null ? 'today' : bucket(entry.dueOn, todayIso);
    sections[section].push(entry);
  }
  for (const list of Object.values(sections)) list.sort(compareTasks);
  return sections;
}

/** Builds the task list of the cases `ownerId` owns on this phone, without the server's lists,
 * which hold only the signed-in user's requests: a supervisor's view of one person's work. */
export function tasksOfOwner(ownerId: string, localCases: LocalCase[], todayIso: string): Record<TaskSection, TaskEntry[]> {
  return buildTasks(ownerId, localCases, [], todayIso, []);
}

const RISK_ORDER: Record<string, number> = { high: 0, medium: 1, low: 2 };

function compareTasks(a: TaskEntry, b: TaskEntry): number {
  // Undated requests come after the dated tasks of the same section.
  const dueA = a.dueOn ?? '9999-12-31';
  const dueB = b.dueOn ?? '9999-12-31';
  if (dueA !== dueB) return dueA < dueB ? -1 : 1;
  const riskA = RISK_ORDER[a.riskLevel ?? ''] ?? 3;
  const riskB = RISK_ORDER[b.riskLevel ?? ''] ?? 3;
  if (riskA !== riskB) return riskA - riskB;
  if (a.key < b.key) return -1;
  if (a.key > b.key) return 1;
  return 0;
}

/** Returns where tapping a task leads: the form to fill in, or the screen where the user decides the request. */
export function taskTarget(entry: TaskEntry): Route {
  const form = FORM_OF[entry.kind];
  if (form) return { name: 'case', id: entry.caseId, form };
  if (entry.kind === 'approval') return { name: 'approvals' };
  if ((entry.kind === 'referral' || entry.kind === 'referral_service') && entry.subjectId) return { name: 'referral', id: entry.subjectId };
  if (entry.kind === 'transfer' && entry.subjectId) return { name: 'transfer-view', id: entry.subjectId };
  return { name: 'case', id: entry.caseId };
}

/** Returns what to do, in words: "Assessment due", "Approve the case plan"... */
export function taskTitle(entry: TaskEntry): string {
  if (entry.kind === 'approval' || entry.kind === 'approval_rejected') {
    const kind = entry.subjectId ? approvalKindOf(entry.subjectId) : null;
    if (kind) return t(`task-${entry.kind}-${kind}`);
  }
  return t(`task-${entry.kind}`);
}

/** Counts the tasks overdue or due today, for the menu's badge. */
export function useTaskCount(): number {
  const current = session.value;
  const offset = current?.configuration?.deployment.utc_offset_minutes ?? 360;
  const todayIso = isoDate(today(Date.now(), offset));
  const sections = useMemo(
    () => (current ? buildTasks(current.user.id, cases.value, serverTasks.value.items, todayIso, serverTasks.value.caseItems) : null),
    [cases.value, serverTasks.value, todayIso, current?.user.id],
  );
  return sections ? sections.overdue.length + sections.today.length : 0;
}

/** Number of cards shown in a section until the user requests all of them. */
export const CARDS_SHOWN_FIRST = 10;

const SECTIONS: { id: TaskSection; title: string }[] = [
  { id: 'overdue', title: 'tasks-overdue' },
  { id: 'today', title: 'tasks-due-today' },
  { id: 'week', title: 'tasks-this-week' },
  { id: 'later', title: 'tasks-later' },
];

/**
 * Renders the task list. `bucket` shows only that section with every card of it. `owner` shows
 * the tasks of the cases that person owns on this phone, a supervisor's view of a team member.
 * The dashboard's task figures open these lists and count their cards.
 */
export function Tasks({ bucket, owner }: { bucket?: TaskSection; owner?: string } = {}) {
  const current = session.value!;
  const offset = current.configuration?.deployment.utc_offset_minutes ?? 360;
  const todayIso = isoDate(today(Date.now(), offset));
  // `pendingApprovals` is read so the titles follow the kinds of the cached approvals.
  const approvals = pendingApprovals.value;
  const sections = useMemo(
    () =>
      owner
        ? tasksOfOwner(owner, cases.value, todayIso)
        : buildTasks(current.user.id, cases.value, serverTasks.value.items, todayIso, serverTasks.value.caseItems),
    [cases.value, serverTasks.value, todayIso, current.user.id, approvals, owner],
  );
  const [laterOpen, setLaterOpen] = useState(false);
  if (bucket || owner) return <NarrowedTasks sections={sections} bucket={bucket} owner={owner} todayIso={todayIso} />;
  const total = sections.overdue.length + sections.today.length + sections.week.length;
  const anyTask = total + sections.later.length > 0;
  const role = current.configuration?.roles.find((entry) => entry.id === current.user.role_id);
  const canApprove = !!role && scopeOf(role, 'approve') !== null;
  const toDecide = approvals.filter((approval) => approval.requested_by.id !== current.user.id).length;

  return (
    <section aria-labelledby="tasks-title" data-testid="tasks">
      <h1 id="tasks-title">{t('tasks-title')}</h1>
      <p class="hint">{t('tasks-today', { date: formatDate(todayIso) })}</p>
      {anyTask && <TaskSummary sections={sections} onOpenLater={() => setLaterOpen(true)} />}
      {canApprove && (
        <p>
          <a class="button" href={href({ name: 'approvals' })} data-testid="approvals-link">
            {t('tasks-approvals-link', { count: toDecide })}
          </a>
        </p>
      )}
      {total === 0 && <p class="card">{t('tasks-none')}</p>}
      {SECTIONS.filter(({ id }) => id !== 'later').map(({ id, title }) => (
        <TaskList key={id} id={id} title={t(title)} entries={sections[id]} todayIso={todayIso} />
      ))}
      {sections.later.length > 0 &&
        (laterOpen ? (
          <TaskList id="later" title={t('tasks-later')} entries={sections.later} todayIso={todayIso} />
        ) : (
          <p>
            <button type="button" class="show-all" aria-expanded="false" onClick={() => setLaterOpen(true)} data-testid="tasks-show-later">
              {t('tasks-show-later', { count: sections.later.length })}
            </button>
          </p>
        ))}
      {listsFetchedAt.value === null && <p class="hint">{t('tasks-server-not-yet')}</p>}
    </section>
  );
}

/** Renders the task list narrowed by the route to one section, one owner, or both, with a chip
 * for each narrowing that leads back to the wider list. */
function NarrowedTasks({ sections, bucket, owner, todayIso }: { sections: Record<TaskSection, TaskEntry[]>; bucket?: TaskSection; owner?: string; todayIso: string }) {
  const shown = SECTIONS.filter(({ id }) => (bucket ? id === bucket : true));
  const count = shown.reduce((sum, { id }) => sum + sections[id].length, 0);
  const chips: Chip[] = [];
  if (bucket) chips.push({ key: 'bucket', text: t(SECTIONS.find(({ id }) => id === bucket)!.title), removeHref: href({ name: 'tasks', owner }) });
  if (owner) {
    const name = knownPeople().get(owner) ?? t('dash-owner-unknown');
    chips.push({ key: 'owner', text: t('filter-owner', { name }), removeHref: href({ name: 'tasks', bucket }) });
  }
  return (
    <section aria-labelledby="tasks-title" data-testid="tasks">
      <h1 id="tasks-title">
        {t('tasks-title')}{' '}
        <span class="badge" data-testid="tasks-count" data-count={count}>
          {t('tasks-count', { count })}
        </span>
      </h1>
      <p class="hint">{t('tasks-today', { date: formatDate(todayIso) })}</p>
      <FilterChips chips={chips} />
      {count === 0 && <p class="card">{t('tasks-none-here')}</p>}
      {shown.map(({ id, title }) => (
        <TaskList key={id} id={id} title={t(title)} entries={sections[id]} todayIso={todayIso} all={!!bucket} />
      ))}
    </section>
  );
}

/** Renders one button per section with its count, which scrolls to the section. An empty
 * section is plain text, so the line always reads overdue, today, this week, later. */
function TaskSummary({ sections, onOpenLater }: { sections: Record<TaskSection, TaskEntry[]>; onOpenLater: () => void }) {
  const focusSection = (id: TaskSection) => {
    const heading = document.getElementById(`tasks-${id}`);
    // Browsers have scrollIntoView, but jsdom in the unit tests does not.
    heading?.scrollIntoView?.({ block: 'start' });
    heading?.focus({ preventScroll: true });
  };
  const jump = (id: TaskSection) => {
    if (id !== 'later') {
      focusSection(id);
      return;
    }
    // The folded section mounts on the next render, so the focus waits for the next frame.
    onOpenLater();
    requestAnimationFrame(() => focusSection(id));
  };
  return (
    <nav class="task-summary" aria-label={t('tasks-summary')} data-testid="tasks-summary">
      {SECTIONS.map(({ id, title }) => {
        const count = sections[id].length;
        const text = (
          <>
            {t(title)} <span class="badge">{localizeDigits(String(count))}</span>
          </>
        );
        return count > 0 ? (
          <button type="button" key={id} class={`summary-chip ${id}`} onClick={() => jump(id)} data-testid={`tasks-jump-${id}`}>
            {text}
          </button>
        ) : (
          <span key={id} class="summary-chip empty" data-testid={`tasks-jump-${id}`}>
            {text}
          </span>
        );
      })}
    </nav>
  );
}

function TaskList({ id, title, entries, todayIso, all = false }: { id: TaskSection; title: string; entries: TaskEntry[]; todayIso: string; all?: boolean }) {
  const [showAll, setShowAll] = useState(all);
  if (entries.length === 0) return null;
  const shown = showAll ? entries : entries.slice(0, CARDS_SHOWN_FIRST);
  return (
    <section aria-labelledby={`tasks-${id}`} data-testid={`tasks-${id}`}>
      <h2 id={`tasks-${id}`} tabIndex={-1} class={id === 'overdue' ? 'tasks-heading overdue' : 'tasks-heading'}>
        {title} <span class="badge">{localizeDigits(String(entries.length))}</span>
      </h2>
      <ul class="task-list">
        {shown.map((entry) => (
          <li key={entry.key}>
            <a class={`task-card ${id}`} href={href(taskTarget(entry))} data-testid="task" data-kind={entry.kind}>
              <span class="task-what">{taskTitle(entry)}</span>
              <span class="task-who">
                {entry.childName ?? t('tasks-child-hidden')}
                {entry.displayId && <span class="hint"> · {entry.displayId}</span>}
              </span>
              <span class="task-meta">
                <RiskBadge level={entry.riskLevel} />
                <span class={id === 'overdue' ? 'task-due overdue' : 'task-due'}>{dueText(entry, todayIso)}</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
      {shown.length < entries.length && (
        <button type="button" class="show-all" onClick={() => setShowAll(true)} data-testid={`tasks-show-all-${id}`}>
          {t('tasks-show-all', { count: entries.length })}
        </button>
      )}
    </section>
  );
}

function dueText(entry: TaskEntry, todayIso: string): string {
  if (entry.dueOn === null) return t('tasks-waiting');
  if (entry.dueOn === todayIso) return t('tasks-due-on-today');
  if (entry.dueOn < todayIso) return t('tasks-was-due', { date: formatDate(entry.dueOn) });
  return t('tasks-due-on', { date: formatDate(entry.dueOn) });
}
