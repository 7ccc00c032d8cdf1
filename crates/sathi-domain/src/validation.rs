//! Validation and normalisation of case record writes against the form configuration.
//!
//! The server runs every write through [`Validator`]; the web client follows the same rules
//! through the vectors under `conformance/`. A write is a list of [`Change`]s addressed by field
//! path: `name_first` for a top-level field, `family_members/<row id>/relation` for a field of a
//! subform row, and `family_members/<row id>` for a whole row (a `null` value removes it). Row ids
//! are stable, so two devices editing different rows never collide on a position.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;
use uuid::Uuid;

use crate::config::{Condition, Configuration, Field, FieldKind, Location, LocationLevel};
use crate::dates::{self, DateError};
use crate::permissions::FormAccess;
use crate::text::{self, NumberError};

/// The JSON key of a subform row's stable id, the same name the incumbent system's exports use.
pub const ROW_ID: &str = "unique_id";

/// One field-level write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub path: String,
    pub value: Value,
}

/// Why one value was rejected: a stable code for machines and translators, the field path, and
/// the parameters the message needs (allowed values, limits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub code: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl FieldError {
    pub fn new(code: &str, path: &str) -> Self {
        FieldError { code: code.to_owned(), path: path.to_owned(), params: BTreeMap::new() }
    }

    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }
}

/// A write after validation: the record data as it will be stored, and the changes with their
/// values normalised (NFC text, ASCII digits, ISO dates), which feed the change log.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidatedWrite {
    pub data: Map<String, Value>,
    pub changes: Vec<AppliedChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedChange {
    pub path: String,
    pub old_value: Value,
    pub new_value: Value,
}

/// Checks writes against one configuration on one calendar day.
pub struct Validator<'a> {
    config: &'a Configuration,
    today: Date,
    locations: HashMap<&'a str, &'a Location>,
}

impl<'a> Validator<'a> {
    /// `today` is the date in the deployment's zone, which decides "not in the future".
    pub fn new(config: &'a Configuration, today: Date) -> Self {
        Validator { config, today, locations: config.location_index() }
    }

    /// Validates the data of a new record: every field, and every required field that is
    /// visible. `access` gives the caller's access to a form id.
    pub fn validate_new(
        &self,
        input: &Map<String, Value>,
        access: &dyn Fn(&str) -> FormAccess,
    ) -> Result<ValidatedWrite, Vec<FieldError>> {
        let changes: Vec<Change> =
            input.iter().map(|(path, value)| Change { path: path.clone(), value: value.clone() }).collect();
        let mut write = match self.apply(&Map::new(), &changes, access) {
            Ok(write) => write,
            Err(mut errors) => {
                // Report missing fields too, so one round trip shows everything to correct.
                let mut missing = Vec::new();
                self.check_required(input, &mut missing);
                errors.extend(missing.into_iter().filter(|error| !input.contains_key(&error.path)));
                return Err(errors);
            }
        };
        let mut errors = Vec::new();
        self.check_required(&write.data, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        self.derive(&mut write);
        Ok(write)
    }

    /// Validates changes to an existing record. Required fields are checked only where a change
    /// clears them, so records migrated with gaps can still be edited.
    pub fn validate_update(
        &self,
        current: &Map<String, Value>,
        changes: &[Change],
        access: &dyn Fn(&str) -> FormAccess,
    ) -> Result<ValidatedWrite, Vec<FieldError>> {
        let mut write = self.apply(current, changes, access)?;
        let mut errors = Vec::new();
        for change in &write.changes {
            if change.new_value.is_null()
                && !change.path.contains('/')
                && let Some((_, field)) = self.config.field(&change.path)
                && field.required
                && self.is_visible(field, &write.data, None)
            {
                errors.push(FieldError::new("required", &change.path));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        self.derive(&mut write);
        Ok(write)
    }

    fn apply(
        &self,
        current: &Map<String, Value>,
        changes: &[Change],
        access: &dyn Fn(&str) -> FormAccess,
    ) -> Result<ValidatedWrite, Vec<FieldError>> {
        let mut data = current.clone();
        let mut applied = Vec::new();
        let mut errors = Vec::new();
        for change in changes {
            match self.apply_one(&mut data, change, access) {
                Ok(Some(done)) => applied.push(done),
                Ok(None) => {}
                Err(mut found) => errors.append(&mut found),
            }
        }
        if errors.is_empty() { Ok(ValidatedWrite { data, changes: applied }) } else { Err(errors) }
    }

    /// Applies one change to `data`; returns `None` when the value did not change.
    fn apply_one(
        &self,
        data: &mut Map<String, Value>,
        change: &Change,
        access: &dyn Fn(&str) -> FormAccess,
    ) -> Result<Option<AppliedChange>, Vec<FieldError>> {
        let segments: Vec<&str> = change.path.split('/').collect();
        let Some((form, field)) = self.config.field(segments[0]) else {
            return Err(vec![FieldError::new("unknown_field", &change.path)]);
        };
        if access(&form.id) != FormAccess::ReadWrite {
            return Err(vec![FieldError::new("form_not_writable", &change.path).with("form", &form.id)]);
        }

        match segments.as_slice() {
            [_] => {
                let new_value = self.normalize(field, &change.value, &change.path)?;
                let old_value = data.get(&field.id).cloned().unwrap_or(Value::Null);
                Ok(set_if_changed(data, &field.id, old_value, new_value, &change.path))
            }
            [_, row_id] => {
                let FieldKind::Subform { fields, .. } = &field.kind else {
                    return Err(vec![FieldError::new("unknown_field", &change.path)]);
                };
                let row_id = parse_row_id(row_id, &change.path)?;
                let rows = subform_rows(data, &field.id);
                let position = rows.iter().position(|row| row_id_of(row) == Some(row_id));
                let old_value = position.map(|index| rows[index].clone()).unwrap_or(Value::Null);
                let new_value = if change.value.is_null() {
                    Value::Null
                } else {
                    self.normalize_row(fields, &change.value, Some(row_id), &field.id)?
                };
                match (position, new_value.is_null()) {
                    (Some(index), true) => {
                        rows.remove(index);
                    }
                    (Some(index), false) => rows[index] = new_value.clone(),
                    (None, false) => rows.push(new_value.clone()),
                    (None, true) => return Ok(None),
                }
                Ok((old_value != new_value).then(|| AppliedChange {
                    path: change.path.clone(),
                    old_value,
                    new_value,
                }))
            }
            [_, row_id, row_field_id] => {
                let FieldKind::Subform { fields, .. } = &field.kind else {
                    return Err(vec![FieldError::new("unknown_field", &change.path)]);
                };
                let Some(row_field) = fields.iter().find(|candidate| candidate.id == *row_field_id) else {
                    return Err(vec![FieldError::new("unknown_field", &change.path)]);
                };
                let row_id = parse_row_id(row_id, &change.path)?;
                let new_value = self.normalize(row_field, &change.value, &change.path)?;
                let rows = subform_rows(data, &field.id);
                let Some(row) = rows.iter_mut().find(|row| row_id_of(row) == Some(row_id)) else {
                    return Err(vec![FieldError::new("row_not_found", &change.path)]);
                };
                let row = row.as_object_mut().expect("subform rows are objects after normalisation");
                let old_value = row.get(*row_field_id).cloned().unwrap_or(Value::Null);
                Ok(set_if_changed(row, row_field_id, old_value, new_value, &change.path))
            }
            _ => Err(vec![FieldError::new("unknown_field", &change.path)]),
        }
    }

    /// Normalises one value for `field`, or explains why it is invalid. `Null` and empty
    /// strings mean "no value".
    fn normalize(&self, field: &Field, value: &Value, path: &str) -> Result<Value, Vec<FieldError>> {
        if field.read_only {
            return Err(vec![FieldError::new("read_only_field", path)]);
        }
        if is_empty(value) {
            return Ok(Value::Null);
        }
        let scripts = &self.config.deployment.accepted_digit_scripts;
        let single = |error: FieldError| Err(vec![error]);
        match &field.kind {
            FieldKind::Text { max_chars } | FieldKind::Textarea { max_chars } => {
                let Value::String(raw) = value else { return single(type_error(path, "text")) };
                let cleaned = text::clean_text(raw);
                match max_chars {
                    Some(max) if text::char_count(&cleaned) > *max as usize => {
                        single(FieldError::new("too_long", path).with("max", max))
                    }
                    _ if cleaned.is_empty() => Ok(Value::Null),
                    _ => Ok(Value::String(cleaned)),
                }
            }
            FieldKind::Number { min, max, decimal } => {
                let number = match value {
                    Value::Number(number) => number.as_f64().unwrap_or(f64::NAN),
                    Value::String(raw) => match text::parse_number(raw, scripts) {
                        Ok(number) => number,
                        Err(NumberError::Digits(error)) => return single(digit_error(path, &error)),
                        Err(NumberError::Invalid) => return single(FieldError::new("invalid_number", path)),
                    },
                    _ => return single(type_error(path, "number")),
                };
                if !number.is_finite() {
                    return single(FieldError::new("invalid_number", path));
                }
                if !decimal && number.fract() != 0.0 {
                    return single(FieldError::new("not_whole_number", path));
                }
                if let Some(min) = min.filter(|min| number < *min) {
                    return single(FieldError::new("below_min", path).with("min", min));
                }
                if let Some(max) = max.filter(|max| number > *max) {
                    return single(FieldError::new("above_max", path).with("max", max));
                }
                Ok(number_value(number))
            }
            FieldKind::Date { not_future } => {
                let Value::String(raw) = value else { return single(type_error(path, "date")) };
                match dates::parse_date(raw, scripts) {
                    Ok(date) if *not_future && date > self.today => single(
                        FieldError::new("date_in_future", path).with("today", dates::format_date(self.today)),
                    ),
                    Ok(date) => Ok(Value::String(dates::format_date(date))),
                    Err(error) => single(date_error(path, &error)),
                }
            }
            FieldKind::DateTime => {
                let Value::String(raw) = value else { return single(type_error(path, "date_time")) };
                let converted =
                    text::ascii_digits(raw, scripts).map_err(|error| vec![digit_error(path, &error)])?;
                match dates::parse_instant(&converted).map(format_instant_utc) {
                    Ok(Some(utc)) => Ok(Value::String(utc)),
                    // The same instant in UTC falls outside years 0000-9999, which RFC 3339 cannot write.
                    Ok(None) => single(FieldError::new("invalid_date_format", path)),
                    Err(error) => single(date_error(path, &error)),
                }
            }
            FieldKind::Select { lookup } | FieldKind::Radio { lookup } => {
                let Value::String(raw) = value else { return single(type_error(path, "option")) };
                self.check_option(lookup, raw, path).map(Value::String).map_err(|error| vec![error])
            }
            FieldKind::MultiSelect { lookup } => {
                let Value::Array(items) = value else { return single(type_error(path, "options")) };
                let mut chosen: Vec<Value> = Vec::new();
                for item in items {
                    let Value::String(raw) = item else { return single(type_error(path, "options")) };
                    let id = self.check_option(lookup, raw, path).map_err(|error| vec![error])?;
                    if !chosen.iter().any(|existing| existing.as_str() == Some(id.as_str())) {
                        chosen.push(Value::String(id));
                    }
                }
                Ok(if chosen.is_empty() { Value::Null } else { Value::Array(chosen) })
            }
            FieldKind::TickBox => match value {
                Value::Bool(flag) => Ok(Value::Bool(*flag)),
                _ => single(type_error(path, "yes_no")),
            },
            FieldKind::Tally { lookup } => self.normalize_tally(lookup, value, path),
            FieldKind::Subform { fields, .. } => {
                let Value::Array(rows) = value else { return single(type_error(path, "rows")) };
                let mut normalized = Vec::with_capacity(rows.len());
                let mut errors = Vec::new();
                for row in rows {
                    match self.normalize_row(fields, row, None, path) {
                        Ok(row) => normalized.push(row),
                        Err(mut found) => errors.append(&mut found),
                    }
                }
                if errors.is_empty() { Ok(Value::Array(normalized)) } else { Err(errors) }
            }
            FieldKind::Photo | FieldKind::Audio | FieldKind::Document => {
                let Value::Array(items) = value else { return single(type_error(path, "attachments")) };
                for item in items {
                    let valid = item.as_str().is_some_and(|id| Uuid::parse_str(id).is_ok());
                    if !valid {
                        return single(type_error(path, "attachments"));
                    }
                }
                Ok(value.clone())
            }
            FieldKind::Signature => match value.as_str().map(Uuid::parse_str) {
                Some(Ok(_)) => Ok(value.clone()),
                _ => single(type_error(path, "attachment")),
            },
            FieldKind::Location { min_level } => {
                let Value::String(code) = value else { return single(type_error(path, "location")) };
                let code = code.trim();
                let Some(location) = self.locations.get(code) else {
                    return single(FieldError::new("unknown_location", path).with("value", code));
                };
                match min_level {
                    Some(min) if precision(location.level) < precision(*min) => single(
                        FieldError::new("location_too_coarse", path).with("min_level", level_name(*min)),
                    ),
                    _ => Ok(Value::String(code.to_owned())),
                }
            }
            FieldKind::Separator | FieldKind::Calculated { .. } | FieldKind::System { .. } => {
                single(FieldError::new("read_only_field", path))
            }
        }
    }

    /// Normalises a subform row: keeps or assigns its stable id and validates its fields.
    fn normalize_row(
        &self,
        fields: &[Field],
        row: &Value,
        expected_id: Option<Uuid>,
        subform_path: &str,
    ) -> Result<Value, Vec<FieldError>> {
        let Value::Object(input) = row else { return Err(vec![type_error(subform_path, "row")]) };
        let row_id = match (input.get(ROW_ID), expected_id) {
            (None, Some(expected)) => expected,
            (None, None) => Uuid::now_v7(),
            (Some(given), expected) => {
                let parsed = given.as_str().and_then(|id| Uuid::parse_str(id).ok());
                match parsed {
                    Some(id) if expected.is_none_or(|expected| expected == id) => id,
                    _ => return Err(vec![FieldError::new("invalid_row_id", subform_path)]),
                }
            }
        };
        let row_path = format!("{subform_path}/{row_id}");
        let mut output = Map::new();
        output.insert(ROW_ID.to_owned(), Value::String(row_id.to_string()));
        let mut errors = Vec::new();
        for (key, value) in input {
            if key == ROW_ID {
                continue;
            }
            let path = format!("{row_path}/{key}");
            let Some(field) = fields.iter().find(|field| &field.id == key) else {
                errors.push(FieldError::new("unknown_field", &path));
                continue;
            };
            match self.normalize(field, value, &path) {
                Ok(Value::Null) => {}
                Ok(normalized) => {
                    output.insert(key.clone(), normalized);
                }
                Err(mut found) => errors.append(&mut found),
            }
        }
        let row_value = Value::Object(output);
        for field in fields {
            let present = row_value.get(&field.id).is_some_and(|value| !value.is_null());
            // A value that was given but is invalid already has its error; "required" would repeat it.
            let given = input.get(&field.id).is_some_and(|value| !is_empty(value));
            if field.required && !present && !given && self.is_visible_in_row(field, &row_value) {
                errors.push(FieldError::new("required", &format!("{row_path}/{}", field.id)));
            }
        }
        if errors.is_empty() { Ok(row_value) } else { Err(errors) }
    }

    fn is_visible_in_row(&self, field: &Field, row: &Value) -> bool {
        match &field.visible_if {
            None => true,
            Some(condition) => evaluate(condition, &|id| row.get(id).cloned()),
        }
    }

    fn normalize_tally(&self, lookup: &str, value: &Value, path: &str) -> Result<Value, Vec<FieldError>> {
        let Value::Object(counts) = value else { return Err(vec![type_error(path, "tally")]) };
        let mut output = Map::new();
        for (option, count) in counts {
            let id = self.check_option(lookup, option, path).map_err(|error| vec![error])?;
            let count = match count {
                Value::Number(number) => number.as_f64(),
                Value::String(raw) => {
                    text::parse_number(raw, &self.config.deployment.accepted_digit_scripts).ok()
                }
                _ => None,
            };
            match count {
                Some(count) if count >= 0.0 && count.fract() == 0.0 => {
                    output.insert(id, number_value(count));
                }
                _ => return Err(vec![FieldError::new("invalid_tally", path).with("option", option)]),
            }
        }
        Ok(Value::Object(output))
    }

    /// Returns the option id for `raw` (an option id, compared exactly after trimming).
    fn check_option(&self, lookup_id: &str, raw: &str, path: &str) -> Result<String, FieldError> {
        let Some(lookup) = self.config.lookup(lookup_id) else {
            return Err(FieldError::new("unknown_option", path).with("value", raw));
        };
        let requested = raw.trim();
        match lookup.options.iter().find(|option| option.id == requested) {
            Some(option) => Ok(option.id.clone()),
            None => {
                let allowed: Vec<&str> = lookup.options.iter().map(|option| option.id.as_str()).collect();
                Err(FieldError::new("unknown_option", path)
                    .with("lookup", lookup_id)
                    .with("value", requested)
                    .with("allowed", allowed.join(", ")))
            }
        }
    }

    fn check_required(&self, data: &Map<String, Value>, errors: &mut Vec<FieldError>) {
        for form in &self.config.forms {
            for field in &form.fields {
                let present = data.get(&field.id).is_some_and(|value| !value.is_null());
                if field.required && !present && self.is_visible(field, data, None) {
                    errors.push(FieldError::new("required", &field.id));
                }
            }
        }
    }

    /// Returns whether `field` is shown for this record (and, inside a subform, this row).
    pub fn is_visible(
        &self,
        field: &Field,
        data: &Map<String, Value>,
        row: Option<&Map<String, Value>>,
    ) -> bool {
        match &field.visible_if {
            None => true,
            Some(condition) => {
                evaluate(condition, &|id| row.and_then(|row| row.get(id)).or_else(|| data.get(id)).cloned())
            }
        }
    }

    /// Fills values that follow from others: an age typed without a date of birth gives an
    /// estimated date of birth, so the child's age keeps moving on.
    fn derive(&self, write: &mut ValidatedWrite) {
        let age_changed = write.changes.iter().any(|change| change.path == "age");
        let dob_changed = write.changes.iter().any(|change| change.path == "date_of_birth");
        let data = &mut write.data;
        let has_exact_dob = data.get("date_of_birth").is_some_and(|value| !value.is_null())
            && data.get("date_of_birth_estimated") != Some(&Value::Bool(true));
        if dob_changed || !age_changed || has_exact_dob {
            return;
        }
        let Some(age) = data.get("age").and_then(Value::as_u64) else { return };
        let registered = data
            .get("registration_date")
            .and_then(Value::as_str)
            .and_then(|raw| dates::parse_date(raw, &[]).ok())
            .unwrap_or(self.today);
        let estimated = dates::format_date(dates::estimated_date_of_birth(age as u32, registered));
        for (path, value) in
            [("date_of_birth", Value::String(estimated)), ("date_of_birth_estimated", Value::Bool(true))]
        {
            let old_value = data.get(path).cloned().unwrap_or(Value::Null);
            if let Some(applied) = set_if_changed(data, path, old_value, value, path) {
                write.changes.push(applied);
            }
        }
    }
}

/// Evaluates a visibility condition; `lookup` returns the current value of a field id.
pub fn evaluate(condition: &Condition, lookup: &dyn Fn(&str) -> Option<Value>) -> bool {
    match condition {
        Condition::All { all } => all.iter().all(|inner| evaluate(inner, lookup)),
        Condition::Any { any } => any.iter().any(|inner| evaluate(inner, lookup)),
        Condition::Equals { field, equals } => lookup(field).as_ref() == Some(equals),
        Condition::Includes { field, includes } => lookup(field)
            .and_then(|value| value.as_array().cloned())
            .is_some_and(|items| items.iter().any(|item| item.as_str() == Some(includes.as_str()))),
        Condition::IsSet { field, is_set } => lookup(field).is_some_and(|value| !is_empty(&value)) == *is_set,
    }
}

fn set_if_changed(
    target: &mut Map<String, Value>,
    key: &str,
    old_value: Value,
    new_value: Value,
    path: &str,
) -> Option<AppliedChange> {
    if old_value == new_value {
        return None;
    }
    if new_value.is_null() {
        target.remove(key);
    } else {
        target.insert(key.to_owned(), new_value.clone());
    }
    Some(AppliedChange { path: path.to_owned(), old_value, new_value })
}

fn subform_rows<'d>(data: &'d mut Map<String, Value>, field_id: &str) -> &'d mut Vec<Value> {
    let slot = data.entry(field_id.to_owned()).or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    slot.as_array_mut().expect("slot was just made an array")
}

fn row_id_of(row: &Value) -> Option<Uuid> {
    row.get(ROW_ID).and_then(Value::as_str).and_then(|id| Uuid::parse_str(id).ok())
}

fn parse_row_id(raw: &str, path: &str) -> Result<Uuid, Vec<FieldError>> {
    Uuid::parse_str(raw).map_err(|_| vec![FieldError::new("invalid_row_id", path)])
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        _ => false,
    }
}

fn number_value(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        Value::from(number as i64)
    } else {
        serde_json::Number::from_f64(number).map(Value::Number).unwrap_or(Value::Null)
    }
}

fn type_error(path: &str, expected: &str) -> FieldError {
    FieldError::new("invalid_type", path).with("expected", expected)
}

fn digit_error(path: &str, error: &text::DigitError) -> FieldError {
    let found = match error {
        text::DigitError::Mixed { first, second } => format!("{}, {}", first.code(), second.code()),
        text::DigitError::NotAccepted { script } => script.code().to_owned(),
    };
    FieldError::new(error.code(), path).with("scripts", found)
}

fn date_error(path: &str, error: &DateError) -> FieldError {
    match error {
        DateError::Digits(digits) => digit_error(path, digits),
        other => FieldError::new(other.code(), path),
    }
}

fn format_instant_utc(instant: time::OffsetDateTime) -> Option<String> {
    instant
        .checked_to_offset(time::UtcOffset::UTC)?
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// Orders levels by precision; camps and host-community unions are equally precise.
fn precision(level: LocationLevel) -> u8 {
    match level {
        LocationLevel::Country => 0,
        LocationLevel::Division => 1,
        LocationLevel::District => 2,
        LocationLevel::Upazila => 3,
        LocationLevel::Camp | LocationLevel::Union => 4,
        LocationLevel::Block => 5,
    }
}

fn level_name(level: LocationLevel) -> String {
    serde_json::to_value(level).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default()
}
