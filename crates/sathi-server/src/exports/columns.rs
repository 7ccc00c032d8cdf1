//! The columns of a case export and the cell each case gives in them.
//!
//! The columns follow the case view: the display id first, then the fields of every form the
//! caller may read, in form order. A form the caller may not read has no column at all.
//! Separators and attachment fields (photos, audio, documents, signatures) have no column,
//! because their values are files. Values of `system` fields come from the case's own columns,
//! as in the case view. Assigned and previous owners are not produced anywhere yet, so those two
//! have no column either.

use std::collections::HashMap;

use sathi_domain::config::{Configuration, Field, FieldKind, SystemSource};
use sathi_domain::dates;
use sathi_domain::i18n::Messages;
use sathi_domain::ids::UserId;
use sathi_domain::permissions::FormAccess;
use sathi_domain::principal::Principal;
use serde_json::Value;
use time::Date;

use crate::cases::CaseView;

/// One value of an export file.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Text, written as a string cell in XLSX and neutralised in CSV.
    Text(String),
    /// A number field's value, written as a number in both formats.
    Number(f64),
    /// A calendar date, written as a date cell in XLSX and `YYYY-MM-DD` in CSV.
    Date(Date),
}

/// The origin of a column's values.
#[derive(Debug, Clone)]
enum Source {
    DisplayId,
    /// A field of the case's data, or of a subform row.
    Field(Box<Field>),
    /// A calculated field, from the case view's calculated values.
    Calculated(String),
    /// A value the server keeps about the case.
    System(SystemSource),
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    source: Source,
}

/// A subform's own table: the display id, then the fields of each row.
#[derive(Debug, Clone)]
pub struct SubformTable {
    pub field_id: String,
    /// The subform's label, which names its sheet.
    pub title: String,
    pub columns: Vec<Column>,
}

/// User names of the owners and creators of cases, which the case view carries as ids only.
#[derive(Debug, Clone, Default)]
pub struct UserNames(pub HashMap<UserId, String>);

/// The columns of one export, in the caller's language.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The case table. In CSV a subform is one of these columns, with its rows as JSON. In XLSX
    /// it is a sheet of its own (`subforms`) and has no column here.
    pub columns: Vec<Column>,
    pub subforms: Vec<SubformTable>,
    locale: String,
    yes: String,
    no: String,
}

impl Layout {
    /// Builds the columns `principal` may see, with headers in `locale`.
    pub fn new(config: &Configuration, principal: &Principal, messages: &Messages, locale: &str) -> Layout {
        let display_id = Column {
            header: messages.format(locale, "export-column-display_id", &[]),
            source: Source::DisplayId,
        };
        let mut columns = vec![display_id.clone()];
        let mut subforms = Vec::new();
        // Every header of a sheet is different, so that a mapping can name each column when the
        // file is imported again. A repeated label gets its form's name, then a number.
        let mut headers = std::collections::HashSet::from([display_id.header.clone()]);

        let mut forms: Vec<_> =
            config.forms.iter().filter(|form| principal.form_access(&form.id) >= FormAccess::Read).collect();
        forms.sort_by_key(|form| form.order);
        for form in forms {
            for field in &form.fields {
                let Some(source) = source_of(field) else { continue };
                let label = field.label.get(locale);
                let header = unique_header(&mut headers, label, form.name.get(locale));
                if let FieldKind::Subform { fields, .. } = &field.kind {
                    let mut row_headers = std::collections::HashSet::from([display_id.header.clone()]);
                    let mut row_columns = vec![display_id.clone()];
                    row_columns.extend(fields.iter().filter_map(|row_field| {
                        let source = source_of(row_field)?;
                        let header = unique_header(&mut row_headers, row_field.label.get(locale), label);
                        Some(Column { header, source })
                    }));
                    subforms.push(SubformTable {
                        field_id: field.id.clone(),
                        title: header.clone(),
                        columns: row_columns,
                    });
                }
                columns.push(Column { header, source });
            }
        }
        Layout {
            columns,
            subforms,
            locale: locale.to_owned(),
            yes: messages.format(locale, "export-yes", &[]),
            no: messages.format(locale, "export-no", &[]),
        }
    }

    /// Returns whether `column` contains a subform's rows.
    pub fn is_subform(column: &Column) -> bool {
        matches!(&column.source, Source::Field(field) if matches!(field.kind, FieldKind::Subform { .. }))
    }

    /// Returns the cell of `view` in `column`.
    pub fn case_cell(
        &self,
        column: &Column,
        view: &CaseView,
        names: &UserNames,
        config: &Configuration,
        messages: &Messages,
    ) -> Cell {
        match &column.source {
            Source::DisplayId => Cell::Text(view.display_id.clone()),
            Source::Field(field) => match view.data.get(&field.id) {
                Some(value) => self.value_cell(&field.kind, value, config),
                None => Cell::Empty,
            },
            Source::Calculated(field_id) => match view.calculated.get(field_id).and_then(Value::as_f64) {
                Some(number) => Cell::Number(number),
                None => Cell::Empty,
            },
            Source::System(system) => self.system_cell(*system, view, names, config, messages),
        }
    }

    /// Returns the cell of one subform row in `column`. The display id comes from the row's case.
    pub fn row_cell(&self, column: &Column, view: &CaseView, row: &Value, config: &Configuration) -> Cell {
        match &column.source {
            Source::DisplayId => Cell::Text(view.display_id.clone()),
            Source::Field(field) => match row.get(&field.id) {
                Some(value) => self.value_cell(&field.kind, value, config),
                None => Cell::Empty,
            },
            Source::Calculated(_) | Source::System(_) => Cell::Empty,
        }
    }

    fn system_cell(
        &self,
        system: SystemSource,
        view: &CaseView,
        names: &UserNames,
        config: &Configuration,
        messages: &Messages,
    ) -> Cell {
        let locale = self.locale.as_str();
        let user = |id: &UserId| Cell::Text(names.0.get(id).cloned().unwrap_or_else(|| id.to_string()));
        match system {
            SystemSource::CaseId => Cell::Text(view.id.to_string()),
            SystemSource::DisplayId => Cell::Text(view.display_id.clone()),
            SystemSource::Owner => user(&view.owner_id),
            SystemSource::CreatedBy => user(&view.created_by),
            SystemSource::OwnerAgency => Cell::Text(
                config
                    .agency(&view.owner_agency_id)
                    .map(|agency| agency.name.get(locale).to_owned())
                    .unwrap_or_else(|| view.owner_agency_id.clone()),
            ),
            SystemSource::CreatedAt => Cell::Text(
                view.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
            ),
            SystemSource::Status => {
                Cell::Text(messages.format(locale, &format!("export-status-{}", view.status), &[]))
            }
            SystemSource::Stage => {
                Cell::Text(messages.format(locale, &format!("case-stage-{}", view.stage), &[]))
            }
            // `source_of` gives these no column.
            SystemSource::AssignedUsers | SystemSource::PreviousOwners => Cell::Empty,
        }
    }

    /// Renders a stored value of a field of type `kind`: options as their labels in the
    /// caller's language, numbers as numbers, dates as dates, subform rows as JSON.
    fn value_cell(&self, kind: &FieldKind, value: &Value, config: &Configuration) -> Cell {
        let locale = self.locale.as_str();
        let option_label = |lookup: &str, id: &str| {
            config
                .lookup(lookup)
                .and_then(|lookup| lookup.options.iter().find(|option| option.id == id))
                .map(|option| option.label.get(locale).to_owned())
                .unwrap_or_else(|| id.to_owned())
        };
        match (kind, value) {
            (_, Value::Null) => Cell::Empty,
            (FieldKind::Number { .. } | FieldKind::Calculated { .. }, Value::Number(number)) => {
                number.as_f64().map_or(Cell::Empty, Cell::Number)
            }
            (FieldKind::Date { .. }, Value::String(raw)) => match dates::parse_date(raw, &[]) {
                Ok(date) => Cell::Date(date),
                Err(_) => Cell::Text(raw.clone()),
            },
            (FieldKind::Select { lookup } | FieldKind::Radio { lookup }, Value::String(id)) => {
                Cell::Text(option_label(lookup, id))
            }
            (FieldKind::MultiSelect { lookup }, Value::Array(ids)) => {
                let labels: Vec<String> =
                    ids.iter().filter_map(Value::as_str).map(|id| option_label(lookup, id)).collect();
                Cell::Text(labels.join("; "))
            }
            (FieldKind::TickBox, Value::Bool(ticked)) => {
                Cell::Text(if *ticked { self.yes.clone() } else { self.no.clone() })
            }
            (FieldKind::Tally { lookup }, Value::Object(counts)) => Cell::Text(tally_text(
                config.lookup(lookup).map(|lookup| lookup.options.as_slice()),
                counts,
                locale,
            )),
            // Subform rows keep their stored form (option ids, ISO dates, row ids), so the
            // column can be read back by a program.
            (FieldKind::Subform { .. }, rows) => Cell::Text(rows.to_string()),
            (_, Value::String(text)) => Cell::Text(text.clone()),
            (_, other) => Cell::Text(other.to_string()),
        }
    }
}

/// Returns the origin of the values of `field`, or `None` for a field without a column.
fn source_of(field: &Field) -> Option<Source> {
    match &field.kind {
        FieldKind::Separator
        | FieldKind::Photo
        | FieldKind::Audio
        | FieldKind::Document
        | FieldKind::Signature => None,
        FieldKind::System { source: SystemSource::AssignedUsers | SystemSource::PreviousOwners } => None,
        FieldKind::System { source } => Some(Source::System(*source)),
        FieldKind::Calculated { .. } => Some(Source::Calculated(field.id.clone())),
        _ => Some(Source::Field(Box::new(field.clone()))),
    }
}

/// Writes a tally as `label: count` pairs in the lookup's option order, such as
/// `Female: 2; Male: 1`.
fn tally_text(
    options: Option<&[sathi_domain::config::LookupOption]>,
    counts: &serde_json::Map<String, Value>,
    locale: &str,
) -> String {
    let count_of = |id: &str| counts.get(id).map(|count| count.to_string());
    let mut parts = Vec::new();
    for option in options.unwrap_or_default() {
        if let Some(count) = count_of(&option.id) {
            parts.push(format!("{}: {count}", option.label.get(locale)));
        }
    }
    // Keys that are not options of the lookup (any more) keep their ids.
    let known = |id: &str| options.unwrap_or_default().iter().any(|option| option.id == id);
    for (id, count) in counts.iter().filter(|(id, _)| !known(id)) {
        parts.push(format!("{id}: {count}"));
    }
    parts.join("; ")
}

/// Returns `label`, or when a column of the sheet already has it, `label (context)`, then
/// `label (context) 2`, 3 and so on, and records the header returned in `used`.
fn unique_header(used: &mut std::collections::HashSet<String>, label: &str, context: &str) -> String {
    let mut header = label.to_owned();
    if used.contains(&header) {
        header = format!("{label} ({context})");
    }
    let base = header.clone();
    let mut number = 2;
    while used.contains(&header) {
        header = format!("{base} {number}");
        number += 1;
    }
    used.insert(header.clone());
    header
}
