//! The indexed columns a case keeps beside its JSON document, derived from the document.
//!
//! Lists, filters, search and dashboards read these columns, never the JSON, so they stay fast
//! at a million records. They are recomputed from the data on every write.

use sathi_domain::text;
use sathi_domain::workflow::{self, CaseStatus};
use serde_json::{Map, Value};
use time::Date;

/// The name fields that make up the sort key, in display order.
pub const NAME_FIELDS: [&str; 4] = ["name_first", "name_middle", "name_last", "name_nickname"];

/// Fields whose words search finds: the name fields and the other spellings recorded for the
/// child (Mohammed, Muhammad, মোহাম্মদ), which help find duplicate registrations.
pub const SEARCHED_FIELDS: [&str; 5] =
    ["name_first", "name_middle", "name_last", "name_nickname", "name_other_spellings"];

/// The separator of concern ids in `cases.concern_list`. The configuration allows only a-z,
/// 0-9, `_` and `-` in option ids, so no id contains it.
pub const CONCERN_SEPARATOR: &str = ",";

#[derive(Debug, Clone, PartialEq)]
pub struct IndexedColumns {
    pub risk_level: Option<String>,
    pub sex: Option<String>,
    pub date_of_birth: Option<Date>,
    pub registration_date: Option<Date>,
    /// The closure date the case records, kept after a reopen until the data changes it.
    pub closure_date: Option<Date>,
    pub assessment_completed_on: Option<Date>,
    pub case_plan_approved_on: Option<Date>,
    pub location_code: Option<String>,
    pub name_key: String,
    pub name_tokens: Vec<String>,
    pub concerns: Vec<String>,
    /// The distinct concerns, sorted and joined by [`CONCERN_SEPARATOR`], or `None` without any.
    /// Dashboards count concerns from it, because reading `case_concerns` for each of an
    /// agency's cases is slow.
    pub concern_list: Option<String>,
    pub stage: &'static str,
}

impl IndexedColumns {
    pub fn from_data(data: &Map<String, Value>, status: CaseStatus) -> Self {
        let text_of = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
        let date_of = |key: &str| {
            data.get(key)
                .and_then(Value::as_str)
                .and_then(|raw| Date::parse(raw, &time::format_description::well_known::Iso8601::DATE).ok())
        };
        let full_name: Vec<String> = NAME_FIELDS.iter().filter_map(|key| text_of(key)).collect();
        let full_name = full_name.join(" ");
        let searched: Vec<String> = SEARCHED_FIELDS.iter().filter_map(|key| text_of(key)).collect();
        let concerns: Vec<String> = data
            .get("protection_concerns")
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();

        let mut distinct: Vec<String> = concerns.clone();
        distinct.sort();
        distinct.dedup();
        let concern_list = (!distinct.is_empty()).then(|| distinct.join(CONCERN_SEPARATOR));

        IndexedColumns {
            risk_level: text_of("risk_level"),
            sex: text_of("sex"),
            date_of_birth: date_of("date_of_birth"),
            registration_date: date_of("registration_date"),
            closure_date: date_of("closure_date"),
            assessment_completed_on: date_of("assessment_completed_on"),
            case_plan_approved_on: date_of("case_plan_approved_on"),
            location_code: text_of("location_current"),
            name_key: text::name_search_key(&full_name),
            name_tokens: text::search_tokens(&searched.join(" ")),
            concerns,
            concern_list,
            stage: workflow::stage(data, status).as_str(),
        }
    }
}
