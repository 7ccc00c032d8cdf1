// Web push on this phone: subscribing the service worker with the server's VAPID key, and
// telling the server where to send. The messages themselves are shown by public/push-sw.js,
// which the Workbox service worker loads.
//
// Every failure becomes a state that the settings screen explains, because many browsers cannot
// receive push at all (iOS outside an installed app, browsers without a reachable push service),
// and the in-app list works without it.

import { api, ApiError } from './api';

/** The push state of this phone, as the settings screen shows it:
 * - `unsupported`: this browser has no service worker push, or the app runs without its worker;
 * - `denied`: the user blocked notifications for the site;
 * - `server-off`: the server does not send push (`push_disabled`);
 * - `failed`: the browser or the server rejected the subscription, or the network failed;
 * - `off` and `on`: this phone is not or is subscribed. */
export type PushState = 'unsupported' | 'denied' | 'server-off' | 'failed' | 'off' | 'on';

interface PublicKeyView {
  public_key: string;
}

/** Whether the browser has the APIs that push needs. */
export function pushSupported(): boolean {
  return typeof navigator !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in globalThis && 'Notification' in globalThis;
}

/** Returns the service worker registration of the app, or null where none is registered (the
 * development server runs without one). */
async function registration(): Promise<ServiceWorkerRegistration | null> {
  try {
    return (await navigator.serviceWorker.getRegistration('/')) ?? null;
  } catch {
    return null;
  }
}

/** Reads this phone's push state without asking the user anything. */
export async function pushStatus(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const worker = await registration();
  if (!worker) return 'unsupported';
  try {
    const subscription = await worker.pushManager.getSubscription();
    return subscription && Notification.permission === 'granted' ? 'on' : 'off';
  } catch {
    return 'off';
  }
}

/** Asks for permission, subscribes with the server's public key and sends the subscription to
 * the server. Returns the resulting state; it never throws. */
export async function enablePush(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  let permission: NotificationPermission;
  try {
    permission = await Notification.requestPermission();
  } catch {
    return 'failed';
  }
  if (permission === 'denied') return 'denied';
  if (permission !== 'granted') return 'off';

  let key: PublicKeyView;
  try {
    key = await api<PublicKeyView>('GET', '/push/public-key');
  } catch (error) {
    return error instanceof ApiError && error.code === 'push_disabled' ? 'server-off' : 'failed';
  }
  const worker = await registration();
  if (!worker) return 'unsupported';

  let subscription: PushSubscription;
  try {
    subscription = await worker.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: base64UrlToBytes(key.public_key),
    });
  } catch {
    // Headless browsers and networks without a reachable push service end here.
    return 'failed';
  }
  try {
    await api('POST', '/push/subscriptions', subscription.toJSON());
  } catch {
    await subscription.unsubscribe().catch(() => undefined);
    return 'failed';
  }
  return 'on';
}

/** Unsubscribes this phone. The server's subscription is deleted first, so that the server
 * stops sending even if the browser's unsubscribe fails. Offline, the server keeps the subscription
 * until its push service reports it gone. */
export async function disablePush(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  const worker = await registration();
  if (!worker) return 'unsupported';
  const subscription = await worker.pushManager.getSubscription().catch(() => null);
  if (!subscription) return 'off';
  await api('DELETE', '/push/subscriptions', { endpoint: subscription.endpoint }).catch(() => undefined);
  await subscription.unsubscribe().catch(() => false);
  return 'off';
}

/** Decodes base64url (with or without padding) to bytes, for `applicationServerKey`. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
