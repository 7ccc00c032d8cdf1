// Web push on the phone: the settings toggle subscribes with the server's key and posts the
// subscription, and explains calmly why when the browser cannot (no push support, blocked, or a
// subscribe that fails as it does in headless Chromium). public/push-sw.js shows a pushed
// message and opens its address inside the app on a tap.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { h } from 'preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { locale, t } from '../src/i18n';
import { base64UrlToBytes, disablePush, enablePush, pushStatus } from '../src/push';
import { PushToggle } from '../src/screens/Settings';

const PUBLIC_KEY = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';

class FakeSubscription {
  unsubscribed = false;
  constructor(
    readonly endpoint: string,
    private readonly manager: FakePushManager,
  ) {}
  toJSON() {
    return { endpoint: this.endpoint, expirationTime: null, keys: { p256dh: 'BBrowserKey', auth: 'c2VjcmV0' } };
  }
  async unsubscribe() {
    this.unsubscribed = true;
    this.manager.current = null;
    return true;
  }
}

class FakePushManager {
  current: FakeSubscription | null = null;
  options: PushSubscriptionOptionsInit[] = [];
  failure: Error | null = null;
  async getSubscription() {
    return this.current;
  }
  async subscribe(options: PushSubscriptionOptionsInit) {
    this.options.push(options);
    if (this.failure) throw this.failure;
    this.current = new FakeSubscription('https://push.example.net/send/abc', this);
    return this.current;
  }
}

interface Call {
  method: string;
  path: string;
  body: unknown;
}

let manager: FakePushManager;
let calls: Call[];
let permission: NotificationPermission;
let requestResult: NotificationPermission;
let serverPushOff: boolean;

/** Installs the browser's push APIs; `registered` false means no service worker is registered. */
function installBrowser(registered = true) {
  vi.stubGlobal('PushManager', FakePushManager);
  vi.stubGlobal('Notification', {
    get permission() {
      return permission;
    },
    requestPermission: vi.fn(async () => {
      permission = requestResult;
      return requestResult;
    }),
  });
  const registration = registered ? { pushManager: manager } : undefined;
  Object.defineProperty(navigator, 'serviceWorker', {
    configurable: true,
    value: { getRegistration: async () => registration },
  });
}

function removeBrowserPush() {
  Reflect.deleteProperty(globalThis, 'PushManager');
  Reflect.deleteProperty(navigator, 'serviceWorker');
}

beforeEach(() => {
  locale.value = 'en';
  manager = new FakePushManager();
  calls = [];
  permission = 'default';
  requestResult = 'granted';
  serverPushOff = false;
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const path = url.replace('/api/v1', '');
    const method = init.method ?? 'GET';
    calls.push({ method, path, body: init.body ? JSON.parse(String(init.body)) : undefined });
    if (path === '/push/public-key' && serverPushOff) {
      const error = { error: { code: 'push_disabled', message: 'This server does not send notifications to phones.' } };
      return new Response(JSON.stringify(error), { status: 404 });
    }
    if (path === '/push/public-key') return new Response(JSON.stringify({ public_key: PUBLIC_KEY }), { status: 200 });
    if (method === 'DELETE') return new Response(null, { status: 204 });
    return new Response(JSON.stringify({ id: 's1' }), { status: 201 });
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  removeBrowserPush();
});

describe('push subscription', () => {
  test('enable posts the subscription', async () => {
    installBrowser();
    expect(await enablePush()).toBe('on');
    expect(manager.options).toHaveLength(1);
    expect(manager.options[0].userVisibleOnly).toBe(true);
    expect(manager.options[0].applicationServerKey).toEqual(base64UrlToBytes(PUBLIC_KEY));
    const posted = calls.find((call) => call.method === 'POST');
    expect(posted?.path).toBe('/push/subscriptions');
    expect(posted?.body).toEqual(manager.current?.toJSON());
    expect(await pushStatus()).toBe('on');
  });

  test('blocked permission posts nothing', async () => {
    installBrowser();
    requestResult = 'denied';
    expect(await enablePush()).toBe('denied');
    expect(manager.options).toHaveLength(0);
    expect(calls.filter((call) => call.method === 'POST')).toHaveLength(0);
    expect(await pushStatus()).toBe('denied');
  });

  test('failed subscribe reports failed', async () => {
    installBrowser();
    manager.failure = new DOMException('Registration failed - push service error', 'AbortError');
    expect(await enablePush()).toBe('failed');
    expect(calls.filter((call) => call.method === 'POST')).toHaveLength(0);
  });

  test('server without push', async () => {
    installBrowser();
    serverPushOff = true;
    expect(await enablePush()).toBe('server-off');
    expect(manager.options).toHaveLength(0);
  });

  test('browser without push support', async () => {
    expect(await pushStatus()).toBe('unsupported');
    expect(await enablePush()).toBe('unsupported');
    installBrowser(false);
    expect(await pushStatus()).toBe('unsupported');
  });

  test('disable deletes on the server first', async () => {
    installBrowser();
    await enablePush();
    const subscription = manager.current!;
    expect(await disablePush()).toBe('off');
    const deleted = calls.find((call) => call.method === 'DELETE');
    expect(deleted?.path).toBe('/push/subscriptions');
    expect(deleted?.body).toEqual({ endpoint: 'https://push.example.net/send/abc' });
    expect(subscription.unsubscribed).toBe(true);
    expect(await pushStatus()).toBe('off');
  });

  test('base64url keys decode with or without padding', () => {
    expect(Array.from(base64UrlToBytes('-_8'))).toEqual([0xfb, 0xff]);
    expect(Array.from(base64UrlToBytes('-_8='))).toEqual([0xfb, 0xff]);
    expect(base64UrlToBytes(PUBLIC_KEY)).toHaveLength(65);
  });
});

describe('settings toggle', () => {
  test('failed subscribe is explained', async () => {
    installBrowser();
    manager.failure = new DOMException('Registration failed - push service error', 'AbortError');
    render(h(PushToggle, {}));
    expect(screen.getByText(t('push-title'))).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('status').getAttribute('data-state')).toBe('off'));
    fireEvent.click(screen.getByRole('button', { name: t('push-turn-on') }));
    await waitFor(() => expect(screen.getByRole('status').getAttribute('data-state')).toBe('failed'));
    expect(screen.getByRole('status').textContent).toBe(t('push-failed'));
    expect(screen.getByRole('button', { name: t('push-turn-on') })).toBeTruthy();
  });

  test('turns on and off in Bangla', async () => {
    locale.value = 'bn';
    installBrowser();
    render(h(PushToggle, {}));
    fireEvent.click(await screen.findByRole('button', { name: t('push-turn-on') }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(t('push-on')));
    expect(t('push-on')).toBe('এই ফোনে বিজ্ঞপ্তি চালু আছে।');
    fireEvent.click(screen.getByRole('button', { name: t('push-turn-off') }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(t('push-off')));
  });

  test('unsupported browser has no button', async () => {
    render(h(PushToggle, {}));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(t('push-unsupported')));
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('service worker push handler', () => {
  const ORIGIN = 'https://sathi.example.org';
  type Listener = (event: Record<string, unknown>) => void;

  function loadWorker(windows: { url: string; navigate: ReturnType<typeof vi.fn>; focus: ReturnType<typeof vi.fn> }[]) {
    const listeners: Record<string, Listener> = {};
    const worker = {
      location: { origin: ORIGIN },
      addEventListener: (name: string, listener: Listener) => void (listeners[name] = listener),
      registration: { showNotification: vi.fn(async () => undefined) },
      clients: { matchAll: vi.fn(async () => windows), openWindow: vi.fn(async () => null) },
    };
    const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'push-sw.js'), 'utf8');
    new Function('self', 'clients', source)(worker, worker.clients);
    return { listeners, worker };
  }

  async function dispatch(listener: Listener, event: Record<string, unknown>) {
    const pending: Promise<unknown>[] = [];
    listener({ ...event, waitUntil: (promise: Promise<unknown>) => pending.push(promise) });
    await Promise.all(pending);
  }

  test('push shows the title and body', async () => {
    const { listeners, worker } = loadWorker([]);
    const payload = { title: 'নতুন রেফারেল', body: 'কেস CXB-000001 আপনার কাছে রেফার করা হয়েছে।', url: '/#/notifications' };
    await dispatch(listeners.push, { data: { json: () => payload } });
    expect(worker.registration.showNotification).toHaveBeenCalledWith('নতুন রেফারেল', {
      body: payload.body,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: `${ORIGIN}/#/notifications` },
    });
  });

  test('foreign or broken payload stays in the app', async () => {
    const { listeners, worker } = loadWorker([]);
    await dispatch(listeners.push, { data: { json: () => ({ title: 'x', url: 'https://evil.example/steal' }) } });
    await dispatch(listeners.push, {
      data: {
        json: () => {
          throw new SyntaxError('bad JSON');
        },
      },
    });
    const shown = worker.registration.showNotification.mock.calls as unknown as [string, { data: { url: string } }][];
    expect(shown[0][1].data.url).toBe(`${ORIGIN}/`);
    expect(shown[1][0]).toBe('Sathi');
  });

  test('tap focuses an open window', async () => {
    const open = { url: `${ORIGIN}/#/tasks`, navigate: vi.fn(async () => undefined), focus: vi.fn(async () => undefined) };
    const { listeners, worker } = loadWorker([open]);
    const notification = { close: vi.fn(), data: { url: `${ORIGIN}/#/notifications` } };
    await dispatch(listeners.notificationclick, { notification });
    expect(notification.close).toHaveBeenCalled();
    expect(open.navigate).toHaveBeenCalledWith(`${ORIGIN}/#/notifications`);
    expect(open.focus).toHaveBeenCalled();
    expect(worker.clients.openWindow).not.toHaveBeenCalled();
  });

  test('tap opens a window when none is open', async () => {
    const { listeners, worker } = loadWorker([]);
    await dispatch(listeners.notificationclick, { notification: { close: vi.fn(), data: { url: `${ORIGIN}/#/notifications` } } });
    expect(worker.clients.openWindow).toHaveBeenCalledWith(`${ORIGIN}/#/notifications`);
  });
});
