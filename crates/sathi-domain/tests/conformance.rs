//! Runs the shared conformance vectors in `conformance/text.json`, `conformance/dates.json`,
//! `conformance/validation.json`, `conformance/due_dates.json` and `conformance/reports.json`.
//!
//! The web client runs the same files, so a case listed there behaves the same on both sides. The
//! format is described in `conformance/README.md`. Every case is checked and all failures are
//! reported together by case name.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use sathi_domain::config::{Configuration, DigitScript, Field, Form, Location, Lookup, WorkflowRules};
use sathi_domain::dates::{self, AgeRange, DateOrder};
use sathi_domain::permissions::FormAccess;
use sathi_domain::reports::{self, Cell, PivotTable};
use sathi_domain::text;
use sathi_domain::validation::{Change, FieldError, Validator};
use sathi_domain::workflow::{self, Bucket, CaseStatus, DueItem};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VectorFile {
    description: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    function: String,
    args: Value,
    /// The returned value. `null` is a value here, distinct from a missing key.
    #[serde(default, deserialize_with = "present_value")]
    expected: Option<Value>,
    #[serde(default)]
    error: Option<String>,
    /// Why the case exists. It is not checked.
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// What a function returned: a JSON value, or the code of the error it raised.
type Outcome = Result<Value, String>;

#[test]
fn text_vectors() {
    check_vector_file("text.json");
}

#[test]
fn dates_vectors() {
    check_vector_file("dates.json");
}

#[test]
fn reports_vectors() {
    check_vector_file("reports.json");
}

fn read_vector_file<T: DeserializeOwned>(file_name: &str) -> T {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../conformance").join(file_name);
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {path:?}: {error}"));
    serde_json::from_str(&source).unwrap_or_else(|error| panic!("invalid vector file {path:?}: {error}"))
}

fn check_vector_file(file_name: &str) {
    let file: VectorFile = read_vector_file(file_name);
    assert!(!file.description.trim().is_empty(), "{file_name}: description is empty");
    assert!(!file.cases.is_empty(), "{file_name}: no cases");

    let mut names = HashSet::new();
    let mut failures = Vec::new();
    for case in &file.cases {
        if !names.insert(case.name.as_str()) {
            failures.push(format!("{}: duplicate case name", case.name));
        }
        if let Err(message) = check_case(case) {
            failures.push(format!("{}: {message}", case.name));
        }
    }

    assert!(
        failures.is_empty(),
        "{} of {} cases in {file_name} failed:\n{}",
        failures.len(),
        file.cases.len(),
        failures.join("\n")
    );
}

fn check_case(case: &Case) -> Result<(), String> {
    let outcome = run(&case.function, &Args(&case.args))?;
    match (&case.expected, &case.error, outcome) {
        (Some(expected), None, Ok(actual)) => {
            if outputs_match(&case.function, &actual, expected)? {
                Ok(())
            } else {
                Err(format!("expected {expected}, got {actual}"))
            }
        }
        (Some(expected), None, Err(code)) => Err(format!("expected {expected}, got error {code}")),
        (None, Some(expected), Ok(actual)) => Err(format!("expected error {expected}, got {actual}")),
        (None, Some(expected), Err(code)) if *expected == code => Ok(()),
        (None, Some(expected), Err(code)) => Err(format!("expected error {expected}, got error {code}")),
        _ => Err("a case needs exactly one of \"expected\" and \"error\"".to_owned()),
    }
}

/// Compares outputs. Numbers compare as `f64` and instants by the moment and offset they name, so a
/// client may write `8` or `8.0`, or `.000` seconds. Everything else must be equal JSON.
fn outputs_match(function: &str, actual: &Value, expected: &Value) -> Result<bool, String> {
    match function {
        "parse_number" => Ok(actual.as_f64().is_some() && actual.as_f64() == expected.as_f64()),
        "parse_instant" | "in_zone" => {
            let actual = instant_from(actual)?;
            let expected = instant_from(expected)?;
            Ok(actual == expected && actual.offset() == expected.offset())
        }
        _ => Ok(actual == expected),
    }
}

/// Runs `function` on `args`. The outer error means the case itself is malformed.
fn run(function: &str, args: &Args) -> Result<Outcome, String> {
    let outcome = match function {
        "nfc" => Ok(json!(text::nfc(args.str("input")?))),
        "clean_text" => Ok(json!(text::clean_text(args.str("input")?))),
        "char_count" => Ok(json!(text::char_count(args.str("input")?))),
        "ascii_digits" => text::ascii_digits(args.str("input")?, &args.scripts()?)
            .map(|converted| json!(converted))
            .map_err(|error| error.code().to_owned()),
        "parse_number" => text::parse_number(args.str("input")?, &args.scripts()?)
            .map(|number| json!(number))
            .map_err(|error| error.code().to_owned()),
        "name_search_key" => Ok(json!(text::name_search_key(args.str("name")?))),
        "search_tokens" => Ok(json!(text::search_tokens(args.str("name")?))),

        "parse_date" => dates::parse_date(args.str("input")?, &args.scripts()?)
            .map(date_value)
            .map_err(|error| error.code().to_owned()),
        "parse_date_in_order" => {
            let order: DateOrder = args.get("order")?;
            dates::parse_date_in_order(args.str("input")?, order, &args.scripts()?)
                .map(date_value)
                .map_err(|error| error.code().to_owned())
        }
        "format_date" => Ok(json!(dates::format_date(args.date("date")?))),
        "today" => Ok(date_value(dates::today(args.instant("now")?, args.get("utc_offset_minutes")?))),
        "in_zone" => {
            Ok(instant_value(dates::in_zone(args.instant("instant")?, args.get("utc_offset_minutes")?)))
        }
        "parse_instant" => dates::parse_instant(args.str("input")?)
            .map(instant_value)
            .map_err(|error| error.code().to_owned()),
        "age_years" => Ok(json!(dates::age_years(args.date("date_of_birth")?, args.date("on")?))),
        "estimated_date_of_birth" => {
            Ok(date_value(dates::estimated_date_of_birth(args.get("age_years")?, args.date("on")?)))
        }

        "AgeRange.contains" => Ok(json!(args.get::<AgeRange>("range")?.contains(args.get("age")?))),
        "AgeRange.label" => Ok(json!(args.get::<AgeRange>("range")?.label())),
        "AgeRange.date_of_birth_bounds" => {
            let (earliest, latest) = args.get::<AgeRange>("range")?.date_of_birth_bounds(args.date("as_of")?);
            Ok(json!({ "earliest": earliest.map(date_value), "latest": latest.map(date_value) }))
        }

        "age_range_of" => {
            let ranges: Vec<AgeRange> = args.get("ranges")?;
            let range = reports::age_range_of(args.date("date_of_birth")?, args.date("as_of")?, &ranges);
            Ok(json!(range))
        }
        "suppress" => Ok(table_value(&reports::suppress(&args.table("table")?, args.get("threshold")?))),

        unknown => return Err(format!("unknown function {unknown:?}")),
    };
    Ok(outcome)
}

/// The `args` object of a case. Dates and instants are read with the `time` crate, not with the
/// functions under test.
struct Args<'a>(&'a Value);

impl Args<'_> {
    fn value(&self, key: &str) -> Result<&Value, String> {
        self.0.get(key).ok_or_else(|| format!("missing argument {key:?}"))
    }

    fn get<T: DeserializeOwned>(&self, key: &str) -> Result<T, String> {
        serde_json::from_value(self.value(key)?.clone())
            .map_err(|error| format!("invalid argument {key:?}: {error}"))
    }

    fn str(&self, key: &str) -> Result<&str, String> {
        self.value(key)?.as_str().ok_or_else(|| format!("argument {key:?} is not a string"))
    }

    fn scripts(&self) -> Result<Vec<DigitScript>, String> {
        self.get("accepted")
    }

    fn date(&self, key: &str) -> Result<Date, String> {
        let format = format_description!("[year]-[month]-[day]");
        Date::parse(self.str(key)?, format)
            .map_err(|error| format!("argument {key:?} is not YYYY-MM-DD: {error}"))
    }

    fn instant(&self, key: &str) -> Result<OffsetDateTime, String> {
        instant_from(self.value(key)?).map_err(|error| format!("argument {key:?}: {error}"))
    }

    /// Reads a table of counts: `cells` (rows of counts), `row_totals`, `column_totals`, `total`.
    fn table(&self, key: &str) -> Result<PivotTable, String> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Counts {
            cells: Vec<Vec<u64>>,
            row_totals: Vec<u64>,
            column_totals: Vec<u64>,
            total: u64,
        }
        let counts: Counts = self.get(key)?;
        let cells = |values: Vec<u64>| values.into_iter().map(Cell::new).collect::<Vec<_>>();
        Ok(PivotTable {
            rows: (0..counts.row_totals.len()).map(|row| row.to_string()).collect(),
            columns: (0..counts.column_totals.len()).map(|column| column.to_string()).collect(),
            cells: counts.cells.into_iter().map(cells).collect(),
            row_totals: cells(counts.row_totals),
            column_totals: cells(counts.column_totals),
            total: Cell::new(counts.total),
        })
    }
}

/// Writes a table as the vectors expect it: each value its count, or `null` when suppressed.
fn table_value(table: &PivotTable) -> Value {
    let shown = |cells: &[Cell]| cells.iter().map(Cell::shown).collect::<Vec<_>>();
    json!({
        "cells": table.cells.iter().map(|row| shown(row)).collect::<Vec<_>>(),
        "row_totals": shown(&table.row_totals),
        "column_totals": shown(&table.column_totals),
        "total": table.total.shown(),
    })
}

fn date_value(date: Date) -> Value {
    json!(dates::format_date(date))
}

fn instant_value(instant: OffsetDateTime) -> Value {
    json!(instant.format(&Rfc3339).expect("a parsed instant formats as RFC 3339"))
}

fn instant_from(value: &Value) -> Result<OffsetDateTime, String> {
    let text = value.as_str().ok_or_else(|| format!("{value} is not an RFC 3339 string"))?;
    OffsetDateTime::parse(text, &Rfc3339).map_err(|error| format!("{text:?} is not RFC 3339: {error}"))
}

/// `conformance/validation.json`: single values run through one field, and whole records.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidationFile {
    description: String,
    cases: Vec<FieldCase>,
    records: Vec<RecordCase>,
}

/// One value written to one field of an otherwise empty record.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldCase {
    name: String,
    field: Field,
    #[serde(default)]
    lookups: Vec<Lookup>,
    #[serde(default)]
    locations: Vec<Location>,
    today: String,
    accepted_digit_scripts: Vec<DigitScript>,
    input: Value,
    /// `null` here is an expected value, a stored "no value", not a missing key.
    #[serde(default, deserialize_with = "present_value")]
    expected: Option<Value>,
    #[serde(default)]
    error: Option<ExpectedError>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// Reads a key that is present as `Some`, even when its value is `null`.
fn present_value<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// The single error a field case expects. `path` defaults to the field id.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedError {
    code: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    params: BTreeMap<String, String>,
}

/// A new record (`input_record`) or an update (`current_record` and `changes`) run through forms.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordCase {
    name: String,
    forms: Vec<Form>,
    #[serde(default)]
    lookups: Vec<Lookup>,
    #[serde(default)]
    locations: Vec<Location>,
    today: String,
    accepted_digit_scripts: Vec<DigitScript>,
    /// Access per form id. Forms not listed are writable.
    #[serde(default)]
    form_access: BTreeMap<String, FormAccess>,
    #[serde(default)]
    input_record: Option<Map<String, Value>>,
    #[serde(default)]
    current_record: Option<Map<String, Value>>,
    #[serde(default)]
    changes: Option<Vec<Change>>,
    #[serde(default)]
    expected_record: Option<Map<String, Value>>,
    #[serde(default)]
    expected_errors: Option<Vec<FieldError>>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[test]
fn validation_vectors() {
    let file: ValidationFile = read_vector_file("validation.json");
    assert!(!file.description.trim().is_empty(), "validation.json: description is empty");
    assert!(!file.cases.is_empty(), "validation.json: no field cases");
    assert!(!file.records.is_empty(), "validation.json: no record cases");

    let mut names = HashSet::new();
    let mut failures = Vec::new();
    let outcomes = file
        .cases
        .iter()
        .map(|case| (case.name.as_str(), check_field_case(case)))
        .chain(file.records.iter().map(|case| (case.name.as_str(), check_record_case(case))));
    for (name, outcome) in outcomes {
        if !names.insert(name) {
            failures.push(format!("{name}: duplicate case name"));
        }
        if let Err(message) = outcome {
            failures.push(format!("{name}: {message}"));
        }
    }

    let total = file.cases.len() + file.records.len();
    assert!(
        failures.is_empty(),
        "{} of {total} cases in validation.json failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Builds a configuration that holds only `forms`, `lookups` and `locations`, with the
/// Bangladesh deployment settings except for the accepted digit scripts.
fn configuration_around(
    forms: Vec<Form>,
    lookups: Vec<Lookup>,
    locations: Vec<Location>,
    accepted_digit_scripts: &[DigitScript],
) -> Result<Configuration, String> {
    let config = json!({
        "deployment": {
            "config_version": "conformance",
            "name": { "en": "Conformance vectors", "bn": "Conformance vectors" },
            "time_zone": "Asia/Dhaka",
            "utc_offset_minutes": 360,
            "locales": ["en", "bn"],
            "accepted_digit_scripts": accepted_digit_scripts,
            "display_id_prefix": "CXB",
            "login": {
                "max_failed_attempts": 5,
                "lockout_minutes": 15,
                "session_hours": 12,
                "min_password_chars": 10
            }
        },
        "lookups": lookups,
        "locations": locations,
        "agencies": [],
        "roles": [],
        "forms": forms,
    });
    serde_json::from_value(config).map_err(|error| format!("invalid configuration: {error}"))
}

fn parse_today(text: &str) -> Result<Date, String> {
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map_err(|error| format!("\"today\" is not YYYY-MM-DD: {error}"))
}

fn check_field_case(case: &FieldCase) -> Result<(), String> {
    let form = Form {
        id: "vector_form".to_owned(),
        name: Default::default(),
        order: 1,
        fields: vec![case.field.clone()],
    };
    let config = configuration_around(
        vec![form],
        case.lookups.clone(),
        case.locations.clone(),
        &case.accepted_digit_scripts,
    )?;
    let validator = Validator::new(&config, parse_today(&case.today)?);
    let change = Change { path: case.field.id.clone(), value: case.input.clone() };
    let outcome = validator.validate_update(&Map::new(), &[change], &|_| FormAccess::ReadWrite);

    match (&case.expected, &case.error, outcome) {
        (Some(expected), None, Ok(write)) => {
            let actual = write.data.get(&case.field.id).cloned().unwrap_or(Value::Null);
            if values_match(&actual, expected) {
                Ok(())
            } else {
                Err(format!("expected {expected}, got {actual}"))
            }
        }
        (Some(expected), None, Err(errors)) => Err(format!("expected {expected}, got errors {errors:?}")),
        (None, Some(expected), Ok(write)) => {
            Err(format!("expected error {}, got {:?}", expected.code, write.data.get(&case.field.id)))
        }
        (None, Some(expected), Err(errors)) => {
            let path = expected.path.clone().unwrap_or_else(|| case.field.id.clone());
            let expected_error = FieldError {
                code: expected.code.clone(),
                path: path.clone(),
                params: expected.params.clone(),
            };
            if errors == [expected_error] {
                Ok(())
            } else {
                Err(format!(
                    "expected the one error {} at {path} {:?}, got {errors:?}",
                    expected.code, expected.params
                ))
            }
        }
        _ => Err("a case needs exactly one of \"expected\" and \"error\"".to_owned()),
    }
}

fn check_record_case(case: &RecordCase) -> Result<(), String> {
    let config = configuration_around(
        case.forms.clone(),
        case.lookups.clone(),
        case.locations.clone(),
        &case.accepted_digit_scripts,
    )?;
    let validator = Validator::new(&config, parse_today(&case.today)?);
    let access = |form_id: &str| case.form_access.get(form_id).copied().unwrap_or(FormAccess::ReadWrite);
    let outcome = match (&case.input_record, &case.changes) {
        (Some(input), None) => validator.validate_new(input, &access),
        (None, Some(changes)) => {
            validator.validate_update(&case.current_record.clone().unwrap_or_default(), changes, &access)
        }
        _ => return Err("a record case needs either \"input_record\" or \"changes\"".to_owned()),
    };

    match (&case.expected_record, &case.expected_errors, outcome) {
        (Some(expected), None, Ok(write)) => {
            let actual = Value::Object(write.data);
            let expected = Value::Object(expected.clone());
            if values_match(&actual, &expected) {
                Ok(())
            } else {
                Err(format!("expected record {expected}, got {actual}"))
            }
        }
        (Some(_), None, Err(errors)) => Err(format!("expected a valid record, got errors {errors:?}")),
        (None, Some(expected), Ok(write)) => {
            Err(format!("expected errors {expected:?}, got record {}", Value::Object(write.data)))
        }
        (None, Some(expected), Err(errors)) if *expected == errors => Ok(()),
        (None, Some(expected), Err(errors)) => Err(format!("expected errors {expected:?}, got {errors:?}")),
        _ => Err("a record case needs exactly one of \"expected_record\" and \"expected_errors\"".to_owned()),
    }
}

/// Compares JSON values with numbers as `f64`, so `12` equals `12.0` as it does in JavaScript.
fn values_match(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Number(actual), Value::Number(expected)) => actual.as_f64() == expected.as_f64(),
        (Value::Array(actual), Value::Array(expected)) => {
            actual.len() == expected.len() && actual.iter().zip(expected).all(|(a, e)| values_match(a, e))
        }
        (Value::Object(actual), Value::Object(expected)) => {
            actual.len() == expected.len()
                && actual.iter().all(|(key, a)| expected.get(key).is_some_and(|e| values_match(a, e)))
        }
        _ => actual == expected,
    }
}

/// `conformance/due_dates.json`: the due items and stage of a case, and the bucket of a due date.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DueDatesFile {
    description: String,
    cases: Vec<DueCase>,
    buckets: Vec<BucketCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DueCase {
    name: String,
    status: CaseStatus,
    /// The deployment's `workflow` object; the defaults when absent.
    #[serde(default)]
    rules: Option<WorkflowRules>,
    data: Map<String, Value>,
    expected: Vec<DueItem>,
    stage: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BucketCase {
    name: String,
    due_on: String,
    now: String,
    utc_offset_minutes: i32,
    /// The date in the deployment's zone at `now`.
    today: String,
    expected: Bucket,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[test]
fn due_dates_vectors() {
    let file: DueDatesFile = read_vector_file("due_dates.json");
    assert!(!file.description.trim().is_empty(), "due_dates.json: description is empty");
    assert!(!file.cases.is_empty(), "due_dates.json: no cases");
    assert!(!file.buckets.is_empty(), "due_dates.json: no bucket cases");

    let mut names = HashSet::new();
    let mut failures = Vec::new();
    let outcomes = file
        .cases
        .iter()
        .map(|case| (case.name.as_str(), check_due_case(case)))
        .chain(file.buckets.iter().map(|case| (case.name.as_str(), check_bucket_case(case))));
    for (name, outcome) in outcomes {
        if !names.insert(name) {
            failures.push(format!("{name}: duplicate case name"));
        }
        if let Err(message) = outcome {
            failures.push(format!("{name}: {message}"));
        }
    }

    let total = file.cases.len() + file.buckets.len();
    assert!(
        failures.is_empty(),
        "{} of {total} cases in due_dates.json failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_due_case(case: &DueCase) -> Result<(), String> {
    let rules = case.rules.clone().unwrap_or_default();
    let items = workflow::due_items(&case.data, case.status, &rules);
    let stage = workflow::stage(&case.data, case.status).as_str();

    let mut problems = Vec::new();
    if items != case.expected {
        let actual = serde_json::to_string(&items).expect("due items serialize");
        let expected = serde_json::to_string(&case.expected).expect("due items serialize");
        problems.push(format!("expected items {expected}, got {actual}"));
    }
    if stage != case.stage {
        problems.push(format!("expected stage {:?}, got {stage:?}", case.stage));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

fn check_bucket_case(case: &BucketCase) -> Result<(), String> {
    let now = instant_from(&json!(case.now))?;
    let today = dates::today(now, case.utc_offset_minutes);
    if dates::format_date(today) != case.today {
        return Err(format!("expected today {}, got {}", case.today, dates::format_date(today)));
    }
    let due_on = Args(&json!({ "due_on": case.due_on })).date("due_on")?;
    let bucket = workflow::bucket(due_on, today);
    if bucket == case.expected {
        Ok(())
    } else {
        Err(format!("expected bucket {}, got {}", case.expected.as_str(), bucket.as_str()))
    }
}
