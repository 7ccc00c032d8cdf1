// A fake of the casework API (approvals, tasks, notifications, referrals) in front of the fake
// sync server, for the client's unit tests. It responds as docs/openapi.json specifies: an
// approval request with a known id returns the first response with 200, a request about a case
// the server does not have returns 404, and a second pending request of the same kind returns 409. It
// records every request it receives.

import type { ApprovalView, NotificationView, ReferralView, TaskView } from '../src/actions';
import { FakeSyncServer } from './fakeSyncServer';

export interface CaseworkRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

export class FakeCaseworkServer {
  readonly sync = new FakeSyncServer();
  readonly requests: CaseworkRequest[] = [];
  readonly approvals = new Map<string, ApprovalView>();
  tasks: { today: string; items: TaskView[] } = { today: '2024-05-10', items: [] };
  notificationItems: NotificationView[] = [];
  referrals: ReferralView[] = [];
  /** Error responses for the next casework requests, by path prefix: a status and an error body, once each. */
  readonly failNext = new Map<string, { status: number; code: string; message: string }>();
  /** Paths whose next response is lost: the request is processed, then the fetch fails, once each. */
  readonly loseAnswerOf = new Set<string>();

  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const path = String(input);
    const method = init.method ?? 'GET';
    if (path.startsWith('/api/v1/sync')) return this.sync.fetch(input, init);
    if (this.sync.offline) throw new TypeError('Failed to fetch');
    const body = init.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null;
    this.requests.push({ method, path, body });

    for (const [prefix, failure] of this.failNext) {
      if (!path.startsWith(prefix)) continue;
      this.failNext.delete(prefix);
      return json(failure.status, { error: { code: failure.code, message: failure.message } });
    }
    const response = this.respond(method, path, body);
    if (this.loseAnswerOf.delete(path)) throw new TypeError('Failed to fetch');
    return response;
  };

  /** Returns the POST requests sent to `path`. */
  posts(path: string): CaseworkRequest[] {
    return this.requests.filter((request) => request.method === 'POST' && request.path === `/api/v1${path}`);
  }

  private respond(method: string, path: string, body: Record<string, unknown> | null): Response {
    const approvalRequest = /^\/api\/v1\/cases\/([^/]+)\/approvals$/.exec(path);
    if (method === 'POST' && approvalRequest) return this.requestApproval(approvalRequest[1], body!);
    if (method === 'GET' && path.startsWith('/api/v1/tasks')) return json(200, this.tasks);
    if (method === 'GET' && path.startsWith('/api/v1/notifications')) {
      return json(200, { unread: this.notificationItems.filter((item) => !item.read).length, items: this.notificationItems });
    }
    if (method === 'POST' && path === '/api/v1/notifications/read') {
      const ids = new Set((body!.ids as string[] | undefined) ?? []);
      this.notificationItems = this.notificationItems.map((item) => (body!.all === true || ids.has(item.id) ? { ...item, read: true } : item));
      return new Response(null, { status: 204 });
    }
    if (method === 'GET' && path.startsWith('/api/v1/approvals')) return json(200, [...this.approvals.values()].filter((approval) => approval.status === 'pending'));
    if (method === 'GET' && path.startsWith('/api/v1/referrals')) return json(200, this.referrals);
    return json(404, { error: { code: 'not_found', message: `Route not found: ${method} ${path}.` } });
  }

  private requestApproval(caseId: string, body: Record<string, unknown>): Response {
    const id = String(body.id);
    const known = this.approvals.get(id);
    if (known) return json(200, known);
    const stored = this.sync.cases.get(caseId);
    if (!stored) return json(404, { error: { code: 'not_found', message: `Case not found: ${caseId}.` } });
    const pending = [...this.approvals.values()].find((approval) => approval.case_id === caseId && approval.kind === body.kind && approval.status === 'pending');
    if (pending) return json(409, { error: { code: 'approval_pending', message: `A ${pending.kind} approval request is already pending: ${pending.id}. Decide it before requesting again.` } });
    const view: ApprovalView = {
      id,
      case_id: caseId,
      display_id: stored.view.display_id,
      kind: body.kind as ApprovalView['kind'],
      status: 'pending',
      version: 1,
      requested_by: { id: 'me', full_name: 'Rahima Akter' },
      requested_at: '2024-05-10T04:00:00Z',
      request_comment: (body.comment as string | undefined) ?? null,
    };
    this.approvals.set(id, view);
    return json(201, view);
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
