// Shared setup of the referral and transfer screen tests: a signed-in user with the deployment's
// real configuration and a real vault (fake-indexeddb) holding one case, and a fake of the
// server's referral and transfer routes that records every request.

import 'fake-indexeddb/auto';
import { vi } from 'vitest';

import { connectActions } from '../src/actions';
import type { Configuration } from '../src/domain/config';
import type { LocalCase, UserView } from '../src/model';
import type { ReferralView, TransferView } from '../src/referrals';
import { session } from '../src/session';
import { cases, syncState } from '../src/sync';
import { Vault } from '../src/vault/store';
import { loadConfiguration } from './configFixture';

export const config: Configuration = loadConfiguration();

export const CASE_ID = '3f0c9d2e-0001-4c1a-9a11-000000008001';

export const SADIA: UserView = {
  id: '0190a1b2-0000-7000-8000-00000000a001',
  username: 'cw.sadia',
  full_name: 'Sadia Rahman',
  agency_id: 'bcri',
  role_id: 'caseworker',
  locale: 'en',
  disabled: false,
};

export const KARIM: UserView = { ...SADIA, id: '0190a1b2-0000-7000-8000-00000000a002', username: 'sup.karim', full_name: 'Karim Hossain', role_id: 'supervisor' };

export const NABIL: UserView = {
  id: '0190a1b2-0000-7000-8000-00000000b001',
  username: 'sp.nabil',
  full_name: 'Nabil Hasan',
  agency_id: 'lli',
  role_id: 'service_provider',
  locale: 'en',
  disabled: false,
};

export const PRIYA = { id: '0190a1b2-0000-7000-8000-00000000b002', full_name: 'Priya Barua' };

/** Returns case C-8001, owned by Sadia of BCRI, with `data` over a name and a high risk level. */
export function makeCase(data: Record<string, unknown>, overrides: Partial<LocalCase> = {}): LocalCase {
  return {
    id: CASE_ID,
    display_id: 'C-8001',
    version: 4,
    status: 'open',
    stage: 'case_plan',
    enabled: true,
    owner_id: SADIA.id,
    owner_agency_id: 'bcri',
    created_by: SADIA.id,
    created_at: '2026-11-02T04:00:00Z',
    updated_at: '2026-11-20T04:00:00Z',
    data: { name_first: 'Ayesha', name_last: 'Begum', risk_level: 'high', ...data },
    calculated: {},
    conflicts: [],
    pending: 0,
    ...overrides,
  };
}

export function referral(overrides: Partial<ReferralView> = {}): ReferralView {
  return {
    id: '0190c000-0000-7000-8000-0000000000r1',
    case_id: CASE_ID,
    display_id: 'C-8001',
    child_name: 'Ayesha Begum',
    service_type: 'psychosocial_support',
    status: 'pending',
    version: 1,
    from_user: { id: SADIA.id, full_name: SADIA.full_name },
    from_agency_id: 'bcri',
    to_agency_id: 'lli',
    to_user: null,
    shared_forms: ['basic_identity', 'protection_concerns', 'consent', 'services'],
    consent_basis: 'given',
    note: null,
    reason: null,
    created_at: '2026-11-21T05:00:00Z',
    updated_at: '2026-11-21T05:00:00Z',
    can: [],
    ...overrides,
  };
}

export function transfer(overrides: Partial<TransferView> = {}): TransferView {
  return {
    id: '0190c000-0000-7000-8000-0000000000t1',
    case_id: CASE_ID,
    display_id: 'C-8001',
    child_name: 'Ayesha Begum',
    kind: 'transfer',
    status: 'pending',
    version: 1,
    from_user: { id: SADIA.id, full_name: SADIA.full_name },
    from_agency_id: 'bcri',
    to_agency_id: 'lli',
    to_user: null,
    consent_basis: 'given',
    note: null,
    reason: null,
    created_at: '2026-11-21T05:00:00Z',
    updated_at: '2026-11-21T05:00:00Z',
    can: [],
    ...overrides,
  };
}

let vaultNumber = 0;

/** Signs `user` in with a new real vault holding `record`, online unless `online` is false. */
export async function signIn(user: UserView, record: LocalCase | null, online = true): Promise<Vault> {
  vaultNumber += 1;
  const vault = await Vault.unlock(`${user.username}.${vaultNumber}`, 'test password', true);
  if (record) await vault.put(`case:${record.id}`, record);
  session.value = { user, vault, configuration: config, configVersion: 1, serverSession: true };
  cases.value = record ? [record] : [];
  syncState.value = { ...syncState.value, online };
  connectActions(
    () => vault,
    () => undefined,
  );
  return vault;
}

export interface Call {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
}

export type Handler = (call: Call) => { status: number; body?: unknown } | 'network' | undefined;

/** Routes fetch to `handler` and records the calls. Routes `handler` does not serve, `POST /sync`
 * (started after a transition) included, return 404 not_found. */
export function serve(handler: Handler): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const path = String(input).replace(/^\/api\/v1/, '');
    const call: Call = { method, path, body: init.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const answer = handler(call);
    if (answer === 'network') throw new TypeError('Failed to fetch');
    if (!answer) return new Response(JSON.stringify({ error: { code: 'not_found', message: 'Not found.' } }), { status: 404 });
    return new Response(answer.body === undefined ? '' : JSON.stringify(answer.body), { status: answer.status });
  });
  return calls;
}

/** Returns an error body as the server renders it. */
export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}): { error: Record<string, unknown> } {
  return { error: { code, message, ...extra } };
}
