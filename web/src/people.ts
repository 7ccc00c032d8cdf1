// Names of the people who own cases, for the supervisor's dashboard and the lists it opens. The
// case views carry owner ids only, so the names come from `GET /users/assignable`, the agency's
// users who can own cases, which roles with the `assign` grant may read. They are kept sealed in
// the vault, so the dashboard names its bars offline.

import { signal } from '@preact/signals';
import { api } from './api';
import { session } from './session';
import type { Vault } from './vault/store';

/** Full names by user id, as last fetched. */
export const peopleNames = signal<ReadonlyMap<string, string>>(new Map());

const PEOPLE_KEY = 'people';

interface Person {
  id: string;
  full_name: string;
}

/** Reads the names kept in the vault into memory. */
export async function loadPeople(vault: Vault): Promise<void> {
  const kept = await vault.get<Person[]>(PEOPLE_KEY);
  if (kept) peopleNames.value = namesOf(kept);
}

/** Fetches the names and keeps them in the vault. A failure keeps the names already known. */
export async function refreshPeople(vault: Vault): Promise<void> {
  try {
    const people = await api<Person[]>('GET', '/users/assignable');
    const kept = people.map((person) => ({ id: person.id, full_name: person.full_name }));
    await vault.put(PEOPLE_KEY, kept);
    peopleNames.value = namesOf(kept);
  } catch {
    // Offline, or a role without the list: the names known before stay.
  }
}

function namesOf(people: Person[]): Map<string, string> {
  return new Map(people.map((person) => [person.id, person.full_name]));
}

/** Forgets the names when the vault locks. */
export function forgetPeople(): void {
  peopleNames.value = new Map();
}

/** Returns the names known on this phone, the signed-in user's included. */
export function knownPeople(): ReadonlyMap<string, string> {
  const user = session.value?.user;
  const names = new Map(peopleNames.value);
  if (user) names.set(user.id, user.full_name);
  return names;
}
