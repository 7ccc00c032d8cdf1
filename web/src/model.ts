// Shapes of the data the client keeps, as the server's API returns them.

export interface UserView {
  id: string;
  username: string;
  full_name: string;
  agency_id: string;
  role_id: string;
  locale: string;
  disabled: boolean;
}

export interface CaseView {
  id: string;
  display_id: string;
  version: number;
  status: 'open' | 'closed';
  stage: string;
  enabled: boolean;
  owner_id: string;
  owner_agency_id: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  data: Record<string, unknown>;
  calculated: Record<string, unknown>;
  /** The open conflicts of the case (sync downloads and case reads carry them). */
  conflicts?: ConflictView[];
  /** The active flags of the case; absent from servers before flags existed. */
  flags?: { id: string; text: string; flagged_by: { id: string; full_name: string }; flagged_at: string }[];
}

/** One value of an open conflict: the value on the server, or one a device sent. */
export interface ConflictCandidate {
  value: unknown;
  user_id: string;
  username?: string | null;
  full_name?: string | null;
  /** Server time at which this value reached the server, RFC 3339. */
  server_time?: string | null;
  /** The time the device reported for the edit, as it reported it; shown, never compared. */
  device_time?: string | null;
  version?: number | null;
  mutation_id?: string | null;
}

/** A field of a case that two people changed to different values, kept for a person to resolve. */
export interface ConflictView {
  id: string;
  case_id: string;
  path: string;
  candidates: ConflictCandidate[];
  status?: string;
  opened_at?: string;
}

/** Where a case stands with the server, as its badge shows it. */
export type CaseSyncState = 'synced' | 'pending' | 'conflict' | 'rejected';

/** A case on the device: the server's version with this device's unsent changes applied. */
export interface LocalCase extends CaseView {
  /** Changes made on this device that the server has not accepted yet. */
  pending: number;
  /** Paths this device changed that the server changed too since (a conflict seen before sending). */
  changedOnServer?: string[];
  /** Changes of this case the server rejected, still on the "not sent" list. */
  rejected?: number;
  /** Why the server rejected a change of this case (version 1 of the client), in the user's language. */
  sendError?: string;
  /** The case's due items (domain/due.ts), computed on the device whenever the case is stored. */
  due?: { kind: string; item: string; due_on: string }[];
}

export interface Change {
  path: string;
  value: unknown;
}

/** A change as the outbox keeps it: with the value before the edit, for conflicts seen on the device. */
export interface OutboxChange extends Change {
  old?: unknown;
}

/**
 * A mutation waiting in the outbox, sealed. `mutationId` and the device sequence number are clear
 * columns of its row. Entries written by version 1 of the client have no `base_version`,
 * `device_time` or `old` values; `error` is set only on those the old client saw rejected.
 */
export type OutboxEntry = (
  | { kind: 'create'; data: Record<string, unknown> }
  | { kind: 'update'; changes: OutboxChange[] }
  | { kind: 'void' }
) & { base_version?: number; device_time?: string; error?: string };

/** A mutation the server rejected, kept sealed and shown to the user until they dismiss it. */
export interface NotSentEntry {
  mutationId: string;
  caseId: string;
  kind: 'create' | 'update' | 'void';
  changes: OutboxChange[];
  data?: Record<string, unknown>;
  code: string;
  /** The reason in the user's language, as the server wrote it. */
  message: string;
  fields: { path: string; message: string }[];
  deviceTime?: string;
  rejectedAt: string;
  /** A name of the case at the time, so the list can say which child it was. */
  caseName?: string;
  /** The short case id (`display_id`) at the time; empty for a case the server never created. */
  displayId?: string;
}

/** One entry of a case's change log (GET /cases/{id}/changes). */
export interface ChangeLogEntry {
  version: number;
  path: string;
  old_value: unknown;
  new_value: unknown;
  user_id: string;
  username?: string | null;
  full_name?: string | null;
  changed_at: string;
  /** The conflict this change resolves; null (or absent, from servers before it was added)
   * unless the entry was written by a conflict resolution. */
  conflict_id?: string | null;
  /** The sync mutation that made the change; null for a change made over the API. */
  mutation_id?: string | null;
  device_time?: string | null;
}
