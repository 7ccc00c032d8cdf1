//! The deployment's configuration as data: forms, lookups, locations, roles and agencies.
//!
//! These types mirror the JSON files under `config/` one to one. Loading them never trusts the
//! files: [`Configuration::validate`] checks every cross-reference and that every text a person
//! reads exists in every configured locale. This module does no IO; the caller reads the files.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::dates::{AgeRange, STANDARD_AGE_RANGES};
use crate::import::{can_be_suggested, fold};
use crate::permissions::Role;

mod problems;
pub use problems::ProblemKind;

/// A text a person reads, keyed by locale code (`en`, `bn`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct LocalizedText(pub BTreeMap<String, String>);

impl LocalizedText {
    /// Returns the text in `locale`, falling back to English and then to any locale.
    pub fn get(&self, locale: &str) -> &str {
        self.0
            .get(locale)
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn new(en: &str, bn: &str) -> Self {
        LocalizedText(BTreeMap::from([("en".to_owned(), en.to_owned()), ("bn".to_owned(), bn.to_owned())]))
    }
}

/// Settings that apply to the whole deployment (`config/deployment.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    /// Version of this configuration; changes whenever any configuration file changes.
    pub config_version: String,
    pub name: LocalizedText,
    /// IANA name of the deployment's time zone, shown to people.
    pub time_zone: String,
    /// Offset of that zone from UTC in minutes. Sathi supports zones without daylight saving
    /// only, which covers Bangladesh (`Asia/Dhaka`, +360).
    pub utc_offset_minutes: i32,
    /// Locales every text must exist in; the first one is the default.
    pub locales: Vec<String>,
    /// Digit scripts accepted in number and date fields besides ASCII.
    pub accepted_digit_scripts: Vec<DigitScript>,
    /// Prefix of the short display id of a case, such as `CXB` in `CXB-4F7K2Q`.
    pub display_id_prefix: String,
    pub login: LoginPolicy,
    /// Largest attachment (photo, audio, document, signature) the server accepts, in bytes.
    #[serde(default = "default_max_attachment_bytes")]
    pub max_attachment_bytes: u64,
    /// Deadlines of the casework steps; the defaults when the file has no `workflow` object.
    #[serde(default)]
    pub workflow: WorkflowRules,
    /// Suppression, age ranges and snapshot timing of reports; the defaults when the file has
    /// no `reports` object.
    #[serde(default)]
    pub reports: ReportSettings,
    /// Expiry of case export files; the defaults when the file has no `exports` object.
    #[serde(default)]
    pub exports: ExportSettings,
}

/// 10 MiB: a phone photo after the client's downscaling is well under 1 MiB, and a scanned
/// multi-page PDF usually fits.
fn default_max_attachment_bytes() -> u64 {
    10 * 1024 * 1024
}

/// The deadlines that [`crate::workflow::due_items`] computes due dates from, in whole days.
///
/// A key missing from the `workflow` object takes its default. The defaults are the usual case
/// management deadlines: a high-risk child is assessed within a day (medium 3, low 7), the case
/// plan follows within 14 days, and follow-up visits come weekly for high risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkflowRules {
    /// Days from registration (or reopening) to the assessment, by risk level.
    pub assessment_due_days: RiskLevelDays,
    /// Days from registration (or reopening) to the assessment while the risk level is not rated.
    pub assessment_due_days_unrated: u32,
    /// Days from the completed assessment to the case plan, unless the assessment sets a date.
    pub case_plan_due_days: u32,
    /// Days between follow-up visits once the case plan is approved, by risk level. An unrated
    /// case uses `low`.
    pub follow_up_every_days: RiskLevelDays,
    /// Days from the case plan's approval (before it, from registration or reopening) to a
    /// service, by option id of the `service_response_timeframe` lookup.
    pub service_timeframe_days: BTreeMap<String, u32>,
    /// Days to a service whose timeframe is empty or not in `service_timeframe_days`.
    pub service_due_days_default: u32,
}

/// A number of days for each risk level of the `risk_level` lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskLevelDays {
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl RiskLevelDays {
    /// Returns the days for a `risk_level` option id, or `None` for any other value.
    pub fn get(&self, risk_level: &str) -> Option<u32> {
        match risk_level {
            "high" => Some(self.high),
            "medium" => Some(self.medium),
            "low" => Some(self.low),
            _ => None,
        }
    }
}

impl Default for WorkflowRules {
    fn default() -> Self {
        let timeframes = [
            ("within_1_hour", 0),
            ("within_3_hours", 0),
            ("within_1_day", 1),
            ("within_3_days", 3),
            ("within_1_week", 7),
            ("within_2_weeks", 14),
            ("within_1_month", 30),
        ];
        WorkflowRules {
            assessment_due_days: RiskLevelDays { high: 1, medium: 3, low: 7 },
            assessment_due_days_unrated: 7,
            case_plan_due_days: 14,
            follow_up_every_days: RiskLevelDays { high: 7, medium: 14, low: 30 },
            service_timeframe_days: timeframes.into_iter().map(|(id, days)| (id.to_owned(), days)).collect(),
            service_due_days_default: 7,
        }
    }
}

impl WorkflowRules {
    /// The largest number of days any rule may hold: ten years.
    pub const MAX_DAYS: u32 = 3650;

    /// Lists every day count with its key under `workflow`, for checking.
    fn day_counts(&self) -> Vec<(String, u32)> {
        let mut counts = Vec::new();
        for (key, days) in [
            ("assessment_due_days", self.assessment_due_days),
            ("follow_up_every_days", self.follow_up_every_days),
        ] {
            counts.push((format!("{key}.high"), days.high));
            counts.push((format!("{key}.medium"), days.medium));
            counts.push((format!("{key}.low"), days.low));
        }
        counts.push(("assessment_due_days_unrated".to_owned(), self.assessment_due_days_unrated));
        counts.push(("case_plan_due_days".to_owned(), self.case_plan_due_days));
        counts.push(("service_due_days_default".to_owned(), self.service_due_days_default));
        for (timeframe, days) in &self.service_timeframe_days {
            counts.push((format!("service_timeframe_days.{timeframe}"), *days));
        }
        counts
    }
}

/// Settings of reports: suppression, age ranges and snapshot timing (`reports` in `deployment.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportSettings {
    /// Counts from 1 to one below this number are withheld in figures shared outside an agency.
    pub suppression_threshold: u32,
    /// The age groups of reports, as closed ranges of whole years `[min, max]`, with `null` as
    /// the maximum of the last range for "and older".
    #[serde(with = "age_range_pairs")]
    pub age_ranges: Vec<AgeRange>,
    /// Minutes between two computations of the coordination dashboard's figures.
    pub coordination_snapshot_minutes: u32,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            suppression_threshold: 5,
            age_ranges: STANDARD_AGE_RANGES.to_vec(),
            coordination_snapshot_minutes: 15,
        }
    }
}

impl ReportSettings {
    /// The largest suppression threshold accepted.
    pub const MAX_THRESHOLD: u32 = 100;
    /// The maximum time between two coordination snapshots: one day.
    pub const MAX_SNAPSHOT_MINUTES: u32 = 24 * 60;
}

/// Settings of case exports (`exports` in `deployment.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExportSettings {
    /// Hours from a request until its export file is deleted.
    pub expiry_hours: u32,
}

impl Default for ExportSettings {
    fn default() -> Self {
        ExportSettings { expiry_hours: 24 }
    }
}

impl ExportSettings {
    /// The maximum expiry: one week. An export is a copy of child data outside the
    /// case record, so it should not outlive the task it was made for.
    pub const MAX_EXPIRY_HOURS: u32 = 7 * 24;
}

/// Reads and writes age ranges as `[min, max]` pairs, the form `deployment.json` uses.
mod age_range_pairs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::dates::AgeRange;

    pub fn serialize<S: Serializer>(ranges: &[AgeRange], serializer: S) -> Result<S::Ok, S::Error> {
        let pairs: Vec<(u32, Option<u32>)> = ranges.iter().map(|range| (range.min, range.max)).collect();
        pairs.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<AgeRange>, D::Error> {
        let pairs = Vec::<(u32, Option<u32>)>::deserialize(deserializer)?;
        Ok(pairs.into_iter().map(|(min, max)| AgeRange { min, max }).collect())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DigitScript {
    Bengali,
    Myanmar,
    ArabicIndic,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginPolicy {
    /// Failed logins in a row after which the account is locked.
    pub max_failed_attempts: u32,
    pub lockout_minutes: u32,
    /// Lifetime of a session in hours from login.
    pub session_hours: u32,
    pub min_password_chars: u32,
}

/// One option list (`config/lookups.json` contains a list of these).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    pub id: String,
    pub name: LocalizedText,
    pub options: Vec<LookupOption>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookupOption {
    pub id: String,
    pub label: LocalizedText,
}

/// One place in the location hierarchy (`config/locations.json` contains a flat list).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Stable code such as `BD-CTG-CXB-UKH-C01E-A`.
    pub code: String,
    pub level: LocationLevel,
    pub name: LocalizedText,
    /// Code of the enclosing location; `None` only for the country.
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationLevel {
    Country,
    Division,
    District,
    Upazila,
    Camp,
    Union,
    Block,
}

/// An organisation of the inter-agency setting (`config/agencies.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub id: String,
    /// Short code shown in lists, such as `SSS`.
    pub code: String,
    pub name: LocalizedText,
    /// Option ids of the `service_type` lookup this agency provides.
    pub services: Vec<String>,
}

/// A form section of the case record (`config/forms/*.json`, one file per form).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub id: String,
    pub name: LocalizedText,
    /// Position of the form in the case view, ascending.
    pub order: u32,
    pub fields: Vec<Field>,
}

// NOTE: serde cannot combine `deny_unknown_fields` with the flattened `kind`, so a misspelt
// key on a field whose type has no settings of its own (a tick box, say) is ignored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    pub id: String,
    pub label: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<LocalizedText>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// The field is shown but never written by a person (system and calculated values).
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// The field is hidden unless this condition holds; a hidden field is not required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_if: Option<Condition>,
    /// Other spreadsheet column headers, in any language, that an import suggests for this field
    /// besides its id and labels, such as `নাম` for `name_first`. Only top-level fields use them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub import_aliases: Vec<String>,
    #[serde(flatten)]
    pub kind: FieldKind,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// The type of a field and the settings that only that type has.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldKind {
    Text {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_chars: Option<u32>,
    },
    Textarea {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_chars: Option<u32>,
    },
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// Whether fractions are allowed; whole numbers only when false.
        #[serde(default, skip_serializing_if = "is_false")]
        decimal: bool,
    },
    Date {
        /// Reject dates after today in the deployment's time zone.
        #[serde(default, skip_serializing_if = "is_false")]
        not_future: bool,
    },
    DateTime,
    Select {
        lookup: String,
    },
    MultiSelect {
        lookup: String,
    },
    Radio {
        lookup: String,
    },
    TickBox,
    /// Counts per option of a lookup, such as the number of siblings by sex.
    Tally {
        lookup: String,
    },
    Subform {
        fields: Vec<Field>,
        /// Field of a row that names the row in lists, such as a family member's name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        row_title_field: Option<String>,
    },
    Separator,
    Photo,
    Audio,
    Document,
    Signature,
    Location {
        /// The least precise level a value may have, such as `camp`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_level: Option<LocationLevel>,
    },
    Calculated {
        calculation: Calculation,
    },
    /// A value the server keeps about the record, such as its owner; shown, never typed.
    System {
        source: SystemSource,
    },
}

/// A value computed from other fields; both the server and the client compute it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Calculation {
    /// Whole years from the date field `from` to today in the deployment's zone.
    AgeYears { from: String },
    /// Whole days from the date field `from` to the date field `to` (or today when absent).
    DaysBetween {
        from: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemSource {
    CaseId,
    DisplayId,
    Owner,
    OwnerAgency,
    AssignedUsers,
    CreatedBy,
    CreatedAt,
    PreviousOwners,
    Status,
    Stage,
}

/// A visibility rule. Inside a subform, `field` names a field of the same row first and a
/// top-level field otherwise.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Condition {
    All { all: Vec<Condition> },
    Any { any: Vec<Condition> },
    Equals { field: String, equals: serde_json::Value },
    Includes { field: String, includes: String },
    IsSet { field: String, is_set: bool },
}

/// The whole configuration of a deployment, as loaded from `config/`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Configuration {
    pub deployment: Deployment,
    pub lookups: Vec<Lookup>,
    pub locations: Vec<Location>,
    pub agencies: Vec<Agency>,
    pub roles: Vec<Role>,
    pub forms: Vec<Form>,
}

/// One problem found in a configuration, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub path: String,
    /// The kind of problem, with the values its message names.
    pub kind: ProblemKind,
    /// The problem in English, as the command line prints it.
    pub message: String,
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl Configuration {
    pub fn lookup(&self, id: &str) -> Option<&Lookup> {
        self.lookups.iter().find(|lookup| lookup.id == id)
    }

    pub fn form(&self, id: &str) -> Option<&Form> {
        self.forms.iter().find(|form| form.id == id)
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|role| role.id == id)
    }

    pub fn agency(&self, id: &str) -> Option<&Agency> {
        self.agencies.iter().find(|agency| agency.id == id)
    }

    /// Finds the top-level field `id` and the form that contains it.
    pub fn field(&self, id: &str) -> Option<(&Form, &Field)> {
        self.forms
            .iter()
            .find_map(|form| form.fields.iter().find(|field| field.id == id).map(|field| (form, field)))
    }

    /// Builds an index from location code to location.
    pub fn location_index(&self) -> HashMap<&str, &Location> {
        self.locations.iter().map(|location| (location.code.as_str(), location)).collect()
    }

    /// Checks every cross-reference and translation; returns all problems found, not just
    /// the first.
    pub fn validate(&self) -> Vec<ConfigProblem> {
        let mut checker = Checker { config: self, problems: Vec::new() };
        checker.check_deployment();
        checker.check_lookups();
        checker.check_locations();
        checker.check_agencies();
        checker.check_roles();
        checker.check_forms();
        checker.problems
    }
}

struct Checker<'a> {
    config: &'a Configuration,
    problems: Vec<ConfigProblem>,
}

impl<'a> Checker<'a> {
    fn problem(&mut self, path: impl Into<String>, kind: ProblemKind) {
        let message = kind.to_string();
        self.problems.push(ConfigProblem { path: path.into(), kind, message });
    }

    fn check_text(&mut self, path: &str, text: &LocalizedText) {
        for locale in &self.config.deployment.locales {
            match text.0.get(locale) {
                Some(value) if !value.trim().is_empty() => {}
                _ => self.problem(path, ProblemKind::MissingText { locale: locale.clone() }),
            }
        }
    }

    fn check_unique<'b>(&mut self, path: &str, ids: impl Iterator<Item = &'b str>) {
        let mut seen = BTreeSet::new();
        for id in ids {
            if !seen.insert(id) {
                self.problem(path, ProblemKind::DuplicateId { id: id.to_owned() });
            }
            if !is_identifier(id) {
                self.problem(path, ProblemKind::InvalidId { id: id.to_owned() });
            }
        }
    }

    fn check_deployment(&mut self) {
        let deployment = &self.config.deployment;
        if deployment.locales.is_empty() {
            self.problem("deployment.locales", ProblemKind::NoLocale);
        }
        if !deployment.locales.iter().any(|locale| locale == "en") {
            self.problem("deployment.locales", ProblemKind::NoEnglish);
        }
        self.check_text("deployment.name", &deployment.name);
        if !(-720..=840).contains(&deployment.utc_offset_minutes) {
            self.problem("deployment.utc_offset_minutes", ProblemKind::OutOfRange { min: -720, max: 840 });
        }
        if deployment.login.max_failed_attempts == 0 {
            self.problem("deployment.login.max_failed_attempts", ProblemKind::AtLeastOne);
        }
        if deployment.login.session_hours == 0 {
            self.problem("deployment.login.session_hours", ProblemKind::AtLeastOne);
        }
        self.check_workflow();
        self.check_reports();
        if !(1..=ExportSettings::MAX_EXPIRY_HOURS).contains(&deployment.exports.expiry_hours) {
            self.problem(
                "deployment.exports.expiry_hours",
                ProblemKind::OutOfRange { min: 1, max: i64::from(ExportSettings::MAX_EXPIRY_HOURS) },
            );
        }
    }

    fn check_reports(&mut self) {
        let reports = &self.config.deployment.reports;
        if !(1..=ReportSettings::MAX_THRESHOLD).contains(&reports.suppression_threshold) {
            self.problem(
                "deployment.reports.suppression_threshold",
                ProblemKind::OutOfRange { min: 1, max: i64::from(ReportSettings::MAX_THRESHOLD) },
            );
        }
        if !(1..=ReportSettings::MAX_SNAPSHOT_MINUTES).contains(&reports.coordination_snapshot_minutes) {
            self.problem(
                "deployment.reports.coordination_snapshot_minutes",
                ProblemKind::OutOfRange { min: 1, max: i64::from(ReportSettings::MAX_SNAPSHOT_MINUTES) },
            );
        }
        if reports.age_ranges.is_empty() {
            self.problem("deployment.reports.age_ranges", ProblemKind::NoAgeRange);
        }
        let mut previous_max: Option<Option<u32>> = None;
        for (index, range) in reports.age_ranges.iter().enumerate() {
            let path = format!("deployment.reports.age_ranges.{index}");
            if range.max.is_some_and(|max| max < range.min) {
                self.problem(&path, ProblemKind::AgeRangeReversed { min: range.min });
            }
            match previous_max {
                Some(None) => self.problem(&path, ProblemKind::AgeRangeAfterOpen),
                Some(Some(max)) if range.min <= max => {
                    self.problem(&path, ProblemKind::AgeRangeOverlap { min: range.min, max })
                }
                _ => {}
            }
            previous_max = Some(range.max);
        }
    }

    fn check_workflow(&mut self) {
        let rules = &self.config.deployment.workflow;
        for (key, days) in rules.day_counts() {
            if days > WorkflowRules::MAX_DAYS {
                self.problem(
                    format!("deployment.workflow.{key}"),
                    ProblemKind::TooManyDays { days, max: WorkflowRules::MAX_DAYS },
                );
            }
        }
        // A deployment without the lookup has no timeframe field to match, so there is nothing to check.
        if self.config.lookup("service_response_timeframe").is_some() {
            let timeframes = self.option_ids("service_response_timeframe");
            for timeframe in rules.service_timeframe_days.keys() {
                if !timeframes.contains(timeframe.as_str()) {
                    self.problem(
                        format!("deployment.workflow.service_timeframe_days.{timeframe}"),
                        ProblemKind::TimeframeNotOption { lookup: "service_response_timeframe".to_owned() },
                    );
                }
            }
        }
    }

    fn check_lookups(&mut self) {
        self.check_unique("lookups", self.config.lookups.iter().map(|lookup| lookup.id.as_str()));
        for lookup in &self.config.lookups {
            let path = format!("lookups.{}", lookup.id);
            self.check_text(&path, &lookup.name);
            if lookup.options.is_empty() {
                self.problem(&path, ProblemKind::NoOptions);
            }
            self.check_unique(&path, lookup.options.iter().map(|option| option.id.as_str()));
            for option in &lookup.options {
                self.check_text(&format!("{path}.{}", option.id), &option.label);
            }
        }
    }

    fn check_locations(&mut self) {
        let index = self.config.location_index();
        if index.len() != self.config.locations.len() {
            self.problem("locations", ProblemKind::DuplicateLocation);
        }
        for location in &self.config.locations {
            let path = format!("locations.{}", location.code);
            self.check_text(&path, &location.name);
            match (&location.parent, location.level) {
                (None, LocationLevel::Country) => {}
                (None, _) => self.problem(&path, ProblemKind::ParentMissing),
                (Some(parent), level) => match index.get(parent.as_str()) {
                    None => self.problem(&path, ProblemKind::ParentUnknown { parent: parent.clone() }),
                    Some(parent) if parent.level >= level && level != LocationLevel::Block => {
                        self.problem(&path, ProblemKind::LevelNotBelowParent)
                    }
                    Some(_) => {}
                },
            }
            // Case lists filter "this place and everything in it" as one index range over
            // codes, which needs every code to extend its parent's.
            if let Some(parent) = &location.parent
                && !location.code.starts_with(&format!("{parent}-"))
            {
                self.problem(&path, ProblemKind::CodePrefix { parent: parent.clone() });
            }
        }
    }

    fn check_agencies(&mut self) {
        self.check_unique("agencies", self.config.agencies.iter().map(|agency| agency.id.as_str()));
        let services = self.option_ids("service_type");
        for agency in &self.config.agencies {
            let path = format!("agencies.{}", agency.id);
            self.check_text(&path, &agency.name);
            for service in &agency.services {
                if !services.contains(service.as_str()) {
                    self.problem(&path, ProblemKind::UnknownService { service: service.clone() });
                }
            }
        }
    }

    fn check_roles(&mut self) {
        self.check_unique("roles", self.config.roles.iter().map(|role| role.id.as_str()));
        for role in &self.config.roles {
            let path = format!("roles.{}", role.id);
            self.check_text(&path, &role.name);
            self.check_text(&format!("{path}.description"), &role.description);
            for form_id in role.forms.keys() {
                if form_id != "*" && self.config.form(form_id).is_none() {
                    self.problem(&path, ProblemKind::UnknownForm { form: form_id.clone() });
                }
            }
        }
    }

    fn check_forms(&mut self) {
        self.check_unique("forms", self.config.forms.iter().map(|form| form.id.as_str()));
        let mut top_level_ids = BTreeSet::new();
        for form in &self.config.forms {
            self.check_text(&format!("forms.{}", form.id), &form.name);
            for field in &form.fields {
                if !top_level_ids.insert(field.id.as_str()) {
                    self.problem(format!("forms.{}.{}", form.id, field.id), ProblemKind::DuplicateField);
                }
            }
        }
        for form in &self.config.forms {
            self.check_fields(&format!("forms.{}", form.id), &form.fields, &[]);
        }
        self.check_import_aliases();
    }

    /// Rejects an import alias that also names another field an import may suggest, by that
    /// field's id, a label or an alias, because an import could then suggest either field.
    fn check_import_aliases(&mut self) {
        let fields: Vec<(&Form, &Field)> = self
            .config
            .forms
            .iter()
            .flat_map(|form| form.fields.iter().map(move |field| (form, field)))
            .filter(|(_, field)| can_be_suggested(field))
            .collect();
        let mut alias_owners: HashMap<String, &str> = HashMap::new();
        for (form, field) in &fields {
            for alias in &field.import_aliases {
                let folded = fold(alias);
                let named_by_other = fields.iter().find(|(_, other)| {
                    other.id != field.id
                        && (fold(&other.id) == folded
                            || other.label.0.values().any(|label| fold(label) == folded))
                });
                let owner = match named_by_other {
                    Some((_, other)) => Some(other.id.as_str()),
                    None => alias_owners.get(&folded).copied().filter(|owner| *owner != field.id),
                };
                match owner {
                    Some(owner) => self.problem(
                        format!("forms.{}.{}.import_aliases", form.id, field.id),
                        ProblemKind::DuplicateImportAlias { alias: alias.clone(), field: owner.to_owned() },
                    ),
                    None => {
                        alias_owners.insert(folded, &field.id);
                    }
                }
            }
        }
    }

    fn check_fields(&mut self, path: &str, fields: &[Field], siblings: &[Field]) {
        self.check_unique(path, fields.iter().map(|field| field.id.as_str()));
        for field in fields {
            let field_path = format!("{path}.{}", field.id);
            self.check_text(&field_path, &field.label);
            if let Some(help) = &field.help {
                self.check_text(&format!("{field_path}.help"), help);
            }
            if let Some(condition) = &field.visible_if {
                self.check_condition(&field_path, condition, fields);
            }
            self.check_kind(&field_path, field, fields, siblings);
        }
    }

    fn check_kind(&mut self, path: &str, field: &Field, row_fields: &[Field], _outer: &[Field]) {
        match &field.kind {
            FieldKind::Select { lookup }
            | FieldKind::MultiSelect { lookup }
            | FieldKind::Radio { lookup }
            | FieldKind::Tally { lookup }
                if self.config.lookup(lookup).is_none() =>
            {
                self.problem(path, ProblemKind::UnknownLookup { lookup: lookup.clone() });
            }
            FieldKind::Subform { fields, row_title_field } => {
                if fields.is_empty() {
                    self.problem(path, ProblemKind::EmptySubform);
                }
                if let Some(title) = row_title_field
                    && !fields.iter().any(|row_field| &row_field.id == title)
                {
                    self.problem(path, ProblemKind::RowTitleUnknown { field: title.clone() });
                }
                if fields.iter().any(|row_field| matches!(row_field.kind, FieldKind::Subform { .. })) {
                    self.problem(path, ProblemKind::NestedSubform);
                }
                self.check_fields(path, fields, row_fields);
            }
            FieldKind::Number { min: Some(min), max: Some(max), .. } if min > max => {
                self.problem(path, ProblemKind::MinAboveMax);
            }
            FieldKind::Calculated { calculation } => {
                let sources = match calculation {
                    Calculation::AgeYears { from } => vec![from],
                    Calculation::DaysBetween { from, to } => std::iter::once(from).chain(to).collect(),
                };
                for source in sources {
                    let is_date = self
                        .find_field(source, row_fields)
                        .is_some_and(|source_field| matches!(source_field.kind, FieldKind::Date { .. }));
                    if !is_date {
                        self.problem(path, ProblemKind::CalculationSource { field: source.clone() });
                    }
                }
                if !field.read_only {
                    self.problem(path, ProblemKind::CalculatedNotReadOnly);
                }
            }
            FieldKind::System { .. } if !field.read_only => {
                self.problem(path, ProblemKind::SystemNotReadOnly);
            }
            _ => {}
        }
    }

    fn check_condition(&mut self, path: &str, condition: &Condition, row_fields: &[Field]) {
        match condition {
            Condition::All { all: conditions } | Condition::Any { any: conditions } => {
                for inner in conditions {
                    self.check_condition(path, inner, row_fields);
                }
            }
            Condition::Equals { field, .. } | Condition::IsSet { field, .. } => {
                if self.find_field(field, row_fields).is_none() {
                    self.problem(path, ProblemKind::ConditionFieldUnknown { field: field.clone() });
                }
            }
            Condition::Includes { field, includes } => match self.find_field(field, row_fields) {
                None => self.problem(path, ProblemKind::ConditionFieldUnknown { field: field.clone() }),
                Some(source) => {
                    let lookup = match &source.kind {
                        FieldKind::MultiSelect { lookup } => Some(lookup.clone()),
                        _ => None,
                    };
                    match lookup {
                        None => {
                            self.problem(path, ProblemKind::IncludesNotMultiSelect { field: field.clone() })
                        }
                        Some(lookup) if !self.option_ids(&lookup).contains(includes.as_str()) => {
                            let kind = ProblemKind::IncludesNotOption { value: includes.clone(), lookup };
                            self.problem(path, kind)
                        }
                        Some(_) => {}
                    }
                }
            },
        }
    }

    fn find_field<'f>(&self, id: &str, row_fields: &'f [Field]) -> Option<&'f Field>
    where
        'a: 'f,
    {
        row_fields
            .iter()
            .find(|field| field.id == id)
            .or_else(|| self.config.field(id).map(|(_, field)| field))
    }

    fn option_ids(&self, lookup: &str) -> BTreeSet<&'a str> {
        let config: &'a Configuration = self.config;
        config
            .lookup(lookup)
            .map(|lookup| lookup.options.iter().map(|option| option.id.as_str()).collect())
            .unwrap_or_default()
    }
}

fn is_identifier(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn configuration_with_workflow(workflow: serde_json::Value) -> Configuration {
        serde_json::from_value(json!({
            "deployment": {
                "config_version": "test",
                "name": { "en": "Test", "bn": "পরীক্ষা" },
                "time_zone": "Asia/Dhaka",
                "utc_offset_minutes": 360,
                "locales": ["en", "bn"],
                "accepted_digit_scripts": ["bengali"],
                "display_id_prefix": "CXB",
                "login": {
                    "max_failed_attempts": 5,
                    "lockout_minutes": 15,
                    "session_hours": 12,
                    "min_password_chars": 10
                },
                "workflow": workflow,
            },
            "lookups": [{
                "id": "service_response_timeframe",
                "name": { "en": "Timeframe", "bn": "সময়সীমা" },
                "options": [{ "id": "within_1_day", "label": { "en": "Within 1 day", "bn": "১ দিনের মধ্যে" } }],
            }],
            "locations": [],
            "agencies": [],
            "roles": [],
            "forms": [],
        }))
        .unwrap()
    }

    #[test]
    fn workflow_within_limits_valid() {
        let config = configuration_with_workflow(json!({ "service_timeframe_days": { "within_1_day": 1 } }));
        assert_eq!(config.validate(), []);
    }

    #[test]
    fn workflow_days_over_maximum_rejected() {
        let config = configuration_with_workflow(json!({
            "case_plan_due_days": 3651,
            "service_timeframe_days": { "within_1_day": 1 },
        }));
        let problems = config.validate();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "deployment.workflow.case_plan_due_days");
        assert_eq!(problems[0].message, "3651 days is more than the maximum of 3650");
    }

    #[test]
    fn workflow_unknown_timeframe_rejected() {
        let config =
            configuration_with_workflow(json!({ "service_timeframe_days": { "within_1_year": 365 } }));
        let problems = config.validate();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "deployment.workflow.service_timeframe_days.within_1_year");
        assert_eq!(problems[0].message, "not an option of lookup 'service_response_timeframe'");
    }

    fn configuration_with_reports(reports: serde_json::Value) -> Configuration {
        let mut config =
            configuration_with_workflow(json!({ "service_timeframe_days": { "within_1_day": 1 } }));
        config.deployment.reports = serde_json::from_value(reports).unwrap();
        config
    }

    #[test]
    fn reports_default_when_absent() {
        let config = configuration_with_workflow(json!({ "service_timeframe_days": { "within_1_day": 1 } }));
        assert_eq!(config.deployment.reports.suppression_threshold, 5);
        assert_eq!(config.deployment.reports.coordination_snapshot_minutes, 15);
        assert_eq!(config.deployment.reports.age_ranges, STANDARD_AGE_RANGES);
    }

    #[test]
    fn reports_age_ranges_read_as_pairs() {
        let config = configuration_with_reports(json!({ "age_ranges": [[0, 4], [5, 17], [18, null]] }));
        assert_eq!(config.validate(), []);
        let ranges: Vec<String> = config.deployment.reports.age_ranges.iter().map(AgeRange::label).collect();
        assert_eq!(ranges, ["0-4", "5-17", "18+"]);
        assert_eq!(config.deployment.reports.suppression_threshold, 5, "a key left out takes its default");
        let written = serde_json::to_value(&config.deployment.reports).unwrap();
        assert_eq!(written["age_ranges"], json!([[0, 4], [5, 17], [18, null]]));
    }

    #[test]
    fn reports_threshold_out_of_range_rejected() {
        for threshold in [0, 101] {
            let problems =
                configuration_with_reports(json!({ "suppression_threshold": threshold })).validate();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].path, "deployment.reports.suppression_threshold");
            assert_eq!(problems[0].message, "must be between 1 and 100");
        }
    }

    #[test]
    fn reports_overlapping_age_ranges_rejected() {
        let problems = configuration_with_reports(json!({ "age_ranges": [[0, 5], [5, 11]] })).validate();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "deployment.reports.age_ranges.1");
        assert_eq!(
            problems[0].message,
            "starts at 5 but the range before ends at 5: ranges must ascend without overlapping"
        );
    }

    #[test]
    fn reports_descending_and_inverted_ranges_rejected() {
        let problems = configuration_with_reports(json!({ "age_ranges": [[6, 11], [0, 5]] })).validate();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "deployment.reports.age_ranges.1");

        let problems = configuration_with_reports(json!({ "age_ranges": [[9, 3]] })).validate();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].message, "the minimum 9 is above the maximum");
    }

    #[test]
    fn reports_range_after_open_range_rejected() {
        let problems = configuration_with_reports(json!({ "age_ranges": [[0, null], [18, 20]] })).validate();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].message, "follows a range with no maximum, so the two overlap");
    }

    #[test]
    fn reports_empty_age_ranges_and_zero_minutes_rejected() {
        let problems =
            configuration_with_reports(json!({ "age_ranges": [], "coordination_snapshot_minutes": 0 }))
                .validate();
        let paths: Vec<&str> = problems.iter().map(|problem| problem.path.as_str()).collect();
        assert_eq!(
            paths,
            ["deployment.reports.coordination_snapshot_minutes", "deployment.reports.age_ranges"]
        );
    }

    /// Returns a configuration whose one form has the text fields `(id, English label, aliases)`.
    fn configuration_with_fields(fields: &[(&str, &str, &[&str])]) -> Configuration {
        let mut config = configuration_with_reports(json!({}));
        let fields: Vec<serde_json::Value> = fields
            .iter()
            .map(|(id, label, aliases)| {
                json!({
                    "id": id,
                    "label": { "en": label, "bn": label },
                    "import_aliases": aliases,
                    "type": "text",
                })
            })
            .collect();
        config.forms = vec![
            serde_json::from_value(json!({
                "id": "identity",
                "name": { "en": "Identity", "bn": "পরিচিতি" },
                "order": 1,
                "fields": fields,
            }))
            .unwrap(),
        ];
        config
    }

    #[test]
    fn import_alias_of_two_fields_rejected() {
        let valid = configuration_with_fields(&[
            ("name_first", "First name", &["Name", "নাম", " NAME "]),
            ("phone", "Phone number", &["Mobile"]),
        ]);
        assert_eq!(valid.validate(), [], "an alias repeated on its own field is harmless");

        let config = configuration_with_fields(&[
            ("name_first", "First name", &["নাম", "Phone number"]),
            ("name_last", "Last name", &["name_first"]),
            ("phone", "Phone number", &["নাম"]),
        ]);
        let problems: Vec<(String, String)> =
            config.validate().into_iter().map(|problem| (problem.path, problem.message)).collect();
        assert_eq!(
            problems,
            [
                (
                    "forms.identity.name_first.import_aliases".to_owned(),
                    "the import alias 'Phone number' also names the field 'phone', so keep it on one field only"
                        .to_owned()
                ),
                (
                    "forms.identity.name_last.import_aliases".to_owned(),
                    "the import alias 'name_first' also names the field 'name_first', so keep it on one field only"
                        .to_owned()
                ),
                (
                    "forms.identity.phone.import_aliases".to_owned(),
                    "the import alias 'নাম' also names the field 'name_first', so keep it on one field only"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn export_expiry_defaults_and_range() {
        let mut config = configuration_with_reports(json!({}));
        assert_eq!(config.deployment.exports.expiry_hours, 24);
        assert!(config.validate().is_empty());
        for (hours, valid) in [(0, false), (1, true), (168, true), (169, false)] {
            config.deployment.exports.expiry_hours = hours;
            let paths: Vec<String> = config.validate().into_iter().map(|problem| problem.path).collect();
            let expected: &[&str] = if valid { &[] } else { &["deployment.exports.expiry_hours"] };
            assert_eq!(paths, expected, "expiry of {hours} hours");
        }
    }
}
