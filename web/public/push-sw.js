// Web push handlers of Sathi's service worker. vite.config.ts has Workbox's generated worker
// load this file with importScripts, so it is a classic script without imports.
//
// The server sends {title, body, url}: text in the recipient's language that never names a
// child, and an address inside the app. A tap opens that address in an open Sathi window, or in
// a new one.

/* global self, clients */

function pushPayload(data) {
  try {
    const payload = data ? data.json() : null;
    return payload && typeof payload === 'object' ? payload : {};
  } catch (error) {
    return {};
  }
}

/** Returns `url` if it is inside this app's origin, else the app's start page. */
function sameOriginUrl(worker, url) {
  try {
    const target = new URL(url || '/', worker.location.origin);
    return target.origin === worker.location.origin ? target.href : worker.location.origin + '/';
  } catch (error) {
    return worker.location.origin + '/';
  }
}

function showPush(worker, data) {
  const payload = pushPayload(data);
  const title = typeof payload.title === 'string' && payload.title ? payload.title : 'Sathi';
  return worker.registration.showNotification(title, {
    body: typeof payload.body === 'string' ? payload.body : '',
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    data: { url: sameOriginUrl(worker, payload.url) },
  });
}

async function openUrl(worker, url) {
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin !== worker.location.origin) continue;
    if ('navigate' in client) await client.navigate(url);
    return client.focus();
  }
  return worker.clients.openWindow(url);
}

self.addEventListener('push', (event) => {
  event.waitUntil(showPush(self, event.data));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = sameOriginUrl(self, event.notification.data && event.notification.data.url);
  event.waitUntil(openUrl(self, url));
});
