//! The casework of a case after its registration, as the versions and approval decisions that
//! record it. The dates are laid out backwards from today so that the case's next due item falls
//! where [`super::caseload`] placed it.

use std::ops::RangeInclusive;

use rand::Rng;
use sathi_domain::dates;
use sathi_domain::validation::{Change, ROW_ID};
use serde_json::{Map, Value, json};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::caseload::{Fate, LATER_DAYS, Progress};
use super::texts::*;
use super::{CaseGenerator, Child, PlannedReferral, format_instant, set};

/// Registration dates of closed cases go back this many days, about 24 months.
const HISTORY_DAYS: i64 = 730;
/// Days a closed case stayed open, from registration to closure.
const CLOSED_CASE_OPEN_DAYS: RangeInclusive<i64> = 30..=300;
/// Share of closed cases, in percent, whose closure falls in the 12 months before today. The
/// others closed in the 12 months before those.
const RECENT_CLOSURE_PERCENT: u32 = 85;
/// Share of closed cases, in percent, that closed before any assessment: the family moved or
/// contact was lost.
const CLOSED_UNASSESSED_PERCENT: u32 = 10;
/// Share of assessments, in percent, completed after their due date, and by how many days.
const LATE_ASSESSMENT_PERCENT: u32 = 25;
const ASSESSMENT_DAYS_LATE: RangeInclusive<i64> = 1..=21;
/// Closure reasons of a case closed before its assessment, with their weights.
const UNASSESSED_CLOSURE_REASONS: [(&str, u32); 4] =
    [("moved_away", 40), ("lost_contact", 40), ("transferred", 15), ("consent_withdrawn", 5)];
/// Follow-up visits an active case has recorded since its plan was approved, at most.
const MAX_RECORDED_VISITS: i64 = 5;

/// The dates of a case's casework, from registration to today or its closure.
pub(super) struct Timeline {
    pub(super) registered: Date,
    assessed: Option<Date>,
    assessment_approved: Option<Date>,
    plan_written: Option<Date>,
    /// The supervisor approved the plan on this date. `None` with `plan_written` set: the request
    /// is pending, if `plan_requested`.
    pub(super) plan_approved: Option<Date>,
    plan_requested: bool,
    /// Follow-up visits done, oldest first.
    visits: Vec<Date>,
    /// A follow-up the caseworker scheduled and has not done yet.
    scheduled_visit: Option<Date>,
    /// The appointment of the one service whose date the caseload chose.
    service_appointment: Option<Date>,
    pub(super) closed: Option<Date>,
    /// A new case the supervisor keeps until assigning it, so nothing after the registration
    /// starts its assessment.
    awaiting_assignment: bool,
}

/// One write of the case's history, in order.
pub(super) enum Step {
    /// A version the owner writes, checked by the validator.
    Write { changes: Vec<Change>, at: OffsetDateTime },
    /// The owner requests an approval. The owner agency's supervisor approves it on `approved`
    /// (writing `<kind>_approved_on`, and for a closure the closed status), or the request stays
    /// pending when `approved` is `None`.
    Approval {
        id: Uuid,
        kind: &'static str,
        requested_at: OffsetDateTime,
        approved: Option<(OffsetDateTime, Date)>,
    },
}

impl CaseGenerator<'_> {
    fn days(&self, risk_level: &str) -> (i64, i64) {
        let rules = &self.config.deployment.workflow;
        let assessment =
            rules.assessment_due_days.get(risk_level).unwrap_or(rules.assessment_due_days_unrated);
        let every = rules.follow_up_every_days.get(risk_level).unwrap_or(rules.follow_up_every_days.low);
        (i64::from(assessment), i64::from(every))
    }

    /// Lays out the dates of a case with `risk_level` whose fate the caseload drew.
    pub(super) fn timeline(&mut self, risk_level: &str, fate: &Fate) -> Timeline {
        let today = self.today;
        let day = Duration::days;
        let (assessment_days, every) = self.days(risk_level);
        let plan_days = i64::from(self.config.deployment.workflow.case_plan_due_days);
        let mut timeline = Timeline {
            registered: today,
            assessed: None,
            assessment_approved: None,
            plan_written: None,
            plan_approved: None,
            plan_requested: false,
            visits: Vec::new(),
            scheduled_visit: None,
            service_appointment: None,
            closed: None,
            awaiting_assignment: false,
        };
        let open = match fate {
            Fate::Open(open) => open,
            Fate::Closed => {
                self.closed_timeline(&mut timeline, assessment_days, every);
                return timeline;
            }
            Fate::AwaitingAssignment { days_ago } => {
                timeline.registered = today - day(*days_ago);
                timeline.awaiting_assignment = true;
                return timeline;
            }
        };
        match open.progress {
            Progress::Registered { assessment_due_in } => {
                timeline.registered = today - day(assessment_days - assessment_due_in);
            }
            Progress::Assessed { case_plan_due_in, plan_requested } => {
                let assessed = today - day(plan_days - case_plan_due_in);
                timeline.assessed = Some(assessed);
                timeline.registered = assessed - day(self.days_to_assessment(assessment_days));
                if self.chance(0.6) {
                    timeline.assessment_approved = Some(self.date_after(assessed, 0, 2, today));
                }
                if plan_requested {
                    let span = (today - assessed).whole_days();
                    timeline.plan_written = Some(self.date_after(assessed, 1.min(span), span, today));
                    timeline.plan_requested = true;
                }
            }
            Progress::Active { follow_up_due_in, service_due_in, scheduled } => {
                // The periodic follow-up is due `every` days after the later of the last visit
                // and the plan's approval: that date is `anchor`.
                let anchor = today + day(follow_up_due_in - every);
                let visits = self.rng.random_range(0..=MAX_RECORDED_VISITS);
                let mut visit_dates: Vec<Date> = (0..visits)
                    .map(|visit| {
                        anchor
                            - day(visit * every + if visit == 0 { 0 } else { self.rng.random_range(0..=2) })
                    })
                    .collect();
                visit_dates.reverse();
                let approved = match visit_dates.first() {
                    Some(first) => *first - day(self.rng.random_range(1..=every.max(1))),
                    None => anchor,
                };
                let written = approved - day(self.rng.random_range(1..=4));
                let assessed = written - day(self.rng.random_range(2..=plan_days.max(3) - 1));
                timeline.assessed = Some(assessed);
                if self.chance(0.7) {
                    timeline.assessment_approved = Some(self.date_after(assessed, 0, 1, written));
                }
                timeline.registered = assessed - day(self.days_to_assessment(assessment_days));
                timeline.plan_written = Some(written);
                timeline.plan_approved = Some(approved);
                timeline.plan_requested = true;
                timeline.visits = visit_dates;
                timeline.scheduled_visit = scheduled.then(|| today + day(follow_up_due_in));
                timeline.service_appointment = service_due_in.map(|days| today + day(days));
            }
        }
        timeline
    }

    /// Draws the days from registration to the completed assessment, which is due
    /// `assessment_days` after registration: on time for most cases, up to three weeks late
    /// for the others.
    fn days_to_assessment(&mut self, assessment_days: i64) -> i64 {
        if self.rng.random_ratio(LATE_ASSESSMENT_PERCENT, 100) {
            assessment_days + self.rng.random_range(ASSESSMENT_DAYS_LATE)
        } else {
            self.rng.random_range(0..=assessment_days)
        }
    }

    /// Lays out a closed case: the closure date first, mostly in the last 12 months, then the
    /// registration before it, then the casework between the two.
    fn closed_timeline(&mut self, timeline: &mut Timeline, assessment_days: i64, every: i64) {
        let today = self.today;
        let earliest = today - Duration::days(HISTORY_DAYS);
        let closed = if self.rng.random_ratio(RECENT_CLOSURE_PERCENT, 100) {
            today - Duration::days(self.rng.random_range(3..365))
        } else {
            let oldest = HISTORY_DAYS - CLOSED_CASE_OPEN_DAYS.start();
            today - Duration::days(self.rng.random_range(365..=oldest))
        };
        let (shortest, longest) = CLOSED_CASE_OPEN_DAYS.into_inner();
        let longest = longest.min((closed - earliest).whole_days());
        let registered = closed - Duration::days(self.rng.random_range(shortest..=longest));
        timeline.registered = registered;
        timeline.closed = Some(closed);
        if self.rng.random_ratio(CLOSED_UNASSESSED_PERCENT, 100) {
            return;
        }
        let assessed = (registered + Duration::days(self.days_to_assessment(assessment_days))).min(closed);
        timeline.assessed = Some(assessed);
        if self.chance(0.5) {
            timeline.assessment_approved = Some(self.date_after(assessed, 0, 2, closed));
        }
        // Some cases close before a plan is made: the family moves, or the case is transferred.
        if self.chance(0.15) {
            return;
        }
        let written = self.date_after(assessed, 3, 20, closed);
        let approved = self.date_after(written, 1, 5, closed);
        timeline.plan_written = Some(written);
        timeline.plan_approved = Some(approved);
        timeline.plan_requested = true;
        let mut visit = approved + Duration::days(every);
        while visit < closed {
            timeline.visits.push(visit - Duration::days(self.rng.random_range(0..=2)));
            visit += Duration::days(every);
        }
        // Keep the first visit and the latest four, as a caseworker's record would show them.
        let count = timeline.visits.len();
        if count > 5 {
            timeline.visits.drain(1..count - 4);
        }
    }

    /// Plans the versions and approvals that record `timeline`, after the registration.
    pub(super) fn history(
        &mut self,
        owner: usize,
        child: &Child,
        timeline: &Timeline,
        referral: Option<&PlannedReferral>,
        bangla: bool,
    ) -> Vec<Step> {
        let mut steps = Vec::new();
        let end = timeline.closed.unwrap_or(self.today);
        let worker = self.caseworkers[owner].full_name.clone();

        if let Some(assessed) = timeline.assessed {
            let changes = self.assessment(child, timeline.registered, assessed, bangla);
            let at = self.instant_on(assessed);
            steps.push(Step::Write { changes, at });
            if let Some(approved) = timeline.assessment_approved {
                steps.push(self.approval("assessment", at, Some(approved)));
            }
        } else if !timeline.awaiting_assignment && self.chance(0.5) {
            let requested = self.date_after(timeline.registered, 0, 1, end);
            let changes = vec![change("assessment_requested_on", json!(dates::format_date(requested)))];
            steps.push(Step::Write { changes, at: self.instant_on(requested) });
        }

        let mut plan = None;
        if let Some(written) = timeline.plan_written {
            let (changes, interventions) = self.case_plan(owner, child, written, bangla, &worker);
            let at = self.instant_on(written);
            steps.push(Step::Write { changes, at });
            if timeline.plan_requested {
                steps.push(self.approval("case_plan", at, timeline.plan_approved));
            }
            plan = Some(interventions);
        }

        let mut changes = Vec::new();
        let mut last = [timeline.assessed, timeline.plan_written, timeline.plan_approved]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(timeline.registered);
        if let (Some(approved), Some(interventions)) = (timeline.plan_approved, plan) {
            let (services, updated, implemented) =
                self.services(owner, child, timeline, approved, end, interventions, referral, bangla);
            last = last.max(implemented);
            if !services.is_empty() {
                changes.push(change("services_provided", Value::Array(services)));
            }
            changes.push(change("case_plan_interventions", Value::Array(updated)));
        }
        let followups = self.follow_ups(timeline, &worker, bangla);
        if !followups.is_empty() {
            last = last.max(timeline.visits.last().copied().unwrap_or(last));
            changes.push(change("followups", Value::Array(followups)));
        }
        last =
            last.max(self.tracing_and_notes(&mut changes, child, timeline.registered, end, &worker, bangla));
        if let Some(closed) = timeline.closed {
            let assessed = timeline.assessed.is_some();
            changes.extend(self.closure(child, timeline.registered, closed, assessed, bangla));
            last = closed;
        }
        if !changes.is_empty() {
            steps.push(Step::Write { changes, at: self.instant_on(last.min(end)) });
        }
        if let (Some(closed), Some(Step::Write { at, .. })) = (timeline.closed, steps.last()) {
            let requested_at = *at;
            let approved = self.date_after(closed, 0, 2, self.today);
            steps.push(self.approval("closure", requested_at, Some(approved)));
        }
        steps
    }

    /// Plans a request made a little after `after`, approved on `approved` or left pending.
    fn approval(&mut self, kind: &'static str, after: OffsetDateTime, approved: Option<Date>) -> Step {
        let requested_at = (after + Duration::minutes(self.rng.random_range(5..60))).min(self.now);
        let approved = approved.map(|on| (self.instant_on(on).max(requested_at), on));
        let id = self.uuid_at(requested_at);
        Step::Approval { id, kind, requested_at, approved }
    }

    /// The assessment completed on `assessed`, with the case plan due `case_plan_due_days` later.
    fn assessment(&mut self, child: &Child, registered: Date, assessed: Date, bangla: bool) -> Vec<Change> {
        let mut changes = Vec::new();
        let requested = self.date_after(registered, 0, 1, assessed);
        changes.push(change("assessment_requested_on", json!(dates::format_date(requested))));
        changes.push(change("assessment_completed_on", json!(dates::format_date(assessed))));
        for (domain, related) in ASSESSMENT_DOMAINS {
            let serious = child.concerns.iter().any(|concern| related.contains(concern));
            let rating = if serious {
                self.weighted(&[("serious_concern", 70), ("some_concern", 30)])
            } else {
                self.weighted(&[("no_concern", 60), ("some_concern", 30), ("not_assessed", 10)])
            };
            changes.push(change(&format!("assessment_{domain}_rating"), json!(rating)));
            if serious && self.chance(0.5) {
                let notes = self.text(&ASSESSMENT_NOTES, bangla);
                changes.push(change(&format!("assessment_{domain}_notes"), json!(notes)));
            }
        }
        let education = self.education_status(child, assessed);
        changes.push(change("education_status", json!(education)));
        let strengths = self.text(&STRENGTHS, bangla);
        changes.push(change("assessment_strengths", json!(strengths)));
        let risks = self.text(&RISKS, bangla);
        changes.push(change("assessment_risks", json!(risks)));
        if dates::age_years(child.date_of_birth, assessed) >= 7 {
            let views = self.text(&CHILD_VIEWS, bangla);
            changes.push(change("assessment_child_views", json!(views)));
        }
        let plan_days = i64::from(self.config.deployment.workflow.case_plan_due_days);
        let plan_due = assessed + Duration::days(plan_days);
        changes.push(change("case_plan_due_date", json!(dates::format_date(plan_due))));
        changes
    }

    /// Draws the case plan written on `written`: its changes, and its interventions with the
    /// service and agency each needs.
    fn case_plan(
        &mut self,
        owner: usize,
        child: &Child,
        written: Date,
        bangla: bool,
        worker: &str,
    ) -> (Vec<Change>, Vec<Intervention>) {
        let mut needs: Vec<&'static Need> =
            child.concerns.iter().flat_map(|concern| needs_of(concern)).collect();
        needs.dedup_by_key(|need| need.service);
        needs.truncate(3);
        let timeframe = match child.risk_level {
            "high" => "within_1_day",
            "medium" => "within_3_days",
            _ => "within_1_week",
        };
        let profile = &self.caseworkers[owner];
        let own_agency = profile.agency_name.clone();
        let own_services = profile.agency_services.clone();

        let mut interventions = Vec::new();
        for need in needs {
            let direct = own_services.iter().any(|service| service == need.service);
            let agency = if direct {
                own_agency.clone()
            } else {
                self.config
                    .agencies
                    .iter()
                    .find(|agency| agency.services.iter().any(|service| service == need.service))
                    .map_or_else(|| own_agency.clone(), |agency| agency.name.get("en").to_owned())
            };
            let due = self.date_after(written, 7, 60, written + Duration::days(60));
            let mut row = Map::new();
            row.insert(ROW_ID.to_owned(), self.row_id(written));
            set(&mut row, "need", if bangla { need.bangla } else { need.english });
            set(&mut row, "service", need.service);
            set(&mut row, "responsible_person", worker);
            set(&mut row, "responsible_agency", agency.as_str());
            set(&mut row, "timeframe", timeframe);
            set(&mut row, "due_date", dates::format_date(due));
            set(&mut row, "status", "planned");
            interventions.push(Intervention { row, service: need.service, direct, agency, timeframe });
        }

        let goal = self.text(&PLAN_GOALS, bangla);
        let participated = self.weighted(&[("yes", 80), ("no", 15), ("unknown", 5)]);
        let review = self.date_after(written, 30, 90, written + Duration::days(90));
        let rows: Vec<Value> =
            interventions.iter().map(|intervention| Value::Object(intervention.row.clone())).collect();
        let changes = vec![
            change("case_plan_goal", json!(goal)),
            change("case_plan_interventions", Value::Array(rows)),
            change("case_plan_child_participated", json!(participated)),
            change("case_plan_review_date", json!(dates::format_date(review))),
        ];
        (changes, interventions)
    }

    /// Draws the services that carry out the plan approved on `approved`, up to `end`. A service
    /// is implemented, or waits for an appointment a week or more away, except the one whose
    /// appointment the caseload chose. Returns the service rows, the interventions with their
    /// status, and the latest date a service was implemented or referred.
    #[allow(clippy::too_many_arguments)]
    fn services(
        &mut self,
        owner: usize,
        child: &Child,
        timeline: &Timeline,
        approved: Date,
        end: Date,
        interventions: Vec<Intervention>,
        referral: Option<&PlannedReferral>,
        bangla: bool,
    ) -> (Vec<Value>, Vec<Value>, Date) {
        let worker = self.caseworkers[owner].full_name.clone();
        let camp_code = self.camps[child.camp].location.code.clone();
        let closed = timeline.closed.is_some();
        let mut latest = approved;
        let mut services = Vec::new();
        let mut rows = Vec::new();
        for (index, mut intervention) in interventions.into_iter().enumerate() {
            let chosen = index == 0 && timeline.service_appointment.is_some();
            // One intervention in five gets no service row yet.
            let (appointment, implemented_on) = if chosen {
                (timeline.service_appointment, None)
            } else if !self.chance(0.8) {
                (None, None)
            } else if approved + Duration::days(1) < end && (closed || self.chance(0.7)) {
                let span = (end - approved).whole_days() - 1;
                let appointment = self.date_after(approved, 1, span.min(21), end - Duration::days(1));
                let done = self.date_after(appointment, 0, 2, end);
                (Some(appointment), Some(done))
            } else if closed {
                (None, None)
            } else {
                let days = self.rng.random_range(LATER_DAYS..=28);
                (Some(self.today + Duration::days(days)), None)
            };
            let status = match (appointment, implemented_on) {
                (_, Some(_)) => "completed",
                (Some(_), None) => "in_progress",
                (None, None) if closed => "planned",
                (None, None) => {
                    self.weighted(&[("planned", 50), ("delayed", 25), ("service_unavailable", 25)])
                }
            };
            set(&mut intervention.row, "status", status);
            rows.push(Value::Object(intervention.row));
            let Some(appointment) = appointment else { continue };

            let mut service = Map::new();
            service.insert(ROW_ID.to_owned(), self.row_id(approved));
            set(&mut service, "service_type", intervention.service);
            let response = if intervention.direct { "direct_service" } else { "external_referral" };
            set(&mut service, "response_type", response);
            set(&mut service, "implementation_timeframe", intervention.timeframe);
            set(&mut service, "appointment_date", dates::format_date(appointment));
            set(&mut service, "implementing_agency", intervention.agency.as_str());
            if intervention.direct {
                set(&mut service, "implementing_person", worker.as_str());
            }
            set(&mut service, "delivery_location", camp_code.as_str());
            set(&mut service, "referred", !intervention.direct);
            set(&mut service, "implemented", implemented_on.is_some());
            if let Some(done) = implemented_on {
                set(&mut service, "implemented_on", dates::format_date(done));
                latest = latest.max(done);
            }
            if self.chance(0.3) {
                let notes = self.text(&SERVICE_NOTES, bangla);
                set(&mut service, "service_notes", notes);
            }
            services.push(Value::Object(service));
        }

        // The referral shows in the services subform as an external referral. The provider has
        // seen the child only if they accepted and the appointment has passed.
        if let Some(referral) = referral {
            let referred_on = referral.at.to_offset(self.zone).date();
            latest = latest.max(referred_on);
            let provider = &self.providers[referral.provider];
            let (agency, person) = (provider.agency_name.clone(), provider.full_name.clone());
            let mut row = Map::new();
            row.insert(ROW_ID.to_owned(), self.row_id(referred_on));
            set(&mut row, "service_type", referral.service_type);
            set(&mut row, "response_type", "external_referral");
            set(&mut row, "implementation_timeframe", "within_1_week");
            let seen = referral.status == "accepted"
                && referred_on + Duration::days(2) < self.today
                && self.chance(0.5);
            let appointment = if seen {
                let span = (self.today - referred_on).whole_days() - 1;
                self.date_after(referred_on, 2, span, self.today - Duration::days(1))
            } else {
                self.today + Duration::days(self.rng.random_range(LATER_DAYS..=21))
            };
            set(&mut row, "appointment_date", dates::format_date(appointment));
            set(&mut row, "implementing_agency", agency);
            set(&mut row, "implementing_person", person);
            set(&mut row, "delivery_location", camp_code.as_str());
            set(&mut row, "referred", true);
            set(&mut row, "implemented", seen);
            if seen {
                set(&mut row, "implemented_on", dates::format_date(appointment));
                latest = latest.max(appointment);
            }
            services.push(Value::Object(row));
        }
        (services, rows, latest)
    }

    /// The follow-up rows: the visits done, and the visit scheduled next if there is one.
    fn follow_ups(&mut self, timeline: &Timeline, worker: &str, bangla: bool) -> Vec<Value> {
        let mut rows = Vec::new();
        let visits = timeline.visits.iter().map(|done| (*done, true));
        for (date, done) in visits.chain(timeline.scheduled_visit.map(|date| (date, false))) {
            let mut row = Map::new();
            row.insert(ROW_ID.to_owned(), self.row_id(date.min(self.today)));
            let kind = self.weighted(&[
                ("home_visit", 50),
                ("phone_call", 15),
                ("centre_visit", 15),
                ("service_follow_up", 10),
                ("case_plan_review", 10),
            ]);
            set(&mut row, "followup_type", kind);
            if !done {
                set(&mut row, "needed_by", dates::format_date(date));
                rows.push(Value::Object(row));
                continue;
            }
            let needed_by = date - Duration::days(self.rng.random_range(0..=2));
            set(&mut row, "needed_by", dates::format_date(needed_by));
            set(&mut row, "done_on", dates::format_date(date));
            set(&mut row, "done_by", worker);
            let seen = self.weighted(&[("yes", 85), ("no", 10), ("unknown", 5)]);
            set(&mut row, "child_seen", seen);
            let comments = self.text(&FOLLOWUP_COMMENTS, bangla);
            set(&mut row, "comments", comments);
            if self.chance(0.3) {
                let updated = self.pick(&["high", "medium", "low"]);
                set(&mut row, "risk_level_updated", updated);
            }
            rows.push(Value::Object(row));
        }
        rows
    }

    /// Adds tracing actions (for separated and unaccompanied children) and case notes dated from
    /// `registered` to `horizon`, and returns the latest of their dates.
    fn tracing_and_notes(
        &mut self,
        changes: &mut Vec<Change>,
        child: &Child,
        registered: Date,
        horizon: Date,
        worker: &str,
        bangla: bool,
    ) -> Date {
        let mut last = registered;
        let mut change = |path: &str, value: Value| changes.push(Change { path: path.to_owned(), value });
        // Tracing actions for separated and unaccompanied children.
        if child.separated && horizon > registered {
            let mut actions = Vec::new();
            let mut found = false;
            for _ in 0..self.rng.random_range(1..4) {
                let span = (horizon - registered).whole_days();
                let on = self.date_after(registered, 1, span, horizon);
                last = last.max(on);
                let mut row = Map::new();
                row.insert(ROW_ID.to_owned(), self.row_id(on));
                set(&mut row, "action_date", dates::format_date(on));
                let kind = self.pick(&[
                    "child_interview",
                    "community_interview",
                    "photo_tracing",
                    "tracing_list",
                    "community_announcement",
                    "camp_search",
                ]);
                set(&mut row, "action_type", kind);
                set(&mut row, "action_by", worker);
                let result = self.weighted(&[("no_result", 60), ("lead_found", 30), ("family_found", 10)]);
                found |= result == "family_found";
                set(&mut row, "action_result", result);
                actions.push(Value::Object(row));
            }
            change("tracing_actions", Value::Array(actions));
            if found {
                change("tracing_status", json!(self.pick(&["family_found", "reunification_planned"])));
            }
        }

        // Case notes.
        let mut notes = Vec::new();
        for _ in 0..self.rng.random_range(0..3) {
            let span = (horizon - registered).whole_days();
            let on = self.date_after(registered, 0, span, horizon);
            last = last.max(on);
            let at = self.instant_on(on);
            let (subject, text) = self.pick(&CASE_NOTES);
            let mut row = Map::new();
            row.insert(ROW_ID.to_owned(), Value::String(self.uuid_at(at).to_string()));
            set(&mut row, "date", format_instant(at));
            set(&mut row, "subject", if bangla { subject.1 } else { subject.0 });
            set(&mut row, "text", if bangla { text.1 } else { text.0 });
            set(&mut row, "author", worker);
            notes.push(Value::Object(row));
        }
        if !notes.is_empty() {
            change("case_notes", Value::Array(notes));
        }

        last
    }

    fn education_status(&mut self, child: &Child, on: Date) -> &'static str {
        let age = dates::age_years(child.date_of_birth, on);
        if age < 4 {
            "too_young"
        } else if child.concerns.contains(&"out_of_school") || child.concerns.contains(&"child_labour") {
            self.pick(&["dropped_out", "never_attended"])
        } else if age >= 14 {
            self.weighted(&[
                ("learning_centre", 35),
                ("madrasa", 15),
                ("skills_training", 20),
                ("dropped_out", 30),
            ])
        } else {
            self.weighted(&[
                ("learning_centre", 60),
                ("madrasa", 20),
                ("never_attended", 15),
                ("formal_school", 5),
            ])
        }
    }

    /// Fills in the closure form on `closed_on`, when the caseworker requests its approval. A
    /// case closed before its assessment closes for a reason outside the casework.
    fn closure(
        &mut self,
        child: &Child,
        registered: Date,
        closed_on: Date,
        assessed: bool,
        bangla: bool,
    ) -> Vec<Change> {
        let mut reasons = vec![
            ("goals_met", 45),
            ("moved_away", 10),
            ("transferred", 10),
            ("lost_contact", 10),
            ("consent_withdrawn", 3),
            ("other", 2),
        ];
        if child.separated {
            reasons.push(("reunified", 40));
        }
        if !assessed {
            reasons = UNASSESSED_CLOSURE_REASONS.to_vec();
        }
        let reason = self.weighted(&reasons);

        let mut changes = vec![
            Change { path: "closure_reason".into(), value: json!(reason) },
            Change { path: "closure_date".into(), value: json!(dates::format_date(closed_on)) },
        ];
        if reason == "other" {
            let other = self.text(&OTHER_CLOSURE_REASONS, bangla);
            changes.push(Change { path: "closure_reason_other".into(), value: json!(other) });
        }
        if reason == "reunified" {
            let reunified = self.date_after(closed_on - Duration::days(7), 0, 7, closed_on).max(registered);
            changes.push(Change { path: "tracing_status".into(), value: json!("reunified") });
            changes.push(Change {
                path: "reunification_date".into(),
                value: json!(dates::format_date(reunified)),
            });
        }

        let assessment = self.text(&CLOSURE_ASSESSMENTS, bangla);
        changes.push(Change { path: "closure_assessment".into(), value: json!(assessment) });
        let informed = self.chance(0.9);
        changes.push(Change { path: "closure_child_informed".into(), value: json!(informed) });
        changes
    }
}

/// One intervention of a case plan, with what its service row needs.
struct Intervention {
    row: Map<String, Value>,
    service: &'static str,
    /// The caseworker's own agency gives the service.
    direct: bool,
    agency: String,
    timeframe: &'static str,
}

fn change(path: &str, value: Value) -> Change {
    Change { path: path.to_owned(), value }
}
