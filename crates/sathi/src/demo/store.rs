//! Storing the planned cases the way the API stores them: each version validated with the
//! owner's form access and written with the owner's principal, each approval requested by the
//! owner and decided by the supervisor of the owner's agency.

use std::time::Instant;

use anyhow::Context;
use rand::Rng;
use sathi_domain::config::Configuration;
use sathi_domain::dates;
use sathi_domain::ids::{CaseId, ReferralId};
use sathi_domain::permissions::{Action, Scope};
use sathi_domain::validation::{AppliedChange, FieldError, ValidatedWrite, Validator};
use sathi_domain::workflow::CaseStatus;
use sathi_server::state::AppState;
use sathi_store::{
    ApprovalCreate, ApprovalDecision, CaseRecord, CaseUpdate, CaseWrite, DecisionOutcome, MutationCommit,
    NewApproval, NewCase, NewCaseReferral, NewReferral, Opened, ReadSelection, StoreError,
};
use serde_json::Value;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::caseload::{AWAITING_ASSIGNMENT_PER_SUPERVISOR, awaiting_assignment, plan_caseloads};
use super::casework::Step;
use super::{CaseGenerator, LLI_AGENCY, Member, PlannedCase, Staff};

/// How often progress is printed, in cases.
const PROGRESS_EVERY: usize = 500;

/// A write left for after the history: it should be unread news on the first login.
enum Waiting {
    /// A case plan approval request, pending.
    Approval { owner: usize, case_id: CaseId, id: Uuid, at: OffsetDateTime },
    /// A referral to a receiver of Lanternlight, pending.
    Referral { owner: usize, case_id: CaseId, receiver: usize, id: Uuid, at: OffsetDateTime },
}

pub(super) async fn create_cases(
    state: &AppState,
    config: &Configuration,
    staff: &Staff,
    case_count: usize,
    seed: u64,
) -> anyhow::Result<()> {
    let today = state.today(config);
    let validator = Validator::new(config, today);
    let mut generator = CaseGenerator::new(config, staff, seed, OffsetDateTime::now_utc(), today)?;
    // One caseworker of each agency other than Lanternlight has a referral waiting there.
    let mut lli_referrers = Vec::new();
    for (index, member) in staff.caseworkers.iter().enumerate() {
        let agency = &member.user.agency_id;
        let first = staff.caseworkers.iter().position(|other| &other.user.agency_id == agency) == Some(index);
        if first && agency != LLI_AGENCY && !staff.lli_receivers.is_empty() {
            lli_referrers.push(index);
        }
    }
    // Each supervisor keeps a few new cases until assigning them, about a tenth of the demo at
    // most. They are planned first and stored last, as the newest registrations.
    let mut awaiting = Vec::new();
    let mut awaiting_left = case_count / 10;
    for supervisor in &staff.supervisors {
        let intake: Vec<usize> = (0..staff.caseworkers.len())
            .filter(|index| staff.caseworkers[*index].user.agency_id == supervisor.user.agency_id)
            .collect();
        if intake.is_empty() {
            continue;
        }
        let count = generator.rng.random_range(AWAITING_ASSIGNMENT_PER_SUPERVISOR).min(awaiting_left);
        awaiting_left -= count;
        awaiting.extend(awaiting_assignment(&mut generator.rng, &intake, count));
    }
    let mut slots = plan_caseloads(
        &mut generator.rng,
        &config.deployment.workflow,
        staff.caseworkers.len(),
        case_count - awaiting.len(),
        &lli_referrers,
    );
    slots.extend(awaiting);
    let approvers: Vec<(String, Scope)> = config
        .roles
        .iter()
        .filter_map(|role| role.scope_of(Action::Approve).map(|scope| (role.id.clone(), scope)))
        .collect();

    let started = Instant::now();
    let mut waiting = Vec::new();
    for (index, slot) in slots.iter().enumerate() {
        let case = generator.plan_case(slot);
        store_case(state, &validator, staff, &approvers, &mut generator, case, &mut waiting)
            .await
            .with_context(|| format!("cannot store demo case {} of {case_count}", index + 1))?;
        let created = index + 1;
        if created % PROGRESS_EVERY == 0 || created == case_count {
            println!("Created {created} of {case_count} cases ({:.1} s).", started.elapsed().as_secs_f64());
        }
    }

    // The history is old news: everyone has read its notifications. What is left waits for
    // someone now.
    let now = OffsetDateTime::now_utc();
    for member in staff.everyone() {
        state.store.mark_notifications_read(member.user.id, &ReadSelection::All, now).await?;
    }
    for write in waiting {
        store_waiting(state, staff, &approvers, write).await?;
    }
    Ok(())
}

/// Validates and stores one planned case: registration, history and referral.
async fn store_case(
    state: &AppState,
    validator: &Validator<'_>,
    staff: &Staff,
    approvers: &[(String, Scope)],
    generator: &mut CaseGenerator<'_>,
    case: PlannedCase,
    waiting: &mut Vec<Waiting>,
) -> anyhow::Result<()> {
    let owner = &staff.caseworkers[case.owner];
    let access = |form: &str| owner.principal.form_access(form);

    let registration = validator
        .validate_new(&case.registration, &access)
        .map_err(|errors| invalid_case("registration", &errors))?;
    let mut display_id = case.display_id;
    let mut attempts = 0;
    let mut record = loop {
        let new_case = NewCase {
            id: case.id,
            display_id: display_id.clone(),
            data: registration.data.clone(),
            changes: registration.changes.clone(),
            owner_id: owner.user.id,
            owner_agency_id: owner.user.agency_id.clone(),
            now: case.registered_at,
        };
        match state.store.create_case(&owner.principal, &new_case).await {
            Ok(record) => break record,
            // A display id collision is rare (29^6 values); draw another, as the API does.
            Err(StoreError::Duplicate("display id")) if attempts < 5 => {
                attempts += 1;
                display_id = generator.display_id();
            }
            Err(error) => return Err(error.into()),
        }
    };

    for step in case.history {
        match step {
            Step::Write { changes, at } => {
                let write = validator
                    .validate_update(&record.data, &changes, &access)
                    .map_err(|errors| invalid_case("later work", &errors))?;
                record =
                    write_version(state, owner, &record, write, CaseStatus::Open, Action::Write, at).await?;
            }
            Step::Approval { id, kind: "case_plan", requested_at, approved: None } => {
                waiting.push(Waiting::Approval { owner: case.owner, case_id: case.id, id, at: requested_at });
            }
            Step::Approval { id, kind, requested_at, approved: None } => {
                anyhow::bail!("the demo generator left a {kind} approval {id} of {requested_at} pending");
            }
            Step::Approval { id, kind, requested_at, approved: Some((approved_at, approved_on)) } => {
                request_approval(state, owner, approvers, case.id, id, kind, requested_at).await?;
                let supervisor = staff.supervisor_of(&owner.user.agency_id)?;
                record = approve(state, supervisor, &record, id, kind, approved_at, approved_on).await?;
            }
        }
    }

    for referral in case.past_referral.into_iter().chain(case.referral) {
        let new = NewReferral {
            id: ReferralId(referral.id),
            case_id: case.id,
            from_user_id: owner.user.id,
            to_user_id: referral.to_user_id,
            to_agency_id: referral.to_agency_id,
            service_type: referral.service_type.to_owned(),
            status: referral.status.to_owned(),
            shared_forms: referral.shared_forms.iter().map(|form| (*form).to_owned()).collect(),
            now: referral.at,
        };
        // The case records consent to share, which generated referrals to other agencies need.
        state.store.insert_referral_row(&new, &owner.user.agency_id, "given").await?;
    }
    if case.awaiting_assignment {
        let supervisor = staff.supervisor_of(&owner.user.agency_id)?;
        let at =
            (case.registered_at + Duration::minutes(generator.rng.random_range(10..120))).min(generator.now);
        hand_to_supervisor(state, supervisor, &record, at).await?;
    }
    if let Some(referral) = case.lli_referral {
        waiting.push(Waiting::Referral {
            owner: case.owner,
            case_id: case.id,
            receiver: referral.receiver,
            id: referral.id,
            at: referral.at,
        });
    }
    Ok(())
}

/// Requests an approval as the owner, which notifies the approvers.
async fn request_approval(
    state: &AppState,
    owner: &Member,
    approvers: &[(String, Scope)],
    case_id: CaseId,
    id: Uuid,
    kind: &str,
    at: OffsetDateTime,
) -> anyhow::Result<()> {
    let request = NewApproval { id, case_id, kind: kind.to_owned(), comment: None, now: at };
    match state.store.create_approval(&owner.principal, &request, approvers).await? {
        Some(ApprovalCreate::Created(_)) => Ok(()),
        other => anyhow::bail!(
            "the store did not take the {kind} approval request {id} on case {case_id}: {other:?}"
        ),
    }
}

/// Approves a request as `supervisor` on `approved_on`, writing the approval date into the case
/// (and for a closure the closed status) as the API's approval does.
async fn approve(
    state: &AppState,
    supervisor: &Member,
    current: &CaseRecord,
    id: Uuid,
    kind: &str,
    at: OffsetDateTime,
    approved_on: time::Date,
) -> anyhow::Result<CaseRecord> {
    let field = format!("{kind}_approved_on");
    let sets = [(field.as_str(), Value::String(dates::format_date(approved_on)))];
    let (data, changes) = sathi_server::approvals::system_changes(&current.data, &sets);
    let status = if kind == "closure" { CaseStatus::Closed } else { current.status };
    let case_update = CaseUpdate {
        id: current.id,
        action: Action::Approve,
        expected_version: current.version,
        data,
        changes,
        status,
        enabled: true,
        now: at,
    };
    let decision = ApprovalDecision {
        id,
        expected_version: 1,
        status: "approved",
        comment: None,
        now: at,
        case_update: Some(case_update),
    };
    match state.store.decide_approval(&supervisor.principal, &decision).await? {
        Some(DecisionOutcome::Decided(_, Some(record))) => Ok(*record),
        other => anyhow::bail!(
            "the store did not let {} approve the {kind} request {id}: {other:?}",
            supervisor.user.username
        ),
    }
}

/// Makes `supervisor` the owner of a new case, as `POST /cases/{id}/reassign` does when a
/// supervisor takes a registration to assign it later.
async fn hand_to_supervisor(
    state: &AppState,
    supervisor: &Member,
    current: &CaseRecord,
    at: OffsetDateTime,
) -> anyhow::Result<()> {
    let change = AppliedChange {
        path: "owner".to_owned(),
        old_value: Value::String(current.owner_id.to_string()),
        new_value: Value::String(supervisor.user.id.to_string()),
    };
    let commit = MutationCommit {
        write: Some(CaseWrite::Update(CaseUpdate {
            id: current.id,
            action: Action::Assign,
            expected_version: current.version,
            data: current.data.clone(),
            changes: vec![change],
            status: current.status,
            enabled: current.enabled,
            now: at,
        })),
        owner: Some((supervisor.user.id, supervisor.user.agency_id.clone())),
        ..MutationCommit::default()
    };
    state.store.commit_mutation(&supervisor.principal, &commit).await?.with_context(|| {
        format!("the store did not let {} take case {}", supervisor.user.username, current.id)
    })?;
    Ok(())
}

/// Stores a write that waits for someone at the first login, with its notifications.
async fn store_waiting(
    state: &AppState,
    staff: &Staff,
    approvers: &[(String, Scope)],
    write: Waiting,
) -> anyhow::Result<()> {
    match write {
        Waiting::Approval { owner, case_id, id, at } => {
            request_approval(state, &staff.caseworkers[owner], approvers, case_id, id, "case_plan", at).await
        }
        Waiting::Referral { owner, case_id, receiver, id, at } => {
            let receiver = &staff.lli_receivers[receiver];
            let referral = NewCaseReferral {
                id: ReferralId(id),
                case_id,
                to_agency_id: receiver.user.agency_id.clone(),
                to_user_id: Some(receiver.user.id),
                service_type: "psychosocial_support".to_owned(),
                shared_forms: [
                    "basic_identity",
                    "protection_concerns",
                    "consent",
                    "services",
                    "record_owner",
                ]
                .map(str::to_owned)
                .to_vec(),
                consent_basis: "given".to_owned(),
                consent_override: None,
                note: None,
                notify: vec![receiver.user.id],
                now: at,
            };
            match state.store.open_referral(&staff.caseworkers[owner].principal, &referral).await? {
                Opened::Created(_) => Ok(()),
                other => {
                    anyhow::bail!("the store did not take the referral {id} of case {case_id}: {other:?}")
                }
            }
        }
    }
}

/// Writes the next version of a case the owner just read, as the owner.
async fn write_version(
    state: &AppState,
    owner: &Member,
    current: &CaseRecord,
    write: ValidatedWrite,
    status: CaseStatus,
    action: Action,
    at: OffsetDateTime,
) -> anyhow::Result<CaseRecord> {
    let update = CaseUpdate {
        id: current.id,
        action,
        expected_version: current.version,
        data: write.data,
        changes: write.changes,
        status,
        enabled: true,
        now: at,
    };
    state.store.update_case(&owner.principal, &update).await?.with_context(|| {
        format!("the store did not let the owner {} write case {}", owner.user.username, current.id)
    })
}

/// A validation failure means the generator broke the configuration's rules: a bug to fix here.
fn invalid_case(step: &str, errors: &[FieldError]) -> anyhow::Error {
    let listed: Vec<String> = errors
        .iter()
        .map(|error| {
            let params: Vec<String> =
                error.params.iter().map(|(name, value)| format!("{name}={value}")).collect();
            format!("{} at {} [{}]", error.code, error.path, params.join(", "))
        })
        .collect();
    anyhow::anyhow!(
        "the demo generator made invalid {step} data, which is a bug in crates/sathi/src/demo/: {}",
        listed.join("; ")
    )
}
