// Photos and documents of case fields: kept in the encrypted vault, uploaded to the server in
// resumable chunks, counted as synced only when the server has verified their size and SHA-256.
//
// Each attachment is two vault records, so that progress updates and counts never decrypt the
// file itself:
//   attachment:<caseId>:<id>        its metadata and upload state (AttachmentRecord)
//   attachment-bytes:<caseId>:<id>  its bytes, base64
// The protocol is in docs/sync.md, section "Attachments".

import { signal } from '@preact/signals';
import { ApiError, NetworkError, type FieldErrorBody } from './api';
import type { Vault } from './vault/store';

export interface UploadProgress {
  files: number;
  filesDone: number;
  bytes: number;
  bytesDone: number;
}

/** `waiting`: not on the server yet, or partly. `verified`: the server checked size and hash. */
export type AttachmentState = 'waiting' | 'verified';

export interface AttachmentMeta {
  id: string;
  caseId: string;
  fieldId: string;
  fileName: string;
  contentType: string;
  size: number;
  /** SHA-256 of the bytes, lowercase hex. */
  sha256: string;
}

export interface AttachmentRecord {
  meta: AttachmentMeta;
  state: AttachmentState;
  /** Bytes the server held in its last response. The server's own count decides where to resume. */
  uploaded: number;
  /** The server's reason for rejecting the file, in the user's language. */
  error?: string;
  /** False when only the metadata is on this device (the file was not downloaded yet). */
  hasBytes: boolean;
}

/** The server's attachment view (`GET /api/v1/attachments/{id}`). */
interface ServerAttachment {
  id: string;
  received: number;
  status: 'uploading' | 'verified';
}

/** Bytes per PATCH: 128 KiB crosses a slow 3G link in a few seconds, so a dropped link loses little. */
export const CHUNK_BYTES = 128 * 1024;
/** The server's default `max_attachment_bytes`, used unless the configuration sets another. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Maximum edge of a stored photo in pixels, and its JPEG quality. */
export const PHOTO_MAX_EDGE = 1600;
export const PHOTO_QUALITY = 0.8;

const RECORD_PREFIX = 'attachment:';
const BYTES_PREFIX = 'attachment-bytes:';
const CASE_PREFIX = 'case:';

/** Upload state of each attachment being sent now, by id, for the field's progress line. */
export const uploadingNow = signal<Record<string, { sent: number; size: number }>>({});
/** Increases whenever an attachment record changes, so views re-read the vault. */
export const attachmentsChanged = signal(0);

const recordKey = (caseId: string, id: string) => `${RECORD_PREFIX}${caseId}:${id}`;
const bytesKey = (caseId: string, id: string) => `${BYTES_PREFIX}${caseId}:${id}`;

/** The file is larger than the deployment allows; `maxBytes` is the limit. */
export class AttachmentTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super('attachment too large');
  }
}

/** Stores a file for `fieldId` of `caseId` in the vault, to be uploaded at the next sync, and
 * returns its record. Photos are downscaled first; other files are kept as they are. */
export async function addAttachment(
  vault: Vault,
  caseId: string,
  fieldId: string,
  file: Blob & { name?: string },
  options: { photo: boolean; maxBytes?: number },
): Promise<AttachmentRecord> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  let blob: Blob = file;
  let fileName = file.name || 'attachment';
  if (options.photo && file.type.startsWith('image/')) {
    const scaled = await downscalePhoto(file);
    if (scaled) {
      blob = scaled;
      fileName = fileName.replace(/\.[^.]*$/, '') + '.jpg';
    }
  }
  if (blob.size > maxBytes) throw new AttachmentTooLargeError(maxBytes);
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const meta: AttachmentMeta = {
    id: crypto.randomUUID(),
    caseId,
    fieldId,
    fileName,
    contentType: blob.type || 'application/octet-stream',
    size: bytes.length,
    sha256: await sha256Hex(bytes),
  };
  const record: AttachmentRecord = { meta, state: 'waiting', uploaded: 0, hasBytes: true };
  await vault.putMany([
    [recordKey(caseId, meta.id), record],
    [bytesKey(caseId, meta.id), toBase64(bytes)],
  ]);
  attachmentsChanged.value += 1;
  return record;
}

/** Reads an attachment's record from the vault. */
export async function attachmentRecord(vault: Vault, caseId: string, id: string): Promise<AttachmentRecord | undefined> {
  return vault.get<AttachmentRecord>(recordKey(caseId, id));
}

/** Returns the file of an attachment: from the vault, or downloaded from the server (and then
 * kept in the vault for offline use). `undefined` when it is on neither. */
export async function attachmentBlob(vault: Vault, caseId: string, id: string): Promise<Blob | undefined> {
  const record = await attachmentRecord(vault, caseId, id);
  const stored = await vault.get<string>(bytesKey(caseId, id));
  if (record && stored !== undefined) return new Blob([fromBase64(stored)], { type: record.meta.contentType });

  const response = await send('GET', `/attachments/${id}/content`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
  const meta: AttachmentMeta = {
    id,
    caseId,
    fieldId: record?.meta.fieldId ?? '',
    fileName: record?.meta.fileName ?? fileNameOf(response) ?? id,
    contentType,
    size: bytes.length,
    sha256: await sha256Hex(bytes),
  };
  await vault.putMany([
    [recordKey(caseId, id), { meta, state: 'verified', uploaded: bytes.length, hasBytes: true } satisfies AttachmentRecord],
    [bytesKey(caseId, id), toBase64(bytes)],
  ]);
  attachmentsChanged.value += 1;
  return new Blob([bytes], { type: contentType });
}

/** Uploads every attachment that the server has not verified and whose case the server already
 * has (`case:<id>` at version 1 or later). A broken connection stops the run with a
 * NetworkError; the next run requests the server's progress and resumes there. A file the
 * server refuses keeps its reason in `error` and the others go on. */
export async function uploadPendingAttachments(vault: Vault, onProgress?: (progress: UploadProgress) => void): Promise<void> {
  const records = await uploadable(vault);
  const progress: UploadProgress = {
    files: records.length,
    filesDone: 0,
    bytes: records.reduce((sum, record) => sum + record.meta.size, 0),
    bytesDone: 0,
  };
  onProgress?.({ ...progress });
  try {
    for (const record of records) {
      const before = progress.bytesDone;
      try {
        await uploadOne(vault, record, (sent) => {
          progress.bytesDone = before + sent;
          onProgress?.({ ...progress });
        });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        await vault.put(recordKey(record.meta.caseId, record.meta.id), { ...record, error: error.message });
        attachmentsChanged.value += 1;
      }
      progress.bytesDone = before + record.meta.size;
      progress.filesDone += 1;
      onProgress?.({ ...progress });
    }
  } finally {
    uploadingNow.value = {};
  }
}

/** Deletes the attachments of `caseIds` from the vault, uploaded or not. */
export async function deleteAttachmentsOf(vault: Vault, caseIds: string[]): Promise<void> {
  const keys: string[] = [];
  for (const caseId of caseIds) {
    keys.push(...(await vault.keys(`${RECORD_PREFIX}${caseId}:`)), ...(await vault.keys(`${BYTES_PREFIX}${caseId}:`)));
  }
  if (keys.length === 0) return;
  await vault.putMany([], keys);
  attachmentsChanged.value += 1;
}

/** Counts the attachments in the vault that the server has not verified yet, among those the
 * saved case still lists. */
export async function pendingAttachmentCount(vault: Vault): Promise<number> {
  const records = (await vault.all<AttachmentRecord>(RECORD_PREFIX)).filter((record) => record.state !== 'verified');
  return (await referenced(vault, records)).length;
}

/** Returns the unverified attachments whose case the server already has (version 1 or later). */
async function uploadable(vault: Vault): Promise<AttachmentRecord[]> {
  const records = (await vault.all<AttachmentRecord>(RECORD_PREFIX)).filter((record) => record.state !== 'verified' && record.hasBytes);
  return referenced(vault, records, 1);
}

/** Keeps the records whose case is in the vault at `minVersion` or later and lists the
 * attachment in its field. A file added to a form that was then cancelled, or removed from the
 * field, is neither counted nor uploaded.
 * NOTE: such unlisted files stay in the vault, sealed, until their case leaves the device. */
async function referenced(vault: Vault, records: AttachmentRecord[], minVersion = 0): Promise<AttachmentRecord[]> {
  const cases = new Map<string, { version?: number; data?: Record<string, unknown> } | undefined>();
  const result: AttachmentRecord[] = [];
  for (const record of records) {
    const { caseId, fieldId, id } = record.meta;
    if (!cases.has(caseId)) cases.set(caseId, await vault.get(CASE_PREFIX + caseId));
    const stored = cases.get(caseId);
    if (!stored || (stored.version ?? 0) < minVersion) continue;
    const value = stored.data?.[fieldId];
    if (value === id || (Array.isArray(value) && value.includes(id))) result.push(record);
  }
  return result;
}

/** Sends one attachment from where the server's copy ends, until the server verifies it. */
async function uploadOne(vault: Vault, record: AttachmentRecord, onSent: (sent: number) => void): Promise<void> {
  const { meta } = record;
  const stored = await vault.get<string>(bytesKey(meta.caseId, meta.id));
  if (stored === undefined) return;
  const bytes = fromBase64(stored);

  let server = await progressOnServer(meta);
  let restarts = 0;
  while (server.status !== 'verified') {
    const offset = server.received;
    showSending(meta, offset);
    onSent(offset);
    const chunk = bytes.slice(offset, Math.min(offset + CHUNK_BYTES, bytes.length));
    try {
      server = await json<ServerAttachment>(
        await send('PATCH', `/attachments/${meta.id}`, chunk, {
          'content-type': 'application/offset+octet-stream',
          'upload-offset': String(offset),
        }),
      );
    } catch (error) {
      if (error instanceof OffsetMismatch) {
        // Another attempt of this device got further (or less far) than we knew: take the server's count.
        server = { id: meta.id, received: error.received, status: error.status };
      } else if (error instanceof ApiError && error.code === 'hash_mismatch' && restarts === 0) {
        // The server discarded the damaged bytes; send the whole file once more.
        restarts += 1;
        server = { id: meta.id, received: 0, status: 'uploading' };
      } else {
        throw error;
      }
    }
    if (server.status !== 'verified') {
      await vault.put(recordKey(meta.caseId, meta.id), { ...record, uploaded: server.received, error: undefined });
    }
  }
  showSending(meta, meta.size);
  onSent(meta.size);
  await vault.put(recordKey(meta.caseId, meta.id), { ...record, state: 'verified', uploaded: meta.size, error: undefined });
  attachmentsChanged.value += 1;
}

/** Requests the server's progress on the file, registering the upload if it has none. */
async function progressOnServer(meta: AttachmentMeta): Promise<ServerAttachment> {
  try {
    return await json<ServerAttachment>(await send('GET', `/attachments/${meta.id}`));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
  }
  const registration = {
    id: meta.id,
    case_id: meta.caseId,
    field_id: meta.fieldId,
    file_name: meta.fileName,
    content_type: meta.contentType,
    size: meta.size,
    sha256: meta.sha256,
  };
  return json<ServerAttachment>(
    await send('POST', '/attachments', JSON.stringify(registration), { 'content-type': 'application/json' }),
  );
}

function showSending(meta: AttachmentMeta, sent: number): void {
  uploadingNow.value = { ...uploadingNow.value, [meta.id]: { sent, size: meta.size } };
}

/** A 409 to a chunk: the server holds `received` bytes. */
class OffsetMismatch extends Error {
  constructor(
    readonly received: number,
    readonly status: ServerAttachment['status'],
  ) {
    super('upload offset mismatch');
  }
}

/** Sends a request to the API. A failed connection is a NetworkError; an error response is an
 * ApiError, or an OffsetMismatch for a 409 that carries the server's `received`. */
async function send(method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method, credentials: 'same-origin', headers, body });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  if (response.ok) return response;

  let parsed: { error?: { code?: string; message?: string; fields?: FieldErrorBody[] }; received?: number; status?: string } | null = null;
  try {
    parsed = JSON.parse(await response.text());
  } catch {
    // A proxy's HTML error page, or a connection cut while reading: reported by status below.
  }
  if (response.status === 409 && typeof parsed?.received === 'number') {
    throw new OffsetMismatch(parsed.received, parsed.status === 'verified' ? 'verified' : 'uploading');
  }
  const error = parsed?.error;
  throw new ApiError(response.status, error?.code ?? 'internal_error', error?.message ?? response.statusText, error?.fields ?? []);
}

async function json<T>(response: Response): Promise<T> {
  try {
    return (await response.json()) as T;
  } catch (error) {
    // The connection broke while the body was arriving.
    throw new NetworkError(String(error));
  }
}

function fileNameOf(response: Response): string | undefined {
  const header = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (!encoded) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/** Returns the lowercase hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode's argument list short.
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Draws a photo at most PHOTO_MAX_EDGE pixels on its long edge and encodes it as JPEG.
 * Returns `undefined` where the browser cannot decode the image, so the original is kept. */
export async function downscalePhoto(file: Blob): Promise<Blob | undefined> {
  if (typeof createImageBitmap === 'undefined' || typeof document === 'undefined') return undefined;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return undefined;
  }
  const scale = Math.min(1, PHOTO_MAX_EDGE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const scaled = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', PHOTO_QUALITY));
  // A small photo that JPEG makes larger is kept as it was.
  if (!scaled || (scale === 1 && scaled.size >= file.size && file.type === 'image/jpeg')) return undefined;
  return scaled;
}
