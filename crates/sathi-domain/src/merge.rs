//! The merge rules of offline sync, with no IO: whether a change made on a device at some base
//! version applies to the current record, already holds, or conflicts with a later change.
//!
//! The server calls [`decide`] for each change of a mutation, with the change-log entries written
//! after the mutation's base version. The property test in `tests/merge_model.rs` runs the same
//! functions in a model of a server and several devices. This module does not validate values
//! and does not store conflicts; the caller does both.
//!
//! A change counts as concurrent with an incoming one when its version is after the incoming
//! change's base version, unless an earlier mutation of the same device made it. The device made
//! its later edit on top of its own earlier one, and one device's mutations apply in device order.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::validation::ROW_ID;

/// The sync mutation that made a change, or that carries an incoming one: its device and the
/// device's sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub device_id: Uuid,
    pub seq: i64,
}

impl Origin {
    /// Returns whether `earlier` is a mutation this device sent before this one.
    fn follows(self, earlier: Origin) -> bool {
        self.device_id == earlier.device_id && earlier.seq < self.seq
    }
}

/// One entry of a case's change log, as the merge needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedChange {
    pub path: String,
    /// The case version the change made.
    pub version: i64,
    /// The mutation that made the change; `None` for a change made over the API, a conflict
    /// resolution, or a mutation whose record has expired.
    pub origin: Option<Origin>,
}

/// The basis of an incoming change: the case version the device had, and the mutation that
/// carries the change. The server passes the device's mutation for `POST /sync` and for a
/// quarantined mutation a supervisor applies alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Base {
    pub version: i64,
    pub origin: Option<Origin>,
}

impl Base {
    /// Returns whether `entry` changed the case without the incoming change's author having
    /// seen it.
    pub fn is_concurrent(&self, entry: &LoggedChange) -> bool {
        let own_earlier = match (self.origin, entry.origin) {
            (Some(incoming), Some(logged)) => incoming.follows(logged),
            _ => false,
        };
        entry.version > self.version && !own_earlier
    }
}

/// What to do with one incoming change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Nothing overlapping changed after the base version: write the value.
    Apply,
    /// Something overlapping changed, but the record already holds this value.
    AlreadyEqual,
    /// Something overlapping changed to another value: keep both for a person to choose.
    Conflict,
}

/// Returns whether two field paths overlap: they are equal, or one is a prefix of the other at
/// a `/`. `family` overlaps `family/r1/relation`; `family/r1` does not overlap `family/r2`.
pub fn paths_overlap(a: &str, b: &str) -> bool {
    let (shorter, longer) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    longer == shorter || (longer.starts_with(shorter) && longer.as_bytes()[shorter.len()] == b'/')
}

/// Decides one change to `path` with `value`, made on `base`. `log` contains change-log entries
/// of the case at any version, and only those concurrent with `base` count. `current` is the
/// record's data now. `value` should already be normalised the way the validator stores it, so
/// that "already equal" compares like with like.
pub fn decide(
    path: &str,
    value: &Value,
    base: &Base,
    log: &[LoggedChange],
    current: &Map<String, Value>,
) -> Decision {
    let changed_since_base =
        log.iter().any(|entry| base.is_concurrent(entry) && paths_overlap(&entry.path, path));
    if !changed_since_base {
        Decision::Apply
    } else if values_equal(&value_at(current, path), value) {
        Decision::AlreadyEqual
    } else {
        Decision::Conflict
    }
}

/// Returns the latest entry of `log` concurrent with `base` whose path overlaps `path`: the
/// change that made the value a conflicting change collides with.
pub fn latest_overlapping<'l>(path: &str, base: &Base, log: &'l [LoggedChange]) -> Option<&'l LoggedChange> {
    log.iter()
        .filter(|entry| base.is_concurrent(entry) && paths_overlap(&entry.path, path))
        .max_by_key(|entry| entry.version)
}

/// Returns the value at a field path of record data: `field`, `subform/<row id>` (the whole
/// row) or `subform/<row id>/<field>`. Rows are found by their `unique_id`, never by position.
/// A missing value is `Null`.
pub fn value_at(data: &Map<String, Value>, path: &str) -> Value {
    let mut segments = path.split('/');
    let field = segments.next().unwrap_or_default();
    let Some(value) = data.get(field) else { return Value::Null };
    let Some(row_id) = segments.next() else { return value.clone() };
    let row = value
        .as_array()
        .and_then(|rows| rows.iter().find(|row| row.get(ROW_ID).and_then(Value::as_str) == Some(row_id)));
    let Some(row) = row else { return Value::Null };
    match segments.next() {
        None => row.clone(),
        Some(row_field) => row.get(row_field).cloned().unwrap_or(Value::Null),
    }
}

/// Compares two values as stored values: an empty string and a missing value are the same.
fn values_equal(a: &Value, b: &Value) -> bool {
    let empty = |value: &Value| value.is_null() || value.as_str().is_some_and(|text| text.trim().is_empty());
    (empty(a) && empty(b)) || a == b
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn logged(entries: &[(&str, i64)]) -> Vec<LoggedChange> {
        entries
            .iter()
            .map(|(path, version)| LoggedChange { path: (*path).to_owned(), version: *version, origin: None })
            .collect()
    }

    fn on(version: i64) -> Base {
        Base { version, origin: None }
    }

    const PHONE: Uuid = Uuid::from_u128(0xA);
    const OTHER_PHONE: Uuid = Uuid::from_u128(0xB);

    fn from_device(device_id: Uuid, seq: i64) -> Option<Origin> {
        Some(Origin { device_id, seq })
    }

    fn data(value: Value) -> Map<String, Value> {
        value.as_object().expect("test data is an object").clone()
    }

    #[test]
    fn overlap_at_slash_boundaries_only() {
        assert!(paths_overlap("family", "family"));
        assert!(paths_overlap("family", "family/r1"));
        assert!(paths_overlap("family/r1/relation", "family"));
        assert!(paths_overlap("family/r1", "family/r1/relation"));
        assert!(!paths_overlap("family/r1", "family/r2"));
        assert!(!paths_overlap("family/r1", "family/r10"));
        assert!(!paths_overlap("risk_level", "risk_level_updated"));
        assert!(!paths_overlap("family/r1/relation", "family/r1/name"));
    }

    /// Device B (base 3) set risk level low and care arrangement kinship care: version 4.
    fn after_b4() -> (Vec<LoggedChange>, Map<String, Value>) {
        let log = logged(&[("risk_level", 4), ("care_arrangement_current", 4)]);
        let current = data(json!({
            "risk_level": "low",
            "care_arrangement_current": "kinship_care",
            "case_plan_review_date": "2024-05-20",
        }));
        (log, current)
    }

    #[test]
    fn same_field_from_old_base_conflicts() {
        let (log, current) = after_b4();
        assert_eq!(decide("risk_level", &json!("high"), &on(3), &log, &current), Decision::Conflict);
    }

    #[test]
    fn other_field_from_old_base_applies() {
        let (log, current) = after_b4();
        assert_eq!(
            decide("case_plan_review_date", &json!("2024-05-27"), &on(3), &log, &current),
            Decision::Apply
        );
    }

    #[test]
    fn same_value_from_old_base_is_already_equal() {
        let (log, current) = after_b4();
        assert_eq!(decide("risk_level", &json!("low"), &on(3), &log, &current), Decision::AlreadyEqual);
    }

    #[test]
    fn change_on_current_version_applies() {
        let (log, current) = after_b4();
        assert_eq!(decide("risk_level", &json!("high"), &on(4), &log, &current), Decision::Apply);
    }

    #[test]
    fn different_subform_rows_merge() {
        let log = logged(&[("family/11111111-1111-4111-8111-111111111111/relation", 5)]);
        let current = data(json!({"family": [
            {"unique_id": "11111111-1111-4111-8111-111111111111", "relation": "aunt"},
            {"unique_id": "22222222-2222-4222-8222-222222222222", "relation": "uncle"},
        ]}));
        let other_row = "family/22222222-2222-4222-8222-222222222222/relation";
        assert_eq!(decide(other_row, &json!("grandfather"), &on(4), &log, &current), Decision::Apply);
        let same_row = "family/11111111-1111-4111-8111-111111111111";
        assert_eq!(decide(same_row, &Value::Null, &on(4), &log, &current), Decision::Conflict);
    }

    #[test]
    fn value_at_finds_rows_by_id() {
        let current = data(json!({"family": [
            {"unique_id": "22222222-2222-4222-8222-222222222222", "relation": "uncle"},
            {"unique_id": "11111111-1111-4111-8111-111111111111", "relation": "aunt"},
        ]}));
        assert_eq!(value_at(&current, "family/11111111-1111-4111-8111-111111111111/relation"), json!("aunt"));
        assert_eq!(value_at(&current, "family/33333333-3333-4333-8333-333333333333"), Value::Null);
        assert_eq!(value_at(&current, "missing"), Value::Null);
    }

    #[test]
    fn latest_overlapping_picks_highest_version() {
        let log = logged(&[("risk_level", 2), ("risk_level", 4), ("sex", 5)]);
        assert_eq!(latest_overlapping("risk_level", &on(1), &log).map(|entry| entry.version), Some(4));
        assert_eq!(latest_overlapping("risk_level", &on(4), &log), None);
    }

    #[test]
    fn own_earlier_edit_is_not_concurrent() {
        let log =
            vec![LoggedChange { path: "risk_level".to_owned(), version: 4, origin: from_device(PHONE, 1) }];
        let current = data(json!({"risk_level": "low"}));
        let second_edit = Base { version: 3, origin: from_device(PHONE, 2) };
        assert_eq!(decide("risk_level", &json!("high"), &second_edit, &log, &current), Decision::Apply);
        assert_eq!(latest_overlapping("risk_level", &second_edit, &log), None);
    }

    #[test]
    fn other_device_edit_is_concurrent() {
        let log = vec![LoggedChange {
            path: "risk_level".to_owned(),
            version: 4,
            origin: from_device(OTHER_PHONE, 1),
        }];
        let current = data(json!({"risk_level": "low"}));
        let edit = Base { version: 3, origin: from_device(PHONE, 2) };
        assert_eq!(decide("risk_level", &json!("high"), &edit, &log, &current), Decision::Conflict);
    }

    #[test]
    fn own_later_edit_is_concurrent() {
        // A supervisor may apply a quarantined seq 1 after the device's seq 2 applied: seq 1 was
        // not made on top of seq 2.
        let log =
            vec![LoggedChange { path: "risk_level".to_owned(), version: 4, origin: from_device(PHONE, 2) }];
        let current = data(json!({"risk_level": "low"}));
        let earlier = Base { version: 3, origin: from_device(PHONE, 1) };
        assert_eq!(decide("risk_level", &json!("high"), &earlier, &log, &current), Decision::Conflict);
    }

    #[test]
    fn own_edit_behind_other_device_still_conflicts() {
        let log = vec![
            LoggedChange { path: "risk_level".to_owned(), version: 4, origin: from_device(OTHER_PHONE, 7) },
            LoggedChange { path: "risk_level".to_owned(), version: 5, origin: from_device(PHONE, 1) },
        ];
        let current = data(json!({"risk_level": "low"}));
        let second_edit = Base { version: 3, origin: from_device(PHONE, 2) };
        assert_eq!(decide("risk_level", &json!("high"), &second_edit, &log, &current), Decision::Conflict);
        let collides_with = latest_overlapping("risk_level", &second_edit, &log).map(|entry| entry.version);
        assert_eq!(collides_with, Some(4));
    }
}
