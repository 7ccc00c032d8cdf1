// Referrals and transfers: the types of the server's views, the calls under /api/v1, and the
// consent rule the Refer and Transfer screens show before anything is sent. The server decides
// every rule again when the request arrives. The client only explains it in advance.

import { signal } from '@preact/signals';
import { api } from './api';
import { formAccess, scopeOf, type Configuration, type LocalizedText, type Role } from './domain/config';

/** A person as the referral and transfer views name them. */
export interface PersonRef {
  id: string;
  full_name: string;
}

export type ReferralStatus = 'pending' | 'accepted' | 'rejected' | 'done' | 'revoked' | 'ended';
export type ReferralAction = 'accept' | 'reject' | 'done' | 'revoke' | 'end';
export type ConsentBasis = 'internal' | 'given' | 'override';

/** One referral as GET /referrals and GET /cases/{id}/referrals return it. */
export interface ReferralView {
  id: string;
  case_id: string;
  display_id: string;
  /** Null when the caller may not read the child's identity. */
  child_name?: string | null;
  service_type: string;
  status: ReferralStatus;
  /** Grows by one on every transition. Each transition sends the version it was decided on. */
  version: number;
  from_user: PersonRef;
  from_agency_id: string;
  to_agency_id: string;
  to_user?: PersonRef | null;
  shared_forms: string[];
  consent_basis: ConsentBasis;
  note?: string | null;
  reason?: string | null;
  created_at: string;
  updated_at: string;
  /** The transitions the caller may make now. */
  can: ReferralAction[];
}

export type TransferStatus = 'pending' | 'accepted' | 'rejected' | 'revoked';
export type TransferAction = 'accept' | 'reject' | 'revoke';

/** One transfer (the owner offers the case) or transfer request (someone requests it from the owner). */
export interface TransferView {
  id: string;
  case_id: string;
  display_id: string;
  child_name?: string | null;
  kind: 'transfer' | 'request';
  status: TransferStatus;
  version: number;
  from_user: PersonRef;
  from_agency_id: string;
  to_agency_id: string;
  to_user?: PersonRef | null;
  consent_basis?: ConsentBasis;
  note?: string | null;
  reason?: string | null;
  created_at: string;
  updated_at: string;
  can: TransferAction[];
}

/** A person who can receive a referral or transfer. */
export interface RecipientUser extends PersonRef {
  /** The person's role, which decides the forms they can read. Older servers leave it out. */
  role_id?: string;
}

/** An agency a referral or transfer can go to, with the users who receive referrals there. */
export interface RecipientAgency {
  agency_id: string;
  agency_name: LocalizedText;
  /** Whether the agency provides the requested service. These agencies come first. */
  provides: boolean;
  users: RecipientUser[];
}

/** The forms shared with a referral's recipient unless the sender changes the choice. */
export const DEFAULT_SHARED_FORMS = ['basic_identity', 'protection_concerns', 'consent', 'services'];

/** The form every referral shares, so the recipient can see whose case it is. The server adds it. */
export const ALWAYS_SHARED_FORM = 'record_owner';

/** Referrals that give the recipient access to the case. */
export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = ['pending', 'accepted'];

// ---------------------------------------------------------------------------------------------
// Forms a recipient can read

/**
 * Returns the roles that decide what a referral's recipient can read: the chosen person's role,
 * or for a referral to the whole agency the roles of its receivers. When the server named no
 * role (offline, an agency without receivers, or a server that leaves `role_id` out), the roles
 * of the configuration that can receive referrals are used instead.
 */
export function recipientRoles(config: Configuration, agency: RecipientAgency | undefined, userId: string): Role[] {
  const people = agency ? agency.users.filter((user) => userId === '' || user.id === userId) : [];
  const roleIds = new Set(people.map((user) => user.role_id));
  const named = config.roles.filter((role) => roleIds.has(role.id));
  if (people.length > 0 && !roleIds.has(undefined) && named.length > 0) return named;
  return config.roles.filter((role) => scopeOf(role, 'receive_referrals') !== null);
}

/** Returns whether any of `roles` can read form `formId`. A recipient reads a shared form only
 * when their role can, so sharing a form no recipient role can read would show them nothing. */
export function readableByAny(roles: Role[], formId: string): boolean {
  return roles.some((role) => formAccess(role, formId) !== 'none');
}

// ---------------------------------------------------------------------------------------------
// Consent

/**
 * The consent rule's outcome for a referral or transfer from a case of `ownerAgencyId` to
 * `toAgencyId`: `internal` inside the owner's agency, `given` when the case records consent for
 * sharing, `override` when consent is missing and the role may override it with a reason, and
 * `blocked` otherwise.
 */
export type ConsentRule = 'internal' | 'given' | 'override' | 'blocked';

export function consentRule(data: Record<string, unknown>, ownerAgencyId: string, toAgencyId: string, role: Role | undefined): ConsentRule {
  if (toAgencyId === ownerAgencyId) return 'internal';
  if (consentRecorded(data)) return 'given';
  return role && scopeOf(role, 'override_consent') !== null ? 'override' : 'blocked';
}

/** Returns whether the case records consent to share information with other organisations. */
export function consentRecorded(data: Record<string, unknown>): boolean {
  return data.consent_for_sharing === true;
}

// ---------------------------------------------------------------------------------------------
// Requests

/** The body of POST /cases/{id}/referrals. The `id` is made on the device so a retry is idempotent. */
export interface NewReferral {
  id: string;
  to_agency_id: string;
  to_user_id?: string;
  service_type: string;
  shared_forms: string[];
  note?: string;
  consent_override_reason?: string;
}

/** The body of POST /cases/{id}/transfers. */
export interface NewTransfer {
  id: string;
  to_agency_id: string;
  to_user_id?: string;
  note?: string;
  consent_override_reason?: string;
}

export function fetchRecipients(service: string): Promise<RecipientAgency[]> {
  return api<RecipientAgency[]>('GET', `/referral-recipients?service=${encodeURIComponent(service)}`);
}

export function sendReferral(caseId: string, body: NewReferral): Promise<ReferralView> {
  return api<ReferralView>('POST', `/cases/${caseId}/referrals`, body);
}

export function listReferrals(box: 'incoming' | 'outgoing', status: 'open' | 'closed' | 'all' = 'all'): Promise<ReferralView[]> {
  return api<ReferralView[]>('GET', `/referrals?box=${box}&status=${status}`);
}

export function caseReferrals(caseId: string): Promise<ReferralView[]> {
  return api<ReferralView[]>('GET', `/cases/${caseId}/referrals`);
}

/** Sends one transition of referral `referral`, decided on the version the caller saw. `text` is
 * the reason of a rejection or an ending, or the note of a referral marked done. */
export function actOnReferral(referral: ReferralView, action: ReferralAction, text?: string): Promise<ReferralView> {
  const body: Record<string, unknown> = { expected_version: referral.version };
  if (text) {
    if (action === 'done') body.note = text;
    else body.reason = text;
  }
  return api<ReferralView>('POST', `/referrals/${referral.id}/${action}`, body);
}

export function sendTransfer(caseId: string, body: NewTransfer): Promise<TransferView> {
  return api<TransferView>('POST', `/cases/${caseId}/transfers`, body);
}

export function sendTransferRequest(caseId: string, body: { id: string; note?: string }): Promise<TransferView> {
  return api<TransferView>('POST', `/cases/${caseId}/transfer-requests`, body);
}

export function listTransfers(box: 'incoming' | 'outgoing', status: 'open' | 'closed' | 'all' = 'all'): Promise<TransferView[]> {
  return api<TransferView[]>('GET', `/transfers?box=${box}&status=${status}`);
}

export function caseTransfers(caseId: string): Promise<TransferView[]> {
  return api<TransferView[]>('GET', `/cases/${caseId}/transfers`);
}

export function actOnTransfer(transfer: TransferView, action: TransferAction, reason?: string, consentOverrideReason?: string): Promise<TransferView> {
  const body: Record<string, unknown> = { expected_version: transfer.version };
  if (reason) body.reason = reason;
  if (consentOverrideReason) body.consent_override_reason = consentOverrideReason;
  return api<TransferView>('POST', `/transfers/${transfer.id}/${action}`, body);
}

/** Returns the forms the caller may read in a case reached through referrals only, or null when
 * the caller reads the case by ownership, assignment or scope. Servers that predate the field
 * send no `shared_forms`, which reads as null. */
export function sharedFormsOf(record: object): string[] | null {
  const value = (record as { shared_forms?: unknown }).shared_forms;
  return Array.isArray(value) ? (value as string[]) : null;
}

// ---------------------------------------------------------------------------------------------
// Views fetched on this device, kept in memory

/** The referrals and transfers the screens fetched this session, by id. The server has no
 * single-referral route, so a detail screen opened from a list starts from this copy and then
 * fetches its list again. */
export const knownReferrals = signal<Map<string, ReferralView>>(new Map());
export const knownTransfers = signal<Map<string, TransferView>>(new Map());

export function rememberReferrals(list: ReferralView[]): void {
  if (list.length === 0) return;
  const next = new Map(knownReferrals.value);
  for (const referral of list) next.set(referral.id, referral);
  knownReferrals.value = next;
}

export function rememberTransfers(list: TransferView[]): void {
  if (list.length === 0) return;
  const next = new Map(knownTransfers.value);
  for (const transfer of list) next.set(transfer.id, transfer);
  knownTransfers.value = next;
}

/** Forgets the views of the signed-out user. */
export function forgetReferrals(): void {
  knownReferrals.value = new Map();
  knownTransfers.value = new Map();
}

/**
 * Fetches referral `id` again: first from its case's list when the case is known, then from the
 * caller's incoming and sent lists. Returns null when none of them contains it any more, which is
 * also what a referral that ended the caller's access looks like.
 */
export async function fetchReferral(id: string, caseId: string | undefined): Promise<ReferralView | null> {
  const sources: (() => Promise<ReferralView[]>)[] = [() => listReferrals('incoming', 'all'), () => listReferrals('outgoing', 'all')];
  if (caseId) sources.unshift(() => caseReferrals(caseId).catch(() => []));
  for (const source of sources) {
    const found = (await source()).find((referral) => referral.id === id);
    if (found) {
      rememberReferrals([found]);
      return found;
    }
  }
  return null;
}

/** Fetches transfer `id` again, as `fetchReferral` does for referrals. */
export async function fetchTransfer(id: string, caseId: string | undefined): Promise<TransferView | null> {
  const sources: (() => Promise<TransferView[]>)[] = [() => listTransfers('incoming'), () => listTransfers('outgoing')];
  if (caseId) sources.unshift(() => caseTransfers(caseId).catch(() => []));
  for (const source of sources) {
    const found = (await source()).find((transfer) => transfer.id === id);
    if (found) {
      rememberTransfers([found]);
      return found;
    }
  }
  return null;
}
