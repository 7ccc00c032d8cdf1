//! SQL built at run time with its bind values: the permission scope of a caller and the
//! filters of a case list.
//!
//! Placeholders are written PostgreSQL style (`$1`); the SQLite store turns them into `?1`,
//! which SQLite reads as the same explicit positions. Only values are ever bound; table and
//! column names come from this file, never from input.

use sathi_domain::permissions::{Action, Scope};
use sathi_domain::principal::Principal;
use sathi_domain::text;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::model::{CaseFilter, CaseSort};

#[derive(Debug, Clone)]
pub enum Bind {
    Uuid(Uuid),
    Text(String),
    Int(i64),
    Date(Date),
    Time(OffsetDateTime),
    Bool(bool),
    Json(serde_json::Value),
    OptText(Option<String>),
    OptDate(Option<Date>),
    OptTime(Option<OffsetDateTime>),
}

#[derive(Debug, Default)]
pub struct SqlBuilder {
    pub sql: String,
    pub binds: Vec<Bind>,
}

impl SqlBuilder {
    pub fn new(sql: &str) -> Self {
        SqlBuilder { sql: sql.to_owned(), binds: Vec::new() }
    }

    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Adds a bind value and returns its placeholder, for use (possibly several times) in SQL.
    pub fn bind(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    /// Appends the placeholder of a new bind value to the SQL.
    pub fn push_bind(&mut self, value: Bind) -> &mut Self {
        let placeholder = self.bind(value);
        self.sql.push_str(&placeholder);
        self
    }
}

/// Appends the condition that limits `cases c` to what `principal` may do `action` on.
pub fn push_scope(builder: &mut SqlBuilder, principal: &Principal, action: Action) {
    let Some(scope) = principal.scope_of(action) else {
        builder.push("(1 = 0)");
        return;
    };
    if scope == Scope::All {
        builder.push("(1 = 1)");
        return;
    }

    let user = builder.bind(Bind::Uuid(principal.user_id.0));
    // A case referred to the user counts as theirs while the referral is open.
    builder.push(&format!(
        "(c.owner_id = {user} \
         OR c.id IN (SELECT a.case_id FROM case_assignments a WHERE a.user_id = {user}) \
         OR c.id IN (SELECT r.case_id FROM referrals r WHERE r.to_user_id = {user} \
                     AND r.status IN ('pending', 'accepted'))"
    ));
    match scope {
        Scope::Group if !principal.group_ids.is_empty() => {
            let groups: Vec<String> =
                principal.group_ids.iter().map(|group| builder.bind(Bind::Uuid(group.0))).collect();
            builder.push(&format!(
                " OR c.owner_id IN (SELECT m.user_id FROM group_members m WHERE m.group_id IN ({}))",
                groups.join(", ")
            ));
        }
        Scope::Agency => {
            let agency = builder.bind(Bind::Text(principal.agency_id.clone()));
            builder.push(&format!(" OR c.owner_agency_id = {agency}"));
        }
        _ => {}
    }
    builder.push(")");
}

/// Appends ` AND ...` for every filter that is set.
pub fn push_filters(builder: &mut SqlBuilder, filter: &CaseFilter) {
    let and = |builder: &mut SqlBuilder, column_sql: &str, value: Bind| {
        let placeholder = builder.bind(value);
        builder.push(&format!(" AND {}", column_sql.replace("{}", &placeholder)));
    };
    if let Some(status) = filter.status {
        and(builder, "c.status = {}", Bind::Text(status.as_str().to_owned()));
    }
    if let Some(enabled) = filter.enabled {
        and(builder, "c.enabled = {}", Bind::Bool(enabled));
    }
    if !filter.risk_levels.is_empty() {
        let placeholders: Vec<String> =
            filter.risk_levels.iter().map(|level| builder.bind(Bind::Text(level.clone()))).collect();
        builder.push(&format!(" AND c.risk_level IN ({})", placeholders.join(", ")));
    }
    if let Some(sex) = &filter.sex {
        and(builder, "c.sex = {}", Bind::Text(sex.clone()));
    }
    if let Some(from) = filter.born_from {
        and(builder, "c.date_of_birth >= {}", Bind::Date(from));
    }
    if let Some(to) = filter.born_to {
        and(builder, "c.date_of_birth <= {}", Bind::Date(to));
    }
    if let Some(location) = &filter.location {
        // Location codes are hierarchical ("BD-CTG-CXB-UKH-C01E-A"), so descendants of a
        // place are one index range: from "CODE-" up to "CODE." ('.' follows '-').
        let exact = builder.bind(Bind::Text(location.clone()));
        let low = builder.bind(Bind::Text(format!("{location}-")));
        let high = builder.bind(Bind::Text(format!("{location}.")));
        builder.push(&format!(
            " AND (c.location_code = {exact} OR (c.location_code >= {low} AND c.location_code < {high}))"
        ));
    }
    if let Some(concern) = &filter.concern {
        and(
            builder,
            "c.id IN (SELECT k.case_id FROM case_concerns k WHERE k.concern = {})",
            Bind::Text(concern.clone()),
        );
    }
    if let Some(owner) = filter.owner_id {
        and(builder, "c.owner_id = {}", Bind::Uuid(owner.0));
    }
    if let Some(agency) = &filter.agency_id {
        and(builder, "c.owner_agency_id = {}", Bind::Text(agency.clone()));
    }
    if let Some(from) = filter.registered_from {
        and(builder, "c.registration_date >= {}", Bind::Date(from));
    }
    if let Some(to) = filter.registered_to {
        and(builder, "c.registration_date <= {}", Bind::Date(to));
    }
    if let Some(from) = filter.updated_from {
        and(builder, "c.updated_at >= {}", Bind::Time(from.to_offset(time::UtcOffset::UTC)));
    }
    if let Some(to) = filter.updated_to {
        and(builder, "c.updated_at <= {}", Bind::Time(to.to_offset(time::UtcOffset::UTC)));
    }
    if let Some(stage) = &filter.stage {
        and(builder, "c.stage = {}", Bind::Text(stage.clone()));
    }
    if let Some(query) = filter.query.as_deref().map(str::trim).filter(|query| !query.is_empty()) {
        push_search(builder, query);
    }
}

/// Matches every word of `query` as a prefix of a word of the child's normalised name, or the
/// whole query as a display id or case id.
fn push_search(builder: &mut SqlBuilder, query: &str) {
    let display_id = builder.bind(Bind::Text(query.to_uppercase()));
    builder.push(&format!(" AND (c.display_id = {display_id}"));
    if let Ok(id) = Uuid::parse_str(query) {
        let id = builder.bind(Bind::Uuid(id));
        builder.push(&format!(" OR c.id = {id}"));
    }
    let tokens = text::search_tokens(query);
    if !tokens.is_empty() {
        builder.push(" OR (1 = 1");
        for token in tokens {
            let low = builder.bind(Bind::Text(token.clone()));
            let high = builder.bind(Bind::Text(format!("{token}{}", char::MAX)));
            builder.push(&format!(
                " AND c.id IN (SELECT t.case_id FROM case_name_tokens t WHERE t.token >= {low} AND t.token < {high})"
            ));
        }
        builder.push(")");
    }
    builder.push(")");
}

pub fn order_by(sort: CaseSort) -> &'static str {
    match sort {
        CaseSort::UpdatedDesc => " ORDER BY c.updated_at DESC, c.id DESC",
        CaseSort::UpdatedAsc => " ORDER BY c.updated_at ASC, c.id ASC",
        CaseSort::RegisteredDesc => " ORDER BY c.registration_date DESC, c.id DESC",
        CaseSort::RegisteredAsc => " ORDER BY c.registration_date ASC, c.id ASC",
        CaseSort::NameAsc => " ORDER BY c.name_key ASC, c.id ASC",
        CaseSort::RiskDesc => {
            " ORDER BY CASE c.risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, \
             c.updated_at DESC, c.id DESC"
        }
    }
}
