//! Referrals and transfers of cases: their rows, their transitions as compare-and-set on
//! `(id, version, status)`, the notifications and audit entries each transition writes in the
//! same transaction, and the move of ownership when a transfer is accepted.
//!
//! Every transition also takes a new sync order number for the case, so the devices of the
//! people whose access changed receive the case, or learn from the scope digest that it left.
//! The server decides consent and validates input. This module applies the caller's scope and
//! the rule of who may take each step inside its SQL.

use async_trait::async_trait;
use sathi_domain::ids::{CaseId, ReferralId, UserId};
use sathi_domain::permissions::Action;
use sathi_domain::principal::Principal;
use serde_json::{Value, json};
use sqlx::Row;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::scope::{self, Bind, SqlBuilder};
use crate::sql::{PostgresStore, SqliteStore, is_unique_violation, utc};
use crate::{StoreError, StoreResult, SyncStore};

/// Statuses of a referral. `pending` and `accepted` are open and give the recipient access.
pub const REFERRAL_STATUSES: [&str; 6] = ["pending", "accepted", "rejected", "done", "revoked", "ended"];

/// A referral as stored, with the names the views show and whether the reader's Refer scope
/// covers its case.
#[derive(Debug, Clone, PartialEq)]
pub struct Referral {
    pub id: ReferralId,
    pub case_id: CaseId,
    pub display_id: String,
    pub case_owner_id: UserId,
    pub from_user_id: UserId,
    pub from_user_name: Option<String>,
    pub from_agency_id: String,
    pub to_agency_id: String,
    pub to_user_id: Option<UserId>,
    pub to_user_name: Option<String>,
    pub service_type: String,
    pub status: String,
    pub version: i64,
    pub shared_forms: Vec<String>,
    /// `internal`, `given` or `override`.
    pub consent_basis: String,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<OffsetDateTime>,
    pub closed_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// Whether the reader may refer this case, which lets them revoke or end the referral.
    pub in_refer_scope: bool,
}

/// A referral to store, after the server checked consent and the recipient.
#[derive(Debug, Clone)]
pub struct NewCaseReferral {
    pub id: ReferralId,
    pub case_id: CaseId,
    pub to_agency_id: String,
    pub to_user_id: Option<UserId>,
    pub service_type: String,
    pub shared_forms: Vec<String>,
    pub consent_basis: String,
    /// The reason given for sharing without recorded consent, never written to the audit log.
    pub consent_override: Option<String>,
    pub note: Option<String>,
    /// The users notified of the new referral: the named user, or the agency's receivers.
    pub notify: Vec<UserId>,
    pub now: OffsetDateTime,
}

/// A step of a referral's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralStep {
    Accept,
    Reject,
    Done,
    Revoke,
    End,
}

impl ReferralStep {
    pub fn as_str(self) -> &'static str {
        match self {
            ReferralStep::Accept => "accept",
            ReferralStep::Reject => "reject",
            ReferralStep::Done => "done",
            ReferralStep::Revoke => "revoke",
            ReferralStep::End => "end",
        }
    }

    /// Returns the status the step starts from and the status it sets.
    pub fn statuses(self) -> (&'static str, &'static str) {
        match self {
            ReferralStep::Accept => ("pending", "accepted"),
            ReferralStep::Reject => ("pending", "rejected"),
            ReferralStep::Done => ("accepted", "done"),
            ReferralStep::Revoke => ("pending", "revoked"),
            ReferralStep::End => ("accepted", "ended"),
        }
    }

    /// Returns the notification its sender receives.
    fn notification(self) -> &'static str {
        match self {
            ReferralStep::Accept => "referral_accepted",
            ReferralStep::Reject => "referral_rejected",
            ReferralStep::Done => "referral_done",
            ReferralStep::Revoke => "referral_revoked",
            ReferralStep::End => "referral_ended",
        }
    }

    /// Returns whether `principal` may take this step on `referral`. The recipient accepts,
    /// rejects and marks done. The sender, or anyone who may refer the case, revokes and ends.
    pub fn permitted(self, referral: &Referral, principal: &Principal) -> bool {
        let recipient = referral.to_user_id == Some(principal.user_id)
            || (referral.to_user_id.is_none()
                && referral.to_agency_id == principal.agency_id
                && principal.can(Action::ReceiveReferrals));
        let sender = referral.from_user_id == principal.user_id || referral.in_refer_scope;
        match self {
            ReferralStep::Accept | ReferralStep::Reject => recipient,
            ReferralStep::Done => referral.to_user_id == Some(principal.user_id),
            ReferralStep::Revoke | ReferralStep::End => sender,
        }
    }
}

/// A transition request: compare-and-set on `expected_version`.
#[derive(Debug, Clone)]
pub struct Transition<S> {
    pub step: S,
    pub expected_version: i64,
    /// The reason of a rejection or an end, or the note of a done referral.
    pub text: Option<String>,
    /// The consent the server found for an accept that moves a case to another agency, or `None`
    /// for every other step. The transfer row stores it in place of the consent of its creation.
    pub consent: Option<ConsentDecision>,
    pub now: OffsetDateTime,
}

/// The consent basis of sharing a case outside its owner's agency, as the server decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentDecision {
    /// `internal`, `given` or `override`.
    pub basis: String,
    /// The override reason, never written to the audit log.
    pub override_reason: Option<String>,
}

/// Kinds of a transfer row: the sender offers the case, or a user requests it from the owner.
pub const TRANSFER_KINDS: [&str; 2] = ["transfer", "request"];

#[derive(Debug, Clone, PartialEq)]
pub struct Transfer {
    pub id: Uuid,
    pub case_id: CaseId,
    pub display_id: String,
    pub case_owner_id: UserId,
    /// `transfer` or `request`.
    pub kind: String,
    pub from_user_id: UserId,
    pub from_user_name: Option<String>,
    pub from_agency_id: String,
    pub to_agency_id: String,
    pub to_user_id: Option<UserId>,
    pub to_user_name: Option<String>,
    pub status: String,
    pub version: i64,
    pub consent_basis: String,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<OffsetDateTime>,
    pub previous_owner_id: Option<UserId>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// Whether the reader may transfer this case.
    pub in_transfer_scope: bool,
}

#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub id: Uuid,
    pub case_id: CaseId,
    /// `transfer` or `request`. A request is addressed to the case's owner.
    pub kind: String,
    pub to_agency_id: String,
    pub to_user_id: Option<UserId>,
    pub consent_basis: String,
    pub consent_override: Option<String>,
    pub note: Option<String>,
    /// The users notified of a new transfer. A request always notifies the owner.
    pub notify: Vec<UserId>,
    pub now: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferStep {
    Accept,
    Reject,
    Revoke,
}

impl TransferStep {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferStep::Accept => "accept",
            TransferStep::Reject => "reject",
            TransferStep::Revoke => "revoke",
        }
    }

    fn status(self) -> &'static str {
        match self {
            TransferStep::Accept => "accepted",
            TransferStep::Reject => "rejected",
            TransferStep::Revoke => "revoked",
        }
    }

    /// Returns whether `principal` may take this step. A transfer is accepted or rejected by its
    /// recipient: the named user, or for a transfer to an agency a user of it whose role may
    /// transfer cases, never its sender. A request is decided by the owner or someone who may
    /// transfer the case. The sender revokes, and so may anyone who may transfer the case unless
    /// it is a request.
    pub fn permitted(self, transfer: &Transfer, principal: &Principal) -> bool {
        let recipient = transfer.from_user_id != principal.user_id
            && (transfer.to_user_id == Some(principal.user_id)
                || (transfer.to_user_id.is_none()
                    && transfer.to_agency_id == principal.agency_id
                    && principal.can(Action::Transfer)));
        let request = transfer.kind == "request";
        // The requester never decides their own request, even when an assignment puts the case in
        // their Transfer scope.
        let owner_side = (transfer.case_owner_id == principal.user_id || transfer.in_transfer_scope)
            && transfer.from_user_id != principal.user_id;
        match self {
            TransferStep::Accept | TransferStep::Reject if request => owner_side,
            TransferStep::Accept | TransferStep::Reject => recipient,
            TransferStep::Revoke if request => transfer.from_user_id == principal.user_id,
            TransferStep::Revoke => transfer.from_user_id == principal.user_id || transfer.in_transfer_scope,
        }
    }
}

/// The outcome of creating a referral or transfer.
#[derive(Debug, Clone, PartialEq)]
pub enum Opened<T> {
    Created(T),
    /// The id exists already, on the same case: a retried request.
    Existing(T),
    /// Another pending referral (same case, agency and service) or transfer (same case) exists.
    Pending(Uuid),
    /// The case is missing or outside the caller's scope, or the id is taken on another case.
    NotFound,
}

/// The outcome of a transition.
#[derive(Debug, Clone, PartialEq)]
pub enum Moved<T> {
    Moved(T),
    /// Someone else moved it first, or the caller's page was stale.
    StateChanged {
        status: String,
        version: i64,
    },
    /// Missing, or not visible to the caller.
    NotFound,
    /// Visible, but the caller may not take this step.
    Forbidden,
    /// The step is not possible now for the reason this error code names: `case_closed` (an
    /// accept on a closed case) or `consent_withdrawn` (an accept across agencies on the consent
    /// the case no longer records).
    Refused(&'static str),
}

/// The side of a referral or transfer list: addressed to the caller, or sent by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListBox {
    /// Addressed to the caller or, for receivers, to the caller's agency.
    Incoming,
    /// Sent by the caller, or on cases the caller may refer (transfer).
    Outgoing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Not yet accepted or rejected.
    Pending,
    Open,
    Closed,
    All,
}

/// Referrals and transfers, always within the caller's scope.
#[async_trait]
pub trait ReferralStore: Send + Sync {
    /// Stores a referral of a case in the caller's Refer scope, with its notifications and audit
    /// entry, and takes a sync order number for the case.
    async fn open_referral(
        &self,
        principal: &Principal,
        referral: &NewCaseReferral,
    ) -> StoreResult<Opened<Referral>>;
    /// Reads a referral its sender, its recipient or a reader of its case may see.
    async fn referral(&self, principal: &Principal, id: ReferralId) -> StoreResult<Option<Referral>>;
    async fn referrals(
        &self,
        principal: &Principal,
        list: ListBox,
        status: StatusFilter,
    ) -> StoreResult<Vec<Referral>>;
    /// Returns the referrals of a case the caller may read, newest first, or `None` for a missing
    /// or out-of-scope case.
    async fn case_referrals(
        &self,
        principal: &Principal,
        case_id: CaseId,
    ) -> StoreResult<Option<Vec<Referral>>>;
    async fn move_referral(
        &self,
        principal: &Principal,
        id: ReferralId,
        transition: &Transition<ReferralStep>,
    ) -> StoreResult<Moved<Referral>>;
    /// Returns, for those of `case_ids` that the caller reaches only through open referrals, the
    /// forms those referrals share. Cases the caller reaches otherwise are left out.
    async fn referral_form_limits(
        &self,
        principal: &Principal,
        case_ids: &[CaseId],
    ) -> StoreResult<Vec<(CaseId, Vec<String>)>>;

    /// Stores a transfer (Transfer scope) or a transfer request (Read scope, not the owner).
    async fn open_transfer(
        &self,
        principal: &Principal,
        transfer: &NewTransfer,
    ) -> StoreResult<Opened<Transfer>>;
    async fn transfer(&self, principal: &Principal, id: Uuid) -> StoreResult<Option<Transfer>>;
    async fn transfers(
        &self,
        principal: &Principal,
        list: ListBox,
        status: StatusFilter,
    ) -> StoreResult<Vec<Transfer>>;
    async fn case_transfers(
        &self,
        principal: &Principal,
        case_id: CaseId,
    ) -> StoreResult<Option<Vec<Transfer>>>;
    /// Applies a step in one transaction. An accept also moves ownership, clears the assignments
    /// and writes one audit entry.
    async fn move_transfer(
        &self,
        principal: &Principal,
        id: Uuid,
        transition: &Transition<TransferStep>,
    ) -> StoreResult<Moved<Transfer>>;
    /// Inserts a referral row at `referral.status`, with the version its transitions would have
    /// given it, and no notification, audit entry or sync order number.
    /// The demo generator and tests use it to write history, so it fills every column.
    async fn insert_referral_row(
        &self,
        referral: &crate::NewReferral,
        from_agency_id: &str,
        consent_basis: &str,
    ) -> StoreResult<()>;
    /// Returns when `user` stopped owning the case through an accepted transfer, if they did
    /// and do not own it again.
    async fn not_owner_since(&self, user: UserId, case_id: CaseId) -> StoreResult<Option<OffsetDateTime>>;
}

const REFERRAL_SELECT: &str = "SELECT r.id, r.case_id, c.display_id, c.owner_id AS case_owner_id, r.from_user_id, \
     fu.full_name AS from_user_name, r.from_agency_id, r.to_agency_id, r.to_user_id, tu.full_name AS to_user_name, \
     r.service_type, r.status, r.version, r.shared_forms, r.consent_basis, r.note, r.reason, r.decided_by, \
     r.decided_at, r.closed_at, r.created_at, r.updated_at";
const REFERRAL_FROM: &str = " FROM referrals r CROSS JOIN cases c LEFT JOIN users fu ON fu.id = r.from_user_id \
     LEFT JOIN users tu ON tu.id = r.to_user_id WHERE c.id = r.case_id";

const TRANSFER_SELECT: &str = "SELECT t.id, t.case_id, c.display_id, c.owner_id AS case_owner_id, t.kind, \
     t.from_user_id, fu.full_name AS from_user_name, t.from_agency_id, t.to_agency_id, t.to_user_id, \
     tu.full_name AS to_user_name, t.status, t.version, t.consent_basis, t.note, t.reason, t.decided_by, \
     t.decided_at, t.previous_owner_id, t.created_at, t.updated_at";
const TRANSFER_FROM: &str = " FROM transfers t CROSS JOIN cases c LEFT JOIN users fu ON fu.id = t.from_user_id \
     LEFT JOIN users tu ON tu.id = t.to_user_id WHERE c.id = t.case_id";

/// Builds the SELECT of referrals with the `in_refer_scope` column for `principal`.
pub(crate) fn referral_query(principal: &Principal) -> SqlBuilder {
    let mut builder = SqlBuilder::new(REFERRAL_SELECT);
    builder.push(", CASE WHEN ");
    scope::push_scope(&mut builder, principal, Action::Refer);
    builder.push(" THEN TRUE ELSE FALSE END AS in_scope").push(REFERRAL_FROM);
    builder
}

fn transfer_query(principal: &Principal) -> SqlBuilder {
    let mut builder = SqlBuilder::new(TRANSFER_SELECT);
    builder.push(", CASE WHEN ");
    scope::push_scope(&mut builder, principal, Action::Transfer);
    builder.push(" THEN TRUE ELSE FALSE END AS in_scope").push(TRANSFER_FROM);
    builder
}

/// Appends ` AND` the referral is one `principal` may see: sent by them, received by them, or
/// on a case they read other than through referrals. A referral's recipient does not see the
/// case's other referrals.
fn push_referral_visible(builder: &mut SqlBuilder, principal: &Principal) {
    let user = builder.bind(Bind::Uuid(principal.user_id.0));
    builder.push(&format!(" AND (r.from_user_id = {user} OR r.to_user_id = {user} OR "));
    push_agency_addressed(builder, principal, "r", Action::ReceiveReferrals, false);
    builder.push(" OR ");
    scope::push_direct_scope(builder, principal, Action::Read);
    builder.push(")");
}

fn push_transfer_visible(builder: &mut SqlBuilder, principal: &Principal) {
    let user = builder.bind(Bind::Uuid(principal.user_id.0));
    builder.push(&format!(" AND (t.from_user_id = {user} OR t.to_user_id = {user} OR "));
    push_agency_addressed(builder, principal, "t", Action::Transfer, false);
    builder.push(" OR ");
    scope::push_direct_scope(builder, principal, Action::Read);
    builder.push(")");
}

/// Appends the condition that row `alias` is addressed to the caller's agency, when the caller's
/// role receives such rows: `ReceiveReferrals` for referrals, `Transfer` for transfers. With
/// `unassigned_only`, only rows that name no user count. Without it, a receiver also sees the
/// rows a colleague took, so an accept that lost a race returns the state instead of "not found".
fn push_agency_addressed(
    builder: &mut SqlBuilder,
    principal: &Principal,
    alias: &str,
    receives: Action,
    unassigned_only: bool,
) {
    if principal.can(receives) {
        let agency = builder.bind(Bind::Text(principal.agency_id.clone()));
        let unassigned =
            if unassigned_only { format!("{alias}.to_user_id IS NULL AND ") } else { String::new() };
        builder.push(&format!("({unassigned}{alias}.to_agency_id = {agency})"));
    } else {
        builder.push("(1 = 0)");
    }
}

/// Appends the status filter. An open referral is pending or accepted. An open transfer
/// (alias `t`) is pending, because an accepted one is finished.
fn push_status_filter(builder: &mut SqlBuilder, alias: &str, status: StatusFilter) {
    let open = if alias == "t" { "('pending')" } else { scope::OPEN_REFERRAL_STATUSES };
    match status {
        StatusFilter::Pending => builder.push(&format!(" AND {alias}.status = 'pending'")),
        StatusFilter::Open => builder.push(&format!(" AND {alias}.status IN {open}")),
        StatusFilter::Closed => builder.push(&format!(" AND {alias}.status NOT IN {open}")),
        StatusFilter::All => builder,
    };
}

/// Appends the box condition of a list. Incoming: addressed to the caller or, for receivers,
/// to the caller's agency. Outgoing: sent by the caller or on a case in the caller's `action` scope.
fn push_box(builder: &mut SqlBuilder, principal: &Principal, alias: &str, list: ListBox, action: Action) {
    let user = builder.bind(Bind::Uuid(principal.user_id.0));
    match list {
        ListBox::Incoming => {
            builder.push(&format!(" AND ({alias}.to_user_id = {user} OR "));
            let receives = if alias == "t" { Action::Transfer } else { Action::ReceiveReferrals };
            push_agency_addressed(builder, principal, alias, receives, true);
            builder.push(")");
        }
        ListBox::Outgoing => {
            builder.push(&format!(" AND ({alias}.from_user_id = {user} OR "));
            scope::push_direct_scope(builder, principal, action);
            builder.push(")");
        }
    }
}

/// Returns the stored kind of `kind`, which must be one of the notification kinds.
fn notification_kind(kind: &str) -> StoreResult<&'static str> {
    crate::notifications::NOTIFICATION_KINDS
        .iter()
        .copied()
        .find(|known| *known == kind)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown notification kind '{kind}'")))
}

macro_rules! referral_store {
    ($store:ident, $db:ty) => {
        impl $store {
            pub(crate) fn referral_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<Referral> {
                let Json(shared_forms): Json<Vec<String>> = row.try_get("shared_forms")?;
                let to_user_id: Option<Uuid> = row.try_get("to_user_id")?;
                let decided_by: Option<Uuid> = row.try_get("decided_by")?;
                Ok(Referral {
                    id: ReferralId(row.try_get("id")?),
                    case_id: CaseId(row.try_get("case_id")?),
                    display_id: row.try_get("display_id")?,
                    case_owner_id: UserId(row.try_get("case_owner_id")?),
                    from_user_id: UserId(row.try_get("from_user_id")?),
                    from_user_name: row.try_get("from_user_name")?,
                    from_agency_id: row.try_get("from_agency_id")?,
                    to_agency_id: row.try_get("to_agency_id")?,
                    to_user_id: to_user_id.map(UserId),
                    to_user_name: row.try_get("to_user_name")?,
                    service_type: row.try_get("service_type")?,
                    status: row.try_get("status")?,
                    version: row.try_get("version")?,
                    shared_forms,
                    consent_basis: row.try_get("consent_basis")?,
                    note: row.try_get("note")?,
                    reason: row.try_get("reason")?,
                    decided_by: decided_by.map(UserId),
                    decided_at: row.try_get("decided_at")?,
                    closed_at: row.try_get("closed_at")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                    in_refer_scope: row.try_get("in_scope")?,
                })
            }

            fn transfer_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<Transfer> {
                let to_user_id: Option<Uuid> = row.try_get("to_user_id")?;
                let decided_by: Option<Uuid> = row.try_get("decided_by")?;
                let previous_owner_id: Option<Uuid> = row.try_get("previous_owner_id")?;
                Ok(Transfer {
                    id: row.try_get("id")?,
                    case_id: CaseId(row.try_get("case_id")?),
                    display_id: row.try_get("display_id")?,
                    case_owner_id: UserId(row.try_get("case_owner_id")?),
                    kind: row.try_get("kind")?,
                    from_user_id: UserId(row.try_get("from_user_id")?),
                    from_user_name: row.try_get("from_user_name")?,
                    from_agency_id: row.try_get("from_agency_id")?,
                    to_agency_id: row.try_get("to_agency_id")?,
                    to_user_id: to_user_id.map(UserId),
                    to_user_name: row.try_get("to_user_name")?,
                    status: row.try_get("status")?,
                    version: row.try_get("version")?,
                    consent_basis: row.try_get("consent_basis")?,
                    note: row.try_get("note")?,
                    reason: row.try_get("reason")?,
                    decided_by: decided_by.map(UserId),
                    decided_at: row.try_get("decided_at")?,
                    previous_owner_id: previous_owner_id.map(UserId),
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                    in_transfer_scope: row.try_get("in_scope")?,
                })
            }

            /// Inserts an in-app notification inside `tx`, unless `user` is the actor of the step.
            async fn notify_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                user: UserId,
                kind: &str,
                case_id: CaseId,
                subject_id: Uuid,
                actor: UserId,
                now: OffsetDateTime,
            ) -> StoreResult<()> {
                let notification = crate::notifications::NewNotification {
                    kind: notification_kind(kind)?,
                    case_id: Some(case_id),
                    subject_id: Some(subject_id),
                    actor_id: Some(actor),
                    now,
                };
                Self::insert_notification_tx(tx, user, &notification).await
            }

            /// Writes an audit entry inside `tx`, so it commits with the transition it records.
            async fn audit_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                user: UserId,
                action: &str,
                case_id: CaseId,
                detail: Value,
                now: OffsetDateTime,
            ) -> StoreResult<()> {
                Self::query(
                    "INSERT INTO audit_log (id, at, user_id, action, case_id, outcome, detail) \
                     VALUES ($1, $2, $3, $4, $5, 'ok', $6)",
                )
                .bind(Uuid::now_v7())
                .bind(utc(now))
                .bind(user.0)
                .bind(action)
                .bind(case_id.0)
                .bind(Json(detail))
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn referral_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                principal: &Principal,
                id: ReferralId,
            ) -> StoreResult<Option<Referral>> {
                let mut builder = referral_query(principal);
                builder.push(" AND r.id = ").push_bind(Bind::Uuid(id.0));
                push_referral_visible(&mut builder, principal);
                let row = Self::query_built(builder).fetch_optional(&mut **tx).await?;
                row.as_ref().map(Self::referral_from_row).transpose()
            }

            async fn transfer_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                principal: &Principal,
                id: Uuid,
            ) -> StoreResult<Option<Transfer>> {
                let mut builder = transfer_query(principal);
                builder.push(" AND t.id = ").push_bind(Bind::Uuid(id));
                push_transfer_visible(&mut builder, principal);
                let row = Self::query_built(builder).fetch_optional(&mut **tx).await?;
                row.as_ref().map(Self::transfer_from_row).transpose()
            }

            /// Returns the owner and agency of the case when it exists and is in `principal`'s
            /// scope for `action`, not counting the access that open referrals give.
            async fn case_in_scope_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                principal: &Principal,
                case_id: CaseId,
                action: Action,
            ) -> StoreResult<Option<(UserId, String)>> {
                let mut builder = SqlBuilder::new("SELECT c.owner_id, c.owner_agency_id FROM cases c WHERE c.id = ");
                builder.push_bind(Bind::Uuid(case_id.0)).push(" AND ");
                scope::push_direct_scope(&mut builder, principal, action);
                let row = Self::query_built(builder).fetch_optional(&mut **tx).await?;
                row.map(|row| Ok((UserId(row.try_get("owner_id")?), row.try_get("owner_agency_id")?))).transpose()
            }

            /// Returns why a referral or transfer of `case_id` with `consent_basis` cannot be
            /// accepted now: the case is closed, or it was shared across agencies on consent
            /// (`given`) that the case no longer records. An `override` stays valid.
            async fn accept_refusal_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                case_id: CaseId,
                consent_basis: &str,
            ) -> StoreResult<Option<&'static str>> {
                let row = Self::query("SELECT c.status, c.data FROM cases c WHERE c.id = $1")
                    .bind(case_id.0)
                    .fetch_one(&mut **tx)
                    .await?;
                let status: String = row.try_get("status")?;
                if status == "closed" {
                    return Ok(Some("case_closed"));
                }
                let Json(data): Json<serde_json::Map<String, Value>> = row.try_get("data")?;
                if consent_basis == "given" && data.get("consent_for_sharing") != Some(&Value::Bool(true)) {
                    return Ok(Some("consent_withdrawn"));
                }
                Ok(None)
            }

            /// Reads the status and version a row of `table` has now, after a compare-and-set
            /// that changed nothing because another transaction moved it first.
            async fn state_now<T>(
                tx: &mut sqlx::Transaction<'static, $db>,
                table: &'static str,
                id: Uuid,
            ) -> StoreResult<Moved<T>> {
                let row = Self::query(&format!("SELECT status, version FROM {table} WHERE id = $1"))
                    .bind(id)
                    .fetch_one(&mut **tx)
                    .await?;
                Ok(Moved::StateChanged { status: row.try_get("status")?, version: row.try_get("version")? })
            }

            /// Ends, inside `tx`, the open (pending or accepted) referrals of `case_id` addressed to
            /// `owner`, who now owns the case and needs no referral to it. Each gets a new version
            /// and an audit entry, and its sender is notified unless the sender is `actor`.
            /// The caller takes the case's sync position afterwards.
            async fn end_referrals_to_owner_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                case_id: CaseId,
                owner: UserId,
                actor: UserId,
                transfer_id: Uuid,
                now: OffsetDateTime,
            ) -> StoreResult<Vec<Uuid>> {
                let rows = Self::query(
                    "SELECT id, status, version, from_user_id FROM referrals \
                     WHERE case_id = $1 AND to_user_id = $2 AND status IN ('pending', 'accepted') ORDER BY id",
                )
                .bind(case_id.0)
                .bind(owner.0)
                .fetch_all(&mut **tx)
                .await?;
                let mut ended = Vec::with_capacity(rows.len());
                for row in rows {
                    let id: Uuid = row.try_get("id")?;
                    let status: String = row.try_get("status")?;
                    let version: i64 = row.try_get("version")?;
                    let sender = UserId(row.try_get("from_user_id")?);
                    Self::query(
                        "UPDATE referrals SET status = 'ended', version = version + 1, updated_at = $1, \
                         decided_by = $2, decided_at = $1, closed_at = $1 WHERE id = $3",
                    )
                    .bind(utc(now))
                    .bind(actor.0)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                    if sender != actor {
                        Self::notify_tx(tx, sender, "referral_ended_by_transfer", case_id, id, actor, now).await?;
                    }
                    let detail = json!({"referral_id": id, "from_status": status, "to_status": "ended",
                        "from_version": version, "to_version": version + 1, "transfer_id": transfer_id});
                    Self::audit_tx(tx, actor, "referral.end", case_id, detail, now).await?;
                    ended.push(id);
                }
                Ok(ended)
            }

            /// Moves a case to a new owner inside `tx`: a new version with an `owner` change-log
            /// entry, no assignments, and its tasks on the new owner's list.
            async fn move_ownership_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                case_id: CaseId,
                actor: UserId,
                from: UserId,
                to: (UserId, &str),
                now: OffsetDateTime,
            ) -> StoreResult<i64> {
                let version: i64 = Self::query(
                    "UPDATE cases SET owner_id = $1, owner_agency_id = $2, version = version + 1, updated_at = $3 \
                     WHERE id = $4 RETURNING version",
                )
                .bind(to.0.0)
                .bind(to.1)
                .bind(utc(now))
                .bind(case_id.0)
                .fetch_one(&mut **tx)
                .await?
                .try_get("version")?;
                let change = sathi_domain::validation::AppliedChange {
                    path: "owner".to_owned(),
                    old_value: Value::String(from.to_string()),
                    new_value: Value::String(to.0.to_string()),
                };
                Self::write_changes(tx, case_id, version, &[change], actor, now, crate::ChangeLink::default()).await?;
                Self::query("DELETE FROM case_assignments WHERE case_id = $1").bind(case_id.0).execute(&mut **tx).await?;
                Self::query("UPDATE case_tasks SET owner_id = $1 WHERE case_id = $2")
                    .bind(to.0.0)
                    .bind(case_id.0)
                    .execute(&mut **tx)
                    .await?;
                Ok(version)
            }
        }

        #[async_trait]
        impl ReferralStore for $store {
            async fn open_referral(&self, principal: &Principal, new: &NewCaseReferral) -> StoreResult<Opened<Referral>> {
                let mut tx = self.begin_write().await?;
                if let Some(existing) = Self::referral_tx(&mut tx, principal, new.id).await? {
                    return Ok(if existing.case_id == new.case_id { Opened::Existing(existing) } else { Opened::NotFound });
                }
                if Self::case_in_scope_tx(&mut tx, principal, new.case_id, Action::Refer).await?.is_none() {
                    return Ok(Opened::NotFound);
                }
                let pending = Self::query(
                    "SELECT id FROM referrals WHERE case_id = $1 AND to_agency_id = $2 AND service_type = $3 \
                     AND status = 'pending'",
                )
                .bind(new.case_id.0)
                .bind(&new.to_agency_id)
                .bind(&new.service_type)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(row) = pending {
                    return Ok(Opened::Pending(row.try_get("id")?));
                }
                let now = utc(new.now);
                let inserted = Self::query(
                    "INSERT INTO referrals (id, case_id, from_user_id, from_agency_id, to_user_id, to_agency_id, \
                     service_type, status, version, shared_forms, consent_basis, consent_override, note, created_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 1, $8, $9, $10, $11, $12, $12)",
                )
                .bind(new.id.0)
                .bind(new.case_id.0)
                .bind(principal.user_id.0)
                .bind(&principal.agency_id)
                .bind(new.to_user_id.map(|user| user.0))
                .bind(&new.to_agency_id)
                .bind(&new.service_type)
                .bind(Json(&new.shared_forms))
                .bind(&new.consent_basis)
                .bind(&new.consent_override)
                .bind(&new.note)
                .bind(now)
                .execute(&mut *tx)
                .await;
                match inserted {
                    Ok(_) => {}
                    // A referral made at the same moment got the pending slot or the id.
                    Err(error) if is_unique_violation(&error) => {
                        drop(tx);
                        return Err(StoreError::Duplicate("pending referral"));
                    }
                    Err(error) => return Err(error.into()),
                }
                for user in &new.notify {
                    Self::notify_tx(&mut tx, *user, "referral_received", new.case_id, new.id.0, principal.user_id, now).await?;
                }
                let detail = json!({"referral_id": new.id, "to_agency_id": new.to_agency_id, "to_user_id": new.to_user_id,
                    "service_type": new.service_type, "consent_basis": new.consent_basis, "version": 1});
                Self::audit_tx(&mut tx, principal.user_id, "referral.create", new.case_id, detail, now).await?;
                if new.consent_basis == "override" {
                    // Ids only: the reason is kept on the referral, never in the log.
                    let detail = json!({"referral_id": new.id});
                    Self::audit_tx(&mut tx, principal.user_id, "referral.consent_override", new.case_id, detail, now).await?;
                }
                Self::take_sync_seq(&mut tx, new.case_id).await?;
                let Some(created) = Self::referral_tx(&mut tx, principal, new.id).await? else {
                    return Err(StoreError::Corrupt("a referral just stored cannot be read".to_owned()));
                };
                tx.commit().await?;
                Ok(Opened::Created(created))
            }

            async fn referral(&self, principal: &Principal, id: ReferralId) -> StoreResult<Option<Referral>> {
                let mut builder = referral_query(principal);
                builder.push(" AND r.id = ").push_bind(Bind::Uuid(id.0));
                push_referral_visible(&mut builder, principal);
                let row = Self::query_built(builder).fetch_optional(&self.pool).await?;
                row.as_ref().map(Self::referral_from_row).transpose()
            }

            async fn referrals(&self, principal: &Principal, list: ListBox, status: StatusFilter) -> StoreResult<Vec<Referral>> {
                let mut builder = referral_query(principal);
                push_box(&mut builder, principal, "r", list, Action::Refer);
                push_status_filter(&mut builder, "r", status);
                builder.push(" ORDER BY r.updated_at DESC, r.id DESC LIMIT 500");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(Self::referral_from_row).collect()
            }

            async fn case_referrals(&self, principal: &Principal, case_id: CaseId) -> StoreResult<Option<Vec<Referral>>> {
                if self.case_for(principal, case_id, Action::Read).await?.is_none() {
                    return Ok(None);
                }
                let mut builder = referral_query(principal);
                builder.push(" AND r.case_id = ").push_bind(Bind::Uuid(case_id.0));
                builder.push(" ORDER BY r.created_at DESC, r.id DESC");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(Self::referral_from_row).collect::<StoreResult<Vec<_>>>().map(Some)
            }

            async fn move_referral(
                &self,
                principal: &Principal,
                id: ReferralId,
                transition: &Transition<ReferralStep>,
            ) -> StoreResult<Moved<Referral>> {
                let step = transition.step;
                let (from, to) = step.statuses();
                let now = utc(transition.now);
                let mut tx = self.begin_write().await?;
                let Some(current) = Self::referral_tx(&mut tx, principal, id).await? else {
                    return Ok(Moved::NotFound);
                };
                if current.status != from || current.version != transition.expected_version {
                    return Ok(Moved::StateChanged { status: current.status, version: current.version });
                }
                if !step.permitted(&current, principal) {
                    return Ok(Moved::Forbidden);
                }
                if step == ReferralStep::Accept
                    && let Some(code) = Self::accept_refusal_tx(&mut tx, current.case_id, &current.consent_basis).await?
                {
                    return Ok(Moved::Refused(code));
                }
                // The sender's note stays. A rejection or end reason and the note of a done
                // referral go to `reason`.
                let reason = transition.text.clone();
                let closed_at = (to != "accepted").then_some(now);
                // Compare-and-set: only the version and status the caller saw may change.
                let updated = Self::query(
                    "UPDATE referrals SET status = $1, version = version + 1, updated_at = $2, decided_by = $3, \
                     decided_at = $2, closed_at = $4, reason = COALESCE($5, reason), \
                     to_user_id = CASE WHEN $6 THEN COALESCE(to_user_id, $3) ELSE to_user_id END \
                     WHERE id = $7 AND version = $8 AND status = $9",
                )
                .bind(to)
                .bind(now)
                .bind(principal.user_id.0)
                .bind(closed_at)
                .bind(reason)
                .bind(step == ReferralStep::Accept)
                .bind(id.0)
                .bind(transition.expected_version)
                .bind(from)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() != 1 {
                    return Self::state_now(&mut tx, "referrals", id.0).await;
                }
                let version = transition.expected_version + 1;
                let tell = match step {
                    ReferralStep::Accept | ReferralStep::Reject | ReferralStep::Done => Some(current.from_user_id),
                    ReferralStep::Revoke | ReferralStep::End => current.to_user_id,
                };
                if let Some(user) = tell.filter(|user| *user != principal.user_id) {
                    Self::notify_tx(&mut tx, user, step.notification(), current.case_id, id.0, principal.user_id, now).await?;
                }
                let detail = json!({"referral_id": id, "from_status": from, "to_status": to,
                    "from_version": transition.expected_version, "to_version": version});
                Self::audit_tx(&mut tx, principal.user_id, &format!("referral.{}", step.as_str()), current.case_id, detail, now)
                    .await?;
                Self::take_sync_seq(&mut tx, current.case_id).await?;
                let Some(moved) = Self::referral_tx(&mut tx, principal, id).await? else {
                    return Err(StoreError::Corrupt("a referral just moved cannot be read".to_owned()));
                };
                tx.commit().await?;
                Ok(Moved::Moved(moved))
            }

            async fn referral_form_limits(
                &self,
                principal: &Principal,
                case_ids: &[CaseId],
            ) -> StoreResult<Vec<(CaseId, Vec<String>)>> {
                if case_ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut builder =
                    SqlBuilder::new("SELECT r.case_id, r.shared_forms FROM referrals r CROSS JOIN cases c WHERE c.id = r.case_id AND ");
                let user = builder.bind(Bind::Uuid(principal.user_id.0));
                scope::push_referral_recipient(&mut builder, principal, &user);
                builder.push(" AND r.case_id IN (");
                let ids: Vec<String> = case_ids.iter().map(|id| builder.bind(Bind::Uuid(id.0))).collect();
                builder.push(&ids.join(", ")).push(") AND NOT ");
                scope::push_direct_scope(&mut builder, principal, Action::Read);
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                let mut limits: Vec<(CaseId, Vec<String>)> = Vec::new();
                for row in &rows {
                    let case_id = CaseId(row.try_get("case_id")?);
                    let Json(forms): Json<Vec<String>> = row.try_get("shared_forms")?;
                    match limits.iter_mut().find(|(id, _)| *id == case_id) {
                        Some((_, shared)) => {
                            for form in forms {
                                if !shared.contains(&form) {
                                    shared.push(form);
                                }
                            }
                        }
                        None => limits.push((case_id, forms)),
                    }
                }
                Ok(limits)
            }

            async fn open_transfer(&self, principal: &Principal, new: &NewTransfer) -> StoreResult<Opened<Transfer>> {
                let mut tx = self.begin_write().await?;
                if let Some(existing) = Self::transfer_tx(&mut tx, principal, new.id).await? {
                    return Ok(if existing.case_id == new.case_id { Opened::Existing(existing) } else { Opened::NotFound });
                }
                let request = new.kind == "request";
                let action = if request { Action::Read } else { Action::Transfer };
                let Some((owner, owner_agency)) = Self::case_in_scope_tx(&mut tx, principal, new.case_id, action).await? else {
                    return Ok(Opened::NotFound);
                };
                // The owner cannot request a case they already own.
                if request && owner == principal.user_id {
                    return Ok(Opened::NotFound);
                }
                let pending = Self::query("SELECT id FROM transfers WHERE case_id = $1 AND status = 'pending'")
                    .bind(new.case_id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(row) = pending {
                    return Ok(Opened::Pending(row.try_get("id")?));
                }
                let (to_user, to_agency) =
                    if request { (Some(owner), owner_agency) } else { (new.to_user_id, new.to_agency_id.clone()) };
                let now = utc(new.now);
                let inserted = Self::query(
                    "INSERT INTO transfers (id, case_id, kind, from_user_id, from_agency_id, to_user_id, to_agency_id, \
                     status, version, consent_basis, consent_override, note, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 1, $8, $9, $10, $11, $11)",
                )
                .bind(new.id)
                .bind(new.case_id.0)
                .bind(&new.kind)
                .bind(principal.user_id.0)
                .bind(&principal.agency_id)
                .bind(to_user.map(|user| user.0))
                .bind(&to_agency)
                .bind(&new.consent_basis)
                .bind(&new.consent_override)
                .bind(&new.note)
                .bind(now)
                .execute(&mut *tx)
                .await;
                match inserted {
                    Ok(_) => {}
                    Err(error) if is_unique_violation(&error) => {
                        drop(tx);
                        return Err(StoreError::Duplicate("pending transfer"));
                    }
                    Err(error) => return Err(error.into()),
                }
                let (kind, notify) = if request {
                    ("transfer_request_received", vec![owner])
                } else {
                    ("transfer_received", new.notify.clone())
                };
                for user in notify {
                    Self::notify_tx(&mut tx, user, kind, new.case_id, new.id, principal.user_id, now).await?;
                }
                let detail = json!({"transfer_id": new.id, "kind": new.kind, "to_agency_id": to_agency,
                    "to_user_id": to_user, "consent_basis": new.consent_basis, "version": 1});
                let action = if request { "transfer.request" } else { "transfer.create" };
                Self::audit_tx(&mut tx, principal.user_id, action, new.case_id, detail, now).await?;
                if new.consent_basis == "override" {
                    let detail = json!({"transfer_id": new.id});
                    Self::audit_tx(&mut tx, principal.user_id, "transfer.consent_override", new.case_id, detail, now).await?;
                }
                Self::take_sync_seq(&mut tx, new.case_id).await?;
                let Some(created) = Self::transfer_tx(&mut tx, principal, new.id).await? else {
                    return Err(StoreError::Corrupt("a transfer just stored cannot be read".to_owned()));
                };
                tx.commit().await?;
                Ok(Opened::Created(created))
            }

            async fn transfer(&self, principal: &Principal, id: Uuid) -> StoreResult<Option<Transfer>> {
                let mut builder = transfer_query(principal);
                builder.push(" AND t.id = ").push_bind(Bind::Uuid(id));
                push_transfer_visible(&mut builder, principal);
                let row = Self::query_built(builder).fetch_optional(&self.pool).await?;
                row.as_ref().map(Self::transfer_from_row).transpose()
            }

            async fn transfers(&self, principal: &Principal, list: ListBox, status: StatusFilter) -> StoreResult<Vec<Transfer>> {
                let mut builder = transfer_query(principal);
                push_box(&mut builder, principal, "t", list, Action::Transfer);
                push_status_filter(&mut builder, "t", status);
                builder.push(" ORDER BY t.updated_at DESC, t.id DESC LIMIT 500");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(Self::transfer_from_row).collect()
            }

            async fn case_transfers(&self, principal: &Principal, case_id: CaseId) -> StoreResult<Option<Vec<Transfer>>> {
                if self.case_for(principal, case_id, Action::Read).await?.is_none() {
                    return Ok(None);
                }
                let mut builder = transfer_query(principal);
                builder.push(" AND t.case_id = ").push_bind(Bind::Uuid(case_id.0));
                builder.push(" ORDER BY t.created_at DESC, t.id DESC");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(Self::transfer_from_row).collect::<StoreResult<Vec<_>>>().map(Some)
            }

            async fn move_transfer(
                &self,
                principal: &Principal,
                id: Uuid,
                transition: &Transition<TransferStep>,
            ) -> StoreResult<Moved<Transfer>> {
                let step = transition.step;
                let to = step.status();
                let now = utc(transition.now);
                let mut tx = self.begin_write().await?;
                let Some(current) = Self::transfer_tx(&mut tx, principal, id).await? else {
                    return Ok(Moved::NotFound);
                };
                if current.status != "pending" || current.version != transition.expected_version {
                    return Ok(Moved::StateChanged { status: current.status, version: current.version });
                }
                if !step.permitted(&current, principal) {
                    return Ok(Moved::Forbidden);
                }
                let accept = step == TransferStep::Accept;
                let request = current.kind == "request";
                if accept {
                    // The server decided the consent of a request across agencies just now.
                    let basis = match &transition.consent {
                        Some(consent) => consent.basis.as_str(),
                        None if request => "internal",
                        None => current.consent_basis.as_str(),
                    };
                    if let Some(code) = Self::accept_refusal_tx(&mut tx, current.case_id, basis).await? {
                        return Ok(Moved::Refused(code));
                    }
                }
                let previous_owner = accept.then_some(current.case_owner_id);
                let updated = Self::query(
                    "UPDATE transfers SET status = $1, version = version + 1, updated_at = $2, decided_by = $3, \
                     decided_at = $2, reason = COALESCE($4, reason), previous_owner_id = $5, \
                     previous_owner_agency_id = (SELECT c.owner_agency_id FROM cases c WHERE c.id = $6 AND $7), \
                     to_user_id = CASE WHEN $8 THEN COALESCE(to_user_id, $3) ELSE to_user_id END, \
                     consent_basis = COALESCE($11, consent_basis), \
                     consent_override = CASE WHEN $11 IS NULL THEN consent_override ELSE $12 END \
                     WHERE id = $9 AND version = $10 AND status = 'pending'",
                )
                .bind(to)
                .bind(now)
                .bind(principal.user_id.0)
                .bind(transition.text.clone())
                .bind(previous_owner.map(|user| user.0))
                .bind(current.case_id.0)
                .bind(accept)
                .bind(accept && !request)
                .bind(id)
                .bind(transition.expected_version)
                .bind(transition.consent.as_ref().map(|consent| consent.basis.clone()))
                .bind(transition.consent.as_ref().and_then(|consent| consent.override_reason.clone()))
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() != 1 {
                    return Self::state_now(&mut tx, "transfers", id).await;
                }
                let version = transition.expected_version + 1;
                let mut detail = json!({"transfer_id": id, "kind": current.kind, "from_status": "pending", "to_status": to,
                    "from_version": transition.expected_version, "to_version": version});
                if accept {
                    // A request hands the case to its requester, and a transfer to the user who accepts it.
                    let new_owner = if request {
                        (current.from_user_id, current.from_agency_id.clone())
                    } else {
                        (principal.user_id, principal.agency_id.clone())
                    };
                    let case_version = Self::move_ownership_tx(
                        &mut tx,
                        current.case_id,
                        principal.user_id,
                        current.case_owner_id,
                        (new_owner.0, &new_owner.1),
                        now,
                    )
                    .await?;
                    detail["previous_owner_id"] = json!(current.case_owner_id);
                    detail["owner_id"] = json!(new_owner.0);
                    detail["owner_agency_id"] = json!(new_owner.1);
                    detail["case_version"] = json!(case_version);
                    let ended =
                        Self::end_referrals_to_owner_tx(&mut tx, current.case_id, new_owner.0, principal.user_id, id, now)
                            .await?;
                    if !ended.is_empty() {
                        detail["ended_referral_ids"] = json!(ended);
                    }
                }
                let tell = match step {
                    TransferStep::Accept | TransferStep::Reject => Some(current.from_user_id),
                    TransferStep::Revoke => current.to_user_id,
                };
                if let Some(user) = tell.filter(|user| *user != principal.user_id) {
                    let kind = format!("transfer_{to}");
                    Self::notify_tx(&mut tx, user, &kind, current.case_id, id, principal.user_id, now).await?;
                }
                if let Some(consent) = &transition.consent {
                    detail["consent_basis"] = json!(consent.basis);
                }
                Self::audit_tx(&mut tx, principal.user_id, &format!("transfer.{}", step.as_str()), current.case_id, detail, now)
                    .await?;
                if transition.consent.as_ref().is_some_and(|consent| consent.basis == "override") {
                    let detail = json!({"transfer_id": id});
                    Self::audit_tx(&mut tx, principal.user_id, "transfer.consent_override", current.case_id, detail, now)
                        .await?;
                }
                Self::take_sync_seq(&mut tx, current.case_id).await?;
                let Some(moved) = Self::transfer_tx(&mut tx, principal, id).await? else {
                    // The decider no longer reads the case of an accepted request, so build the row
                    // from the one read before the update.
                    tx.commit().await?;
                    let mut moved = current;
                    moved.status = to.to_owned();
                    moved.version = version;
                    moved.decided_by = Some(principal.user_id);
                    moved.decided_at = Some(now);
                    moved.updated_at = now;
                    moved.previous_owner_id = previous_owner;
                    return Ok(Moved::Moved(moved));
                };
                tx.commit().await?;
                Ok(Moved::Moved(moved))
            }

            async fn insert_referral_row(
                &self,
                referral: &crate::NewReferral,
                from_agency_id: &str,
                consent_basis: &str,
            ) -> StoreResult<()> {
                let (version, decided) = match referral.status.as_str() {
                    "pending" => (1, false),
                    "accepted" | "rejected" | "revoked" => (2, true),
                    _ => (3, true),
                };
                let closed = !matches!(referral.status.as_str(), "pending" | "accepted");
                let now = utc(referral.now);
                Self::query(
                    "INSERT INTO referrals (id, case_id, from_user_id, from_agency_id, to_user_id, to_agency_id, \
                     service_type, status, version, shared_forms, consent_basis, decided_by, decided_at, closed_at, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
                )
                .bind(referral.id.0)
                .bind(referral.case_id.0)
                .bind(referral.from_user_id.0)
                .bind(from_agency_id)
                .bind(referral.to_user_id.0)
                .bind(&referral.to_agency_id)
                .bind(&referral.service_type)
                .bind(&referral.status)
                .bind(version)
                .bind(Json(&referral.shared_forms))
                .bind(consent_basis)
                .bind(decided.then_some(referral.to_user_id.0))
                .bind(decided.then_some(now))
                .bind(closed.then_some(now))
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn not_owner_since(&self, user: UserId, case_id: CaseId) -> StoreResult<Option<OffsetDateTime>> {
                let row = Self::query(
                    "SELECT t.decided_at FROM transfers t CROSS JOIN cases c WHERE c.id = t.case_id AND t.case_id = $1 \
                     AND t.previous_owner_id = $2 AND t.status = 'accepted' AND c.owner_id <> $2 \
                     ORDER BY t.decided_at DESC LIMIT 1",
                )
                .bind(case_id.0)
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let decided_at: Option<OffsetDateTime> = row.try_get("decided_at")?;
                Ok(decided_at)
            }
        }
    };
}

referral_store!(SqliteStore, sqlx::Sqlite);
referral_store!(PostgresStore, sqlx::Postgres);
