// @vitest-environment node
/// <reference types="node" />
// Attachment uploads (src/attachments.ts) against a fake server in `fetch` that keeps the
// protocol of docs/sync.md: registration, chunks at `Upload-Offset`, 409 with `received`,
// SHA-256 verification, 422 hash_mismatch. The vault is the real one on fake-indexeddb.

import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { NetworkError } from '../src/api';
import {
  addAttachment,
  attachmentBlob,
  AttachmentTooLargeError,
  CHUNK_BYTES,
  deleteAttachmentsOf,
  pendingAttachmentCount,
  uploadPendingAttachments,
  type AttachmentRecord,
  type UploadProgress,
} from '../src/attachments';
import { Vault } from '../src/vault/store';

vi.setConfig({ testTimeout: 30_000 });

const CASE_ID = '0190a3b0-0000-7000-8000-000000000001';

interface ServerFile {
  meta: { id: string; case_id: string; field_id: string; size: number; sha256: string; content_type: string };
  chunks: Uint8Array[];
  received: number;
  status: 'uploading' | 'verified';
}

/** The server side of the protocol, in memory. `failAfterPatches` cuts the connection (a
 * rejected fetch) on every request after that many chunks were stored. */
class FakeServer {
  files = new Map<string, ServerFile>();
  patches = 0;
  patchOffsets: number[] = [];
  failAfterPatches = Infinity;
  /** Flips a byte of the next chunk at this offset on arrival, once. */
  damageAt: number | null = null;
  requests: string[] = [];

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    const method = init.method ?? 'GET';
    this.requests.push(`${method} ${url}`);
    if (this.patches >= this.failAfterPatches) throw new TypeError('Failed to fetch');
    const match = /^\/api\/v1\/attachments(?:\/([^/]+))?(\/content)?$/.exec(url);
    if (!match) return json(404, { error: { code: 'not_found', message: 'Not found.' } });
    const [, id, content] = match;
    const file = id ? this.files.get(id) : undefined;

    if (method === 'POST') {
      const body = JSON.parse(String(init.body));
      const existing = this.files.get(body.id);
      if (existing) return json(200, view(existing));
      const created: ServerFile = { meta: body, chunks: [], received: 0, status: 'uploading' };
      this.files.set(body.id, created);
      return json(201, view(created));
    }
    if (!file) return json(404, { error: { code: 'not_found', message: 'Not found.' } });
    if (method === 'GET' && content) {
      if (file.status !== 'verified') return json(409, { error: { code: 'attachment_not_verified', message: 'Not yet.' } });
      return new Response(concat(file.chunks) as BodyInit, { status: 200, headers: { 'content-type': file.meta.content_type } });
    }
    if (method === 'GET') return json(200, view(file));

    const headers = init.headers as Record<string, string>;
    const offset = Number(headers['upload-offset']);
    this.patchOffsets.push(offset);
    if (offset !== file.received || file.status === 'verified') {
      return json(409, { error: { code: 'upload_offset_mismatch', message: 'Wrong offset.' }, received: file.received, status: file.status });
    }
    const chunk = new Uint8Array(init.body as Uint8Array);
    expect(chunk.length).toBeLessThanOrEqual(256 * 1024);
    if (this.damageAt === offset) {
      chunk[0] ^= 0xff;
      this.damageAt = null;
    }
    file.chunks.push(chunk);
    file.received += chunk.length;
    this.patches += 1;
    if (file.received === file.meta.size) {
      if (sha256(concat(file.chunks)) !== file.meta.sha256) {
        file.chunks = [];
        file.received = 0;
        return json(422, { error: { code: 'hash_mismatch', message: 'Damaged.' } });
      }
      file.status = 'verified';
    }
    return json(200, view(file));
  };
}

function view(file: ServerFile) {
  return { id: file.meta.id, received: file.received, status: file.status, size: file.meta.size };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const whole = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.length;
  }
  return whole;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function fileOf(length: number, type = 'application/pdf'): File {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index += 1) bytes[index] = (index * 7 + (index >> 8)) % 256;
  return new File([bytes], 'report.pdf', { type });
}

let server: FakeServer;
let vault: Vault;
let userNumber = 0;

/** Stores the case the way the sync client does, with the attachment ids in its field. */
async function saveCase(version: number, documents: string[]): Promise<void> {
  await vault.put(`case:${CASE_ID}`, { id: CASE_ID, version, data: { documents } });
}

async function addDocument(length: number): Promise<AttachmentRecord> {
  return addAttachment(vault, CASE_ID, 'documents', fileOf(length), { photo: false });
}

beforeEach(async () => {
  server = new FakeServer();
  vi.stubGlobal('fetch', server.fetch);
  userNumber += 1;
  vault = await Vault.unlock(`attachments-user-${userNumber}`, 'a long test password', true);
});

afterEach(() => {
  vault.close();
  vi.unstubAllGlobals();
});

describe('uploadPendingAttachments', () => {
  test('uploads in chunks until the server verifies', async () => {
    const record = await addDocument(2 * CHUNK_BYTES + 100);
    await saveCase(1, [record.meta.id]);
    expect(await pendingAttachmentCount(vault)).toBe(1);

    const seen: UploadProgress[] = [];
    await uploadPendingAttachments(vault, (progress) => seen.push(progress));

    const stored = server.files.get(record.meta.id)!;
    expect(stored.status).toBe('verified');
    expect(server.patchOffsets).toEqual([0, CHUNK_BYTES, 2 * CHUNK_BYTES]);
    expect(sha256(concat(stored.chunks))).toBe(record.meta.sha256);
    expect(await pendingAttachmentCount(vault)).toBe(0);
    expect(seen.at(-1)).toEqual({ files: 1, filesDone: 1, bytes: record.meta.size, bytesDone: record.meta.size });
  });

  test('waits until the case exists on the server', async () => {
    const record = await addDocument(1000);
    await saveCase(0, [record.meta.id]);

    await uploadPendingAttachments(vault);

    expect(server.requests).toEqual([]);
    expect(await pendingAttachmentCount(vault)).toBe(1);
  });

  test('resumes from the server offset after a broken connection', async () => {
    const record = await addDocument(3 * CHUNK_BYTES);
    await saveCase(1, [record.meta.id]);
    server.failAfterPatches = 1;

    await expect(uploadPendingAttachments(vault)).rejects.toBeInstanceOf(NetworkError);
    expect(server.files.get(record.meta.id)!.received).toBe(CHUNK_BYTES);
    expect(await pendingAttachmentCount(vault)).toBe(1);

    server.failAfterPatches = Infinity;
    server.requests = [];
    await uploadPendingAttachments(vault);

    expect(server.requests[0]).toBe(`GET /api/v1/attachments/${record.meta.id}`);
    // The cut request never arrived, so the resumed run sends each remaining chunk once.
    expect(server.patchOffsets).toEqual([0, CHUNK_BYTES, 2 * CHUNK_BYTES]);
    const stored = server.files.get(record.meta.id)!;
    expect(stored.status).toBe('verified');
    expect(stored.chunks.length).toBe(3);
    expect(sha256(concat(stored.chunks))).toBe(record.meta.sha256);
  });

  test('takes the server offset from a 409', async () => {
    const record = await addDocument(2 * CHUNK_BYTES);
    await saveCase(1, [record.meta.id]);
    // Another attempt of this device already stored the first chunk, and its answer was lost.
    const bytes = new Uint8Array(await fileOf(2 * CHUNK_BYTES).arrayBuffer());
    server.files.set(record.meta.id, {
      meta: { id: record.meta.id, case_id: CASE_ID, field_id: 'documents', size: bytes.length, sha256: record.meta.sha256, content_type: 'application/pdf' },
      chunks: [bytes.slice(0, CHUNK_BYTES)],
      received: CHUNK_BYTES,
      status: 'uploading',
    });

    await uploadPendingAttachments(vault);

    expect(server.patchOffsets).toEqual([CHUNK_BYTES]);
    expect(server.files.get(record.meta.id)!.status).toBe('verified');
  });

  test('starts over after a hash mismatch', async () => {
    const record = await addDocument(CHUNK_BYTES + 10);
    await saveCase(1, [record.meta.id]);
    server.damageAt = CHUNK_BYTES;

    await uploadPendingAttachments(vault);

    expect(server.patchOffsets).toEqual([0, CHUNK_BYTES, 0, CHUNK_BYTES]);
    const stored = server.files.get(record.meta.id)!;
    expect(stored.status).toBe('verified');
    expect(sha256(concat(stored.chunks))).toBe(record.meta.sha256);
  });

  test('counts as synced only when the server verified', async () => {
    const record = await addDocument(CHUNK_BYTES + 1);
    await saveCase(1, [record.meta.id]);
    server.failAfterPatches = 1;
    await expect(uploadPendingAttachments(vault)).rejects.toBeInstanceOf(NetworkError);

    // Every byte but one is on the server; the file still counts as not synced.
    expect(server.files.get(record.meta.id)!.received).toBe(CHUNK_BYTES);
    expect(await pendingAttachmentCount(vault)).toBe(1);
  });

  test('skips files the saved case no longer lists', async () => {
    const kept = await addDocument(100);
    await addDocument(200);
    await saveCase(1, [kept.meta.id]);

    expect(await pendingAttachmentCount(vault)).toBe(1);
    await uploadPendingAttachments(vault);

    expect([...server.files.keys()]).toEqual([kept.meta.id]);
  });
});

describe('attachments in the vault', () => {
  test('refuses a file over the size limit', async () => {
    await expect(addAttachment(vault, CASE_ID, 'documents', fileOf(2048), { photo: false, maxBytes: 1024 })).rejects.toBeInstanceOf(
      AttachmentTooLargeError,
    );
  });

  test('deleteAttachmentsOf removes the bytes too', async () => {
    const record = await addDocument(100);
    expect(await vault.keys('attachment')).toHaveLength(2);

    await deleteAttachmentsOf(vault, [CASE_ID]);

    expect(await vault.keys('attachment')).toEqual([]);
    expect(record.meta.caseId).toBe(CASE_ID);
  });

  test('downloads a file that is not on the device and keeps it', async () => {
    const record = await addDocument(500);
    await saveCase(1, [record.meta.id]);
    await uploadPendingAttachments(vault);
    await deleteAttachmentsOf(vault, [CASE_ID]);

    const blob = await attachmentBlob(vault, CASE_ID, record.meta.id);
    expect(blob).toBeDefined();
    expect(sha256(new Uint8Array(await blob!.arrayBuffer()))).toBe(record.meta.sha256);

    server.failAfterPatches = 0;
    const offline = await attachmentBlob(vault, CASE_ID, record.meta.id);
    expect(offline!.size).toBe(500);
  });
});
