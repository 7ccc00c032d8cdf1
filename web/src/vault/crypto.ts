// Encryption of the local vault with WebCrypto. A random AES-GCM data key encrypts every
// record. The key itself is stored only wrapped (AES-KW) under a key derived from the user's
// password with PBKDF2, so nothing on the phone is readable without the password.

/** PBKDF2-SHA-256 iterations. Each offline login pays this once; see docs/benchmarks.md. */
export const PBKDF2_ITERATIONS = 310_000;

export interface WrappedKey {
  salt: Uint8Array;
  iterations: number;
  wrapped: ArrayBuffer;
}

export interface Sealed {
  iv: Uint8Array;
  data: ArrayBuffer;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function passwordKey(password: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    material,
    { name: 'AES-KW', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** Makes a new data key and wraps it under `password`; returns the usable key and its wrapping. */
export async function createDataKey(password: string): Promise<{ key: CryptoKey; wrapped: WrappedKey }> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const kek = await passwordKey(password, salt, PBKDF2_ITERATIONS);
  // Extractable only for the moment it takes to wrap it; the copy kept in memory is not.
  const exportable = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  const wrapped = await crypto.subtle.wrapKey('raw', exportable, kek, 'AES-KW');
  const key = await crypto.subtle.unwrapKey('raw', wrapped, kek, 'AES-KW', 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { key, wrapped: { salt, iterations: PBKDF2_ITERATIONS, wrapped } };
}

/** Imports the per-user key the server hands out at each online login (base64url, 32 bytes). */
export async function importServerKey(base64url: string): Promise<CryptoKey> {
  const bytes = Uint8Array.from(atob(base64url.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
  return crypto.subtle.importKey('raw', bytes as BufferSource, 'AES-KW', false, ['wrapKey', 'unwrapKey']);
}

/** Wraps the data key under the server's key too, so a password reset does not lock the vault.
 * Needs an extractable copy of the key for a moment, which `createDataKey` and
 * `rewrapWithServerKey` provide; the key kept for use stays non-extractable. */
async function wrapBoth(
  exportable: CryptoKey,
  password: string,
  serverKey: CryptoKey | null,
): Promise<{ key: CryptoKey; wrapped: WrappedKey; serverWrapped: ArrayBuffer | null }> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const kek = await passwordKey(password, salt, PBKDF2_ITERATIONS);
  const wrapped = await crypto.subtle.wrapKey('raw', exportable, kek, 'AES-KW');
  const serverWrapped = serverKey ? await crypto.subtle.wrapKey('raw', exportable, serverKey, 'AES-KW') : null;
  const key = await crypto.subtle.unwrapKey('raw', wrapped, kek, 'AES-KW', 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { key, wrapped: { salt, iterations: PBKDF2_ITERATIONS, wrapped }, serverWrapped };
}

/** Makes a new data key, wrapped under `password` and, when given, the server's key. */
export async function createWrappedDataKey(password: string, serverKey: CryptoKey | null) {
  const exportable = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  return wrapBoth(exportable, password, serverKey);
}

/** Opens a vault with the server's key after the password changed, and wraps it under the new one. */
export async function rewrapWithServerKey(serverWrapped: ArrayBuffer, serverKey: CryptoKey, newPassword: string) {
  const exportable = await crypto.subtle.unwrapKey('raw', serverWrapped, serverKey, 'AES-KW', 'AES-GCM', true, [
    'encrypt',
    'decrypt',
  ]);
  return wrapBoth(exportable, newPassword, serverKey);
}

/** Adds the server-key wrapping to a vault made before it existed, using the password. */
export async function addServerWrapping(password: string, wrapped: WrappedKey, serverKey: CryptoKey) {
  const kek = await passwordKey(password, wrapped.salt, wrapped.iterations);
  const exportable = await crypto.subtle.unwrapKey('raw', wrapped.wrapped, kek, 'AES-KW', 'AES-GCM', true, [
    'encrypt',
    'decrypt',
  ]);
  return wrapBoth(exportable, password, serverKey);
}

/** Unwraps the data key with `password`; rejects when the password is wrong. */
export async function unwrapDataKey(password: string, wrapped: WrappedKey): Promise<CryptoKey> {
  const kek = await passwordKey(password, wrapped.salt, wrapped.iterations);
  return crypto.subtle.unwrapKey('raw', wrapped.wrapped, kek, 'AES-KW', 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function seal(key: CryptoKey, value: unknown): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource }, key, encoder.encode(JSON.stringify(value)));
  return { iv, data };
}

export async function open<T>(key: CryptoKey, sealed: Sealed): Promise<T> {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv as BufferSource }, key, sealed.data);
  return JSON.parse(decoder.decode(plain)) as T;
}

/** A stable, non-reversible name for a user's vault, so the registry contains no user names. */
export async function userKey(username: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(`sathi-vault:${username.trim().toLowerCase()}`));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
