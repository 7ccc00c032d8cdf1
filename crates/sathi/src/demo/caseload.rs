//! The shape of each caseworker's caseload at the demo's today, drawn before any case data.
//!
//! A caseworker keeps an open caseload of [`OPEN_CASELOAD`] cases, and their older cases are closed.
//! Each open case gets a step of casework and the number of days from today to its next due
//! date, so the task list the due-date rule derives is the one a caseworker who keeps up would
//! have: a few overdue items, a handful due this week, the rest later. Every other item of a
//! case falls at least a week after today, so the counts per caseworker are exact:
//! [`OVERDUE_PER_CASEWORKER`] overdue and [`DUE_THIS_WEEK_PER_CASEWORKER`] due from today to
//! today + 6, both capped by the size of the open caseload.

use std::ops::RangeInclusive;

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use sathi_domain::config::WorkflowRules;

/// Open cases per caseworker when they own more cases than this.
const OPEN_CASELOAD: RangeInclusive<usize> = 16..=22;
/// At least this share of a caseworker's cases is closed, in percent.
const MIN_CLOSED_PERCENT: usize = 10;
/// Overdue items per caseworker, one per case.
pub(super) const OVERDUE_PER_CASEWORKER: RangeInclusive<usize> = 2..=5;
/// Items due from today to today + 6 per caseworker, one per case.
pub(super) const DUE_THIS_WEEK_PER_CASEWORKER: RangeInclusive<usize> = 4..=8;
/// Pending services and scheduled follow-ups that are not a case's next due item lie this many
/// days or more after today, past this week's tasks.
pub(super) const LATER_DAYS: i64 = 7;
/// Weights of the risk levels of new cases.
const RISK_WEIGHTS: [(&str, u32); 3] = [("high", 25), ("medium", 45), ("low", 30)];

/// One case of the demo before its data is drawn: its owner and its state today.
pub(super) struct Slot {
    /// Index into the caseworkers.
    pub(super) owner: usize,
    pub(super) risk_level: &'static str,
    pub(super) fate: Fate,
}

pub(super) enum Fate {
    Closed,
    Open(OpenCase),
    /// Registered `days_ago` days before today by the caseworker on intake duty and handed to
    /// the supervisor of their agency, who keeps it until assigning it. No casework is recorded
    /// yet, so its stage is new.
    AwaitingAssignment {
        days_ago: i64,
    },
}

pub(super) struct OpenCase {
    pub(super) progress: Progress,
    /// The child's consent to share is not recorded (yet), so a referral outside the agency
    /// first needs it. Each caseworker has at least one such case.
    pub(super) without_sharing_consent: bool,
    /// Referred to a service provider of another agency, where the referral is pending or
    /// accepted.
    pub(super) referred: bool,
    /// Has a new referral pending at Lanternlight (LLI) for psychosocial support.
    pub(super) referred_to_lli: bool,
}

/// The step an open case is at, with the days from today to its next due date (negative when
/// overdue).
pub(super) enum Progress {
    /// Registered, the assessment not yet completed. It is due `assessment_due_days` after
    /// registration.
    Registered { assessment_due_in: i64 },
    /// The assessment is completed and the case plan not yet approved. With `plan_requested` the
    /// plan is written and waits for the supervisor's approval.
    Assessed { case_plan_due_in: i64, plan_requested: bool },
    /// The case plan is approved, and services and follow-ups go on.
    Active {
        follow_up_due_in: i64,
        /// One service not yet implemented with its appointment this many days from today.
        service_due_in: Option<i64>,
        /// The next follow-up is a visit the caseworker scheduled (a row with `needed_by`)
        /// rather than the periodic one.
        scheduled: bool,
    },
}

/// Range in which the next due item of an open case falls.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Due {
    /// A case registered in the last days, its assessment due this week.
    New,
    Overdue,
    ThisWeek,
    Later,
}

/// Deals `case_count` cases to `caseworker_count` caseworkers and draws the state of each.
/// `lli_referrers` lists the caseworkers (one per agency other than LLI) who have a referral
/// waiting at Lanternlight. Returns the cases in the order they are generated.
pub(super) fn plan_caseloads(
    rng: &mut StdRng,
    rules: &WorkflowRules,
    caseworker_count: usize,
    case_count: usize,
    lli_referrers: &[usize],
) -> Vec<Slot> {
    let mut owners: Vec<usize> = (0..case_count).map(|index| index % caseworker_count).collect();
    owners.shuffle(rng);

    let mut slots_of: Vec<Vec<Slot>> = (0..caseworker_count)
        .map(|owner| {
            let owned = owners.iter().filter(|other| **other == owner).count();
            caseload(rng, rules, owner, owned, lli_referrers.contains(&owner))
        })
        .collect();
    // Hand the slots out in the shuffled order of the owners, so cases of different
    // caseworkers interleave as they would in a real database.
    owners.into_iter().map(|owner| slots_of[owner].pop().expect("one slot per owned case")).collect()
}

/// New cases each supervisor keeps until assigning them, when the demo has enough cases.
pub(super) const AWAITING_ASSIGNMENT_PER_SUPERVISOR: RangeInclusive<usize> = 3..=5;
/// Cases awaiting assignment are registered up to this many days before today.
const AWAITING_ASSIGNMENT_MAX_DAYS: i64 = 3;

/// Draws the new cases a supervisor keeps: `count` cases registered in the last days by the
/// caseworkers `intake` in turn.
pub(super) fn awaiting_assignment(rng: &mut StdRng, intake: &[usize], count: usize) -> Vec<Slot> {
    (0..count)
        .map(|index| {
            let risk_level = RISK_WEIGHTS.choose_weighted(rng, |risk| risk.1).expect("positive weights").0;
            let days_ago = rng.random_range(0..=AWAITING_ASSIGNMENT_MAX_DAYS);
            Slot {
                owner: intake[index % intake.len()],
                risk_level,
                fate: Fate::AwaitingAssignment { days_ago },
            }
        })
        .collect()
}

/// Draws the cases of one caseworker who owns `owned` cases.
fn caseload(
    rng: &mut StdRng,
    rules: &WorkflowRules,
    owner: usize,
    owned: usize,
    refers_to_lli: bool,
) -> Vec<Slot> {
    let open_cap = rng.random_range(OPEN_CASELOAD);
    let closed = (owned * MIN_CLOSED_PERCENT / 100).max(owned.saturating_sub(open_cap));
    let open = owned - closed;

    let new = open.min(if open >= 12 { 2 } else { 1 });
    let overdue = rng.random_range(OVERDUE_PER_CASEWORKER).min((open - new) / 3);
    let this_week =
        rng.random_range(DUE_THIS_WEEK_PER_CASEWORKER).saturating_sub(new).min(open - new - overdue);
    let mut dues = vec![Due::New; new];
    dues.extend([Due::Overdue].repeat(overdue));
    dues.extend([Due::ThisWeek].repeat(this_week));
    dues.resize(open, Due::Later);

    let mut slots = Vec::with_capacity(owned);
    let mut plan_requested = false;
    let mut lli_pending = refers_to_lli;
    for (index, due) in dues.into_iter().enumerate() {
        let risk_level = RISK_WEIGHTS.choose_weighted(rng, |risk| risk.1).expect("positive weights").0;
        let (risk_level, mut progress) = open_progress(rng, rules, due, risk_level);
        // Each supervisor finds a case plan to approve from each caseworker who has one ready.
        if let Progress::Assessed { plan_requested: requested, .. } = &mut progress {
            *requested |= !plan_requested;
            plan_requested = true;
        }
        let active = matches!(progress, Progress::Active { .. });
        let referred_to_lli = lli_pending && active && due == Due::Later;
        lli_pending &= !referred_to_lli;
        let referred = active && !referred_to_lli && rng.random_bool(0.15);
        slots.push(Slot {
            owner,
            risk_level,
            fate: Fate::Open(OpenCase {
                progress,
                without_sharing_consent: index == 0
                    || (!referred && !referred_to_lli && rng.random_bool(0.1)),
                referred,
                referred_to_lli,
            }),
        });
    }
    for _ in 0..closed {
        let risk_level = RISK_WEIGHTS.choose_weighted(rng, |risk| risk.1).expect("positive weights").0;
        slots.push(Slot { owner, risk_level, fate: Fate::Closed });
    }
    slots.shuffle(rng);
    slots
}

/// Draws the step of an open case whose next item falls in `due`, and the risk level it needs:
/// a next follow-up more than a week away needs a risk whose follow-up interval is longer than a
/// week.
fn open_progress(
    rng: &mut StdRng,
    rules: &WorkflowRules,
    due: Due,
    drawn_risk: &'static str,
) -> (&'static str, Progress) {
    let plan_days = i64::from(rules.case_plan_due_days);
    let every = |risk: &str| {
        i64::from(rules.follow_up_every_days.get(risk).unwrap_or(rules.follow_up_every_days.low))
    };
    // The risk levels whose next follow-up can be a week or more away.
    let slow: Vec<&'static str> =
        ["medium", "low"].into_iter().chain(["high"]).filter(|risk| every(risk) > LATER_DAYS).collect();
    let slow_risk = |rng: &mut StdRng| slow.choose(rng).copied();

    match due {
        Due::New => {
            let days = i64::from(
                rules.assessment_due_days.get(drawn_risk).unwrap_or(rules.assessment_due_days_unrated),
            );
            let due_in = rng.random_range(0..=days.min(LATER_DAYS - 1));
            (drawn_risk, Progress::Registered { assessment_due_in: due_in })
        }
        Due::Overdue => {
            let late = -rng.random_range(1..=5);
            match rng.random_range(0..7) {
                0 => (drawn_risk, Progress::Registered { assessment_due_in: late }),
                1 => (
                    drawn_risk,
                    Progress::Assessed { case_plan_due_in: late, plan_requested: rng.random_bool(0.5) },
                ),
                2 | 3 if !slow.is_empty() => {
                    let risk = slow_risk(rng).expect("not empty");
                    let follow_up_due_in = rng.random_range(LATER_DAYS..every(risk));
                    let service = Some(late - rng.random_range(0..3));
                    (risk, Progress::Active { follow_up_due_in, service_due_in: service, scheduled: false })
                }
                _ => {
                    let scheduled = rng.random_bool(0.4);
                    (drawn_risk, Progress::Active { follow_up_due_in: late, service_due_in: None, scheduled })
                }
            }
        }
        Due::ThisWeek => match rng.random_range(0..10) {
            0 | 1 if plan_days >= LATER_DAYS => {
                let due_in = rng.random_range(0..LATER_DAYS);
                (
                    drawn_risk,
                    Progress::Assessed { case_plan_due_in: due_in, plan_requested: rng.random_bool(0.5) },
                )
            }
            2 | 3 if !slow.is_empty() => {
                let risk = slow_risk(rng).expect("not empty");
                let follow_up_due_in = rng.random_range(LATER_DAYS..every(risk));
                let service = Some(rng.random_range(0..LATER_DAYS));
                (risk, Progress::Active { follow_up_due_in, service_due_in: service, scheduled: false })
            }
            _ => {
                let due_in = rng.random_range(0..LATER_DAYS.min(every(drawn_risk)).max(1));
                let scheduled = rng.random_bool(0.4);
                (drawn_risk, Progress::Active { follow_up_due_in: due_in, service_due_in: None, scheduled })
            }
        },
        Due::Later => {
            if (rng.random_bool(0.15) || slow.is_empty()) && plan_days > LATER_DAYS {
                let due_in = rng.random_range(LATER_DAYS..plan_days);
                return (
                    drawn_risk,
                    Progress::Assessed { case_plan_due_in: due_in, plan_requested: rng.random_bool(0.5) },
                );
            }
            // NOTE: with rules whose follow-ups and case plans are all due within a week, this
            // case's next follow-up falls this week and the counts above are not kept.
            let risk = slow_risk(rng).unwrap_or(drawn_risk);
            let due_in = rng.random_range(LATER_DAYS.min(every(risk) - 1).max(0)..every(risk).max(1));
            let scheduled = rng.random_bool(0.4);
            (risk, Progress::Active { follow_up_due_in: due_in, service_due_in: None, scheduled })
        }
    }
}
