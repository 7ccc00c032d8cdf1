//! Synthetic staff and case records on the default configuration.
//!
//! Every case goes through the domain's `Validator`, as a create over HTTP does, so its data,
//! derived fields and change log are what the server would have stored. The numbers below
//! (staff per agency, shares of closed or high-risk cases) are assumptions made for the
//! benchmark, not figures from a real deployment.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sathi_domain::config::{Configuration, LocationLevel};
use sathi_domain::ids::UserId;
use sathi_domain::permissions::FormAccess;
use sathi_domain::validation::{AppliedChange, Change, Validator};
use sathi_domain::workflow::CaseStatus;
use sathi_store::IndexedColumns;
use serde_json::{Map, Value, json};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

pub const CASEWORKERS_PER_AGENCY: usize = 40;
/// Each supervisor's user group contains the supervisor and this many caseworkers.
pub const CASEWORKERS_PER_GROUP: usize = 10;
pub const SERVICE_PROVIDERS_PER_AGENCY: usize = 2;

/// Share of cases with an extra caseworker assigned, and with an open or closed referral.
const ASSIGNED_SHARE: f64 = 0.05;
const REFERRED_SHARE: f64 = 0.03;
const CLOSED_SHARE: f64 = 0.2;
const DISABLED_SHARE: f64 = 0.005;
/// Shares of the casework that [`CaseFactory::with_casework`] records. A case open at least a
/// day has a completed assessment at `ASSESSED_SHARE`, and an assessed case an approved plan at
/// `PLAN_APPROVED_SHARE`. A late assessment is completed 8 to 28 days after registration
/// rather than 0 to 7.
const ASSESSED_SHARE: f64 = 0.8;
const PLAN_APPROVED_SHARE: f64 = 0.75;
const LATE_ASSESSMENT_SHARE: f64 = 0.25;

/// First day of the records: the 2017 influx into the Cox's Bazar camps.
const FIRST_REGISTRATION: Date = time::macros::date!(2017 - 08 - 25);

/// Bangla first names by sex, then the same names in a common Latin spelling.
const BANGLA_FEMALE: &[&str] = &[
    "আয়েশা",
    "ফাতেমা",
    "রহিমা",
    "হামিদা",
    "জান্নাত",
    "ইয়াসমিন",
    "খালেদা",
    "নাসিমা",
    "রোকেয়া",
    "সানজিদা",
    "শাহিদা",
    "সুমাইয়া",
    "তাসমিন",
    "মরিয়ম",
    "হাসিনা",
    "রাশেদা",
];
const LATIN_FEMALE: &[&str] = &[
    "Ayesha", "Fatema", "Rahima", "Hamida", "Jannat", "Yasmin", "Khaleda", "Nasima", "Rokeya", "Sanjida",
    "Shahida", "Sumaiya", "Tasmin", "Mariam", "Hasina", "Rasheda",
];
const BANGLA_MALE: &[&str] = &[
    "আব্দুল",
    "রশিদ",
    "আনোয়ার",
    "রফিক",
    "সেলিম",
    "করিম",
    "হাসান",
    "হোসাইন",
    "জামাল",
    "কামাল",
    "নূর",
    "ইউসুফ",
    "ইসমাইল",
    "ইব্রাহিম",
    "শফিক",
    "ফয়সাল",
    "জুবায়ের",
    "আমিন",
];
const LATIN_MALE: &[&str] = &[
    "Abdul", "Rashid", "Anwar", "Rafiq", "Salim", "Karim", "Hasan", "Hussain", "Jamal", "Kamal", "Nur",
    "Yusuf", "Ismail", "Ibrahim", "Shafiq", "Faisal", "Zubair", "Amin",
];
const BANGLA_LAST: &[&str] =
    &["আলম", "বেগম", "খাতুন", "হোসেন", "উল্লাহ", "ইসলাম", "রহমান", "উদ্দিন", "আক্তার", "বিবি", "মিয়া", "আলী"];
const LATIN_LAST: &[&str] = &[
    "Alam", "Begum", "Khatun", "Hossain", "Ullah", "Islam", "Rahman", "Uddin", "Akter", "Bibi", "Miah", "Ali",
];
/// The generator puts Mohammed before the given name of 30% of boys, as is common among Rohingya
/// names, which makes it the most frequent name word.
const BANGLA_MOHAMMED: &str = "মোহাম্মদ";
const LATIN_MOHAMMED: &str = "Mohammed";

/// Name words the benchmark searches for, Bangla script and Latin script.
pub const BANGLA_SEARCH_WORDS: &[&str] = &["ফাতেমা", "রশিদ", "নাসিমা", "ইউসুফ", "মোহাম্মদ", "খাতুন"];
pub const LATIN_SEARCH_WORDS: &[&str] = &["fatema", "rashid", "nasima", "yusuf", "mohammed", "khatun"];

const CONCERNS: &[&str] = &[
    "separated",
    "unaccompanied",
    "child_labour",
    "child_marriage",
    "physical_violence",
    "sexual_violence",
    "emotional_abuse",
    "neglect",
    "psychosocial_distress",
    "disability",
    "serious_medical_condition",
    "trafficking",
    "unsafe_sea_journey",
    "statelessness_documentation",
    "child_headed_household",
    "orphan",
    "out_of_school",
];
const PROTECTION_STATUSES: &[&str] = &["unaccompanied", "separated", "accompanied", "not_yet_determined"];
const CLOSURE_REASONS: &[&str] = &[
    "goals_met",
    "reunified",
    "turned_18",
    "transferred",
    "moved_away",
    "lost_contact",
    "consent_withdrawn",
];
const SERVICE_TYPES: &[&str] = &["health", "psychosocial_support", "legal", "education", "cash", "shelter"];

/// One synthetic user account.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: UserId,
    pub username: String,
    pub agency_id: String,
    pub role_id: &'static str,
    /// Index into [`Staff::camps`] of the camp a caseworker mostly works in.
    pub home_camp: usize,
}

#[derive(Debug, Clone)]
pub struct StaffGroup {
    pub name: String,
    pub agency_id: String,
    /// The supervisor first, then the caseworkers.
    pub members: Vec<UserId>,
}

/// The users and groups of the synthetic deployment, and the places cases are spread over.
#[derive(Debug, Clone)]
pub struct Staff {
    pub caseworkers: Vec<StaffMember>,
    pub supervisors: Vec<StaffMember>,
    pub service_providers: Vec<StaffMember>,
    /// One agency manager (`agency_admin`) per agency.
    pub managers: Vec<StaffMember>,
    /// One information management officer, whose aggregates span every agency.
    pub coordinators: Vec<StaffMember>,
    pub groups: Vec<StaffGroup>,
    /// Block codes per camp; a camp without blocks in the configuration lists its own code.
    pub camps: Vec<Vec<String>>,
    /// Upazila codes, the level the list benchmark filters on.
    pub upazilas: Vec<String>,
}

impl Staff {
    /// Makes the staff of every configured agency: caseworkers, supervisors whose group contains
    /// [`CASEWORKERS_PER_GROUP`] caseworkers each, and service providers.
    pub fn generate(config: &Configuration, seed: u64) -> Staff {
        let mut rng = StdRng::seed_from_u64(seed);
        let camps: Vec<Vec<String>> = config
            .locations
            .iter()
            .filter(|location| location.level == LocationLevel::Camp)
            .map(|camp| {
                let blocks: Vec<String> = config
                    .locations
                    .iter()
                    .filter(|block| block.parent.as_deref() == Some(camp.code.as_str()))
                    .map(|block| block.code.clone())
                    .collect();
                if blocks.is_empty() { vec![camp.code.clone()] } else { blocks }
            })
            .collect();
        let upazilas = config
            .locations
            .iter()
            .filter(|location| location.level == LocationLevel::Upazila)
            .map(|location| location.code.clone())
            .collect();

        let mut staff = Staff {
            caseworkers: Vec::new(),
            supervisors: Vec::new(),
            service_providers: Vec::new(),
            managers: Vec::new(),
            coordinators: Vec::new(),
            groups: Vec::new(),
            camps,
            upazilas,
        };
        let member = |username: String, agency_id: &str, role_id: &'static str, home_camp: usize| {
            StaffMember { id: UserId::new(), username, agency_id: agency_id.to_owned(), role_id, home_camp }
        };
        for agency in &config.agencies {
            let first_caseworker = staff.caseworkers.len();
            for number in 1..=CASEWORKERS_PER_AGENCY {
                let home_camp = rng.random_range(0..staff.camps.len());
                staff.caseworkers.push(member(
                    format!("cw-{}-{number:02}", agency.id),
                    &agency.id,
                    "caseworker",
                    home_camp,
                ));
            }
            for (index, team) in staff.caseworkers[first_caseworker..]
                .chunks(CASEWORKERS_PER_GROUP)
                .enumerate()
                .collect::<Vec<_>>()
            {
                let supervisor =
                    member(format!("sup-{}-{}", agency.id, index + 1), &agency.id, "supervisor", 0);
                let mut members = vec![supervisor.id];
                members.extend(team.iter().map(|caseworker| caseworker.id));
                staff.groups.push(StaffGroup {
                    name: format!("{} team {}", agency.code, index + 1),
                    agency_id: agency.id.clone(),
                    members,
                });
                staff.supervisors.push(supervisor);
            }
            for number in 1..=SERVICE_PROVIDERS_PER_AGENCY {
                staff.service_providers.push(member(
                    format!("sp-{}-{number}", agency.id),
                    &agency.id,
                    "service_provider",
                    0,
                ));
            }
            staff.managers.push(member(format!("mgr-{}", agency.id), &agency.id, "agency_admin", 0));
        }
        if let Some(agency) = config.agencies.first() {
            let coordinator = member("imo-1".to_owned(), &agency.id, "information_management_officer", 0);
            staff.coordinators.push(coordinator);
        }
        staff
    }

    pub fn all_members(&self) -> impl Iterator<Item = &StaffMember> {
        self.caseworkers
            .iter()
            .chain(&self.supervisors)
            .chain(&self.service_providers)
            .chain(&self.managers)
            .chain(&self.coordinators)
    }
}

/// A case as the store would have written it, with its derived rows.
#[derive(Debug, Clone)]
pub struct SeedCase {
    pub id: Uuid,
    pub display_id: String,
    pub data: Map<String, Value>,
    pub columns: IndexedColumns,
    pub version: i64,
    pub status: CaseStatus,
    pub enabled: bool,
    pub owner_id: Uuid,
    pub owner_agency_id: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub closed_at: Option<OffsetDateTime>,
    /// Change log entries: version, change and when.
    pub changes: Vec<(i64, AppliedChange, OffsetDateTime)>,
    pub assigned_to: Option<Uuid>,
    pub referral: Option<SeedReferral>,
}

#[derive(Debug, Clone)]
pub struct SeedReferral {
    pub id: Uuid,
    pub to_user_id: Uuid,
    pub to_agency_id: String,
    pub service_type: &'static str,
    pub status: &'static str,
}

/// Makes case records one at a time, in order of registration.
pub struct CaseFactory<'a> {
    config: &'a Configuration,
    staff: &'a Staff,
    validator: Validator<'a>,
    rng: StdRng,
    total: u64,
    now: OffsetDateTime,
    /// Caseworker indices per agency, to assign a case within the owner's agency.
    caseworkers_by_agency: std::collections::HashMap<String, Vec<usize>>,
    /// Draws the assessment and case plan dates when set. It is a generator of its own, so the
    /// rest of the data is the same with and without them.
    casework_rng: Option<StdRng>,
}

impl<'a> CaseFactory<'a> {
    pub fn new(
        config: &'a Configuration,
        staff: &'a Staff,
        total: u64,
        seed: u64,
        now: OffsetDateTime,
    ) -> Self {
        let today = sathi_domain::dates::today(now, config.deployment.utc_offset_minutes);
        let mut caseworkers_by_agency: std::collections::HashMap<String, Vec<usize>> = Default::default();
        for (index, caseworker) in staff.caseworkers.iter().enumerate() {
            caseworkers_by_agency.entry(caseworker.agency_id.clone()).or_default().push(index);
        }
        CaseFactory {
            config,
            staff,
            validator: Validator::new(config, today),
            rng: StdRng::seed_from_u64(seed),
            total: total.max(1),
            now,
            caseworkers_by_agency,
            casework_rng: None,
        }
    }

    /// Also records, before any closure, a completed assessment on [`ASSESSED_SHARE`] of the
    /// cases and an approved case plan on [`PLAN_APPROVED_SHARE`] of those, so that the
    /// dashboards' time-to-assessment and time-to-plan figures have data.
    pub fn with_casework(mut self, seed: u64) -> Self {
        self.casework_rng = Some(StdRng::seed_from_u64(seed));
        self
    }

    /// Writes the assessment and case plan approval of a case registered at `created_at`,
    /// before `end` (its closure, or now), as versions after `version`. Returns the time of the
    /// last write, if any.
    fn record_casework(
        &mut self,
        data: &mut Map<String, Value>,
        changes: &mut Vec<(i64, AppliedChange, OffsetDateTime)>,
        version: &mut i64,
        created_at: OffsetDateTime,
        end: OffsetDateTime,
    ) -> Option<OffsetDateTime> {
        let rng = self.casework_rng.as_mut()?;
        if end - created_at < Duration::days(1) || !rng.random_bool(ASSESSED_SHARE) {
            return None;
        }
        let days = if rng.random_bool(LATE_ASSESSMENT_SHARE) {
            rng.random_range(8..=28)
        } else {
            rng.random_range(0..=7)
        };
        let assessed_at = (created_at + Duration::days(days)).min(end - Duration::hours(1));
        let assessment = [Change {
            path: "assessment_completed_on".into(),
            value: json!(sathi_domain::dates::format_date(assessed_at.date())),
        }];
        let write = self
            .validator
            .validate_update(data, &assessment, &|_| FormAccess::ReadWrite)
            .unwrap_or_else(|errors| panic!("a synthetic assessment is invalid: {errors:?}"));
        *data = write.data;
        *version += 1;
        changes.extend(write.changes.into_iter().map(|change| (*version, change, assessed_at)));

        if end - assessed_at < Duration::days(4) || !rng.random_bool(PLAN_APPROVED_SHARE) {
            return Some(assessed_at);
        }
        let approved_at =
            (assessed_at + Duration::days(rng.random_range(3..=30))).min(end - Duration::minutes(1));
        // The approval date is a field the server owns, written by the supervisor's approval.
        let approved_on = json!(sathi_domain::dates::format_date(approved_at.date()));
        let (approved, approval_changes) =
            sathi_server::approvals::system_changes(data, &[("case_plan_approved_on", approved_on)]);
        *data = approved;
        *version += 1;
        changes.extend(approval_changes.into_iter().map(|change| (*version, change, approved_at)));
        Some(approved_at)
    }

    /// Makes the data a caseworker would enter for a new case registered on `registered`.
    pub fn new_case_data(&mut self, registered: Date, home_camp: usize) -> Map<String, Value> {
        let rng = &mut self.rng;
        let female = rng.random_bool(0.5);
        let bangla = rng.random_bool(0.5);
        let (first_names, mohammed, last_names) = match (bangla, female) {
            (true, true) => (BANGLA_FEMALE, None, BANGLA_LAST),
            (true, false) => (BANGLA_MALE, Some(BANGLA_MOHAMMED), BANGLA_LAST),
            (false, true) => (LATIN_FEMALE, None, LATIN_LAST),
            (false, false) => (LATIN_MALE, Some(LATIN_MOHAMMED), LATIN_LAST),
        };
        let given = *first_names.choose(rng).expect("name lists are not empty");
        let mut data = Map::new();
        match mohammed.filter(|_| rng.random_bool(0.3)) {
            Some(mohammed) => {
                data.insert("name_first".into(), json!(mohammed));
                data.insert("name_middle".into(), json!(given));
            }
            None => {
                data.insert("name_first".into(), json!(given));
            }
        }
        if rng.random_bool(0.8) {
            data.insert("name_last".into(), json!(last_names.choose(rng).expect("name lists are not empty")));
        }
        data.insert("registration_date".into(), json!(sathi_domain::dates::format_date(registered)));
        data.insert("sex".into(), json!(if female { "female" } else { "male" }));
        let age: i64 = rng.random_range(0..18);
        if rng.random_bool(0.6) {
            let born = registered - Duration::days(age * 365 + rng.random_range(0..365));
            data.insert("date_of_birth".into(), json!(sathi_domain::dates::format_date(born)));
        } else {
            data.insert("age".into(), json!(age));
        }
        let camp =
            if rng.random_bool(0.85) { home_camp } else { rng.random_range(0..self.staff.camps.len()) };
        let block = self.staff.camps[camp].choose(rng).expect("every camp has a code");
        data.insert("location_current".into(), json!(block));
        let risk = match rng.random_range(0..100) {
            0..25 => "high",
            25..70 => "medium",
            _ => "low",
        };
        data.insert("risk_level".into(), json!(risk));
        let count = rng.random_range(1..=3);
        let concerns: Vec<&str> = CONCERNS.choose_multiple(rng, count).copied().collect();
        data.insert("protection_concerns".into(), json!(concerns));
        data.insert("protection_status".into(), json!(PROTECTION_STATUSES.choose(rng)));
        data.insert("nationality".into(), json!("myanmar"));
        data.insert("languages".into(), json!(["rohingya"]));
        data
    }

    /// Validates new case data as `POST /cases` does, panicking on a generator bug.
    pub fn validate_new(&self, input: &Map<String, Value>) -> (Map<String, Value>, Vec<AppliedChange>) {
        let write = self
            .validator
            .validate_new(input, &|_| FormAccess::ReadWrite)
            .unwrap_or_else(|errors| panic!("a synthetic case is invalid: {errors:?}\n{input:?}"));
        (write.data, write.changes)
    }

    /// Makes case number `index` (0-based) of `total`. Registration dates rise with the index,
    /// so ids, which are UUID v7 of the creation time, are inserted in order.
    pub fn case(&mut self, index: u64) -> SeedCase {
        let span = (self.now - Duration::days(1)) - FIRST_REGISTRATION.midnight().assume_utc();
        let offset = span * (index as f64 / self.total as f64);
        let created_at = FIRST_REGISTRATION.midnight().assume_utc() + offset;
        let registered = created_at.date();
        let owner_index = self.rng.random_range(0..self.staff.caseworkers.len());
        let owner = self.staff.caseworkers[owner_index].clone();

        let input = self.new_case_data(registered, owner.home_camp);
        let (mut data, changes) = self.validate_new(&input);
        let mut changes: Vec<(i64, AppliedChange, OffsetDateTime)> =
            changes.into_iter().map(|change| (1, change, created_at)).collect();

        let age = self.now - created_at;
        let mut status = CaseStatus::Open;
        let mut version = 1;
        let mut closed_at = None;
        let mut updated_at = created_at + random_fraction(&mut self.rng, age.min(Duration::days(200)));
        let closes = age > Duration::days(90) && self.rng.random_bool(CLOSED_SHARE);
        let closed = closes.then(|| {
            created_at + Duration::days(30) + random_fraction(&mut self.rng, age - Duration::days(31))
        });
        let end = closed.unwrap_or(self.now);
        if let Some(last) = self.record_casework(&mut data, &mut changes, &mut version, created_at, end) {
            updated_at = updated_at.max(last);
        }
        if let Some(closed) = closed {
            let closure = vec![
                Change { path: "closure_reason".into(), value: json!(CLOSURE_REASONS.choose(&mut self.rng)) },
                Change {
                    path: "closure_date".into(),
                    value: json!(sathi_domain::dates::format_date(closed.date())),
                },
            ];
            let write = self
                .validator
                .validate_update(&data, &closure, &|_| FormAccess::ReadWrite)
                .unwrap_or_else(|errors| panic!("a synthetic closure is invalid: {errors:?}"));
            data = write.data;
            version += 1;
            changes.extend(write.changes.into_iter().map(|change| (version, change, closed)));
            status = CaseStatus::Closed;
            closed_at = Some(closed);
            updated_at = closed;
        }
        let columns = IndexedColumns::from_data(&data, status);

        let assigned_to = self.rng.random_bool(ASSIGNED_SHARE).then(|| {
            let colleagues = &self.caseworkers_by_agency[&owner.agency_id];
            self.staff.caseworkers
                [*colleagues.choose(&mut self.rng).expect("the owner's agency has caseworkers")]
            .id
            .0
        });
        let referral = self.rng.random_bool(REFERRED_SHARE).then(|| {
            let provider = self
                .staff
                .service_providers
                .choose(&mut self.rng)
                .expect("every agency has service providers");
            SeedReferral {
                id: Uuid::now_v7(),
                to_user_id: provider.id.0,
                to_agency_id: provider.agency_id.clone(),
                service_type: SERVICE_TYPES.choose(&mut self.rng).expect("service types are not empty"),
                status: ["pending", "accepted", "done"].choose(&mut self.rng).expect("not empty"),
            }
        });

        SeedCase {
            id: uuid_v7_at(created_at),
            display_id: display_id(&self.config.deployment.display_id_prefix, index),
            data,
            columns,
            version,
            status,
            enabled: !self.rng.random_bool(DISABLED_SHARE),
            owner_id: owner.id.0,
            owner_agency_id: owner.agency_id,
            created_at,
            updated_at: updated_at.min(self.now),
            closed_at,
            changes,
            assigned_to,
            referral,
        }
    }
}

fn random_fraction(rng: &mut StdRng, span: Duration) -> Duration {
    span.max(Duration::ZERO) * rng.random::<f64>()
}

/// Makes a UUID v7 whose time part is `at`, as `Uuid::now_v7` would have made at that instant.
pub fn uuid_v7_at(at: OffsetDateTime) -> Uuid {
    let nanos = at.unix_timestamp_nanos();
    let timestamp = uuid::Timestamp::from_unix(
        uuid::NoContext,
        (nanos / 1_000_000_000) as u64,
        (nanos % 1_000_000_000) as u32,
    );
    Uuid::new_v7(timestamp)
}

/// Makes a display id that no other index gets: the index scrambled by an odd multiplier
/// (a bijection modulo 29^6) and written in the server's 29-letter alphabet.
pub fn display_id(prefix: &str, index: u64) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";
    const SPACE: u64 = 29u64.pow(6);
    let mut value = (index % SPACE) * 387_420_489 % SPACE;
    let mut suffix = [b'2'; 6];
    for slot in suffix.iter_mut().rev() {
        *slot = ALPHABET[(value % 29) as usize];
        value /= 29;
    }
    format!("{prefix}-{}", String::from_utf8_lossy(&suffix))
}
