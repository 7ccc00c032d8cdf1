//! Counts for dashboards: cases, due items and referrals, grouped by one dimension.
//!
//! A case count runs the query of a case list (`scope::push_scoped_cases` with the same
//! `CaseFilter`) and counts its rows, so a figure equals the total of the list it opens. The
//! group of a case is read from the same column the list's filter tests: `risk_level=none`
//! lists the cases counted under the `NULL` key, `location=X` the codes at or under X.

use async_trait::async_trait;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::{Action, Scope};
use sathi_domain::principal::Principal;
use sqlx::Row;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::columns::CONCERN_SEPARATOR;
use crate::model::CaseFilter;
use crate::referrals::Referral;
use crate::scope::{self, Bind, SqlBuilder};
use crate::sql::{PostgresStore, SqliteStore, utc};
use crate::{StoreResult, TaskRow};

/// A value that cases are counted by. Each key of the result is the value a list filter
/// selects, or `None` where the value is not recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseDimension {
    RiskLevel,
    Stage,
    /// The owner's user id.
    Owner,
    /// The current location code as stored; the server rolls codes up to a level.
    Location,
    /// Protection concern option ids. A case with two concerns is counted under both; `None`
    /// counts cases without any concern.
    Concern,
    Sex,
    /// The registration month, `YYYY-MM`.
    RegistrationMonth,
    /// The closure month, `YYYY-MM`.
    ClosureMonth,
    /// The ranges' keys by date of birth, and `None` for no date of birth. A date of birth in
    /// none of the ranges (after the as-of date) is not counted.
    AgeRange(Vec<BirthRange>),
}

/// An age range as inclusive date-of-birth bounds, from `AgeRange::date_of_birth_bounds`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BirthRange {
    pub key: String,
    pub born_from: Option<Date>,
    pub born_to: Option<Date>,
}

/// A date a case records after its registration date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseMilestone {
    AssessmentCompleted,
    CasePlanApproved,
}

impl CaseMilestone {
    fn column(self) -> &'static str {
        match self {
            CaseMilestone::AssessmentCompleted => "c.assessment_completed_on",
            CaseMilestone::CasePlanApproved => "c.case_plan_approved_on",
        }
    }
}

/// The side of the caller's agency in the referrals of a manager's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencySide {
    /// Referrals the agency sent (`from_agency_id`).
    Sent,
    /// Referrals addressed to the agency (`to_agency_id`).
    Received,
}

/// Filters of the referrals of the caller's agency, which a role reading the agency's cases
/// (read scope agency or wider) may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyReferralFilter {
    pub side: AgencySide,
    pub service: Option<String>,
    /// The agency at the other end: the receiving agency of sent referrals, the sending agency
    /// of received ones.
    pub other_agency: Option<String>,
    /// Created at or after this instant.
    pub created_from: Option<OffsetDateTime>,
    /// Created before this instant.
    pub created_before: Option<OffsetDateTime>,
}

/// The value that agency referrals are counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralDimension {
    Service,
    /// The agency at the other end, as in [`AgencyReferralFilter::other_agency`].
    OtherAgency,
}

/// Largest number of rows an agency referral list returns, newest first.
pub const AGENCY_REFERRALS_LIMIT: i64 = 500;

#[async_trait]
pub trait DashboardStore {
    /// Counts the cases that `list_cases` would list for `filter`, in the scope of `action`.
    async fn count_cases(
        &self,
        principal: &Principal,
        action: Action,
        filter: &CaseFilter,
    ) -> StoreResult<i64>;

    /// Counts the same cases as [`DashboardStore::count_cases`], grouped by `dimension`, in key
    /// order with the `None` key first. Keys with no case are absent.
    async fn count_cases_by(
        &self,
        principal: &Principal,
        action: Action,
        filter: &CaseFilter,
        dimension: &CaseDimension,
    ) -> StoreResult<Vec<(Option<String>, i64)>>;

    /// Counts the cases of `filter` that record `milestone`, by whole days from their
    /// registration date to the milestone, in ascending days.
    async fn days_to_milestone(
        &self,
        principal: &Principal,
        action: Action,
        filter: &CaseFilter,
        milestone: CaseMilestone,
    ) -> StoreResult<Vec<(i64, i64)>>;

    /// Lists the due items, up to `due_before` (exclusive), of cases `owner` owns, where the case
    /// is in `principal`'s read scope.
    async fn owner_tasks(
        &self,
        principal: &Principal,
        owner: UserId,
        due_before: Date,
    ) -> StoreResult<Vec<TaskRow>>;

    /// Counts the due items before `due_before` of cases in `principal`'s read scope, by the
    /// case owner, as [`DashboardStore::owner_tasks`] lists them per owner.
    async fn count_tasks_by_owner(
        &self,
        principal: &Principal,
        due_before: Date,
    ) -> StoreResult<Vec<(UserId, i64)>>;

    /// Lists referrals of the caller's agency, newest first, at most [`AGENCY_REFERRALS_LIMIT`].
    /// Empty unless the role reads cases at agency scope or wider.
    async fn agency_referrals(
        &self,
        principal: &Principal,
        filter: &AgencyReferralFilter,
    ) -> StoreResult<Vec<Referral>>;

    /// Counts the referrals [`DashboardStore::agency_referrals`] lists, without its limit,
    /// grouped by `dimension` in key order.
    async fn count_agency_referrals_by(
        &self,
        principal: &Principal,
        filter: &AgencyReferralFilter,
        dimension: ReferralDimension,
    ) -> StoreResult<Vec<(String, i64)>>;
}

/// Returns the column of `cases c` that `dimension` groups by, for the dimensions that read one.
fn case_column(dimension: &CaseDimension) -> Option<&'static str> {
    match dimension {
        CaseDimension::RiskLevel => Some("c.risk_level"),
        CaseDimension::Stage => Some("c.stage"),
        CaseDimension::Owner => Some("c.owner_id"),
        CaseDimension::Location => Some("c.location_code"),
        CaseDimension::Sex => Some("c.sex"),
        CaseDimension::RegistrationMonth => Some("c.registration_date"),
        CaseDimension::ClosureMonth => Some("c.closure_date"),
        CaseDimension::Concern | CaseDimension::AgeRange(_) => None,
    }
}

/// Returns `YYYY-MM` of a date.
fn month_of(date: Date) -> String {
    format!("{:04}-{:02}", date.year(), u8::from(date.month()))
}

/// Adds counts of equal keys, keeping the keys in order.
fn merge_sorted(mut counts: Vec<(Option<String>, i64)>) -> Vec<(Option<String>, i64)> {
    counts.sort_by(|a, b| a.0.cmp(&b.0));
    let mut merged: Vec<(Option<String>, i64)> = Vec::with_capacity(counts.len());
    for (key, count) in counts {
        match merged.last_mut() {
            Some(last) if last.0 == key => last.1 += count,
            _ => merged.push((key, count)),
        }
    }
    merged
}

/// The age bucket of a case without a date of birth.
const NO_BIRTH_DATE: i32 = -1;

/// Returns an SQL expression of the position in `ranges` of `c.date_of_birth`: [`NO_BIRTH_DATE`]
/// without one, -2 outside every range. The bounds are bound on `builder`.
fn age_bucket(builder: &mut SqlBuilder, ranges: &[BirthRange]) -> String {
    let mut sql = format!("CASE WHEN c.date_of_birth IS NULL THEN {NO_BIRTH_DATE}");
    for (index, range) in ranges.iter().enumerate() {
        sql.push_str(" WHEN 1 = 1");
        if let Some(from) = range.born_from {
            sql.push_str(&format!(" AND c.date_of_birth >= {}", builder.bind(Bind::Date(from))));
        }
        if let Some(to) = range.born_to {
            sql.push_str(&format!(" AND c.date_of_birth <= {}", builder.bind(Bind::Date(to))));
        }
        sql.push_str(&format!(" THEN {index}"));
    }
    sql.push_str(" ELSE -2 END");
    sql
}

/// Appends the condition that `principal` may list its agency's referrals at all, and the
/// filter's conditions on `referrals r`.
fn push_agency_referrals(builder: &mut SqlBuilder, principal: &Principal, filter: &AgencyReferralFilter) {
    let reads_agency = principal.scope_of(Action::Read).is_some_and(|scope| scope >= Scope::Agency);
    if !reads_agency {
        builder.push(" AND 1 = 0");
        return;
    }
    let (own_side, other_side) = match filter.side {
        AgencySide::Sent => ("r.from_agency_id", "r.to_agency_id"),
        AgencySide::Received => ("r.to_agency_id", "r.from_agency_id"),
    };
    let agency = builder.bind(Bind::Text(principal.agency_id.clone()));
    builder.push(&format!(" AND {own_side} = {agency}"));
    if let Some(service) = &filter.service {
        builder.push(" AND r.service_type = ").push_bind(Bind::Text(service.clone()));
    }
    if let Some(other) = &filter.other_agency {
        builder.push(&format!(" AND {other_side} = ")).push_bind(Bind::Text(other.clone()));
    }
    if let Some(from) = filter.created_from {
        builder.push(" AND r.created_at >= ").push_bind(Bind::Time(utc(from)));
    }
    if let Some(before) = filter.created_before {
        builder.push(" AND r.created_at < ").push_bind(Bind::Time(utc(before)));
    }
}

/// Builds the query of due items before `due_before` of the cases in `reach`, with `cases`
/// filtering them. It starts from the cases (`push_scoped_cases`, the scope of case lists) and
/// reads each case's items by its key, so a supervisor's count reads the group's cases only.
/// Callers append conditions on `t`.
fn scoped_tasks(reach: &scope::Reach, cases: &CaseFilter, columns: &str, due_before: Date) -> SqlBuilder {
    let mut builder = SqlBuilder::new(&format!("SELECT {columns} FROM ("));
    scope::push_scoped_cases(&mut builder, reach, cases, "c.id, c.display_id");
    builder.push(") s CROSS JOIN case_tasks t WHERE t.case_id = s.id AND t.due_on < ");
    builder.push_bind(Bind::Date(due_before));
    builder
}

macro_rules! dashboard_store {
    ($store:ident, $db:ty, $days_between:literal) => {
        impl $store {
            /// Runs a grouped count whose rows are `key` (decoded as `K`) and `n`.
            async fn grouped<K>(&self, builder: SqlBuilder) -> StoreResult<Vec<(Option<K>, i64)>>
            where
                for<'r> Option<K>: sqlx::Decode<'r, $db> + sqlx::Type<$db>,
            {
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(|row| Ok((row.try_get("key")?, row.try_get("n")?))).collect()
            }
        }

        #[async_trait]
        impl DashboardStore for $store {
            async fn count_cases(
                &self,
                principal: &Principal,
                action: Action,
                filter: &CaseFilter,
            ) -> StoreResult<i64> {
                let reach = self.reach(principal, action).await?;
                let mut builder = SqlBuilder::new("SELECT COUNT(*) AS n FROM (");
                scope::push_scoped_cases(&mut builder, &reach, filter, "c.id");
                builder.push(") s");
                Ok(Self::query_built(builder).fetch_one(&self.pool).await?.try_get("n")?)
            }

            async fn count_cases_by(
                &self,
                principal: &Principal,
                action: Action,
                filter: &CaseFilter,
                dimension: &CaseDimension,
            ) -> StoreResult<Vec<(Option<String>, i64)>> {
                let reach = self.reach(principal, action).await?;
                let mut builder = SqlBuilder::new("SELECT ");
                match dimension {
                    CaseDimension::Concern => {
                        // Each row is a case's list of concerns, which counts under every
                        // concern in it; `case_concerns` contains the same concerns, one per row.
                        builder.push("s.key AS key, COUNT(*) AS n FROM (");
                        scope::push_scoped_cases(&mut builder, &reach, filter, "c.id, c.concern_list AS key");
                        builder.push(") s GROUP BY s.key");
                        let mut counts = Vec::new();
                        for (list, count) in self.grouped::<String>(builder).await? {
                            match list.filter(|list| !list.is_empty()) {
                                None => counts.push((None, count)),
                                Some(list) => counts.extend(
                                    list.split(CONCERN_SEPARATOR)
                                        .map(|concern| (Some(concern.to_owned()), count)),
                                ),
                            }
                        }
                        return Ok(merge_sorted(counts));
                    }
                    CaseDimension::AgeRange(ranges) => {
                        // The bound dates are placeholders that every branch of the scope's
                        // UNION repeats; both databases let a placeholder appear more than once.
                        builder.push("s.bucket AS key, COUNT(*) AS n FROM (");
                        let bucket = age_bucket(&mut builder, ranges);
                        scope::push_scoped_cases(
                            &mut builder,
                            &reach,
                            filter,
                            &format!("c.id, {bucket} AS bucket"),
                        );
                        builder.push(") s GROUP BY s.bucket");
                        let mut counts = Vec::new();
                        for (index, count) in self.grouped::<i32>(builder).await? {
                            match index {
                                Some(NO_BIRTH_DATE) => counts.push((None, count)),
                                Some(index) => {
                                    if let Some(range) =
                                        usize::try_from(index).ok().and_then(|index| ranges.get(index))
                                    {
                                        counts.push((Some(range.key.clone()), count));
                                    }
                                }
                                None => {}
                            }
                        }
                        return Ok(merge_sorted(counts));
                    }
                    _ => {}
                }

                let column = case_column(dimension).expect("every other dimension reads one column");
                builder.push("s.key AS key, COUNT(*) AS n FROM (");
                scope::push_scoped_cases(&mut builder, &reach, filter, &format!("c.id, {column} AS key"));
                builder.push(") s GROUP BY s.key");
                let counts = match dimension {
                    CaseDimension::Owner => self
                        .grouped::<Uuid>(builder)
                        .await?
                        .into_iter()
                        .map(|(key, count)| (key.map(|id| id.to_string()), count))
                        .collect(),
                    CaseDimension::RegistrationMonth | CaseDimension::ClosureMonth => self
                        .grouped::<Date>(builder)
                        .await?
                        .into_iter()
                        .map(|(key, count)| (key.map(month_of), count))
                        .collect(),
                    _ => self.grouped::<String>(builder).await?,
                };
                Ok(merge_sorted(counts))
            }

            async fn days_to_milestone(
                &self,
                principal: &Principal,
                action: Action,
                filter: &CaseFilter,
                milestone: CaseMilestone,
            ) -> StoreResult<Vec<(i64, i64)>> {
                let reach = self.reach(principal, action).await?;
                let days = $days_between
                    .replace("{to}", milestone.column())
                    .replace("{from}", "c.registration_date");
                let mut builder = SqlBuilder::new("SELECT s.days AS key, COUNT(*) AS n FROM (");
                let columns = format!("c.id, {days} AS days");
                scope::push_scoped_cases(&mut builder, &reach, filter, &columns);
                builder.push(") s WHERE s.days IS NOT NULL GROUP BY s.days ORDER BY s.days");
                let rows = self.grouped::<i32>(builder).await?;
                Ok(rows
                    .into_iter()
                    .filter_map(|(days, count)| days.map(|days| (i64::from(days), count)))
                    .collect())
            }

            async fn owner_tasks(
                &self,
                principal: &Principal,
                owner: UserId,
                due_before: Date,
            ) -> StoreResult<Vec<TaskRow>> {
                let reach = self.reach(principal, Action::Read).await?;
                // The owner's cases only; their items carry the same owner.
                let cases = CaseFilter { owner_id: Some(owner), ..CaseFilter::default() };
                let mut builder = scoped_tasks(
                    &reach,
                    &cases,
                    "t.case_id, t.kind, t.item, t.due_on, t.child_name, t.risk_level, s.display_id",
                    due_before,
                );
                builder.push(" AND t.owner_id = ").push_bind(Bind::Uuid(owner.0));
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|row| {
                        Ok(TaskRow {
                            kind: row.try_get("kind")?,
                            case_id: CaseId(row.try_get("case_id")?),
                            display_id: row.try_get("display_id")?,
                            child_name: row.try_get("child_name")?,
                            risk_level: row.try_get("risk_level")?,
                            due_on: Some(row.try_get("due_on")?),
                            item: row.try_get("item")?,
                            subject_id: None,
                            comment: None,
                        })
                    })
                    .collect()
            }

            async fn count_tasks_by_owner(
                &self,
                principal: &Principal,
                due_before: Date,
            ) -> StoreResult<Vec<(UserId, i64)>> {
                let reach = self.reach(principal, Action::Read).await?;
                let columns = "t.owner_id AS key, COUNT(*) AS n";
                let rows = if let scope::Reach::Scoped { owners: scope::Owners::Users(users), .. } = &reach {
                    // `case_tasks` keeps each case's owner, so the owners' part is a range of the
                    // `case_tasks_owner` index instead of a join over every case of the group.
                    let mut owned =
                        SqlBuilder::new(&format!("SELECT {columns} FROM case_tasks t WHERE t.owner_id IN ("));
                    let placeholders: Vec<String> =
                        users.iter().map(|user| owned.bind(Bind::Uuid(*user))).collect();
                    owned.push(&placeholders.join(", "));
                    owned.push(") AND t.due_on < ");
                    owned.push_bind(Bind::Date(due_before));
                    owned.push(" GROUP BY t.owner_id");
                    let mut rows = self.grouped::<Uuid>(owned).await?;

                    let mut others = SqlBuilder::new(&format!("SELECT {columns} FROM ("));
                    scope::push_cases_beyond_owners(
                        &mut others,
                        &reach,
                        &CaseFilter::default(),
                        "c.id, c.display_id",
                    );
                    others.push(") s CROSS JOIN case_tasks t WHERE t.case_id = s.id AND t.due_on < ");
                    others.push_bind(Bind::Date(due_before));
                    others.push(" GROUP BY t.owner_id");
                    rows.extend(self.grouped::<Uuid>(others).await?);
                    rows
                } else {
                    let mut builder = scoped_tasks(&reach, &CaseFilter::default(), columns, due_before);
                    builder.push(" GROUP BY t.owner_id");
                    self.grouped::<Uuid>(builder).await?
                };
                let mut counts: std::collections::BTreeMap<Uuid, i64> = std::collections::BTreeMap::new();
                for (owner, count) in rows {
                    if let Some(owner) = owner {
                        *counts.entry(owner).or_default() += count;
                    }
                }
                Ok(counts.into_iter().map(|(owner, count)| (UserId(owner), count)).collect())
            }

            async fn agency_referrals(
                &self,
                principal: &Principal,
                filter: &AgencyReferralFilter,
            ) -> StoreResult<Vec<Referral>> {
                let mut builder = crate::referrals::referral_query(principal);
                push_agency_referrals(&mut builder, principal, filter);
                builder
                    .push(" ORDER BY r.created_at DESC, r.id DESC LIMIT ")
                    .push_bind(Bind::Int(AGENCY_REFERRALS_LIMIT));
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(Self::referral_from_row).collect()
            }

            async fn count_agency_referrals_by(
                &self,
                principal: &Principal,
                filter: &AgencyReferralFilter,
                dimension: ReferralDimension,
            ) -> StoreResult<Vec<(String, i64)>> {
                let column = match (dimension, filter.side) {
                    (ReferralDimension::Service, _) => "r.service_type",
                    (ReferralDimension::OtherAgency, AgencySide::Sent) => "r.to_agency_id",
                    (ReferralDimension::OtherAgency, AgencySide::Received) => "r.from_agency_id",
                };
                let mut builder = SqlBuilder::new(&format!(
                    "SELECT {column} AS key, COUNT(*) AS n FROM referrals r WHERE 1 = 1"
                ));
                push_agency_referrals(&mut builder, principal, filter);
                builder.push(&format!(" GROUP BY {column} ORDER BY {column}"));
                let rows = self.grouped::<String>(builder).await?;
                Ok(rows.into_iter().filter_map(|(key, count)| key.map(|key| (key, count))).collect())
            }
        }
    };
}

// Whole days from one date column to another: SQLite stores dates as text, PostgreSQL
// subtracts DATE values to an integer.
dashboard_store!(SqliteStore, sqlx::Sqlite, "CAST(julianday({to}) - julianday({from}) AS INTEGER)");
dashboard_store!(PostgresStore, sqlx::Postgres, "({to} - {from})");
