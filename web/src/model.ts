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
}

/** A case on the device: the server's version with this device's unsent changes applied. */
export interface LocalCase extends CaseView {
  /** Changes made on this device that the server has not accepted yet. */
  pending: number;
  /** Why the server rejected a change of this case, in the user's language. */
  sendError?: string;
}

export interface Change {
  path: string;
  value: unknown;
}

export type OutboxEntry =
  | { kind: 'create'; data: Record<string, unknown>; error?: string }
  | { kind: 'update'; changes: Change[]; error?: string };
