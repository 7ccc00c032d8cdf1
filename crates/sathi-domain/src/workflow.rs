//! The case's stage in the case management steps and the due dates of its next steps, both
//! derived from the record's data.
//!
//! Nothing here reads the clock: [`due_items`] returns calendar dates, and the caller decides what
//! is overdue with [`bucket`] against today in the deployment's zone ([`crate::dates::today`]).
//! `docs/workflow.md` explains the rules in prose.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::{Date, Duration};

use crate::config::WorkflowRules;
use crate::dates;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Closed,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "open" => Some(CaseStatus::Open),
            "closed" => Some(CaseStatus::Closed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    New,
    Assessment,
    CasePlan,
    ServiceProvision,
    ServicesImplemented,
    Closed,
    /// Reopened after closure, with no casework recorded since.
    Reopened,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Assessment => "assessment",
            Stage::CasePlan => "case_plan",
            Stage::ServiceProvision => "service_provision",
            Stage::ServicesImplemented => "services_implemented",
            Stage::Closed => "closed",
            Stage::Reopened => "reopened",
        }
    }
}

/// Derives the stage from what the record holds: the furthest step with evidence wins.
///
/// A reopened case is [`Stage::Reopened`] until a date of casework on or after `reopened_on` is
/// recorded: an assessment completed, a case plan approved, a follow-up done or a service
/// implemented. From then on the usual rules apply to the whole record.
pub fn stage(data: &Map<String, Value>, status: CaseStatus) -> Stage {
    if status == CaseStatus::Closed {
        return Stage::Closed;
    }
    if let Some(reopened_on) = date_field(data, "reopened_on")
        && !has_work_since(data, reopened_on)
    {
        return Stage::Reopened;
    }
    let is_set = |key: &str| data.get(key).is_some_and(|value| !value.is_null());

    let services = rows(data, "services_provided");
    if !services.is_empty() {
        let all_done = services.iter().all(|row| row.get("implemented") == Some(&Value::Bool(true)));
        return if all_done { Stage::ServicesImplemented } else { Stage::ServiceProvision };
    }
    if is_set("case_plan_approved_on") || !rows(data, "case_plan_interventions").is_empty() {
        return Stage::CasePlan;
    }
    if is_set("assessment_requested_on") || is_set("assessment_completed_on") {
        return Stage::Assessment;
    }
    Stage::New
}

/// Returns whether any casework date in `data` is on or after `since`.
fn has_work_since(data: &Map<String, Value>, since: Date) -> bool {
    let on_or_after = |date: Option<Date>| date.is_some_and(|date| date >= since);
    on_or_after(date_field(data, "assessment_completed_on"))
        || on_or_after(date_field(data, "case_plan_approved_on"))
        || rows(data, "followups").iter().any(|row| on_or_after(row_date(row, "done_on")))
        || rows(data, "services_provided").iter().any(|row| on_or_after(row_date(row, "implemented_on")))
}

/// A next step of casework that the case's data makes due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    Assessment,
    CasePlan,
    Service,
    FollowUp,
}

impl TaskKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::Assessment => "assessment",
            TaskKind::CasePlan => "case_plan",
            TaskKind::Service => "service",
            TaskKind::FollowUp => "follow_up",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "assessment" => Some(TaskKind::Assessment),
            "case_plan" => Some(TaskKind::CasePlan),
            "service" => Some(TaskKind::Service),
            "follow_up" => Some(TaskKind::FollowUp),
            _ => None,
        }
    }
}

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// One due step of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    pub kind: TaskKind,
    /// The `unique_id` of the subform row the step belongs to (a service or a follow-up),
    /// `"next"` for the periodic follow-up, or `""` for a step of the whole case.
    pub item: String,
    #[serde(with = "iso_date")]
    pub due_on: Date,
}

/// The item of the periodic follow-up that is due when no follow-up row is open.
pub const NEXT_FOLLOW_UP: &str = "next";

/// Computes the due steps of a case from its data, sorted by due date, then kind (in the order of
/// [`TaskKind`]), then item.
///
/// A date value counts only when it is a `YYYY-MM-DD` string with ASCII digits, as the validator
/// stores it; anything else counts as empty. A due date beyond 9999-12-31 gives no item.
/// `docs/workflow.md` states the rule in prose; `conformance/due_dates.json` contains worked cases.
pub fn due_items(data: &Map<String, Value>, status: CaseStatus, rules: &WorkflowRules) -> Vec<DueItem> {
    if status == CaseStatus::Closed {
        return Vec::new();
    }
    let facts = CaseFacts::read(data);
    let mut items = Vec::new();

    if !facts.assessment_done {
        let days = match facts.risk_level {
            Some(level) => rules.assessment_due_days.get(level),
            None => None,
        }
        .unwrap_or(rules.assessment_due_days_unrated);
        push_item(&mut items, TaskKind::Assessment, String::new(), add_days(facts.start, days));
    }

    if facts.assessment_done && !facts.case_plan_approved {
        let due_on = date_field(data, "case_plan_due_date")
            .or_else(|| add_days(facts.assessment_completed_on, rules.case_plan_due_days));
        push_item(&mut items, TaskKind::CasePlan, String::new(), due_on);
    }

    let service_base = date_field(data, "case_plan_approved_on").or(facts.start);
    for row in rows(data, "services_provided") {
        if row.get("implemented") == Some(&Value::Bool(true)) {
            continue;
        }
        let days = row
            .get("implementation_timeframe")
            .and_then(Value::as_str)
            .and_then(|timeframe| rules.service_timeframe_days.get(timeframe).copied())
            .unwrap_or(rules.service_due_days_default);
        let due_on = row_date(row, "appointment_date").or_else(|| add_days(service_base, days));
        push_item(&mut items, TaskKind::Service, row_id(row), due_on);
    }

    let mut any_follow_up_open = false;
    for row in rows(data, "followups") {
        if let Some(needed_by) = row_date(row, "needed_by")
            && row_date(row, "done_on").is_none()
        {
            any_follow_up_open = true;
            push_item(&mut items, TaskKind::FollowUp, row_id(row), Some(needed_by));
        }
    }
    if facts.case_plan_approved && !any_follow_up_open {
        let last_done = rows(data, "followups").iter().filter_map(|row| row_date(row, "done_on")).max();
        let since = last_done.max(date_field(data, "case_plan_approved_on"));
        let days = facts
            .risk_level
            .and_then(|level| rules.follow_up_every_days.get(level))
            .unwrap_or(rules.follow_up_every_days.low);
        push_item(&mut items, TaskKind::FollowUp, NEXT_FOLLOW_UP.to_owned(), add_days(since, days));
    }

    items.sort_by(|a, b| (a.due_on, a.kind, &a.item).cmp(&(b.due_on, b.kind, &b.item)));
    items
}

/// The values of a case that more than one rule of [`due_items`] reads.
struct CaseFacts<'a> {
    /// `reopened_on` if set, else `registration_date`: where the casework starts.
    start: Option<Date>,
    risk_level: Option<&'a str>,
    assessment_completed_on: Option<Date>,
    /// Completed, and not before the case was last reopened.
    assessment_done: bool,
    /// The assessment is done and the case plan approved, not before the case was last reopened.
    case_plan_approved: bool,
}

impl<'a> CaseFacts<'a> {
    fn read(data: &'a Map<String, Value>) -> Self {
        let reopened_on = date_field(data, "reopened_on");
        let current =
            |date: Option<Date>| date.is_some_and(|date| reopened_on.is_none_or(|reopened| date >= reopened));

        let assessment_completed_on = date_field(data, "assessment_completed_on");
        let assessment_done = current(assessment_completed_on);
        CaseFacts {
            start: reopened_on.or_else(|| date_field(data, "registration_date")),
            risk_level: data.get("risk_level").and_then(Value::as_str),
            assessment_completed_on,
            assessment_done,
            case_plan_approved: assessment_done && current(date_field(data, "case_plan_approved_on")),
        }
    }
}

fn push_item(items: &mut Vec<DueItem>, kind: TaskKind, item: String, due_on: Option<Date>) {
    if let Some(due_on) = due_on {
        items.push(DueItem { kind, item, due_on });
    }
}

/// Adds whole days, or returns `None` when `date` is `None` or the sum is beyond 9999-12-31.
fn add_days(date: Option<Date>, days: u32) -> Option<Date> {
    date?.checked_add(Duration::days(i64::from(days)))
}

fn rows<'a>(data: &'a Map<String, Value>, key: &str) -> &'a [Value] {
    data.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

fn row_id(row: &Value) -> String {
    row.get("unique_id").and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn row_date(row: &Value, key: &str) -> Option<Date> {
    row.get(key).and_then(Value::as_str).and_then(stored_date)
}

fn date_field(data: &Map<String, Value>, key: &str) -> Option<Date> {
    data.get(key).and_then(Value::as_str).and_then(stored_date)
}

/// Reads a date as the validator stores it: `YYYY-MM-DD` with ASCII digits.
fn stored_date(text: &str) -> Option<Date> {
    let is_stored_form = text.len() == 10 && text.is_ascii();
    is_stored_form.then(|| dates::parse_date(text, &[]).ok()).flatten()
}

/// The position of a due date relative to today: overdue, today, this week or later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Due before today.
    Overdue,
    Today,
    /// Due in the next six days, tomorrow to today + 6.
    Week,
    Later,
}

impl Bucket {
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Overdue => "overdue",
            Bucket::Today => "today",
            Bucket::Week => "week",
            Bucket::Later => "later",
        }
    }
}

/// Sorts a due date into overdue, today, this week (the next six days) or later.
///
/// `today` is the date in the deployment's zone, from [`crate::dates::today`], never the server's
/// or the device's date.
pub fn bucket(due_on: Date, today: Date) -> Bucket {
    let days_left = (due_on - today).whole_days();
    match days_left {
        ..0 => Bucket::Overdue,
        0 => Bucket::Today,
        1..=6 => Bucket::Week,
        _ => Bucket::Later,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    }

    fn item(kind: TaskKind, item: &str, due_on: Date) -> DueItem {
        DueItem { kind, item: item.to_owned(), due_on }
    }

    #[test]
    fn high_risk_assessment_due_next_day() {
        let data = object(json!({ "registration_date": "2026-03-10", "risk_level": "high" }));
        let items = due_items(&data, CaseStatus::Open, &WorkflowRules::default());
        assert_eq!(items, [item(TaskKind::Assessment, "", date!(2026 - 03 - 11))]);
    }

    #[test]
    fn closed_case_has_no_items() {
        let data = object(json!({ "registration_date": "2026-03-10", "risk_level": "high" }));
        assert!(due_items(&data, CaseStatus::Closed, &WorkflowRules::default()).is_empty());
    }

    #[test]
    fn items_sorted_by_date_kind_item() {
        let data = object(json!({
            "registration_date": "2026-03-01",
            "risk_level": "low",
            "services_provided": [
                { "unique_id": "b", "appointment_date": "2026-03-08" },
                { "unique_id": "a", "appointment_date": "2026-03-08" },
            ],
            "followups": [ { "unique_id": "f", "needed_by": "2026-03-08" } ],
        }));
        let items = due_items(&data, CaseStatus::Open, &WorkflowRules::default());
        let expected = [
            item(TaskKind::Assessment, "", date!(2026 - 03 - 08)),
            item(TaskKind::Service, "a", date!(2026 - 03 - 08)),
            item(TaskKind::Service, "b", date!(2026 - 03 - 08)),
            item(TaskKind::FollowUp, "f", date!(2026 - 03 - 08)),
        ];
        assert_eq!(items, expected);
    }

    #[test]
    fn due_item_serializes_calendar_date() {
        let due = item(TaskKind::FollowUp, "next", date!(2028 - 02 - 29));
        let value = serde_json::to_value(&due).unwrap();
        assert_eq!(value, json!({ "kind": "follow_up", "item": "next", "due_on": "2028-02-29" }));
        assert_eq!(serde_json::from_value::<DueItem>(value).unwrap(), due);
    }

    #[test]
    fn task_kind_parses_its_own_names() {
        for kind in [TaskKind::Assessment, TaskKind::CasePlan, TaskKind::Service, TaskKind::FollowUp] {
            assert_eq!(TaskKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.as_str()));
        }
        assert_eq!(TaskKind::parse("approval"), None);
    }

    #[test]
    fn due_date_past_year_9999_gives_no_item() {
        let data = object(json!({ "registration_date": "9999-12-31", "risk_level": "high" }));
        assert!(due_items(&data, CaseStatus::Open, &WorkflowRules::default()).is_empty());
    }

    #[test]
    fn reopened_stage_until_new_work() {
        let mut data = object(json!({
            "registration_date": "2025-01-05",
            "assessment_completed_on": "2025-01-06",
            "case_plan_approved_on": "2025-01-20",
            "services_provided": [ { "unique_id": "s", "implemented": true, "implemented_on": "2025-02-01" } ],
            "reopened_on": "2026-05-01",
        }));
        assert_eq!(stage(&data, CaseStatus::Open), Stage::Reopened);
        assert_eq!(stage(&data, CaseStatus::Closed), Stage::Closed);

        data.insert("assessment_completed_on".to_owned(), json!("2026-05-01"));
        assert_eq!(stage(&data, CaseStatus::Open), Stage::ServicesImplemented);
    }

    #[test]
    fn reopened_stage_ends_with_follow_up_done() {
        let data = object(json!({
            "registration_date": "2025-01-05",
            "reopened_on": "2026-05-01",
            "followups": [ { "unique_id": "f", "done_on": "2026-05-03" } ],
        }));
        assert_eq!(stage(&data, CaseStatus::Open), Stage::New);
    }

    #[test]
    fn bucket_edges() {
        let today = date!(2026 - 12 - 31);
        assert_eq!(bucket(date!(2026 - 12 - 30), today), Bucket::Overdue);
        assert_eq!(bucket(today, today), Bucket::Today);
        assert_eq!(bucket(date!(2027 - 01 - 01), today), Bucket::Week);
        assert_eq!(bucket(date!(2027 - 01 - 06), today), Bucket::Week);
        assert_eq!(bucket(date!(2027 - 01 - 07), today), Bucket::Later);
    }

    #[test]
    fn workflow_rules_default_when_absent() {
        let rules: WorkflowRules = serde_json::from_value(json!({})).unwrap();
        assert_eq!(rules, WorkflowRules::default());
        assert_eq!(rules.service_timeframe_days.get("within_2_weeks"), Some(&14));
    }

    #[test]
    fn workflow_rules_default_matches_deployment_json() {
        let deployment: Value =
            serde_json::from_str(include_str!("../../../config/deployment.json")).unwrap();
        let shipped: WorkflowRules = serde_json::from_value(deployment["workflow"].clone()).unwrap();
        assert_eq!(shipped, WorkflowRules::default());
    }

    #[test]
    fn workflow_rules_keep_given_keys() {
        let rules: WorkflowRules = serde_json::from_value(json!({
            "case_plan_due_days": 10,
            "assessment_due_days": { "high": 2, "medium": 4, "low": 8 },
        }))
        .unwrap();
        assert_eq!(rules.case_plan_due_days, 10);
        assert_eq!(rules.assessment_due_days.high, 2);
        assert_eq!(rules.follow_up_every_days, WorkflowRules::default().follow_up_every_days);
    }

    #[test]
    fn workflow_rules_reject_unknown_key() {
        let error = serde_json::from_value::<WorkflowRules>(json!({ "case_plan_days": 10 })).unwrap_err();
        assert!(error.to_string().contains("case_plan_days"), "{error}");
    }
}
