//! The case's stage in the case management steps, derived from the record's data.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
        }
    }
}

/// Derives the stage from what the record holds: the furthest step with evidence wins.
pub fn stage(data: &Map<String, Value>, status: CaseStatus) -> Stage {
    if status == CaseStatus::Closed {
        return Stage::Closed;
    }
    let is_set = |key: &str| data.get(key).is_some_and(|value| !value.is_null());
    let rows = |key: &str| data.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);

    let services = rows("services_provided");
    if !services.is_empty() {
        let all_done = services.iter().all(|row| row.get("implemented") == Some(&Value::Bool(true)));
        return if all_done { Stage::ServicesImplemented } else { Stage::ServiceProvision };
    }
    if is_set("case_plan_approved_on") || !rows("case_plan_interventions").is_empty() {
        return Stage::CasePlan;
    }
    if is_set("assessment_requested_on") || is_set("assessment_completed_on") {
        return Stage::Assessment;
    }
    Stage::New
}
