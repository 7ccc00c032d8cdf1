// A fake of the server side of docs/sync.md for the client's unit tests: enough of `POST /sync`
// and `POST /sync/records` to exercise idempotency, device order, per-field conflicts, paged
// downloads with a cursor, and scope changes. It keeps its state in memory and records every
// request it receives. It is not the server's merge: it only needs to answer like it.

import type { CaseView, ConflictView } from '../src/model';
import { scopeDigest } from '../src/sync';

interface WireMutation {
  mutation_id: string;
  seq: number;
  record_id: string;
  kind: 'create' | 'update' | 'void';
  base_version: number;
  changes?: { path: string; value: unknown }[];
  data?: Record<string, unknown>;
  device_time: string;
}

interface StoredCase {
  view: CaseView;
  syncSeq: number;
}

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
  gzipped: boolean;
}

/** How the fake treats the next request: a network failure before or after processing it. */
export type Fault = 'network-before' | 'network-after' | 'account-disabled' | 'session-expired';

export class FakeSyncServer {
  readonly cases = new Map<string, StoredCase>();
  readonly requests: RecordedRequest[] = [];
  /** Change log: case id, path, version. */
  readonly log: { caseId: string; path: string; version: number }[] = [];
  /** Stored results by mutation id, so a replay returns the first result. */
  readonly results = new Map<string, Record<string, unknown>>();
  readonly lastSeq = new Map<string, number>();
  /** Faults for coming requests, by 1-based number of the `/sync` request they hit. */
  readonly faults = new Map<number, Fault>();
  /** Mutation ids to answer `deferred` to, once each. */
  readonly deferOnce = new Set<string>();
  /** While true, every request fails as if the phone had no connection. */
  offline = false;
  /** While true, the account is disabled: `/sync` keeps its mutations aside in `keptAside` and
   * answers `401 account_disabled`, and every other request answers it without ending the session. */
  disabled = false;
  readonly keptAside: WireMutation[] = [];
  /** Cases the user may see; all when null. */
  visible: Set<string> | null = null;
  private clock = 0;
  private syncCount = 0;

  /** Stores a case as if another user had written it. */
  put(id: string, data: Record<string, unknown>, version = 1): CaseView {
    const view: CaseView = {
      id,
      display_id: `CXB-${id.slice(0, 6).toUpperCase()}`,
      version,
      status: 'open',
      stage: 'new',
      enabled: true,
      owner_id: 'owner',
      owner_agency_id: 'bcri',
      created_by: 'owner',
      created_at: '2024-05-10T03:00:00Z',
      updated_at: `2024-05-10T03:00:${String(this.clock % 60).padStart(2, '0')}Z`,
      data,
      calculated: {},
      conflicts: [],
    };
    this.cases.set(id, { view, syncSeq: ++this.clock });
    return view;
  }

  /** Writes `changes` as another user would, with a new version and change-log entries. */
  write(id: string, changes: Record<string, unknown>): void {
    const stored = this.cases.get(id)!;
    const version = stored.view.version + 1;
    for (const path of Object.keys(changes)) this.log.push({ caseId: id, path, version });
    stored.view = { ...stored.view, version, data: { ...stored.view.data, ...changes } };
    stored.syncSeq = ++this.clock;
  }

  syncRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path === '/api/v1/sync');
  }

  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const path = String(input);
    if (this.offline) throw new TypeError('Failed to fetch');
    const headers = new Headers(init.headers);
    const gzipped = headers.get('content-encoding') === 'gzip';
    const text = gzipped
      ? await new Response(new Blob([init.body as ArrayBuffer]).stream().pipeThrough(new DecompressionStream('gzip'))).text()
      : String(init.body ?? '');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    this.requests.push({ path, body, gzipped });

    let fault: Fault | undefined;
    if (path === '/api/v1/sync') {
      this.syncCount += 1;
      fault = this.faults.get(this.syncCount);
    }
    if (fault === 'network-before') throw new TypeError('Failed to fetch');
    if (this.disabled) {
      if (path !== '/api/v1/sync') return json(401, { error: { code: 'account_disabled', message: 'This account has been disabled.' } });
      const mutations = body.mutations as WireMutation[];
      this.keptAside.push(...mutations);
      return json(401, { error: { code: 'account_disabled', message: `${mutations.length} kept aside` } });
    }
    if (fault === 'account-disabled') return json(401, { error: { code: 'account_disabled', message: 'disabled' } });
    if (fault === 'session-expired') return json(401, { error: { code: 'unauthorized', message: 'log in' } });

    let answer: Response;
    if (path === '/api/v1/sync') answer = json(200, await this.sync(body));
    else if (path === '/api/v1/sync/records') answer = json(200, { records: this.records(body.ids as string[]) });
    else answer = json(404, { error: { code: 'not_found', message: 'not found' } });
    if (fault === 'network-after') throw new TypeError('Failed to fetch');
    return answer;
  };

  private isVisible(id: string): boolean {
    return this.visible === null || this.visible.has(id);
  }

  private records(ids: string[]): CaseView[] {
    return ids.filter((id) => this.cases.has(id) && this.isVisible(id)).map((id) => structuredClone(this.cases.get(id)!.view));
  }

  private async sync(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const device = body.device_id as string;
    const results = (body.mutations as WireMutation[]).map((mutation) => this.apply(device, mutation));

    const after = typeof body.cursor === 'string' ? Number((body.cursor as string).split('.')[1]) : 0;
    const limit = body.limit as number;
    const changed = [...this.cases.values()]
      .filter((stored) => stored.syncSeq > after && this.isVisible(stored.view.id))
      .sort((a, b) => a.syncSeq - b.syncSeq);
    const page = changed.slice(0, limit);
    const lastSeq = page.length > 0 ? page[page.length - 1].syncSeq : after;
    const more = changed.length > limit;
    const visibleIds = [...this.cases.keys()].filter((id) => this.isVisible(id));
    const digest = await scopeDigest(visibleIds);
    return {
      results,
      records: page.map((stored) => structuredClone(stored.view)),
      cursor: `v1.${lastSeq}.fp`,
      more,
      remaining: changed.length - page.length,
      scope: !more && digest !== body.scope_digest ? { digest, ids: visibleIds } : null,
      configuration: null,
      server_time: new Date().toISOString(),
    };
  }

  private apply(device: string, mutation: WireMutation): Record<string, unknown> {
    const stored = this.results.get(mutation.mutation_id);
    if (stored) return stored;
    const base = { mutation_id: mutation.mutation_id, seq: mutation.seq, record_id: mutation.record_id };
    if (this.deferOnce.delete(mutation.mutation_id)) return { ...base, status: 'deferred' };
    const expected = (this.lastSeq.get(device) ?? 0) + 1;
    if (mutation.seq !== expected) return { ...base, status: 'deferred' };
    this.lastSeq.set(device, mutation.seq);
    const result = this.decide(mutation, base);
    this.results.set(mutation.mutation_id, result);
    return result;
  }

  private decide(mutation: WireMutation, base: Record<string, unknown>): Record<string, unknown> {
    if (mutation.kind === 'void') return { ...base, status: 'applied' };
    const invalid = mutation.kind === 'update' && mutation.changes!.some((change) => change.value === 'INVALID');
    if (invalid) {
      return {
        ...base,
        status: 'rejected',
        error: { code: 'invalid', message: 'একটি মান সঠিক নয়।', fields: [{ path: 'age', message: 'বয়স সঠিক নয়।' }] },
      };
    }
    if (mutation.kind === 'create') {
      if (!this.cases.has(mutation.record_id)) {
        const view = this.put(mutation.record_id, mutation.data!, 1);
        for (const path of Object.keys(mutation.data!)) this.log.push({ caseId: view.id, path, version: 1 });
      }
      return { ...base, status: 'applied', version: this.cases.get(mutation.record_id)!.view.version };
    }
    const target = this.cases.get(mutation.record_id);
    if (!target || !this.isVisible(mutation.record_id)) {
      return { ...base, status: 'rejected', error: { code: 'record_unavailable', message: 'এই কেসটি আর পরিবর্তন করা যায় না।' } };
    }
    const applying: Record<string, unknown> = {};
    const conflicts: ConflictView[] = [];
    for (const change of mutation.changes!) {
      const changed = this.log.some((entry) => entry.caseId === target.view.id && entry.path === change.path && entry.version > mutation.base_version);
      const current = target.view.data[change.path];
      if (!changed || JSON.stringify(current) === JSON.stringify(change.value)) {
        applying[change.path] = change.value;
      } else {
        conflicts.push({
          id: `conflict-${mutation.mutation_id}-${change.path}`,
          case_id: target.view.id,
          path: change.path,
          candidates: [
            { value: current, user_id: 'other' },
            { value: change.value, user_id: 'me', device_time: mutation.device_time },
          ],
        });
      }
    }
    this.write(target.view.id, applying);
    target.view = { ...target.view, conflicts: [...(target.view.conflicts ?? []), ...conflicts] };
    return {
      ...base,
      status: conflicts.length > 0 ? 'conflict' : 'applied',
      version: target.view.version,
      conflicts: conflicts.map((conflict) => conflict.id),
    };
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
