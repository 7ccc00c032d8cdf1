// The case's stage and the due dates of its next steps, derived from the record's data.
//
// A port of `due_items`, `stage` and `bucket` in `crates/sathi-domain/src/workflow.rs`. Both sides
// run `conformance/due_dates.json`, so the tasks the phone computes offline from the cases in the
// vault carry the same dates as the server's task list. `docs/workflow.md` states the rule in
// prose. Nothing here reads the clock: the caller passes today in the deployment's zone
// (`today` in `dates.ts`), and all arithmetic is on day numbers, never on JS `Date`.

import type { RiskLevelDays, WorkflowRules } from './config';
import { type CalendarDate, calendarDate, compareDates, dateFromEpochDay, daysBetween, epochDay, formatDate } from './dates';

export type CaseStatus = 'open' | 'closed';

/** The case management steps, as the server's `Stage::as_str` writes them. */
export type Stage =
  | 'new'
  | 'assessment'
  | 'case_plan'
  | 'service_provision'
  | 'services_implemented'
  | 'closed'
  | 'reopened';

/** A next step of casework, in the order items on the same date are listed. */
export const TASK_KINDS = ['assessment', 'case_plan', 'service', 'follow_up'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** One due step of a case, in the JSON form the server sends. */
export interface DueItem {
  kind: TaskKind;
  /** The `unique_id` of the service or follow-up row, `"next"` for the periodic follow-up, or `""` for the case. */
  item: string;
  /** `YYYY-MM-DD`. */
  due_on: string;
}

/** The item of the periodic follow-up that is due when no follow-up row is open. */
export const NEXT_FOLLOW_UP = 'next';

/** The rules the server uses when `deployment.json` has no `workflow` object. */
export const DEFAULT_WORKFLOW_RULES: WorkflowRules = {
  assessment_due_days: { high: 1, medium: 3, low: 7 },
  assessment_due_days_unrated: 7,
  case_plan_due_days: 14,
  follow_up_every_days: { high: 7, medium: 14, low: 30 },
  service_timeframe_days: {
    within_1_hour: 0,
    within_3_hours: 0,
    within_1_day: 1,
    within_3_days: 3,
    within_1_week: 7,
    within_2_weeks: 14,
    within_1_month: 30,
  },
  service_due_days_default: 7,
};

/**
 * Returns the deployment's rules with the default for every key left out, as the server reads
 * `deployment.json`. A given `service_timeframe_days` replaces the whole default map.
 */
export function workflowRules(given?: Partial<WorkflowRules>): WorkflowRules {
  return { ...DEFAULT_WORKFLOW_RULES, ...given };
}

type Data = Readonly<Record<string, unknown>>;

/** Returns an array field's rows, with a row that is not an object read as an empty one. */
function rowsOf(data: Data, key: string): Data[] {
  const value = data[key];
  if (!Array.isArray(value)) {
    return [];
  }
  return value.map((row: unknown) => (typeof row === 'object' && row !== null && !Array.isArray(row) ? (row as Data) : {}));
}

/**
 * Reads a date as the validator stores it, `YYYY-MM-DD` with ASCII digits, or returns `null` for
 * anything else (Bengali digits included), as the server does.
 */
export function storedDate(value: unknown): CalendarDate | null {
  if (typeof value !== 'string') {
    return null;
  }
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  return match === null ? null : calendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Adds whole days, or returns `null` when `date` is `null` or the sum is after 9999-12-31. */
function addDays(date: CalendarDate | null, days: number): CalendarDate | null {
  if (date === null) {
    return null;
  }
  const sum = dateFromEpochDay(epochDay(date) + days);
  return sum.year > 9999 ? null : sum;
}

function riskDays(days: RiskLevelDays, riskLevel: unknown): number | null {
  switch (riskLevel) {
    case 'high':
      return days.high;
    case 'medium':
      return days.medium;
    case 'low':
      return days.low;
    default:
      return null;
  }
}

function isOnOrAfter(date: CalendarDate | null, since: CalendarDate): boolean {
  return date !== null && compareDates(date, since) >= 0;
}

/** Returns whether any casework date in `data` is on or after `since`. */
function hasWorkSince(data: Data, since: CalendarDate): boolean {
  return (
    isOnOrAfter(storedDate(data['assessment_completed_on']), since) ||
    isOnOrAfter(storedDate(data['case_plan_approved_on']), since) ||
    rowsOf(data, 'followups').some((row) => isOnOrAfter(storedDate(row['done_on']), since)) ||
    rowsOf(data, 'services_provided').some((row) => isOnOrAfter(storedDate(row['implemented_on']), since))
  );
}

/**
 * Derives the stage from what the record holds: the furthest step with evidence wins. A reopened
 * case is `reopened` until a date of casework on or after `reopened_on` is recorded.
 */
export function stageOf(data: Data, status: CaseStatus): Stage {
  if (status === 'closed') {
    return 'closed';
  }
  const reopenedOn = storedDate(data['reopened_on']);
  if (reopenedOn !== null && !hasWorkSince(data, reopenedOn)) {
    return 'reopened';
  }

  const isSet = (key: string): boolean => data[key] !== undefined && data[key] !== null;
  const services = rowsOf(data, 'services_provided');
  if (services.length > 0) {
    return services.every((row) => row['implemented'] === true) ? 'services_implemented' : 'service_provision';
  }
  if (isSet('case_plan_approved_on') || rowsOf(data, 'case_plan_interventions').length > 0) {
    return 'case_plan';
  }
  if (isSet('assessment_requested_on') || isSet('assessment_completed_on')) {
    return 'assessment';
  }
  return 'new';
}

/** Compares strings by code point, which is the byte order of UTF-8 that Rust's `String` sorts by. */
function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (difference !== 0) {
      return difference;
    }
  }
  return left.length - right.length;
}

function compareItems(a: DueItem, b: DueItem): number {
  if (a.due_on !== b.due_on) {
    return a.due_on < b.due_on ? -1 : 1;
  }
  return TASK_KINDS.indexOf(a.kind) - TASK_KINDS.indexOf(b.kind) || compareCodePoints(a.item, b.item);
}

/**
 * Computes the due steps of a case from its data, sorted by due date, then kind (in the order of
 * `TASK_KINDS`), then item. Follows `due_items` in `workflow.rs` rule for rule.
 */
export function dueItems(data: Data, status: CaseStatus, rules: WorkflowRules): DueItem[] {
  if (status === 'closed') {
    return [];
  }
  const items: DueItem[] = [];
  const push = (kind: TaskKind, item: string, dueOn: CalendarDate | null): void => {
    if (dueOn !== null) {
      items.push({ kind, item, due_on: formatDate(dueOn) });
    }
  };

  // Work dated before the last reopening no longer counts.
  const reopenedOn = storedDate(data['reopened_on']);
  const isCurrent = (date: CalendarDate | null): boolean =>
    date !== null && (reopenedOn === null || compareDates(date, reopenedOn) >= 0);
  const start = reopenedOn ?? storedDate(data['registration_date']);
  const riskLevel = data['risk_level'];
  const assessmentCompletedOn = storedDate(data['assessment_completed_on']);
  const assessmentDone = isCurrent(assessmentCompletedOn);
  const casePlanApprovedOn = storedDate(data['case_plan_approved_on']);
  const casePlanApproved = assessmentDone && isCurrent(casePlanApprovedOn);

  if (!assessmentDone) {
    const days = riskDays(rules.assessment_due_days, riskLevel) ?? rules.assessment_due_days_unrated;
    push('assessment', '', addDays(start, days));
  }

  if (assessmentDone && !casePlanApproved) {
    const dueOn = storedDate(data['case_plan_due_date']) ?? addDays(assessmentCompletedOn, rules.case_plan_due_days);
    push('case_plan', '', dueOn);
  }

  const serviceBase = casePlanApprovedOn ?? start;
  for (const row of rowsOf(data, 'services_provided')) {
    if (row['implemented'] === true) {
      continue;
    }
    const timeframe = row['implementation_timeframe'];
    const days =
      typeof timeframe === 'string' && Object.hasOwn(rules.service_timeframe_days, timeframe)
        ? rules.service_timeframe_days[timeframe]!
        : rules.service_due_days_default;
    push('service', rowId(row), storedDate(row['appointment_date']) ?? addDays(serviceBase, days));
  }

  let anyFollowUpOpen = false;
  for (const row of rowsOf(data, 'followups')) {
    const neededBy = storedDate(row['needed_by']);
    if (neededBy !== null && storedDate(row['done_on']) === null) {
      anyFollowUpOpen = true;
      push('follow_up', rowId(row), neededBy);
    }
  }
  if (casePlanApproved && !anyFollowUpOpen) {
    // The later of the latest follow-up done and the approval.
    let since = casePlanApprovedOn;
    for (const row of rowsOf(data, 'followups')) {
      const doneOn = storedDate(row['done_on']);
      if (doneOn !== null && (since === null || compareDates(doneOn, since) > 0)) {
        since = doneOn;
      }
    }
    const days = riskDays(rules.follow_up_every_days, riskLevel) ?? rules.follow_up_every_days.low;
    push('follow_up', NEXT_FOLLOW_UP, addDays(since, days));
  }

  return items.sort(compareItems);
}

function rowId(row: Data): string {
  const id = row['unique_id'];
  return typeof id === 'string' ? id : '';
}

/** The position of a due date relative to today. `week` is tomorrow to today + 6. */
export type Bucket = 'overdue' | 'today' | 'week' | 'later';

/**
 * Sorts a due date into overdue, today, this week or later. Both dates are `CalendarDate`s or
 * their `YYYY-MM-DD` text. `today` is the date in the deployment's zone (`today` in `dates.ts`),
 * never the device's. Throws when a text is not a `YYYY-MM-DD` date.
 */
export function bucket(dueOn: CalendarDate | string, today: CalendarDate | string): Bucket {
  const daysLeft = daysBetween(dateOf(today, 'today'), dateOf(dueOn, 'due date'));
  if (daysLeft < 0) {
    return 'overdue';
  }
  if (daysLeft === 0) {
    return 'today';
  }
  return daysLeft <= 6 ? 'week' : 'later';
}

function dateOf(value: CalendarDate | string, what: string): CalendarDate {
  const date = typeof value === 'string' ? storedDate(value) : value;
  if (date === null) {
    throw new Error(`${what} ${String(value)} is not YYYY-MM-DD`);
  }
  return date;
}
