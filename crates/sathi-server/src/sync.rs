//! The sync exchange of the offline client (`docs/sync.md`). `POST /sync` applies a device's
//! mutations in the device's order and returns the cases changed since the device's cursor.
//! `POST /sync/records` fetches cases by id.
//!
//! Each mutation is decided with `sathi_domain::merge`, validated with the same `Validator` as
//! `PATCH /cases/{id}`, and written with its stored result in one store transaction
//! ([`sathi_store::SyncStore::commit_mutation`]). The conflict and quarantine handlers live in
//! `conflicts.rs`; they apply mutations through [`evaluate`] too.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sathi_domain::ids::CaseId;
use sathi_domain::merge::{self, Base, Decision, LoggedChange, Origin};
use sathi_domain::permissions::{Action, FormAccess};
use sathi_domain::principal::Principal;
use sathi_domain::validation::{Change, FieldError, Validator};
use sathi_store::{
    AuditEntry, CaseConflict, CaseRecord, CaseUpdate, CaseWrite, ChangeEntry, ChangeLink, ConflictCandidate,
    ConflictWrite, MutationCommit, MutationRecord, NewCase, ParkedMutation, QuarantinedMutation, StoreError,
    SyncDevice, User,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Caller, Session, end_disabled_session};
use crate::cases::{CaseView, ChangeRequest, ConflictView, new_display_id, render_cases};
use crate::error::{ApiError, ApiJson, ApiResult, ErrorBody, ErrorDetail};
use crate::state::AppState;

/// Mutations one request may carry.
const MAX_MUTATIONS: usize = 200;
/// Ids one `POST /sync/records` may ask for.
const MAX_RECORD_IDS: usize = 200;
/// How far ahead of its device's last applied `seq` a mutation may be parked. A device sends its
/// outbox oldest first, at most [`MAX_MUTATIONS`] at a time, so an honest gap is far smaller.
const MAX_SEQ_AHEAD: i64 = 1_000;
/// Parked mutations one user's devices may have waiting at once: two full requests' worth.
const MAX_PARKED_PER_USER: i64 = 400;
/// The largest mutation, as JSON, that may be parked. Parked mutations are not validated until
/// they apply, so this limit bounds what one user can store that way. A whole new case with its
/// subforms is far smaller.
const MAX_PARKED_BYTES: usize = 256 * 1024;
/// How often a mutation is decided again after another write to its case got in first. Each
/// retry means another write committed, so retrying cannot livelock.
const COMMIT_ATTEMPTS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MutationKind {
    Create,
    Update,
    Void,
}

impl MutationKind {
    fn as_str(self) -> &'static str {
        match self {
            MutationKind::Create => "create",
            MutationKind::Update => "update",
            MutationKind::Void => "void",
        }
    }
}

/// One change a device made offline, numbered by the device.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Mutation {
    #[schema(value_type = String, format = Uuid)]
    pub mutation_id: Uuid,
    /// The device's own sequence number: 1, 2, 3... with no gaps.
    pub seq: i64,
    #[schema(value_type = String, format = Uuid)]
    pub record_id: CaseId,
    pub kind: MutationKind,
    /// The case version the change was made on (`update`).
    #[serde(default)]
    pub base_version: Option<i64>,
    /// Field paths and values (`update`).
    #[serde(default)]
    pub changes: Vec<ChangeRequest>,
    /// Field values of a new case (`create`).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub data: Option<Map<String, Value>>,
    /// The device's clock, kept as reported and never compared.
    #[serde(default)]
    pub device_time: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct SyncRequest {
    #[schema(value_type = String, format = Uuid)]
    pub device_id: Uuid,
    /// The cursor of the last response, or `null` on a first sync.
    pub cursor: Option<String>,
    /// The configuration version the device holds.
    pub config_version: Option<i64>,
    /// SHA-256 (lowercase hex) of the sorted ids of the cases the device holds, each followed by `\n`.
    pub scope_digest: Option<String>,
    /// Cases per response, 1 to 500; 100 by default.
    pub limit: Option<i64>,
    /// Oldest first, at most 200.
    #[serde(default)]
    pub mutations: Vec<Mutation>,
}

/// The outcome of one mutation. A replayed mutation gets this same object again.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MutationResult {
    #[schema(value_type = String, format = Uuid)]
    pub mutation_id: Uuid,
    pub seq: i64,
    /// `applied`, `conflict`, `rejected` or `deferred`.
    pub status: String,
    #[schema(value_type = String, format = Uuid)]
    pub record_id: CaseId,
    /// The case's version after the mutation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Ids of the conflicts that keep this mutation's values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub conflicts: Vec<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ErrorDetail>)]
    pub error: Option<Value>,
}

#[derive(Serialize, ToSchema)]
pub struct ScopeList {
    pub digest: String,
    #[schema(value_type = Vec<String>)]
    pub ids: Vec<CaseId>,
}

#[derive(Serialize, ToSchema)]
pub struct ConfigurationUpdate {
    pub version: i64,
    #[schema(value_type = Object)]
    pub configuration: Value,
}

#[derive(Serialize, ToSchema)]
pub struct SyncResponse {
    /// One per mutation, in request order.
    #[schema(value_type = Vec<MutationResult>)]
    pub results: Vec<Value>,
    /// Cases changed since the cursor that the user may see now, in global order.
    pub records: Vec<CaseView>,
    pub cursor: String,
    /// Ask again at once with the new cursor.
    pub more: bool,
    /// Cases the user may see that changed after the new cursor.
    pub remaining: i64,
    /// Every case id the user may see, when `more` is false and the device's digest differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<ScopeList>,
    /// The configuration, when the device has another version.
    pub configuration: Option<ConfigurationUpdate>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub server_time: OffsetDateTime,
}

#[derive(Deserialize, ToSchema)]
pub struct RecordsRequest {
    #[schema(value_type = Vec<String>)]
    pub ids: Vec<CaseId>,
}

#[derive(Serialize, ToSchema)]
pub struct RecordsResponse {
    pub records: Vec<CaseView>,
}

/// Send the device's outbox and fetch the cases changed since its cursor.
#[utoipa::path(post, path = "/sync", tag = "sync", request_body = SyncRequest,
    responses((status = 200, body = SyncResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody, description = "`account_disabled`: the mutations were kept aside")))]
pub async fn sync(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<SyncRequest>,
) -> ApiResult<Json<SyncResponse>> {
    if request.mutations.len() > MAX_MUTATIONS {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "too_many_mutations").with("max", MAX_MUTATIONS));
    }
    let caller = match session {
        Session::Active(caller) => caller,
        Session::Disabled { user, token_hash } => {
            return Err(quarantine_request(&state, &user, &token_hash, &request).await?);
        }
    };
    let limit = request.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_limit").with("max", 500));
    }

    let now = OffsetDateTime::now_utc();
    let device = state.store.sync_device(request.device_id, caller.user.id, now).await?;
    let mut results = Vec::with_capacity(request.mutations.len());
    for mutation in &request.mutations {
        let result = receive(&state, &caller, &device, mutation).await?;
        results.push(result);
    }

    let download = download(&state, &caller, &request, limit).await?;
    Ok(Json(SyncResponse { results, server_time: OffsetDateTime::now_utc(), ..download }))
}

/// Fetch cases by id; those missing or outside the caller's scope are left out.
#[utoipa::path(post, path = "/sync/records", tag = "sync", request_body = RecordsRequest,
    responses((status = 200, body = RecordsResponse), (status = 400, body = ErrorBody)))]
pub async fn records(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<RecordsRequest>,
) -> ApiResult<Json<RecordsResponse>> {
    if request.ids.len() > MAX_RECORD_IDS {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "too_many_ids").with("max", MAX_RECORD_IDS));
    }
    let cases = state.store.cases_by_ids(&caller.principal, &request.ids).await?;
    let records = render_cases(&state, &caller.principal, cases).await?;
    audit(&state, caller.user.id, "case.download", None, "ok", serde_json::json!({"count": records.len()}))
        .await?;
    Ok(Json(RecordsResponse { records }))
}

/// Handles one mutation as it arrives. A replay gets its stored result, a mutation ahead of its
/// device's order is parked, and any other is applied. Then the parked mutations that now follow
/// are applied too.
async fn receive(
    state: &AppState,
    caller: &Caller,
    device: &SyncDevice,
    mutation: &Mutation,
) -> ApiResult<Value> {
    let actor = Actor { principal: &caller.principal, user: &caller.user };
    if let Some(stored) = state.store.stored_mutation(mutation.mutation_id).await? {
        if stored.device_id == device.device_id && stored.user_id == caller.user.id {
            return Ok(stored.result);
        }
        return Ok(rejection(state, &actor, mutation, "device_mismatch", Vec::new()));
    }
    if device.user_id != caller.user.id {
        tracing::warn!(user_id = %caller.user.id, device_id = %device.device_id, "a device of another user sent a mutation");
        return Ok(rejection(state, &actor, mutation, "device_mismatch", Vec::new()));
    }
    let result = apply_in_order(state, &actor, device.device_id, mutation).await?;
    drain_parked(state, &actor, device.device_id).await?;
    Ok(result)
}

/// Applies the mutation if it is its device's next one, parks it if it is ahead, and rejects a
/// `seq` already used by another mutation.
async fn apply_in_order(
    state: &AppState,
    actor: &Actor<'_>,
    device_id: Uuid,
    mutation: &Mutation,
) -> ApiResult<Value> {
    let mut case_id_taken = false;
    for _ in 0..COMMIT_ATTEMPTS {
        let device = state.store.sync_device(device_id, actor.user.id, OffsetDateTime::now_utc()).await?;
        if mutation.seq <= device.last_seq {
            if let Some(stored) = state.store.stored_mutation(mutation.mutation_id).await? {
                return Ok(stored.result);
            }
            return Ok(rejection(state, actor, mutation, "sequence_used", Vec::new()));
        }
        if mutation.seq > device.last_seq + 1 {
            return park(state, actor, device_id, device.last_seq, mutation).await;
        }

        // A create whose id is taken by a case outside the user's scope is rejected like any
        // unavailable case.
        let (mut commit, result) = if case_id_taken {
            rejected(state, actor, mutation, "record_unavailable", Vec::new())
        } else if state.store.was_quarantined(mutation.mutation_id).await? {
            // Sent again after the account was enabled: a supervisor decides on the copy kept
            // aside, so applying this one could apply the same change twice.
            rejected(state, actor, mutation, "kept_aside", Vec::new())
        } else {
            evaluate(state, actor, device_id, mutation).await?
        };
        let result_value = to_value(&result);
        // A former owner's edit is not applied, but kept for a supervisor to review.
        let kept_aside = (error_code(&result) == Some("not_owner_since"))
            .then(|| kept_copy(actor, device_id, mutation, "not_owner_since"))
            .transpose()?;
        commit.quarantine = kept_aside.clone();
        commit.record = Some(MutationRecord {
            mutation_id: mutation.mutation_id,
            device_id,
            user_id: actor.user.id,
            seq: mutation.seq,
            case_id: Some(mutation.record_id),
            kind: mutation.kind.as_str().to_owned(),
            status: result.status.clone(),
            result: result_value.clone(),
            device_time: mutation.device_time.clone(),
            received_at: OffsetDateTime::now_utc(),
        });
        match state.store.commit_mutation(actor.principal, &commit).await {
            Ok(Some(_)) => {}
            // A case left the write scope between the read and the write: decide again.
            Ok(None) if commit.write.is_some() => continue,
            Ok(None) => {}
            Err(StoreError::Duplicate("case id")) => {
                case_id_taken = true;
                continue;
            }
            // The mutation was recorded meanwhile, at this `seq` by a parallel request or at
            // another one (a client that sent one mutation id at two seqs).
            Err(StoreError::Duplicate("mutation id")) => {
                return match state.store.stored_mutation(mutation.mutation_id).await? {
                    Some(stored) if stored.seq == mutation.seq => Ok(stored.result),
                    _ => Ok(rejection(state, actor, mutation, "sequence_used", Vec::new())),
                };
            }
            Err(StoreError::VersionConflict | StoreError::OutOfOrder | StoreError::Duplicate(_)) => continue,
            Err(error) => return Err(error.into()),
        }
        audit_mutation(state, actor, device_id, mutation, &result).await?;
        if let Some(kept) = kept_aside {
            let detail = serde_json::json!({"device_id": device_id, "quarantine_id": kept.id,
                "mutation_id": mutation.mutation_id, "reason": kept.reason});
            audit(state, actor.user.id, "sync.quarantine", Some(mutation.record_id), "held", detail).await?;
            tracing::info!(user_id = %actor.user.id, case_id = %mutation.record_id, quarantine_id = %kept.id,
                "kept a former owner's mutation aside");
        }
        return Ok(result_value);
    }
    Err(ApiError::new(StatusCode::CONFLICT, "version_conflict"))
}

/// Returns the error code of a rejected result.
fn error_code(result: &MutationResult) -> Option<&str> {
    result.error.as_ref().and_then(|error| error["code"].as_str())
}

/// Builds the copy of a mutation that the quarantine keeps for a supervisor.
fn kept_copy(
    actor: &Actor<'_>,
    device_id: Uuid,
    mutation: &Mutation,
    reason: &str,
) -> ApiResult<QuarantinedMutation> {
    Ok(QuarantinedMutation {
        id: Uuid::now_v7(),
        user_id: actor.user.id,
        device_id,
        mutation_id: mutation.mutation_id,
        seq: mutation.seq,
        case_id: Some(mutation.record_id),
        mutation: serde_json::to_value(mutation).map_err(ApiError::internal)?,
        status: "held".to_owned(),
        reason: reason.to_owned(),
        received_at: OffsetDateTime::now_utc(),
        reviewed_by: None,
        reviewed_at: None,
        note: None,
        result: None,
        username: None,
        full_name: None,
    })
}

/// Parks a mutation that is ahead of its device's order (`deferred`). Nothing is kept, and the
/// rejection is not stored, for a mutation more than [`MAX_SEQ_AHEAD`] ahead, for a `seq` another
/// mutation is already parked at, and when the user's devices already have
/// [`MAX_PARKED_PER_USER`] parked.
async fn park(
    state: &AppState,
    actor: &Actor<'_>,
    device_id: Uuid,
    last_seq: i64,
    mutation: &Mutation,
) -> ApiResult<Value> {
    let deferred = to_value(&result_of(mutation, "deferred", None, Vec::new(), None));
    if mutation.seq - last_seq > MAX_SEQ_AHEAD {
        tracing::warn!(user_id = %actor.user.id, device_id = %device_id, seq = mutation.seq, last_seq, "rejected a mutation too far ahead of its device");
        let error = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "sequence_out_of_range")
            .with("max", MAX_SEQ_AHEAD);
        return Ok(rejection_for(state, actor, mutation, error));
    }
    if let Some(parked) = state.store.parked_mutation(device_id, mutation.seq).await? {
        return Ok(parked_again(state, actor, mutation, &parked, deferred));
    }
    if state.store.parked_count(actor.user.id).await? >= MAX_PARKED_PER_USER {
        tracing::warn!(user_id = %actor.user.id, device_id = %device_id, "rejected a mutation: too many parked");
        let error = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "too_many_deferred")
            .with("max", MAX_PARKED_PER_USER);
        return Ok(rejection_for(state, actor, mutation, error));
    }
    let body = serde_json::to_value(mutation).map_err(ApiError::internal)?;
    if body.to_string().len() > MAX_PARKED_BYTES {
        tracing::warn!(user_id = %actor.user.id, device_id = %device_id, seq = mutation.seq, "rejected a mutation too large to park");
        let error = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "deferred_too_large")
            .with("max", MAX_PARKED_BYTES / 1024);
        return Ok(rejection_for(state, actor, mutation, error));
    }
    let parked = ParkedMutation {
        device_id,
        seq: mutation.seq,
        mutation_id: mutation.mutation_id,
        user_id: actor.user.id,
        mutation: body,
        received_at: OffsetDateTime::now_utc(),
    };
    if state.store.park_mutation(&parked).await? {
        return Ok(deferred);
    }
    // Another request parked a mutation at this `seq` meanwhile.
    match state.store.parked_mutation(device_id, mutation.seq).await? {
        Some(parked) => Ok(parked_again(state, actor, mutation, &parked, deferred)),
        None => Ok(rejection(state, actor, mutation, "sequence_used", Vec::new())),
    }
}

/// Returns `deferred` for a mutation that is already parked, and rejects with `sequence_used` a
/// different mutation at the `seq` of a parked one.
fn parked_again(
    state: &AppState,
    actor: &Actor<'_>,
    mutation: &Mutation,
    parked: &ParkedMutation,
    deferred: Value,
) -> Value {
    if parked.mutation_id == mutation.mutation_id {
        return deferred;
    }
    rejection(state, actor, mutation, "sequence_used", Vec::new())
}

/// Applies the parked mutations of a device that now follow its last applied `seq`, in order.
async fn drain_parked(state: &AppState, actor: &Actor<'_>, device_id: Uuid) -> ApiResult<()> {
    loop {
        let device = state.store.sync_device(device_id, actor.user.id, OffsetDateTime::now_utc()).await?;
        let Some(parked) = state.store.parked_mutation(device_id, device.last_seq + 1).await? else {
            return Ok(());
        };
        let mutation: Mutation = match serde_json::from_value(parked.mutation) {
            Ok(mutation) => mutation,
            Err(error) => {
                return Err(ApiError::internal(format!("a parked mutation does not parse: {error}")));
            }
        };
        if parked.user_id != actor.user.id {
            return Ok(());
        }
        // The same mutation already applied at another `seq`, so it can never apply here. The
        // device stays at this gap until it sends a `void` for it.
        if state.store.stored_mutation(parked.mutation_id).await?.is_some() {
            tracing::warn!(user_id = %actor.user.id, device_id = %device_id, seq = parked.seq, "dropped a parked mutation that already applied at another seq");
            state.store.unpark(device_id, parked.seq).await?;
            return Ok(());
        }
        apply_in_order(state, actor, device_id, &mutation).await?;
    }
}

/// The user a mutation is applied as: the device's user, or the supervisor applying a
/// quarantined mutation.
pub struct Actor<'a> {
    pub principal: &'a Principal,
    pub user: &'a User,
}

/// Decides a mutation of device `device_id` against the current case and returns what to write
/// and the result, without writing. The caller adds how the mutation is recorded and commits.
pub async fn evaluate(
    state: &AppState,
    actor: &Actor<'_>,
    device_id: Uuid,
    mutation: &Mutation,
) -> ApiResult<(MutationCommit, MutationResult)> {
    match mutation.kind {
        MutationKind::Void => {
            Ok((MutationCommit::default(), result_of(mutation, "applied", None, Vec::new(), None)))
        }
        MutationKind::Create => evaluate_create(state, actor, mutation).await,
        MutationKind::Update => {
            let origin = Origin { device_id, seq: mutation.seq };
            evaluate_update(state, actor, origin, mutation).await
        }
    }
}

async fn evaluate_create(
    state: &AppState,
    actor: &Actor<'_>,
    mutation: &Mutation,
) -> ApiResult<(MutationCommit, MutationResult)> {
    if !actor.principal.can(Action::Create) {
        return Ok(rejected(state, actor, mutation, "not_permitted", Vec::new()));
    }
    // A create replayed after its result expired, or sent before over `POST /cases`, finds the
    // case it made.
    if let Some(existing) = state.store.case(actor.principal, mutation.record_id).await? {
        return Ok((
            MutationCommit::default(),
            result_of(mutation, "applied", Some(existing.version), Vec::new(), None),
        ));
    }
    let loaded = state.configuration();
    let validator = Validator::new(&loaded.config, state.today(&loaded.config));
    let access = |form: &str| actor.principal.form_access(form);
    let data = mutation.data.clone().unwrap_or_default();
    let write = match validator.validate_new(&data, &access) {
        Ok(write) => write,
        Err(errors) => return Ok(rejected_invalid(state, actor, mutation, errors)),
    };
    let case = NewCase {
        id: mutation.record_id,
        display_id: new_display_id(&loaded.config.deployment.display_id_prefix),
        data: write.data,
        changes: write.changes,
        owner_id: actor.user.id,
        owner_agency_id: actor.user.agency_id.clone(),
        now: OffsetDateTime::now_utc(),
    };
    let commit = MutationCommit {
        write: Some(CaseWrite::Create(case)),
        link: ChangeLink { mutation_id: Some(mutation.mutation_id), conflict_id: None },
        ..MutationCommit::default()
    };
    Ok((commit, result_of(mutation, "applied", Some(1), Vec::new(), None)))
}

async fn evaluate_update(
    state: &AppState,
    actor: &Actor<'_>,
    origin: Origin,
    mutation: &Mutation,
) -> ApiResult<(MutationCommit, MutationResult)> {
    if !actor.principal.can(Action::Write) {
        return Ok(rejected(state, actor, mutation, "not_permitted", Vec::new()));
    }
    let Some(current) = state.store.case_for(actor.principal, mutation.record_id, Action::Write).await?
    else {
        // A former owner's queued edit is rejected with the time the case changed owner, and is
        // kept aside (see `apply_in_order`).
        if let Some(error) =
            crate::referrals::not_owner_since(state, actor.user.id, mutation.record_id).await?
        {
            let error = error.with_message("error-not_owner_since_kept");
            return Ok(rejected_with(state, actor, mutation, error));
        }
        return Ok(rejected(state, actor, mutation, "record_unavailable", Vec::new()));
    };
    // Without a base version, or with one after the current version, no change would count as
    // concurrent, so the update could overwrite a value it never saw (guarantee 3). A base of 0
    // or below counts every change as concurrent, which is safe.
    let base_version = match mutation.base_version {
        Some(version) if version <= current.version => version,
        _ => {
            tracing::warn!(user_id = %actor.user.id, case_id = %current.id, base_version = ?mutation.base_version,
                version = current.version, "rejected an update with an invalid base version");
            return Ok(rejected(state, actor, mutation, "invalid_base_version", Vec::new()));
        }
    };
    let loaded = state.configuration();
    let validator = Validator::new(&loaded.config, state.today(&loaded.config));
    // A referral's recipient writes the shared forms only.
    let principal = crate::referrals::case_principal(state, actor.principal, current.id).await?;
    let access = |form: &str| principal.form_access(form);
    let base = Base { version: base_version, origin: Some(origin) };
    let changes = state.store.changes_after(current.id, base.version).await?;
    let log: Vec<LoggedChange> = changes.iter().map(logged_change).collect();

    // Each change is normalised on its own first, so "already equal" compares stored forms.
    let mut applying = Vec::new();
    let mut conflicting = Vec::new();
    for request in &mutation.changes {
        let change = Change { path: request.path.clone(), value: request.value.clone() };
        let normalised =
            match validator.validate_update(&current.data, std::slice::from_ref(&change), &access) {
                Ok(write) => merge::value_at(&write.data, &change.path),
                Err(errors) => return Ok(rejected_invalid(state, actor, mutation, errors)),
            };
        match merge::decide(&change.path, &normalised, &base, &log, &current.data) {
            Decision::Apply => applying.push(change),
            Decision::AlreadyEqual => {}
            Decision::Conflict => conflicting.push((change.path, normalised)),
        }
    }
    let write = match validator.validate_update(&current.data, &applying, &access) {
        Ok(write) => write,
        Err(errors) => return Ok(rejected_invalid(state, actor, mutation, errors)),
    };

    let conflicts = conflict_writes(state, actor, mutation, &current, &base, &changes, &conflicting).await?;
    if write.changes.is_empty() && conflicts.is_empty() {
        return Ok((
            MutationCommit::default(),
            result_of(mutation, "applied", Some(current.version), Vec::new(), None),
        ));
    }
    let status = if conflicts.is_empty() { "applied" } else { "conflict" };
    let conflict_ids = conflicts.iter().map(|conflict| conflict.id).collect();
    let update = CaseUpdate {
        id: current.id,
        action: Action::Write,
        expected_version: current.version,
        data: write.data,
        changes: write.changes,
        status: current.status,
        enabled: current.enabled,
        now: OffsetDateTime::now_utc(),
    };
    let commit = MutationCommit {
        write: Some(CaseWrite::Update(update)),
        link: ChangeLink { mutation_id: Some(mutation.mutation_id), conflict_id: None },
        conflicts,
        ..MutationCommit::default()
    };
    Ok((commit, result_of(mutation, status, Some(current.version + 1), conflict_ids, None)))
}

/// Converts a change-log entry to the merge's [`LoggedChange`].
fn logged_change(entry: &ChangeEntry) -> LoggedChange {
    let origin = match (entry.device_id, entry.device_seq) {
        (Some(device_id), Some(seq)) => Some(Origin { device_id, seq }),
        _ => None,
    };
    LoggedChange { path: entry.path.clone(), version: entry.version, origin }
}

/// Builds the conflicts the changes in `conflicting` open, or the candidates they add to the
/// conflict already open on the same path. `changes` is the change log after the base version.
async fn conflict_writes(
    state: &AppState,
    actor: &Actor<'_>,
    mutation: &Mutation,
    current: &CaseRecord,
    base: &Base,
    changes: &[ChangeEntry],
    conflicting: &[(String, Value)],
) -> ApiResult<Vec<ConflictWrite>> {
    if conflicting.is_empty() {
        return Ok(Vec::new());
    }
    let now = OffsetDateTime::now_utc();
    let open = state.store.open_conflicts(&[current.id]).await?;
    let mut writes = Vec::new();
    for (path, value) in conflicting {
        let incoming = ConflictCandidate {
            value: value.clone(),
            user_id: actor.user.id,
            username: Some(actor.user.username.clone()),
            full_name: Some(actor.user.full_name.clone()),
            server_time: now,
            device_time: mutation.device_time.clone(),
            version: None,
            mutation_id: Some(mutation.mutation_id),
        };
        if let Some(existing) = open.iter().find(|conflict| &conflict.path == path) {
            let mut candidates = existing.candidates.clone();
            // The case's value may have changed since the conflict opened, by a change on the
            // current version or one of the device's own. Resolving must still be able to keep it.
            let held_value = merge::value_at(&current.data, path);
            if !candidates.iter().any(|candidate| candidate.value == held_value) {
                let log = state.store.changes_after(current.id, 0).await?;
                let made_by = log
                    .iter()
                    .filter(|entry| merge::paths_overlap(&entry.path, path))
                    .max_by_key(|entry| entry.version);
                candidates.push(held_candidate(current, held_value, made_by));
            }
            candidates.push(incoming);
            writes.push(ConflictWrite { id: existing.id, path: path.clone(), candidates, opened: false });
            continue;
        }
        // The held value's author is the latest concurrent change the incoming one collides with.
        let made_by = changes
            .iter()
            .filter(|entry| {
                base.is_concurrent(&logged_change(entry)) && merge::paths_overlap(&entry.path, path)
            })
            .max_by_key(|entry| entry.version);
        let held = held_candidate(current, merge::value_at(&current.data, path), made_by);
        writes.push(ConflictWrite {
            id: Uuid::now_v7(),
            path: path.clone(),
            candidates: vec![held, incoming],
            opened: true,
        });
    }
    Ok(writes)
}

/// Builds the candidate of the value the case holds, with the author, server time and version
/// of the change-log entry `made_by` that wrote it. Without one, the case's owner and last write
/// stand in.
fn held_candidate(current: &CaseRecord, value: Value, made_by: Option<&ChangeEntry>) -> ConflictCandidate {
    ConflictCandidate {
        value,
        user_id: made_by.map_or(current.owner_id, |entry| entry.user_id),
        username: made_by.and_then(|entry| entry.username.clone()),
        full_name: made_by.and_then(|entry| entry.full_name.clone()),
        server_time: made_by.map_or(current.updated_at, |entry| entry.changed_at),
        device_time: None,
        version: Some(made_by.map_or(current.version, |entry| entry.version)),
        mutation_id: None,
    }
}

fn result_of(
    mutation: &Mutation,
    status: &str,
    version: Option<i64>,
    conflicts: Vec<Uuid>,
    error: Option<Value>,
) -> MutationResult {
    MutationResult {
        mutation_id: mutation.mutation_id,
        seq: mutation.seq,
        status: status.to_owned(),
        record_id: mutation.record_id,
        version,
        conflicts,
        error,
    }
}

/// Builds a rejected result, with its message in the actor's language, and a commit that writes
/// only the record of the mutation.
fn rejected(
    state: &AppState,
    actor: &Actor<'_>,
    mutation: &Mutation,
    code: &'static str,
    fields: Vec<FieldError>,
) -> (MutationCommit, MutationResult) {
    let error = ApiError { fields, ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code) };
    rejected_with(state, actor, mutation, error)
}

/// Builds a rejected result from an error that may carry message parameters.
fn rejected_with(
    state: &AppState,
    actor: &Actor<'_>,
    mutation: &Mutation,
    error: ApiError,
) -> (MutationCommit, MutationResult) {
    let loaded = state.configuration();
    let body = error.render_with(&state.messages, &actor.user.locale, Some(&loaded.config));
    let detail = serde_json::to_value(body.error).unwrap_or_default();
    (MutationCommit::default(), result_of(mutation, "rejected", None, Vec::new(), Some(detail)))
}

/// Builds a rejection that consumes no `seq` and is not stored, such as for a device of another
/// user.
fn rejection(
    state: &AppState,
    actor: &Actor<'_>,
    mutation: &Mutation,
    code: &'static str,
    fields: Vec<FieldError>,
) -> Value {
    to_value(&rejected(state, actor, mutation, code, fields).1)
}

/// Builds a rejection like [`rejection`] from an error that may carry message parameters.
fn rejection_for(state: &AppState, actor: &Actor<'_>, mutation: &Mutation, error: ApiError) -> Value {
    to_value(&rejected_with(state, actor, mutation, error).1)
}

/// Rejects invalid values; a change to a form the role may not write is `not_permitted`.
fn rejected_invalid(
    state: &AppState,
    actor: &Actor<'_>,
    mutation: &Mutation,
    errors: Vec<FieldError>,
) -> (MutationCommit, MutationResult) {
    if errors.iter().any(|error| error.code == "form_not_writable") {
        return rejected(state, actor, mutation, "not_permitted", errors);
    }
    rejected(state, actor, mutation, "invalid", errors)
}

fn to_value(result: &MutationResult) -> Value {
    serde_json::to_value(result).expect("a mutation result serialises")
}

/// Writes one audit entry for a mutation: ids, codes and the device's reported time, never
/// field values.
async fn audit_mutation(
    state: &AppState,
    actor: &Actor<'_>,
    device_id: Uuid,
    mutation: &Mutation,
    result: &MutationResult,
) -> ApiResult<()> {
    let action = match (mutation.kind, result.status.as_str()) {
        (_, "rejected") => "case.sync_rejected",
        (MutationKind::Void, _) => "case.sync_void",
        (MutationKind::Create, _) => "case.sync_create",
        (MutationKind::Update, "conflict") => "case.sync_conflict",
        (MutationKind::Update, _) => "case.sync_update",
    };
    let outcome = match &result.error {
        Some(error) => error["code"].as_str().unwrap_or("rejected").to_owned(),
        None => result.status.clone(),
    };
    let detail = serde_json::json!({
        "device_id": device_id,
        "seq": mutation.seq,
        "mutation_id": mutation.mutation_id,
        "base_version": mutation.base_version,
        "device_time": mutation.device_time,
        "version": result.version,
        "conflicts": result.conflicts,
    });
    audit(state, actor.user.id, action, Some(mutation.record_id), &outcome, detail).await
}

pub async fn audit(
    state: &AppState,
    user: sathi_domain::ids::UserId,
    action: &str,
    case_id: Option<CaseId>,
    outcome: &str,
    detail: Value,
) -> ApiResult<()> {
    state
        .store
        .audit(&AuditEntry {
            user_id: Some(user),
            action: action.to_owned(),
            case_id,
            outcome: outcome.to_owned(),
            detail,
            at: OffsetDateTime::now_utc(),
        })
        .await?;
    Ok(())
}

/// Keeps a disabled user's mutations aside for a supervisor, ends the session and returns the
/// `account_disabled` error with the number kept.
async fn quarantine_request(
    state: &AppState,
    user: &User,
    token_hash: &str,
    request: &SyncRequest,
) -> ApiResult<ApiError> {
    let now = OffsetDateTime::now_utc();
    // A supervisor's apply treats earlier changes of the kept mutation's device as already seen,
    // so only the user's own devices count. Mutations naming another user's device are dropped.
    let own_device = state.store.sync_device(request.device_id, user.id, now).await?.user_id == user.id;
    if !own_device {
        tracing::warn!(user_id = %user.id, device_id = %request.device_id, "a disabled user's sync named another user's device; nothing kept");
    }
    let mut held = Vec::with_capacity(request.mutations.len());
    for mutation in request.mutations.iter().filter(|_| own_device) {
        held.push(QuarantinedMutation {
            id: Uuid::now_v7(),
            user_id: user.id,
            device_id: request.device_id,
            mutation_id: mutation.mutation_id,
            seq: mutation.seq,
            case_id: Some(mutation.record_id),
            mutation: serde_json::to_value(mutation).map_err(ApiError::internal)?,
            status: "held".to_owned(),
            reason: "account_disabled".to_owned(),
            received_at: now,
            reviewed_by: None,
            reviewed_at: None,
            note: None,
            result: None,
            username: None,
            full_name: None,
        });
    }
    let kept = state.store.quarantine_mutations(&held).await?;
    let detail = serde_json::json!({"device_id": request.device_id, "received": held.len(), "kept": kept});
    audit(state, user.id, "sync.quarantine", None, "held", detail).await?;
    tracing::info!(user_id = %user.id, device_id = %request.device_id, received = held.len(), "kept a disabled user's mutations aside");
    end_disabled_session(state, user, token_hash).await?;
    Ok(ApiError::new(StatusCode::UNAUTHORIZED, "account_disabled").with("count", held.len()))
}

/// Builds the delta download: the cases changed after the cursor, and the scope list and the
/// configuration when the device's differ. `results` and `server_time` are filled by the caller.
async fn download(
    state: &AppState,
    caller: &Caller,
    request: &SyncRequest,
    limit: i64,
) -> ApiResult<SyncResponse> {
    let loaded = state.configuration();
    let fingerprint = access_fingerprint(&caller.principal, loaded.version);
    let mut after = parse_cursor(request.cursor.as_deref(), &fingerprint).unwrap_or(0);
    // A cursor past the counter comes from before a restore of an older backup, or is forged.
    // Nothing would be sent until the counter passed it, so the device starts over.
    if after > 0 && after > state.store.sync_clock().await? {
        tracing::warn!(user_id = %caller.user.id, after, "a sync cursor is ahead of the global order; sending everything again");
        after = 0;
    }
    let page = state.store.sync_page(&caller.principal, after, limit).await?;
    let more = page.remaining > 0;
    let position = page.last_seq.unwrap_or(after);
    let records = render_cases(state, &caller.principal, page.cases).await?;

    let scope = if more {
        None
    } else {
        let ids = state.store.scope_ids(&caller.principal).await?;
        let digest = scope_digest(&ids);
        (request.scope_digest.as_deref() != Some(digest.as_str())).then(|| {
            let mut ids = ids;
            ids.sort_by_key(|id| id.0.to_string());
            ScopeList { digest, ids }
        })
    };
    let configuration = (request.config_version != Some(loaded.version))
        .then(|| -> ApiResult<ConfigurationUpdate> {
            Ok(ConfigurationUpdate {
                version: loaded.version,
                configuration: serde_json::to_value(&loaded.config).map_err(ApiError::internal)?,
            })
        })
        .transpose()?;
    audit(
        state,
        caller.user.id,
        "case.download",
        None,
        "ok",
        serde_json::json!({"count": records.len(), "after": after}),
    )
    .await?;
    Ok(SyncResponse {
        results: Vec::new(),
        records,
        cursor: format!("v1.{position}.{fingerprint}"),
        more,
        remaining: page.remaining,
        scope,
        configuration,
        server_time: OffsetDateTime::now_utc(),
    })
}

/// Returns a short hash of what decides the cases and forms a user may read: user, role, agency,
/// groups and configuration version. A cursor made under another fingerprint starts over.
pub fn access_fingerprint(principal: &Principal, config_version: i64) -> String {
    let mut groups: Vec<String> = principal.group_ids.iter().map(|group| group.0.to_string()).collect();
    groups.sort();
    let role = serde_json::to_string(&principal.role).unwrap_or_default();
    let text = format!(
        "{}\n{}\n{}\n{}\n{config_version}",
        principal.user_id,
        role,
        principal.agency_id,
        groups.join(",")
    );
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}

/// Reads `v1.<seq>.<fingerprint>`; `None` when malformed or made under another fingerprint.
pub fn parse_cursor(cursor: Option<&str>, fingerprint: &str) -> Option<i64> {
    let mut parts = cursor?.split('.');
    let (Some("v1"), Some(seq), Some(made_under), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if made_under != fingerprint {
        return None;
    }
    seq.parse().ok().filter(|seq: &i64| *seq >= 0)
}

/// SHA-256, lowercase hex, of the sorted lowercase ids, each followed by a newline.
pub fn scope_digest(ids: &[CaseId]) -> String {
    let mut lines: Vec<String> = ids.iter().map(|id| id.0.hyphenated().to_string()).collect();
    lines.sort();
    let mut hasher = Sha256::new();
    for line in lines {
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())
}

/// Conflicts on fields of forms the principal cannot read are left out, values and all.
pub fn readable_conflicts(
    state: &AppState,
    principal: &Principal,
    conflicts: Vec<CaseConflict>,
) -> Vec<ConflictView> {
    let loaded = state.configuration();
    conflicts
        .into_iter()
        .filter(|conflict| {
            let field_id = conflict.path.split('/').next().unwrap_or_default();
            loaded
                .config
                .field(field_id)
                .is_none_or(|(form, _)| principal.form_access(&form.id) >= FormAccess::Read)
        })
        .map(ConflictView::from)
        .collect()
}
