// Every failure the screens show, as a message of the catalogue in the user's language. The
// browser's own texts ("Failed to fetch", "QuotaExceededError") are English whatever the user
// reads, and a bare error code means nothing to a caseworker, so neither reaches the screen.

import { ApiError, NetworkError } from './api';
import { t, tryT } from './i18n';

/** Returns the message to show for `failure`: the server's message when it sent one (already in
 * the user's language), otherwise the catalogue's message for the error code or the kind of
 * failure. */
export function errorText(failure: unknown): string {
  if (failure instanceof NetworkError) return t('error-network');
  // The server's message for a disabled account counts the changes a `/sync` kept aside, which
  // other requests cannot know; the sync this answer starts decides what the user reads next.
  if (failure instanceof ApiError && failure.code === 'account_disabled') return t('error-account-disabled-sending');
  if (failure instanceof ApiError) return failure.message || apiErrorText(failure.status, failure.code);
  if (failure instanceof DOMException && failure.name === 'QuotaExceededError') return t('error-storage-full');
  return t('error-on-device');
}

/** Returns the message for a rejected change: the server's reason, or the catalogue's for its code. */
export function rejectionText(code: string, message: string): string {
  return message || tryT(`error-${code}`) || t('error-rejected');
}

function apiErrorText(status: number, code: string): string {
  const known = tryT(`error-${code}`);
  if (known) return known;
  if (status >= 500) return t('error-server');
  return t('error-rejected');
}
