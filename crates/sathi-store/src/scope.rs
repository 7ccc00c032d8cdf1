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

use crate::model::{CaseFilter, CaseSort, ValueFilter};

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
///
/// This is the scope as one OR, for statements that find the case by its primary key first
/// (`case`, `update_case`). Lists use [`push_scoped_cases`], which states the same rule as a
/// UNION that indexes can serve. `crates/sathi-server/tests/access_scope.rs` checks both forms
/// for the same callers.
pub fn push_scope(builder: &mut SqlBuilder, principal: &Principal, action: Action) {
    push_scope_with(builder, principal, action, referrals_grant(action));
}

/// Appends the scope of `action` without the access that open referrals give, so that a query
/// can tell whether a recipient reaches a case through referrals only.
pub fn push_direct_scope(builder: &mut SqlBuilder, principal: &Principal, action: Action) {
    push_scope_with(builder, principal, action, false);
}

fn push_scope_with(builder: &mut SqlBuilder, principal: &Principal, action: Action, through_referrals: bool) {
    let Some(scope) = principal.scope_of(action) else {
        builder.push("(1 = 0)");
        return;
    };
    if scope == Scope::All {
        builder.push("(1 = 1)");
        return;
    }

    let user = builder.bind(Bind::Uuid(principal.user_id.0));
    builder.push(&format!(
        "(c.owner_id = {user} \
         OR c.id IN (SELECT a.case_id FROM case_assignments a WHERE a.user_id = {user})"
    ));
    if through_referrals {
        // A case referred to the user counts as theirs while the referral is open.
        builder.push(" OR c.id IN (SELECT r.case_id FROM referrals r WHERE ");
        push_referral_recipient(builder, principal, &user);
        builder.push(")");
    }
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

/// Returns whether an open referral gives its recipient `action` on the case. A recipient
/// reads the case and writes what the role and the shared forms allow, but does not refer,
/// transfer, close or assign it.
pub fn referrals_grant(action: Action) -> bool {
    matches!(action, Action::Read | Action::Write)
}

/// Appends the condition on `referrals r` that the referral is open and `principal` receives
/// it: addressed to the user (`user` is the placeholder of the user's id), or pending, addressed
/// to the user's agency with no user named, and the role receives referrals.
pub fn push_referral_recipient(builder: &mut SqlBuilder, principal: &Principal, user: &str) {
    builder.push(&format!("(r.status IN {OPEN_REFERRAL_STATUSES} AND (r.to_user_id = {user}"));
    if principal.can(Action::ReceiveReferrals) {
        let agency = builder.bind(Bind::Text(principal.agency_id.clone()));
        builder.push(&format!(
            " OR (r.to_user_id IS NULL AND r.status = 'pending' AND r.to_agency_id = {agency})"
        ));
    }
    builder.push("))");
}

/// Referral statuses that give the receiving user access to the case.
pub const OPEN_REFERRAL_STATUSES: &str = "('pending', 'accepted')";

/// The cases a caller reaches for one action, resolved before a list query so that each
/// branch of [`push_scoped_cases`] is an index lookup on constants.
#[derive(Debug, Clone, PartialEq)]
pub enum Reach {
    /// The role does not grant the action.
    Nothing,
    /// Every case of the deployment.
    Everything,
    /// Cases owned by `owners`, plus the cases assigned or referred (open referrals) to `user`,
    /// and the pending referrals addressed to `receiver_agency` without a user.
    Scoped { user: Uuid, owners: Owners, referred: bool, receiver_agency: Option<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Owners {
    /// These users: the caller alone (own scope), or the caller and the members of the
    /// caller's groups (group scope).
    Users(Vec<Uuid>),
    /// Every user of this agency.
    Agency(String),
}

/// Builds the query that reads the members of the caller's groups, if the scope of `action`
/// needs them; [`reach`] takes its rows.
pub fn group_members_query(principal: &Principal, action: Action) -> Option<SqlBuilder> {
    if principal.scope_of(action) != Some(Scope::Group) || principal.group_ids.is_empty() {
        return None;
    }
    let mut builder = SqlBuilder::new("SELECT DISTINCT m.user_id FROM group_members m WHERE m.group_id IN (");
    let groups: Vec<String> =
        principal.group_ids.iter().map(|group| builder.bind(Bind::Uuid(group.0))).collect();
    builder.push(&groups.join(", ")).push(")");
    Some(builder)
}

/// Resolves what `principal` reaches for `action`. `group_members` contains the rows of
/// [`group_members_query`], and is ignored for any scope but group.
pub fn reach(principal: &Principal, action: Action, group_members: &[Uuid]) -> Reach {
    let user = principal.user_id.0;
    let referred = referrals_grant(action);
    let receiver_agency =
        (referred && principal.can(Action::ReceiveReferrals)).then(|| principal.agency_id.clone());
    let scoped = |owners| Reach::Scoped { user, owners, referred, receiver_agency: receiver_agency.clone() };
    match principal.scope_of(action) {
        None => Reach::Nothing,
        Some(Scope::All) => Reach::Everything,
        Some(Scope::Own) => scoped(Owners::Users(vec![user])),
        Some(Scope::Group) => {
            let mut owners = vec![user];
            owners.extend(group_members.iter().copied().filter(|member| *member != user));
            scoped(Owners::Users(owners))
        }
        Some(Scope::Agency) => scoped(Owners::Agency(principal.agency_id.clone())),
    }
}

/// Appends a query for `columns` of the cases in `reach` that match `filter`, each case once.
///
/// The scope is a UNION of branches instead of one OR, because each branch can then start from
/// an index. The branches are cases by owner (`cases_owner_list`) or agency
/// (`cases_agency_list`), cases assigned to the user (`case_assignments_user`), cases referred
/// to the user (`referrals_to_user`), and, for a user who receives referrals, cases with a
/// pending referral to the user's agency (`referrals_to_agency`). Every branch repeats all
/// filters. `columns` must name columns of `cases c` only, so that UNION's duplicate removal
/// keeps one row per case.
///
/// The other branches leave out the cases of the owner branch, so the owner branch, which can
/// reach an agency's tens of thousands of cases, joins them with UNION ALL. The database then
/// removes duplicates only among the few assigned and referred cases.
///
/// NOTE: an agency-scope name search tests the name words of every case of the agency (about
/// 67,000 of 1,000,000 in the benchmark's data), and `docs/benchmarks.md` does not measure it.
pub fn push_scoped_cases(builder: &mut SqlBuilder, reach: &Reach, filter: &CaseFilter, columns: &str) {
    push_reached_cases(builder, reach, filter, columns, true);
}

/// Appends the cases of `reach` that its owners do not own: those reached only through
/// assignments and referrals. With a query on the owners' own rows (such as `case_tasks` by
/// owner), this gives the same cases as [`push_scoped_cases`] without reading the owners' cases.
pub fn push_cases_beyond_owners(builder: &mut SqlBuilder, reach: &Reach, filter: &CaseFilter, columns: &str) {
    push_reached_cases(builder, reach, filter, columns, false);
}

fn push_reached_cases(
    builder: &mut SqlBuilder,
    reach: &Reach,
    filter: &CaseFilter,
    columns: &str,
    owned_too: bool,
) {
    match reach {
        Reach::Nothing => {
            builder.push(&format!("SELECT {columns} FROM cases c WHERE 1 = 0"));
        }
        Reach::Everything => {
            builder.push(&format!("SELECT {columns} FROM cases c WHERE 1 = 1"));
            // Without a scope to start from, the name words are the best place to start.
            push_filters(builder, filter, TokenMatch::DriveFromToken, false);
        }
        Reach::Scoped { user, owners, referred, receiver_agency } => {
            let (owned, not_owned) = match owners {
                Owners::Users(users) => {
                    let placeholders: Vec<String> =
                        users.iter().map(|owner| builder.bind(Bind::Uuid(*owner))).collect();
                    let placeholders = placeholders.join(", ");
                    (format!("c.owner_id IN ({placeholders})"), format!("c.owner_id NOT IN ({placeholders})"))
                }
                Owners::Agency(agency) => {
                    let agency = builder.bind(Bind::Text(agency.clone()));
                    (format!("c.owner_agency_id = {agency}"), format!("c.owner_agency_id <> {agency}"))
                }
            };
            let owned = if owned_too { owned } else { "1 = 0".to_owned() };
            builder.push(&format!("SELECT {columns} FROM cases c WHERE {owned}"));
            push_filters(builder, filter, TokenMatch::CheckPerCase, false);

            let user = builder.bind(Bind::Uuid(*user));
            // CROSS JOIN makes SQLite start from the user's few assignments and referrals;
            // without it, SQLite without statistics starts from a filter's index on `cases`.
            // PostgreSQL plans it as an inner join.
            builder.push(&format!(
                " UNION ALL SELECT * FROM (SELECT {columns} FROM case_assignments a CROSS JOIN cases c \
                 WHERE c.id = a.case_id AND a.user_id = {user} AND {not_owned}"
            ));
            push_filters(builder, filter, TokenMatch::CheckPerCase, false);

            if *referred {
                builder.push(&format!(
                    " UNION SELECT {columns} FROM referrals r CROSS JOIN cases c \
                     WHERE c.id = r.case_id AND r.to_user_id = {user} AND r.status IN {OPEN_REFERRAL_STATUSES} \
                     AND {not_owned}"
                ));
                push_filters(builder, filter, TokenMatch::CheckPerCase, true);

                if let Some(agency) = receiver_agency {
                    let agency = builder.bind(Bind::Text(agency.clone()));
                    builder.push(&format!(
                        " UNION SELECT {columns} FROM referrals r CROSS JOIN cases c \
                         WHERE c.id = r.case_id AND r.to_agency_id = {agency} AND r.status = 'pending' \
                         AND r.to_user_id IS NULL AND {not_owned}"
                    ));
                    push_filters(builder, filter, TokenMatch::CheckPerCase, true);
                }
            }
            builder.push(") others");
        }
    }
}

/// Strategy of a name search for testing the words of a case's name.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TokenMatch {
    /// `c.id IN (cases with the word)`, so the database may start from `case_name_tokens`.
    DriveFromToken,
    /// `EXISTS` on `case_name_tokens (case_id, token)` for each case the scope reaches.
    CheckPerCase,
}

/// The form that contains the child's name, sex, date of birth and current location, the values
/// of the name search and the identity filters.
const IDENTITY_FORM: &str = "basic_identity";
/// The form that contains the risk level and the protection concerns.
const CONCERNS_FORM: &str = "protection_concerns";
/// The forms that contain the closure date, the assessment's completion date and the case
/// plan's approval date.
const CLOSURE_FORM: &str = "closure";
const ASSESSMENT_FORM: &str = "assessment";
const CASE_PLAN_FORM: &str = "case_plan";

/// Appends ` AND ...` for every filter that is set.
///
/// With `through_referral`, the branch joins the referral `r` that gives the access, and a filter
/// on a value matches only when that referral shares the value's form. Otherwise a recipient
/// could confirm a child's name, sex or risk level that the referral does not share by
/// searching for it.
fn push_filters(
    builder: &mut SqlBuilder,
    filter: &CaseFilter,
    token_match: TokenMatch,
    through_referral: bool,
) {
    let and = |builder: &mut SqlBuilder, column_sql: &str, value: Bind| {
        let placeholder = builder.bind(value);
        builder.push(&format!(" AND {}", column_sql.replace("{}", &placeholder)));
    };
    if through_referral {
        let identity = filter.sex.is_some()
            || filter.born_from.is_some()
            || filter.born_to.is_some()
            || filter.age_unknown
            || filter.location.is_some();
        let concerns = !filter.risk_levels.is_empty() || filter.concern.is_some();
        let closure = filter.closed_from.is_some() || filter.closed_to.is_some();
        for (needed, form) in [
            (identity, IDENTITY_FORM),
            (concerns, CONCERNS_FORM),
            (closure, CLOSURE_FORM),
            (filter.assessed.is_some(), ASSESSMENT_FORM),
            (filter.case_plan_approved.is_some(), CASE_PLAN_FORM),
        ] {
            if needed {
                push_shares_form(builder, form);
            }
        }
    }
    if let Some(status) = filter.status {
        and(builder, "c.status = {}", Bind::Text(status.as_str().to_owned()));
    }
    if let Some(enabled) = filter.enabled {
        and(builder, "c.enabled = {}", Bind::Bool(enabled));
    }
    if !filter.risk_levels.is_empty() {
        let mut alternatives = Vec::new();
        let levels: Vec<String> = filter
            .risk_levels
            .iter()
            .filter_map(|level| match level {
                ValueFilter::Is(level) => Some(builder.bind(Bind::Text(level.clone()))),
                ValueFilter::NotRecorded => None,
            })
            .collect();
        if !levels.is_empty() {
            alternatives.push(format!("c.risk_level IN ({})", levels.join(", ")));
        }
        if filter.risk_levels.contains(&ValueFilter::NotRecorded) {
            alternatives.push("c.risk_level IS NULL".to_owned());
        }
        builder.push(&format!(" AND ({})", alternatives.join(" OR ")));
    }
    match &filter.sex {
        Some(ValueFilter::Is(sex)) => and(builder, "c.sex = {}", Bind::Text(sex.clone())),
        Some(ValueFilter::NotRecorded) => {
            builder.push(" AND c.sex IS NULL");
        }
        None => {}
    }
    if let Some(from) = filter.born_from {
        and(builder, "c.date_of_birth >= {}", Bind::Date(from));
    }
    if let Some(to) = filter.born_to {
        and(builder, "c.date_of_birth <= {}", Bind::Date(to));
    }
    if filter.age_unknown {
        builder.push(" AND c.date_of_birth IS NULL");
    }
    push_location_filter(builder, filter.location.as_ref());
    push_concern_filter(builder, filter.concern.as_ref());
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
    if let Some(from) = filter.closed_from {
        and(builder, "c.closure_date >= {}", Bind::Date(from));
    }
    if let Some(to) = filter.closed_to {
        and(builder, "c.closure_date <= {}", Bind::Date(to));
    }
    for (recorded, column) in [
        (filter.assessed, "c.assessment_completed_on"),
        (filter.case_plan_approved, "c.case_plan_approved_on"),
    ] {
        match recorded {
            Some(true) => builder.push(&format!(" AND {column} IS NOT NULL")),
            Some(false) => builder.push(&format!(" AND {column} IS NULL")),
            None => builder,
        };
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
    if let Some(after) = filter.sync_after {
        and(builder, "c.sync_seq > {}", Bind::Int(after));
    }
    if let Some(query) = filter.query.as_deref().map(str::trim).filter(|query| !query.is_empty()) {
        push_search(builder, query, token_match, through_referral);
    }
}

/// Appends ` AND` the referral `r` shares `form`. `shared_forms` is a JSON array of form ids,
/// so its text contains the id in double quotes exactly when the array contains it.
fn push_shares_form(builder: &mut SqlBuilder, form: &str) {
    let pattern = builder.bind(Bind::Text(format!("%\"{form}\"%")));
    builder.push(&format!(" AND CAST(r.shared_forms AS TEXT) LIKE {pattern}"));
}

/// Matches every word of `query` as a prefix of a word of the child's normalised name, or the
/// whole query as a display id or case id. With `through_referral`, the name words match only
/// when the referral `r` shares the identity form.
fn push_search(builder: &mut SqlBuilder, query: &str, token_match: TokenMatch, through_referral: bool) {
    // The display id is compared through a sub-select on its unique index, so that a scope
    // branch can test it without reading the case row.
    let display_id = builder.bind(Bind::Text(query.to_uppercase()));
    builder.push(&format!(" AND (c.id IN (SELECT d.id FROM cases d WHERE d.display_id = {display_id})"));
    if let Ok(id) = Uuid::parse_str(query) {
        let id = builder.bind(Bind::Uuid(id));
        builder.push(&format!(" OR c.id = {id}"));
    }
    let tokens = text::search_tokens(query);
    if !tokens.is_empty() {
        builder.push(" OR (1 = 1");
        if through_referral {
            push_shares_form(builder, IDENTITY_FORM);
        }
        for token in tokens {
            let low = builder.bind(Bind::Text(token.clone()));
            let high = builder.bind(Bind::Text(format!("{token}{}", char::MAX)));
            let condition = match token_match {
                TokenMatch::DriveFromToken => format!(
                    "c.id IN (SELECT t.case_id FROM case_name_tokens t WHERE t.token >= {low} AND t.token < {high})"
                ),
                TokenMatch::CheckPerCase => format!(
                    "EXISTS (SELECT 1 FROM case_name_tokens t \
                     WHERE t.case_id = c.id AND t.token >= {low} AND t.token < {high})"
                ),
            };
            builder.push(&format!(" AND {condition}"));
        }
        builder.push(")");
    }
    builder.push(")");
}

/// Returns ` ORDER BY …` for `sort` on the columns of the table or subquery `alias`.
pub fn order_by(sort: CaseSort, alias: &str) -> String {
    let a = alias;
    match sort {
        CaseSort::UpdatedDesc => format!(" ORDER BY {a}.updated_at DESC, {a}.id DESC"),
        CaseSort::UpdatedAsc => format!(" ORDER BY {a}.updated_at ASC, {a}.id ASC"),
        CaseSort::RegisteredDesc => format!(" ORDER BY {a}.registration_date DESC, {a}.id DESC"),
        CaseSort::RegisteredAsc => format!(" ORDER BY {a}.registration_date ASC, {a}.id ASC"),
        CaseSort::NameAsc => format!(" ORDER BY {a}.name_key ASC, {a}.id ASC"),
        CaseSort::RiskDesc => format!(
            " ORDER BY CASE {a}.risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, \
             {a}.updated_at DESC, {a}.id DESC"
        ),
    }
}

/// Returns the columns of `cases c` that [`order_by`] reads for `sort`, id first.
pub fn sort_columns(sort: CaseSort) -> &'static str {
    match sort {
        CaseSort::UpdatedDesc | CaseSort::UpdatedAsc => "c.id, c.updated_at",
        CaseSort::RegisteredDesc | CaseSort::RegisteredAsc => "c.id, c.registration_date",
        CaseSort::NameAsc => "c.id, c.name_key",
        CaseSort::RiskDesc => "c.id, c.risk_level, c.updated_at",
    }
}

/// Appends the location filter: the place or any place inside it, or no location recorded.
pub(crate) fn push_location_filter(builder: &mut SqlBuilder, filter: Option<&ValueFilter>) {
    match filter {
        Some(ValueFilter::Is(location)) => {
            // Location codes are hierarchical ("BD-CTG-CXB-UKH-C01E-A"), so descendants of a
            // place are one index range: from "CODE-" up to "CODE." ('.' follows '-').
            let exact = builder.bind(Bind::Text(location.clone()));
            let low = builder.bind(Bind::Text(format!("{location}-")));
            let high = builder.bind(Bind::Text(format!("{location}.")));
            builder.push(&format!(
                " AND (c.location_code = {exact} OR (c.location_code >= {low} AND c.location_code < {high}))"
            ));
        }
        Some(ValueFilter::NotRecorded) => {
            builder.push(" AND c.location_code IS NULL");
        }
        None => {}
    }
}

/// Appends the protection concern filter: cases with the concern, or cases with none.
pub(crate) fn push_concern_filter(builder: &mut SqlBuilder, filter: Option<&ValueFilter>) {
    match filter {
        Some(ValueFilter::Is(concern)) => {
            let concern = builder.bind(Bind::Text(concern.clone()));
            builder.push(&format!(
                " AND c.id IN (SELECT k.case_id FROM case_concerns k WHERE k.concern = {concern})"
            ));
        }
        Some(ValueFilter::NotRecorded) => {
            builder.push(" AND NOT EXISTS (SELECT 1 FROM case_concerns k WHERE k.case_id = c.id)");
        }
        None => {}
    }
}
