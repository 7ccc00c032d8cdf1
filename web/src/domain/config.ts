// The deployment's configuration as the server sends it: the serde JSON of
// `crates/sathi-domain/src/config.rs` and `permissions.rs`, field for field. Keys are snake_case
// and a field's type is the `type` tag, as in the files under `config/`. Optional keys that serde
// skips when empty are optional here.

/** A text a person reads, keyed by locale code (`en`, `bn`). */
export type LocalizedText = Record<string, string>;

/** Returns the text in `locale`, falling back to English and then to any locale, as the server does. */
export function localizedText(text: LocalizedText, locale: string): string {
  return text[locale] ?? text['en'] ?? Object.values(text)[0] ?? '';
}

/** Digit scripts a deployment may accept besides ASCII. */
export type DigitScript = 'bengali' | 'myanmar' | 'arabic_indic';

export interface LoginPolicy {
  max_failed_attempts: number;
  lockout_minutes: number;
  session_hours: number;
  min_password_chars: number;
}

/** Settings that apply to the whole deployment (`config/deployment.json`). */
export interface Deployment {
  config_version: string;
  name: LocalizedText;
  /** IANA name of the deployment's time zone, shown to people. */
  time_zone: string;
  /** Offset of that zone from UTC in minutes, 360 for Asia/Dhaka. Zones with daylight saving are not supported. */
  utc_offset_minutes: number;
  /** Locales every text exists in. The first one is the default. */
  locales: string[];
  accepted_digit_scripts: DigitScript[];
  display_id_prefix: string;
  login: LoginPolicy;
  /** Largest attachment accepted, in bytes; the server's default (10 MiB) when absent. */
  max_attachment_bytes?: number;
  /**
   * Deadlines of the casework steps. The server always sends the whole object. A configuration
   * that an older server sent lacks it, and `workflowRules` in `due.ts` then gives the defaults.
   */
  workflow?: WorkflowRules;
  /**
   * Suppression, age ranges and snapshot timing of reports. The server always sends the whole
   * object. A configuration that an older server sent lacks it, and `reportSettings` in
   * `reports.ts` then gives the defaults.
   */
  reports?: ReportSettings;
}

/** Settings of reports (`reports` in `deployment.json`). */
export interface ReportSettings {
  /** Counts from 1 to one below this number are withheld in figures shared outside an agency. */
  suppression_threshold: number;
  /** Closed ranges of whole years `[min, max]`; `max` is `null` for "and older". */
  age_ranges: [number, number | null][];
  /** Minutes between two computations of the coordination dashboard. */
  coordination_snapshot_minutes: number;
}

/** A number of days for each risk level of the `risk_level` lookup. */
export interface RiskLevelDays {
  high: number;
  medium: number;
  low: number;
}

/** The deadlines that `dueItems` (`due.ts`) computes due dates from, in whole days. */
export interface WorkflowRules {
  /** Days from registration (or reopening) to the assessment, by risk level. */
  assessment_due_days: RiskLevelDays;
  /** Days from registration (or reopening) to the assessment while the risk level is not rated. */
  assessment_due_days_unrated: number;
  /** Days from the completed assessment to the case plan, unless the assessment sets a date. */
  case_plan_due_days: number;
  /** Days between follow-up visits once the case plan is approved. An unrated case uses `low`. */
  follow_up_every_days: RiskLevelDays;
  /**
   * Days from the case plan's approval (before it, from registration or reopening) to a service,
   * by option id of the `service_response_timeframe` lookup.
   */
  service_timeframe_days: Record<string, number>;
  /** Days to a service whose timeframe is empty or not in `service_timeframe_days`. */
  service_due_days_default: number;
}

export interface LookupOption {
  id: string;
  label: LocalizedText;
}

/** One option list (`config/lookups.json` contains a list of these). */
export interface Lookup {
  id: string;
  name: LocalizedText;
  options: LookupOption[];
}

export type LocationLevel = 'country' | 'division' | 'district' | 'upazila' | 'camp' | 'union' | 'block';

/** One place in the location hierarchy (`config/locations.json` contains a flat list). */
export interface Location {
  /** Stable code such as `BD-CTG-CXB-UKH-C01E-A`. Every code starts with its parent's code and `-`. */
  code: string;
  level: LocationLevel;
  name: LocalizedText;
  /** Code of the enclosing location, `null` only for the country. */
  parent: string | null;
}

/** An organisation of the inter-agency setting (`config/agencies.json`). */
export interface Agency {
  id: string;
  code: string;
  name: LocalizedText;
  /** Option ids of the `service_type` lookup this agency provides. */
  services: string[];
}

/** A value computed from other fields, tagged by `kind`. Both the server and the client compute it. */
export type Calculation =
  | { kind: 'age_years'; from: string }
  | { kind: 'days_between'; from: string; to?: string };

export type SystemSource =
  | 'case_id'
  | 'display_id'
  | 'owner'
  | 'owner_agency'
  | 'assigned_users'
  | 'created_by'
  | 'created_at'
  | 'previous_owners'
  | 'status'
  | 'stage';

/**
 * A visibility rule, untagged: the keys tell the kind. Inside a subform, the configuration
 * documents `field` as naming a field of the same row first and a top-level field otherwise.
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { field: string; equals: unknown }
  | { field: string; includes: string }
  | { field: string; is_set: boolean };

/** The type of a field and the settings that only that type has. */
export type FieldKind =
  | { type: 'text'; max_chars?: number }
  | { type: 'textarea'; max_chars?: number }
  | { type: 'number'; min?: number; max?: number; decimal?: boolean }
  | { type: 'date'; not_future?: boolean }
  | { type: 'date_time' }
  | { type: 'select'; lookup: string }
  | { type: 'multi_select'; lookup: string }
  | { type: 'radio'; lookup: string }
  | { type: 'tick_box' }
  | { type: 'tally'; lookup: string }
  | { type: 'subform'; fields: Field[]; row_title_field?: string }
  | { type: 'separator' }
  | { type: 'photo' }
  | { type: 'audio' }
  | { type: 'document' }
  | { type: 'signature' }
  | { type: 'location'; min_level?: LocationLevel }
  | { type: 'calculated'; calculation: Calculation }
  | { type: 'system'; source: SystemSource };

export type FieldType = FieldKind['type'];

/** The settings every field has. */
export interface FieldCommon {
  id: string;
  label: LocalizedText;
  help?: LocalizedText;
  required?: boolean;
  /** The field is shown but never written by a person (system and calculated values). */
  read_only?: boolean;
  /** The field is hidden unless this condition holds. A hidden field is not required. */
  visible_if?: Condition;
}

/** One field of a form, with its type settings flattened into the same object. */
export type Field = FieldCommon & FieldKind;

/** A form section of the case record (`config/forms/*.json`, one file per form). */
export interface Form {
  id: string;
  name: LocalizedText;
  /** Position of the form in the case view, ascending. */
  order: number;
  fields: Field[];
}

/** Something a role may do with cases or with the deployment. */
export type Action =
  | 'read'
  | 'create'
  | 'write'
  | 'assign'
  | 'refer'
  | 'transfer'
  | 'approve'
  | 'close'
  | 'reopen'
  | 'disable'
  | 'export'
  | 'import'
  | 'receive_referrals'
  | 'override_consent'
  | 'view_aggregates'
  | 'view_audit_log'
  | 'manage_users'
  | 'manage_configuration';

/** How far an action reaches, from narrowest to widest. */
export type Scope = 'own' | 'group' | 'agency' | 'all';

export const SCOPES_NARROWEST_FIRST: readonly Scope[] = ['own', 'group', 'agency', 'all'];

export interface Grant {
  action: Action;
  scope: Scope;
}

/** Access a role has to one form, from least to most. */
export type FormAccess = 'none' | 'read' | 'read_write';

export interface Role {
  id: string;
  name: LocalizedText;
  description: LocalizedText;
  grants: Grant[];
  /** Access per form id. The key `*` sets the access for forms not listed. */
  forms: Record<string, FormAccess>;
}

/** Returns the widest scope at which `role` grants `action`, or `null` when it does not. */
export function scopeOf(role: Role, action: Action): Scope | null {
  let widest: Scope | null = null;
  for (const grant of role.grants) {
    if (grant.action !== action) {
      continue;
    }
    if (widest === null || SCOPES_NARROWEST_FIRST.indexOf(grant.scope) > SCOPES_NARROWEST_FIRST.indexOf(widest)) {
      widest = grant.scope;
    }
  }
  return widest;
}

export function formAccess(role: Role, formId: string): FormAccess {
  return role.forms[formId] ?? role.forms['*'] ?? 'none';
}

/** The whole configuration of a deployment, as loaded from `config/`. */
export interface Configuration {
  deployment: Deployment;
  lookups: Lookup[];
  locations: Location[];
  agencies: Agency[];
  roles: Role[];
  forms: Form[];
}

export function findLookup(config: Configuration, id: string): Lookup | undefined {
  return config.lookups.find((lookup) => lookup.id === id);
}

/** Finds the top-level field `id` and the form that contains it. */
export function findField(config: Configuration, id: string): { form: Form; field: Field } | undefined {
  for (const form of config.forms) {
    const field = form.fields.find((candidate) => candidate.id === id);
    if (field !== undefined) {
      return { form, field };
    }
  }
  return undefined;
}
