/// <reference types="node" />
// The deployment's real configuration under config/, assembled as
// crates/sathi-domain/src/config_files.rs does, for tests that render screens.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Configuration, Form } from '../src/domain/config';

const configDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'config');

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(configDir, name), 'utf8')) as T;
}

/** Reads config/, with the forms sorted by `order`. */
export function loadConfiguration(): Configuration {
  const forms = readdirSync(join(configDir, 'forms'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => readJson<Form>(join('forms', name)))
    .sort((a, b) => a.order - b.order);
  return {
    deployment: readJson('deployment.json'),
    lookups: readJson('lookups.json'),
    locations: readJson('locations.json'),
    agencies: readJson('agencies.json'),
    roles: readJson('roles.json'),
    forms,
  };
}
