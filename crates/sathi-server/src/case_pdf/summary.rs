//! Turns a case view into the [`CaseSummary`] that `sathi-pdf` prints. Every label and value is
//! in the reader's language: dates with the month's name, options and locations by their names,
//! and Bengali digits for numbers and dates (never for ids) in a Bangla summary.
//!
//! The view already holds only the forms the reader may read; this module also leaves out the
//! forms the reader cannot read, so a form without data fields (record ownership) stays hidden too.

use std::collections::HashMap;

use sathi_domain::config::{Configuration, Field, FieldKind, Form, SystemSource};
use sathi_domain::dates;
use sathi_domain::i18n::{Messages, localize_digits};
use sathi_domain::ids::UserId;
use sathi_pdf::{CaseSummary, Fact, Item, Risk, Section};
use serde_json::{Map, Value};
use time::{Date, OffsetDateTime};

use crate::cases::CaseView;

/// The reader, language and configuration a summary is built for, besides the case view.
pub struct SummaryContext<'a> {
    pub config: &'a Configuration,
    pub messages: &'a Messages,
    /// The summary's language, one of the deployment's locales.
    pub locale: &'a str,
    /// The forms the reader may read, in the order the case view shows them.
    pub forms: Vec<&'a Form>,
    /// Full names of the case's owner and creator, by user id.
    pub user_names: HashMap<UserId, String>,
    /// The reader's full name, printed in the header.
    pub printed_by: &'a str,
    pub now: OffsetDateTime,
}

/// Builds the summary of `view` for the reader described by `context`.
pub fn build(context: &SummaryContext, view: &CaseView) -> CaseSummary {
    let text = |id: &str| context.messages.format(context.locale, id, &[]);
    let sections: Vec<Section> =
        context.forms.iter().filter_map(|form| section(context, view, form)).collect();
    let printed_at = dates::in_zone(context.now, context.config.deployment.utc_offset_minutes);
    let printed = context.messages.format(
        context.locale,
        "pdf-printed",
        &[
            ("date", date_label(context, printed_at.date())),
            ("time", time_label(context, printed_at)),
            ("zone", context.config.deployment.time_zone.clone()),
            ("name", context.printed_by.to_owned()),
        ],
    );
    let agency = context
        .config
        .agency(&view.owner_agency_id)
        .map(|agency| agency.name.get(context.locale).to_owned())
        .unwrap_or_else(|| view.owner_agency_id.clone());
    CaseSummary {
        language: context.locale.to_owned(),
        digits: std::array::from_fn(|digit| localize_digits(&digit.to_string(), context.locale)),
        agency,
        title: text("pdf-title"),
        display_id: view.display_id.clone(),
        child_name: child_name(&view.data),
        risk: risk(context, &view.data),
        facts: facts(context, view),
        printed,
        footer: text("pdf-footer"),
        page_label: context.messages.format(
            context.locale,
            "pdf-page",
            &[("page", "{page}".to_owned()), ("pages", "{pages}".to_owned())],
        ),
        empty: text("pdf-empty"),
        sections,
    }
}

/// Returns the child's given, middle and family names, when the reader may see them.
fn child_name(data: &Map<String, Value>) -> Option<String> {
    let parts: Vec<&str> = ["name_first", "name_middle", "name_last"]
        .iter()
        .filter_map(|key| data.get(*key).and_then(Value::as_str))
        .filter(|part| !part.trim().is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Returns the risk level badge: the field's label and the option's label, such as
/// "Risk level: High".
fn risk(context: &SummaryContext, data: &Map<String, Value>) -> Option<Risk> {
    let level = data.get("risk_level")?.as_str()?;
    let (_, field) = context.config.field("risk_level")?;
    let option = option_label(context, field, level);
    Some(Risk { level: level.to_owned(), label: format!("{}: {option}", field.label.get(context.locale)) })
}

/// Returns status, stage, registration date and caseworker, each only when the reader may see it.
fn facts(context: &SummaryContext, view: &CaseView) -> Vec<Fact> {
    let fact =
        |id: &str, value: String| Fact { label: context.messages.format(context.locale, id, &[]), value };
    let mut facts = vec![
        fact("pdf-fact-status", status_label(context, &view.status)),
        fact("pdf-fact-stage", stage_label(context, &view.stage)),
    ];
    if let Some(registered) = view.data.get("registration_date").and_then(Value::as_str) {
        facts.push(fact("pdf-fact-registered", date_text(context, registered)));
    }
    let owner_readable = context.forms.iter().any(|form| {
        form.fields
            .iter()
            .any(|field| matches!(field.kind, FieldKind::System { source: SystemSource::Owner }))
    });
    if owner_readable && let Some(name) = context.user_names.get(&view.owner_id) {
        facts.push(fact("pdf-fact-caseworker", name.clone()));
    }
    facts
}

/// Returns one form as a section, or `None` when it contains nothing to show.
fn section(context: &SummaryContext, view: &CaseView, form: &Form) -> Option<Section> {
    let mut items = Vec::new();
    let mut heading: Option<String> = None;
    for field in &form.fields {
        if in_header(field) {
            continue;
        }
        let label = field.label.get(context.locale).to_owned();
        let item = match &field.kind {
            // A heading is kept only when a value follows it.
            FieldKind::Separator => {
                heading = Some(label);
                continue;
            }
            FieldKind::Subform { fields, .. } => view
                .data
                .get(&field.id)
                .and_then(Value::as_array)
                .and_then(|rows| table(context, label, fields, rows)),
            FieldKind::Calculated { .. } => view.calculated.get(&field.id).map(|value| Item::Field {
                label,
                value: localize_digits(&number_text(value), context.locale),
            }),
            FieldKind::System { source } => {
                system_value(context, view, *source).map(|value| Item::Field { label, value })
            }
            _ => view
                .data
                .get(&field.id)
                .and_then(|value| value_text(context, field, value))
                .map(|value| Item::Field { label, value }),
        };
        if let Some(item) = item {
            if let Some(text) = heading.take() {
                items.push(Item::Heading { text });
            }
            items.push(item);
        }
    }
    (!items.is_empty()).then(|| Section { title: form.name.get(context.locale).to_owned(), items })
}

/// Returns whether the header already shows the field's value: the display id, the risk level,
/// and the facts (status, stage, registration date and caseworker).
fn in_header(field: &Field) -> bool {
    match &field.kind {
        FieldKind::System { source } => {
            matches!(
                source,
                SystemSource::DisplayId | SystemSource::Status | SystemSource::Stage | SystemSource::Owner
            )
        }
        _ => matches!(field.id.as_str(), "risk_level" | "registration_date"),
    }
}

/// Returns the rows of a subform as a table. Columns that are empty in every row are left out,
/// so that the table fits the page width.
fn table(context: &SummaryContext, label: String, fields: &[Field], rows: &[Value]) -> Option<Item> {
    let cells: Vec<Vec<Option<String>>> = rows
        .iter()
        .filter_map(Value::as_object)
        .map(|row| {
            fields
                .iter()
                .map(|field| row.get(&field.id).and_then(|value| value_text(context, field, value)))
                .collect()
        })
        .collect();
    let filled_columns: Vec<usize> =
        (0..fields.len()).filter(|&column| cells.iter().any(|row| row[column].is_some())).collect();
    if filled_columns.is_empty() {
        return None;
    }
    let columns =
        filled_columns.iter().map(|&column| fields[column].label.get(context.locale).to_owned()).collect();
    let rows = cells
        .into_iter()
        .map(|row| filled_columns.iter().map(|&column| row[column].clone().unwrap_or_default()).collect())
        .collect();
    Some(Item::Table { label, columns, rows })
}

/// Writes a stored value for a reader, or `None` when there is nothing to show. Attachments
/// (photos, audio, documents, signatures) are files, not text, so they are left out.
fn value_text(context: &SummaryContext, field: &Field, value: &Value) -> Option<String> {
    if is_empty(value) {
        return None;
    }
    let locale = context.locale;
    let text = match &field.kind {
        FieldKind::Text { .. } | FieldKind::Textarea { .. } => value.as_str()?.to_owned(),
        FieldKind::Number { .. } => localize_digits(&number_text(value), locale),
        FieldKind::Date { .. } => date_text(context, value.as_str()?),
        FieldKind::DateTime => date_time_text(context, value.as_str()?),
        FieldKind::Select { .. } | FieldKind::Radio { .. } => option_label(context, field, value.as_str()?),
        FieldKind::MultiSelect { .. } => value
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .map(|option| option_label(context, field, option))
            .collect::<Vec<_>>()
            .join(", "),
        FieldKind::TickBox => {
            let id = if value.as_bool()? { "pdf-yes" } else { "pdf-no" };
            context.messages.format(locale, id, &[])
        }
        FieldKind::Tally { .. } => tally_text(context, field, value.as_object()?)?,
        FieldKind::Location { .. } => location_text(context, value.as_str()?),
        FieldKind::Photo
        | FieldKind::Audio
        | FieldKind::Document
        | FieldKind::Signature
        | FieldKind::Separator
        | FieldKind::Subform { .. }
        | FieldKind::Calculated { .. }
        | FieldKind::System { .. } => return None,
    };
    (!text.trim().is_empty()).then_some(text)
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(entries) => entries.is_empty(),
        _ => false,
    }
}

/// Writes a stored number, whole numbers without a fraction.
fn number_text(value: &Value) -> String {
    match value {
        Value::Number(number) => match number.as_i64() {
            Some(whole) => whole.to_string(),
            None => number.to_string(),
        },
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Returns the label of option `id` of the field's lookup. An id that the lookup no longer has is
/// shown as it is.
fn option_label(context: &SummaryContext, field: &Field, id: &str) -> String {
    let lookup = match &field.kind {
        FieldKind::Select { lookup }
        | FieldKind::MultiSelect { lookup }
        | FieldKind::Radio { lookup }
        | FieldKind::Tally { lookup } => context.config.lookup(lookup),
        _ => None,
    };
    lookup
        .and_then(|lookup| lookup.options.iter().find(|option| option.id == id))
        .map(|option| option.label.get(context.locale).to_owned())
        .unwrap_or_else(|| id.to_owned())
}

/// Writes counts per option in the lookup's order, such as "Female: 2, Male: 1", leaving out zeros.
fn tally_text(context: &SummaryContext, field: &Field, counts: &Map<String, Value>) -> Option<String> {
    let FieldKind::Tally { lookup } = &field.kind else { return None };
    let lookup = context.config.lookup(lookup)?;
    let parts: Vec<String> = lookup
        .options
        .iter()
        .filter_map(|option| {
            let count = counts.get(&option.id)?.as_u64().filter(|count| *count > 0)?;
            let count = localize_digits(&count.to_string(), context.locale);
            Some(format!("{}: {count}", option.label.get(context.locale)))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Writes a place with the places that contain it, up to the upazila, such as
/// "Block A, Camp 1E, Ukhia Upazila". District, division and country are the same for every
/// case of a deployment, so they are left out.
fn location_text(context: &SummaryContext, code: &str) -> String {
    use sathi_domain::config::LocationLevel;
    let index = context.config.location_index();
    let mut names = Vec::new();
    let mut current = index.get(code).copied();
    while let Some(location) = current {
        if matches!(
            location.level,
            LocationLevel::Country | LocationLevel::Division | LocationLevel::District
        ) {
            break;
        }
        names.push(location.name.get(context.locale).to_owned());
        current = location.parent.as_deref().and_then(|parent| index.get(parent).copied());
    }
    if names.is_empty() { code.to_owned() } else { names.join(", ") }
}

/// Writes a value the server keeps about the case. Assigned users and previous owners are not
/// part of the case view, so they are not printed.
fn system_value(context: &SummaryContext, view: &CaseView, source: SystemSource) -> Option<String> {
    let user = |id: &UserId| context.user_names.get(id).cloned();
    match source {
        SystemSource::CaseId => Some(view.id.to_string()),
        SystemSource::DisplayId => Some(view.display_id.clone()),
        SystemSource::Status => Some(status_label(context, &view.status)),
        SystemSource::Stage => Some(stage_label(context, &view.stage)),
        SystemSource::Owner => user(&view.owner_id),
        SystemSource::CreatedBy => user(&view.created_by),
        SystemSource::OwnerAgency => context
            .config
            .agency(&view.owner_agency_id)
            .map(|agency| agency.name.get(context.locale).to_owned()),
        SystemSource::CreatedAt => Some(instant_text(context, view.created_at)),
        SystemSource::AssignedUsers | SystemSource::PreviousOwners => None,
    }
}

fn status_label(context: &SummaryContext, status: &str) -> String {
    context.messages.format(context.locale, &format!("report-status-{status}"), &[])
}

fn stage_label(context: &SummaryContext, stage: &str) -> String {
    context.messages.format(context.locale, &format!("case-stage-{stage}"), &[])
}

/// Writes a date as "20 June 2024" or "২০ জুন ২০২৪". A value that is not a date is shown as it is.
fn date_text(context: &SummaryContext, raw: &str) -> String {
    match dates::parse_date(raw, &[]) {
        Ok(date) => date_label(context, date),
        Err(_) => localize_digits(raw, context.locale),
    }
}

/// Writes an instant in the deployment's zone, such as "20 June 2024, 14:05".
fn date_time_text(context: &SummaryContext, raw: &str) -> String {
    match dates::parse_instant(raw) {
        Ok(instant) => instant_text(context, instant),
        Err(_) => localize_digits(raw, context.locale),
    }
}

fn instant_text(context: &SummaryContext, instant: OffsetDateTime) -> String {
    let local = dates::in_zone(instant, context.config.deployment.utc_offset_minutes);
    format!("{}, {}", date_label(context, local.date()), time_label(context, local))
}

fn date_label(context: &SummaryContext, date: Date) -> String {
    let month =
        context.messages.format(context.locale, &format!("report-month-{}", u8::from(date.month())), &[]);
    let day_and_year = |number: i32| localize_digits(&number.to_string(), context.locale);
    format!("{} {month} {}", day_and_year(i32::from(date.day())), day_and_year(date.year()))
}

fn time_label(context: &SummaryContext, local: OffsetDateTime) -> String {
    localize_digits(&format!("{:02}:{:02}", local.hour(), local.minute()), context.locale)
}

#[cfg(test)]
mod tests {
    use sathi_domain::i18n::Messages;
    use serde_json::json;
    use time::macros::datetime;

    use super::*;

    fn context<'a>(config: &'a Configuration, messages: &'a Messages, locale: &'a str) -> SummaryContext<'a> {
        SummaryContext {
            config,
            messages,
            locale,
            forms: config.forms.iter().collect(),
            user_names: HashMap::new(),
            printed_by: "Rahima Begum",
            now: datetime!(2026-12-04 23:30 UTC),
        }
    }

    #[test]
    fn dates_in_bangla_use_bengali_digits() {
        let config = crate::default_config::configuration();
        let messages = Messages::load();
        let bangla = context(&config, &messages, "bn");
        assert_eq!(date_text(&bangla, "2024-06-20"), "২০ জুন ২০২৪");
        let english = context(&config, &messages, "en");
        assert_eq!(date_text(&english, "2024-06-20"), "20 June 2024");
    }

    #[test]
    fn instants_show_in_deployment_zone() {
        let config = crate::default_config::configuration();
        let messages = Messages::load();
        let english = context(&config, &messages, "en");
        assert_eq!(date_time_text(&english, "2026-12-04T23:30:00Z"), "5 December 2026, 05:30");
    }

    #[test]
    fn location_names_stop_at_upazila() {
        let config = crate::default_config::configuration();
        let messages = Messages::load();
        let english = context(&config, &messages, "en");
        assert_eq!(location_text(&english, "BD-CTG-CXB-UKH-C01E-A"), "Block A, Camp 1E, Ukhia Upazila");
        assert_eq!(location_text(&english, "XX-UNKNOWN"), "XX-UNKNOWN");
    }

    #[test]
    fn bangla_values_use_labels_and_digits() {
        let config = crate::default_config::configuration();
        let messages = Messages::load();
        let bangla = context(&config, &messages, "bn");
        let field = |id: &str| config.field(id).expect("the default configuration has the field").1;

        let tally = value_text(
            &bangla,
            field("household_children_by_sex"),
            &json!({"female": 3, "male": 0, "other": 1}),
        );
        assert_eq!(tally.as_deref(), Some("মহিলা: ৩, অন্যান্য: ১"));
        let tick = value_text(&bangla, field("consent_for_sharing"), &json!(true));
        assert_eq!(tick.as_deref(), Some("হ্যাঁ"));
        let sex = value_text(&bangla, field("sex"), &json!("female"));
        assert_eq!(sex.as_deref(), Some("মহিলা"));
        let phone = value_text(&bangla, field("phone"), &json!("01712345678"));
        assert_eq!(phone.as_deref(), Some("01712345678"), "a typed phone number is not a number to localise");
        let empty = value_text(&bangla, field("protection_concerns"), &json!([]));
        assert_eq!(empty, None);
    }

    #[test]
    fn subform_table_drops_empty_columns() {
        let config = crate::default_config::configuration();
        let messages = Messages::load();
        let english = context(&config, &messages, "en");
        let (_, members) =
            config.field("family_members").expect("the default configuration has family members");
        let FieldKind::Subform { fields, .. } = &members.kind else {
            panic!("family_members is not a subform")
        };
        let rows = [
            json!({"unique_id": "a", "name": "Shirin", "age": 40}),
            json!({"unique_id": "b", "name": "Karim"}),
        ];

        let Some(Item::Table { columns, rows, .. }) =
            table(&english, "Family members".to_owned(), fields, &rows)
        else {
            panic!("two members make no table");
        };
        assert_eq!(columns, ["Name", "Age in years"]);
        assert_eq!(rows, [["Shirin", "40"], ["Karim", ""]]);
    }

    #[test]
    fn numbers_keep_whole_values() {
        assert_eq!(number_text(&serde_json::json!(12)), "12");
        assert_eq!(number_text(&serde_json::json!(2.5)), "2.5");
    }
}
