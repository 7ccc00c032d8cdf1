// The sync bar: what it says for each state of the connection, the outbox and the download, so
// that no two parts of it contradict each other.

import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, test } from 'vitest';

import { SyncBar } from '../src/components/SyncBar';
import { locale } from '../src/i18n';
import type { NotSentEntry } from '../src/model';
import { clearLocalState, notSent, syncState, type SyncState } from '../src/sync';

function show(state: Partial<SyncState>, rejected = 0): HTMLElement {
  syncState.value = { ...syncState.value, online: true, ...state };
  notSent.value = Array.from({ length: rejected }, (_, index) => ({ mutationId: `m${index}`, caseId: 'c' }) as NotSentEntry);
  render(<SyncBar />);
  return screen.getByTestId('sync-bar');
}

afterEach(() => {
  cleanup();
  clearLocalState();
  locale.value = 'en';
});

describe('SyncBar', () => {
  test('everything sent', () => {
    const bar = show({ lastSync: Date.UTC(2024, 4, 10, 4) });
    expect(bar.textContent).toContain('All changes sent');
    expect(screen.getByTestId('connection').textContent).toBe('Online');
  });

  test('not-accepted change is not all sent', () => {
    const bar = show({ lastSync: Date.UTC(2024, 4, 10, 4) }, 1);
    expect(bar.textContent).toContain('1 change not accepted');
    expect(bar.textContent).not.toContain('All changes sent');
  });

  test('waiting file is not all sent', () => {
    const bar = show({ attachments: 2 });
    expect(bar.textContent).toContain('2 files waiting to upload');
    expect(bar.textContent).not.toContain('All changes sent');
  });

  test('failed request while online retries', () => {
    show({ unreachable: true });
    expect(screen.getByTestId('connection').textContent).toBe('Could not reach the server, retrying');
  });

  test('browser without network is offline', () => {
    show({ online: false, unreachable: false });
    expect(screen.getByTestId('connection').textContent).toBe('Offline');
  });

  test('stopped first download shows its progress', () => {
    const bar = show({ incomplete: { done: 284, total: 339 }, lastSync: null });
    expect(screen.getByTestId('download-incomplete').textContent).toBe('Downloaded 284 of 339 cases; continuing when the connection returns');
    expect(bar.textContent).not.toContain('Not synced yet');
  });

  test('stopped download in Bangla', () => {
    locale.value = 'bn';
    show({ incomplete: { done: 284, total: 339 }, unreachable: true });
    expect(screen.getByTestId('download-incomplete').textContent).toBe('৩৩৯টির মধ্যে ২৮৪টি কেস ডাউনলোড হয়েছে; সংযোগ ফিরলে বাকিগুলো আসবে');
    expect(screen.getByTestId('connection').textContent).toBe('সার্ভারে পৌঁছানো যায়নি, আবার চেষ্টা করা হচ্ছে');
  });
});
