//! `sathi demo`: a demo deployment on the default configuration.
//!
//! The demo contains a fixed list of users (every role, each in at least two agencies, one shared
//! password per role) and synthetic cases drawn from a seeded random generator. Each case is
//! written the way the API writes one: validated against the configuration with the owner's form
//! access, then stored through the [`sathi_store::Store`] with the owner's principal. The case is
//! registered, and its casework follows as the versions and approvals that would record it:
//! the assessment, the case plan and its approval by the supervisor, services and follow-ups,
//! and for closed cases the closure and its approval.
//!
//! Each caseworker has an open caseload of about twenty cases that looks kept up
//! ([`caseload`]): a few items overdue, a handful due this week. Their older cases are closed,
//! most of them in the last 12 months, and registrations go back about 24 months. Supervisors
//! find case plans to approve and a few new registrations they keep until assigning them.
//! Lanternlight's receivers find referrals to answer, and past referrals to every receiving
//! agency, closed since, spread over the months. The two camps with the fewest blocks have
//! only 2 and 3 cases, so that reports shared outside an agency have small counts to suppress.
//!
//! Dates are laid out backwards from today in the deployment's time zone, so the same seed gives
//! the same cases, and the same task counts, when run on any day. NOTE: `StdRng` is free to change
//! its algorithm between `rand` releases, so another `rand` version may draw other cases from the
//! same seed.

mod caseload;
mod casework;
mod store;
mod texts;

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{Context, bail};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sathi_domain::config::{Configuration, LocalizedText, Location, LocationLevel};
use sathi_domain::dates;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::{Action, Grant, Role, Scope};
use sathi_domain::principal::Principal;
use sathi_domain::validation::ROW_ID;
use sathi_server::state::AppState;
use sathi_server::users::CreateUserRequest;
use sathi_store::{CaseFilter, User};
use secrecy::SecretString;
use serde_json::{Map, Value, json};
use time::macros::date;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
use uuid::Uuid;

use self::caseload::{Fate, Slot};
use self::casework::{Step, Timeline};
use self::texts::*;

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

/// One login of the demo. The list is fixed rather than drawn from the seed, so the README can
/// print it.
struct DemoUser {
    username: &'static str,
    full_name: &'static str,
    agency_id: &'static str,
    role_id: &'static str,
    locale: &'static str,
}

const fn demo_user(
    username: &'static str,
    full_name: &'static str,
    agency_id: &'static str,
    role_id: &'static str,
    locale: &'static str,
) -> DemoUser {
    DemoUser { username, full_name, agency_id, role_id, locale }
}

const CASEWORKER: &str = "caseworker";
const SUPERVISOR: &str = "supervisor";
const AGENCY_ADMIN: &str = "agency_admin";
const SERVICE_PROVIDER: &str = "service_provider";
const IMO: &str = "information_management_officer";
const SYSTEM_ADMIN: &str = "system_admin";

/// The demo's users. Each case management agency has a supervisor and four caseworkers, who
/// own all the cases. Service providers sit in agencies that give health, legal, psychosocial
/// and GBV services, and receive the demo's referrals.
const DEMO_USERS: &[DemoUser] = &[
    demo_user("sup.karim", "Abdul Karim", "bcri", SUPERVISOR, "en"),
    demo_user("cw.rahima", "Rahima Akter", "bcri", CASEWORKER, "bn"),
    demo_user("cw.shirin", "Shirin Sultana", "bcri", CASEWORKER, "bn"),
    demo_user("cw.mahmud", "Mahmudul Hasan", "bcri", CASEWORKER, "bn"),
    demo_user("cw.farzana", "Farzana Yasmin", "bcri", CASEWORKER, "en"),
    demo_user("sup.nazmul", "Nazmul Haque", "nsf", SUPERVISOR, "en"),
    demo_user("cw.nasima", "Nasima Begum", "nsf", CASEWORKER, "bn"),
    demo_user("cw.tahmina", "Tahmina Khatun", "nsf", CASEWORKER, "bn"),
    demo_user("cw.anwar", "Anwar Hossain", "nsf", CASEWORKER, "bn"),
    demo_user("cw.sabina", "Sabina Yasmin", "nsf", CASEWORKER, "bn"),
    demo_user("sup.fatema", "Fatema Tuz Zohra", "bcss", SUPERVISOR, "en"),
    demo_user("cw.rumana", "Rumana Afroz", "bcss", CASEWORKER, "bn"),
    demo_user("cw.jannat", "Jannatul Ferdous", "bcss", CASEWORKER, "bn"),
    demo_user("cw.shahnaz", "Shahnaz Parvin", "bcss", CASEWORKER, "bn"),
    demo_user("cw.jasim", "Jasim Uddin", "bcss", CASEWORKER, "en"),
    demo_user("sup.saiful", "Saiful Islam", "lli", SUPERVISOR, "en"),
    demo_user("cw.moriom", "Moriom Akter", "lli", CASEWORKER, "bn"),
    demo_user("cw.razia", "Razia Sultana", "lli", CASEWORKER, "bn"),
    demo_user("cw.kulsum", "Kulsum Begum", "lli", CASEWORKER, "bn"),
    demo_user("cw.nusrat", "Nusrat Jahan", "lli", CASEWORKER, "en"),
    demo_user("sup.rokeya", "Rokeya Rahman", "frni", SUPERVISOR, "en"),
    demo_user("cw.lovely", "Lovely Akter", "frni", CASEWORKER, "bn"),
    demo_user("cw.sharmin", "Sharmin Akter", "frni", CASEWORKER, "bn"),
    demo_user("cw.dilruba", "Dilruba Khanam", "frni", CASEWORKER, "bn"),
    demo_user("cw.rashed", "Rashed Khan", "frni", CASEWORKER, "en"),
    demo_user("sup.tanvir", "Tanvir Ahmed", "nrydo", SUPERVISOR, "en"),
    demo_user("cw.mousumi", "Mousumi Das", "nrydo", CASEWORKER, "bn"),
    demo_user("cw.taslima", "Taslima Begum", "nrydo", CASEWORKER, "bn"),
    demo_user("cw.hosneara", "Hosne Ara", "nrydo", CASEWORKER, "bn"),
    demo_user("cw.bilkis", "Bilkis Akter", "nrydo", CASEWORKER, "bn"),
    demo_user("admin.mizan", "Mizanur Rahman", "bcri", AGENCY_ADMIN, "en"),
    demo_user("admin.shamsun", "Shamsun Nahar", "nsf", AGENCY_ADMIN, "en"),
    demo_user("admin.kamrul", "Kamrul Hasan", "bcss", AGENCY_ADMIN, "en"),
    demo_user("sp.ayesha", "Ayesha Siddiqua", "smr", SERVICE_PROVIDER, "bn"),
    demo_user("sp.imran", "Imran Hossain", "ddf", SERVICE_PROVIDER, "bn"),
    demo_user("sp.mahbuba", "Mahbuba Khatun", "aalt", SERVICE_PROVIDER, "en"),
    demo_user("sp.arif", "Arif Chowdhury", "dcfwo", SERVICE_PROVIDER, "en"),
    demo_user("sp.parvin", "Parvin Akter", "shwga", SERVICE_PROVIDER, "bn"),
    demo_user("sp.nilufar", "Nilufar Yasmin", "hwwa", SERVICE_PROVIDER, "bn"),
    // Receivers inside a case management agency, for referrals and transfers made in the app.
    demo_user("sp.nabil", "Nabil Hasan", "lli", SERVICE_PROVIDER, "bn"),
    demo_user("sp.priya", "Priya Barua", "lli", SERVICE_PROVIDER, "en"),
    demo_user("sp.sumaiya", "Sumaiya Islam", "bcri", SERVICE_PROVIDER, "bn"),
    demo_user("imo.nasrin", "Nasrin Sultana", "unhoc", IMO, "en"),
    demo_user("imo.habib", "Habibur Rahman", "bcri", IMO, "en"),
    demo_user("sysadmin.asif", "Asif Iqbal", "unhoc", SYSTEM_ADMIN, "en"),
    demo_user("sysadmin.sadia", "Sadia Afrin", "dcfwo", SYSTEM_ADMIN, "en"),
];

/// Returns the shared demo password of a role. Each is at least 10 characters, the default
/// `min_password_chars`, so a configuration that requires more makes the demo fail at the first user.
fn demo_password(role_id: &str) -> &'static str {
    match role_id {
        CASEWORKER => "demo-caseworker",
        SUPERVISOR => "demo-supervisor",
        AGENCY_ADMIN => "demo-agency-admin",
        SERVICE_PROVIDER => "demo-provider",
        IMO => "demo-im-officer",
        _ => "demo-sysadmin",
    }
}

/// A stored demo user with the principal their store calls run under.
struct Member {
    user: User,
    principal: Principal,
}

/// The users the case generator needs: case owners, their approvers and referral recipients.
struct Staff {
    caseworkers: Vec<Member>,
    supervisors: Vec<Member>,
    /// Service providers of agencies that own no cases, who receive the generated referrals.
    service_providers: Vec<Member>,
    /// Service providers of Lanternlight (LLI), which also manages cases.
    lli_receivers: Vec<Member>,
    /// Service providers of the other agencies that also manage cases. They received referrals
    /// in the past, which are all closed.
    agency_receivers: Vec<Member>,
    /// Every other demo user, whose notifications the demo marks read.
    others: Vec<Member>,
}

impl Staff {
    fn everyone(&self) -> impl Iterator<Item = &Member> {
        self.caseworkers
            .iter()
            .chain(&self.supervisors)
            .chain(&self.service_providers)
            .chain(&self.lli_receivers)
            .chain(&self.agency_receivers)
            .chain(&self.others)
    }

    fn supervisor_of(&self, agency_id: &str) -> anyhow::Result<&Member> {
        self.supervisors
            .iter()
            .find(|member| member.user.agency_id == agency_id)
            .with_context(|| format!("the demo has no supervisor in agency {agency_id} to approve its cases"))
    }
}

/// Lanternlight, a case management agency that also gives psychosocial support.
const LLI_AGENCY: &str = "lli";

/// Cases in each of the two camps with the fewest blocks, below the default suppression
/// threshold of 5, so that reports shared outside an agency suppress them.
const SPARSE_CAMP_CASES: [usize; 2] = [2, 3];
/// Share of cases, in percent, with a referral made after the plan's approval and closed since.
const PAST_REFERRAL_PERCENT: u32 = 40;
/// An open case's past referral was made at least this many days before today.
const PAST_REFERRAL_MIN_AGE_DAYS: i64 = 10;

/// Returns the indexes of the two camps with the fewest blocks (ties in code order), or none
/// when the configuration has fewer than four camps to spare them from.
fn sparse_camps(camps: &[Camp]) -> Vec<usize> {
    if camps.len() < 4 {
        return Vec::new();
    }
    let mut by_size: Vec<usize> = (0..camps.len()).collect();
    by_size.sort_by_key(|camp| (camps[*camp].blocks.len(), camps[*camp].location.code.as_str()));
    by_size.truncate(SPARSE_CAMP_CASES.len());
    by_size
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/// Creates the demo users and `case_count` cases drawn from `seed`, then prints the logins.
///
/// If the database already contains the demo's users, creates nothing and only prints the logins,
/// so running the demo again never duplicates data. Fails before adding anything if the database
/// contains other users, because demo data must not mix with a real deployment.
pub async fn create(state: &AppState, case_count: usize, seed: u64) -> anyhow::Result<()> {
    let loaded = state.configuration();
    let config = &loaded.config;

    // NOTE: a run stopped while it created cases leaves fewer cases than requested. A later run
    // reports the smaller count and adds nothing, so delete the data folder to start over.
    if state.store.user_by_username(DEMO_USERS[0].username).await?.is_some() {
        let existing = count_cases(state).await?;
        println!(
            "This database already contains the demo deployment ({existing} cases), so nothing was added."
        );
        print_logins(config);
        return Ok(());
    }
    let user_count = state.store.count_users().await?;
    if user_count > 0 {
        bail!(
            "the database already has {user_count} users that are not demo users, so no demo data was \
             added; run the demo with an empty data folder, for example --data-dir ./sathi-demo"
        );
    }

    let started = Instant::now();
    let staff = create_users(state).await?;
    println!("Created {} users in {:.1} s.", DEMO_USERS.len(), started.elapsed().as_secs_f64());
    store::create_cases(state, config, &staff, case_count, seed).await?;
    print_logins(config);
    Ok(())
}

/// Counts every case in the database, across all owners and agencies.
async fn count_cases(state: &AppState) -> anyhow::Result<i64> {
    // A principal that may read every case. No configured role reads all cases, so counting needs
    // a role of its own, which exists only inside this process and belongs to no user.
    let counter = Principal {
        user_id: UserId(Uuid::nil()),
        agency_id: String::new(),
        role: Role {
            id: "demo_case_counter".to_owned(),
            name: LocalizedText::default(),
            description: LocalizedText::default(),
            grants: vec![Grant { action: Action::Read, scope: Scope::All }],
            forms: BTreeMap::new(),
        },
        group_ids: Vec::new(),
    };
    let filter = CaseFilter { limit: 1, ..CaseFilter::default() };
    Ok(state.store.list_cases(&counter, &filter).await?.total)
}

/// Stores the demo users, and for each supervisor a user group with their agency's caseworkers.
async fn create_users(state: &AppState) -> anyhow::Result<Staff> {
    let mut users = Vec::with_capacity(DEMO_USERS.len());
    for demo in DEMO_USERS {
        let request = CreateUserRequest {
            username: demo.username.to_owned(),
            full_name: demo.full_name.to_owned(),
            agency_id: demo.agency_id.to_owned(),
            role_id: demo.role_id.to_owned(),
            locale: Some(demo.locale.to_owned()),
            password: SecretString::from(demo_password(demo.role_id)),
        };
        let user = sathi_server::users::add_user(state, request).await.map_err(|error| {
            let message = error.render(&state.messages, "en").error.message;
            anyhow::anyhow!("failed to create the demo user {}: {message}", demo.username)
        })?;
        users.push(user);
    }

    for supervisor in users.iter().filter(|user| user.role_id == SUPERVISOR) {
        let agency = &supervisor.agency_id;
        let group = state.store.create_group(&format!("{} team", supervisor.full_name), agency).await?;
        state.store.add_group_member(group, supervisor.id).await?;
        for caseworker in users.iter().filter(|user| user.role_id == CASEWORKER && &user.agency_id == agency)
        {
            state.store.add_group_member(group, caseworker.id).await?;
        }
    }

    // Generated referrals always leave the owner's agency, so receivers of an agency that owns
    // cases get none of them.
    let case_agencies: Vec<String> =
        users.iter().filter(|user| user.role_id == CASEWORKER).map(|user| user.agency_id.clone()).collect();
    let mut staff = Staff {
        caseworkers: Vec::new(),
        supervisors: Vec::new(),
        service_providers: Vec::new(),
        lli_receivers: Vec::new(),
        agency_receivers: Vec::new(),
        others: Vec::new(),
    };
    for user in users {
        let principal = sathi_server::auth::principal_of(state, &user)
            .await
            .map_err(|_| anyhow::anyhow!("the configuration has no role '{}'", user.role_id))?;
        let member = Member { user, principal };
        match member.user.role_id.as_str() {
            CASEWORKER => staff.caseworkers.push(member),
            SUPERVISOR => staff.supervisors.push(member),
            SERVICE_PROVIDER if !case_agencies.contains(&member.user.agency_id) => {
                staff.service_providers.push(member)
            }
            SERVICE_PROVIDER if member.user.agency_id == LLI_AGENCY => staff.lli_receivers.push(member),
            SERVICE_PROVIDER => staff.agency_receivers.push(member),
            _ => staff.others.push(member),
        }
    }
    Ok(staff)
}

/// Prints every demo login with its role, agency, password and interface language.
fn print_logins(config: &Configuration) {
    println!();
    println!("Demo logins (one shared password per role):");
    println!();
    println!("  {:<16} {:<32} {:<7} {:<19} Language", "Username", "Role", "Agency", "Password");
    for demo in DEMO_USERS {
        let role = config.role(demo.role_id).map_or(demo.role_id, |role| role.name.get("en"));
        let agency = config.agency(demo.agency_id).map_or(demo.agency_id, |agency| agency.code.as_str());
        let language = if demo.locale == "bn" { "Bangla (bn)" } else { "English (en)" };
        println!(
            "  {:<16} {:<32} {:<7} {:<19} {}",
            demo.username,
            role,
            agency,
            demo_password(demo.role_id),
            language
        );
    }
    println!();
}

// ---------------------------------------------------------------------------------------------
// Generating cases
// ---------------------------------------------------------------------------------------------

/// One case as the generator planned it, before validation.
struct PlannedCase {
    id: CaseId,
    display_id: String,
    /// Index into [`Staff::caseworkers`].
    owner: usize,
    registered_at: OffsetDateTime,
    registration: Map<String, Value>,
    /// The versions and approvals after the registration, in order.
    history: Vec<Step>,
    referral: Option<PlannedReferral>,
    /// A referral made earlier in the casework and closed since: done, rejected or ended.
    past_referral: Option<PlannedReferral>,
    /// A referral to a receiver of Lanternlight (LLI), sent after the history is stored.
    lli_referral: Option<LliReferral>,
    /// The case is handed to the supervisor of the owner's agency after it is stored.
    awaiting_assignment: bool,
}

struct PlannedReferral {
    id: Uuid,
    /// Index into [`CaseGenerator::providers`].
    provider: usize,
    to_user_id: UserId,
    to_agency_id: String,
    service_type: &'static str,
    status: &'static str,
    shared_forms: Vec<&'static str>,
    at: OffsetDateTime,
}

/// A pending psychosocial referral to one of Lanternlight's receivers, so they find work waiting
/// at their first login.
struct LliReferral {
    id: Uuid,
    /// Index into [`Staff::lli_receivers`].
    receiver: usize,
    at: OffsetDateTime,
}

/// What the registration records about consent to share, so referrals the generator makes are
/// allowed.
struct SharingConsent {
    /// The consent to share is not recorded.
    withheld: bool,
    /// Sharing scopes the planned referrals need.
    scopes: Vec<&'static str>,
}

/// A camp and its blocks.
struct Camp<'c> {
    location: &'c Location,
    blocks: Vec<&'c Location>,
}

/// A caseworker as the case generator uses them: name, agency, language and camps.
struct CaseworkerProfile {
    full_name: String,
    agency_id: String,
    agency_name: String,
    agency_services: Vec<String>,
    /// Whether the caseworker writes notes in Bangla (their interface language is `bn`).
    writes_bangla: bool,
    /// Indexes into [`CaseGenerator::camps`] of the camps this caseworker covers.
    camps: Vec<usize>,
}

/// A user who receives referrals from caseworkers of other agencies.
struct ProviderProfile {
    user_id: UserId,
    agency_id: String,
    full_name: String,
    agency_name: String,
    services: Vec<String>,
    /// Receives the open referrals the demo makes. The receivers inside case management
    /// agencies receive only past referrals, and Lanternlight's the waiting ones.
    receives_open: bool,
}

/// The child at the centre of a case, as far as later steps need to know.
struct Child {
    sex: &'static str,
    date_of_birth: Date,
    latin_script: bool,
    concerns: Vec<&'static str>,
    risk_level: &'static str,
    separated: bool,
    camp: usize,
}

struct CaseGenerator<'c> {
    rng: StdRng,
    config: &'c Configuration,
    today: Date,
    now: OffsetDateTime,
    zone: UtcOffset,
    display_id_prefix: String,
    camps: Vec<Camp<'c>>,
    caseworkers: Vec<CaseworkerProfile>,
    providers: Vec<ProviderProfile>,
    lli_receiver_count: usize,
    /// Camps (indexes into `camps`) of the next children of open cases, before any
    /// caseworker's own camps: the cases of the sparse camps.
    sparse_camp_queue: Vec<usize>,
}

impl<'c> CaseGenerator<'c> {
    fn new(
        config: &'c Configuration,
        staff: &Staff,
        seed: u64,
        now: OffsetDateTime,
        today: Date,
    ) -> anyhow::Result<Self> {
        let mut camps: Vec<Camp> = config
            .locations
            .iter()
            .filter(|location| location.level == LocationLevel::Camp)
            .map(|camp| Camp {
                location: camp,
                blocks: config
                    .locations
                    .iter()
                    .filter(|block| {
                        block.level == LocationLevel::Block
                            && block.parent.as_deref() == Some(camp.code.as_str())
                    })
                    .collect(),
            })
            .collect();
        camps.sort_by(|a, b| a.location.code.cmp(&b.location.code));
        if camps.is_empty() {
            bail!("the configuration has no camp locations, which the demo cases live in");
        }
        if staff.caseworkers.is_empty() || staff.service_providers.is_empty() {
            bail!("the demo needs at least one caseworker and one service provider");
        }

        let agency_name = |agency_id: &str| {
            config
                .agency(agency_id)
                .map_or_else(|| agency_id.to_owned(), |agency| agency.name.get("en").to_owned())
        };
        let agency_services = |agency_id: &str| {
            config.agency(agency_id).map(|agency| agency.services.clone()).unwrap_or_default()
        };
        // The camps with the fewest blocks get only a handful of cases, so that reports shared
        // outside an agency have small counts to suppress. The other camps are dealt out in
        // turn, so each has a caseworker and neighbouring camps (in code order) go to
        // caseworkers of the same agency.
        let sparse = sparse_camps(&camps);
        let dealt: Vec<usize> = (0..camps.len()).filter(|camp| !sparse.contains(camp)).collect();
        let mut sparse_camp_queue = Vec::new();
        for (camp, count) in sparse.iter().zip(SPARSE_CAMP_CASES) {
            sparse_camp_queue.extend([*camp].repeat(count));
        }
        let caseworker_count = staff.caseworkers.len();
        let caseworkers = staff
            .caseworkers
            .iter()
            .enumerate()
            .map(|(index, member)| CaseworkerProfile {
                full_name: member.user.full_name.clone(),
                agency_id: member.user.agency_id.clone(),
                agency_name: agency_name(&member.user.agency_id),
                agency_services: agency_services(&member.user.agency_id),
                writes_bangla: member.user.locale == "bn",
                camps: (0..dealt.len())
                    .filter(|turn| turn % caseworker_count == index % dealt.len().max(1))
                    .map(|turn| dealt[turn])
                    .collect(),
            })
            .map(|mut profile| {
                if profile.camps.is_empty() {
                    profile.camps.push(0);
                }
                profile
            })
            .collect();
        let receivers = staff.service_providers.iter().map(|member| (member, true));
        let in_case_agencies = staff.lli_receivers.iter().chain(&staff.agency_receivers);
        let providers = receivers
            .chain(in_case_agencies.map(|member| (member, false)))
            .map(|(member, receives_open)| ProviderProfile {
                user_id: member.user.id,
                agency_id: member.user.agency_id.clone(),
                full_name: member.user.full_name.clone(),
                agency_name: agency_name(&member.user.agency_id),
                services: agency_services(&member.user.agency_id),
                receives_open,
            })
            .collect();

        Ok(CaseGenerator {
            rng: StdRng::seed_from_u64(seed),
            config,
            today,
            now,
            zone: UtcOffset::from_whole_seconds(config.deployment.utc_offset_minutes * 60)
                .context("the deployment's UTC offset is out of range")?,
            display_id_prefix: config.deployment.display_id_prefix.clone(),
            camps,
            caseworkers,
            providers,
            lli_receiver_count: staff.lli_receivers.len().max(1),
            sparse_camp_queue,
        })
    }

    /// Makes a display id like the API's: the prefix and six characters without look-alikes.
    fn display_id(&mut self) -> String {
        const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";
        let suffix: String =
            (0..6).map(|_| ALPHABET[self.rng.random_range(0..ALPHABET.len())] as char).collect();
        format!("{}-{suffix}", self.display_id_prefix)
    }

    /// Makes a time-ordered UUID (v7) for the instant `at` from the seeded generator.
    fn uuid_at(&mut self, at: OffsetDateTime) -> Uuid {
        let mut random = [0u8; 10];
        self.rng.fill(&mut random);
        let millis = u64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
        uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
    }

    /// Picks a moment in office hours (08:00 to 16:59, deployment time) on `date`, never later
    /// than now.
    fn instant_on(&mut self, date: Date) -> OffsetDateTime {
        let time = Time::from_hms(self.rng.random_range(8..17), self.rng.random_range(0..60), 0)
            .expect("hours 8-16 and minutes 0-59 make a valid time");
        PrimitiveDateTime::new(date, time).assume_offset(self.zone).min(self.now)
    }

    /// Picks a date `min_days` to `max_days` after `from`, but not after `limit`.
    fn date_after(&mut self, from: Date, min_days: i64, max_days: i64, limit: Date) -> Date {
        let days = self.rng.random_range(min_days..=max_days.max(min_days));
        (from + Duration::days(days)).min(limit)
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.rng.random_bool(probability)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *items.choose(&mut self.rng).expect("option lists in this file are not empty")
    }

    fn pick_ref<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        items.choose(&mut self.rng).expect("option lists in this file are not empty")
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        items.choose_weighted(&mut self.rng, |item| item.1).expect("weights in this file are positive").0
    }

    /// Picks one text from bilingual options, in Bangla or English.
    fn text(&mut self, options: &[(&str, &str)], bangla: bool) -> String {
        let (english, bangla_text) = self.pick(options);
        if bangla { bangla_text.to_owned() } else { english.to_owned() }
    }

    fn row_id(&mut self, date: Date) -> Value {
        let at = self.instant_on(date);
        Value::String(self.uuid_at(at).to_string())
    }

    /// Plans one case: the child, its registration and the casework the caseload slot asks for.
    fn plan_case(&mut self, slot: &Slot) -> PlannedCase {
        let owner = slot.owner;
        let bangla_notes = self.caseworkers[owner].writes_bangla && self.chance(0.85);
        let timeline = self.timeline(slot.risk_level, &slot.fate);
        let registered = timeline.registered;
        let registered_at = self.instant_on(registered);

        let open_case = matches!(slot.fate, Fate::Open(_));
        let child = self.child(owner, registered, slot.risk_level, open_case);
        let open = match &slot.fate {
            Fate::Open(open) => Some(open),
            Fate::Closed | Fate::AwaitingAssignment { .. } => None,
        };
        let referral = open.filter(|open| open.referred).map(|_| {
            let earliest = timeline
                .plan_approved
                .map_or(self.today, |approved| approved.max(self.today - Duration::days(10)));
            let on = self.date_after(earliest, 0, 9, self.today);
            let at = self.instant_on(on);
            let status = if self.chance(0.6) { "accepted" } else { "pending" };
            self.referral_plan(&child, owner, at, status)
        });
        let past_referral = self.past_referral(&child, owner, &timeline);
        let lli_referral = open.filter(|open| open.referred_to_lli).map(|_| {
            let sent_on = self.today - Duration::days(self.rng.random_range(0..=2));
            let at = self.instant_on(sent_on);
            LliReferral {
                id: self.uuid_at(at),
                receiver: self.rng.random_range(0..self.lli_receiver_count),
                at,
            }
        });
        let mut scopes: Vec<&'static str> = referral
            .iter()
            .chain(&past_referral)
            .map(|referral| sharing_scope_of(referral.service_type))
            .collect();
        if lli_referral.is_some() {
            scopes.push(sharing_scope_of("psychosocial_support"));
        }
        let consent =
            SharingConsent { withheld: open.is_some_and(|open| open.without_sharing_consent), scopes };
        let registration = self.registration(&child, registered, bangla_notes, &consent);
        let history = self.history(owner, &child, &timeline, referral.as_ref(), bangla_notes);

        let id = CaseId(self.uuid_at(registered_at));
        let display_id = self.display_id();
        PlannedCase {
            id,
            display_id,
            owner,
            registered_at,
            registration,
            history,
            referral,
            past_referral,
            lli_referral,
            awaiting_assignment: matches!(slot.fate, Fate::AwaitingAssignment { .. }),
        }
    }

    /// Draws a referral made after the case plan's approval and closed before today, for
    /// [`PAST_REFERRAL_PERCENT`] of the cases whose plan was approved more than
    /// [`PAST_REFERRAL_MIN_AGE_DAYS`] days ago.
    fn past_referral(&mut self, child: &Child, owner: usize, timeline: &Timeline) -> Option<PlannedReferral> {
        let approved = timeline.plan_approved?;
        let end = timeline.closed.unwrap_or(self.today - Duration::days(PAST_REFERRAL_MIN_AGE_DAYS));
        if approved >= end || !self.rng.random_ratio(PAST_REFERRAL_PERCENT, 100) {
            return None;
        }
        let span = (end - approved).whole_days();
        let on = self.date_after(approved, 0, span, end);
        let at = self.instant_on(on);
        let status = if timeline.closed.is_some() {
            self.weighted(&[("done", 70), ("rejected", 15), ("ended", 15)])
        } else {
            self.weighted(&[("done", 75), ("rejected", 25)])
        };
        Some(self.referral_plan(child, owner, at, status))
    }

    /// Draws the child: sex, age, script of the name, concerns, risk and camp. The children of
    /// the first open cases live in the sparse camps, so that the camps' small counts show in
    /// the open cases of the coordination dashboard too.
    fn child(&mut self, owner: usize, registered: Date, risk_level: &'static str, open: bool) -> Child {
        let sex = if self.chance(0.5) { "female" } else { "male" };
        let age_now: i64 = self.weighted(&AGE_WEIGHTS);
        let mut date_of_birth = self.today - Duration::days(age_now * 365 + self.rng.random_range(0..365));
        if date_of_birth > registered {
            // A baby registered soon after birth.
            date_of_birth = registered - Duration::days(self.rng.random_range(7..120));
        }
        let age = dates::age_years(date_of_birth, registered).max(0) as u32;
        let concerns = self.concerns(sex, age);
        let separated = concerns.iter().any(|concern| matches!(*concern, "separated" | "unaccompanied"));
        let sparse = if open { self.sparse_camp_queue.pop() } else { None };
        let camp = match sparse {
            Some(camp) => camp,
            None => {
                let camps = &self.caseworkers[owner].camps;
                camps[self.rng.random_range(0..camps.len())]
            }
        };
        Child { sex, date_of_birth, latin_script: self.chance(0.5), concerns, risk_level, separated, camp }
    }

    /// Draws one to three protection concerns that fit the child's sex and age.
    fn concerns(&mut self, sex: &str, age: u32) -> Vec<&'static str> {
        let count = self.weighted(&[(1usize, 50), (2, 35), (3, 15)]);
        let mut chosen: Vec<&'static str> = Vec::new();
        let mut attempts = 0;
        while chosen.len() < count && attempts < 50 {
            attempts += 1;
            let concern = self.weighted(&CONCERN_WEIGHTS);
            let fits = match concern {
                "child_marriage" | "pregnant_or_child_parent" => sex == "female" && age >= 13,
                "child_labour"
                | "substance_use"
                | "in_conflict_with_law"
                | "associated_with_armed_groups" => age >= 9,
                "child_headed_household" | "child_caregiver" | "sexual_exploitation" | "trafficking" => {
                    age >= 10
                }
                "out_of_school" => age >= 6,
                _ => true,
            };
            let exclusive = matches!(concern, "separated" | "unaccompanied")
                && chosen.iter().any(|other| matches!(*other, "separated" | "unaccompanied"));
            if fits && !exclusive && !chosen.contains(&concern) {
                chosen.push(concern);
            }
        }
        if chosen.is_empty() {
            chosen.push("psychosocial_distress");
        }
        chosen
    }

    /// Chooses the service and provider of a referral to another agency made at `at`. An open
    /// referral (`pending` or `accepted`) goes to a provider outside the case management
    /// agencies. A closed one may also go to a receiver in one of them.
    fn referral_plan(
        &mut self,
        child: &Child,
        owner: usize,
        at: OffsetDateTime,
        status: &'static str,
    ) -> PlannedReferral {
        let open = matches!(status, "pending" | "accepted");
        let own_agency = self.caseworkers[owner].agency_id.clone();
        let needed: Vec<&'static str> = child
            .concerns
            .iter()
            .flat_map(|concern| needs_of(concern).iter().map(|need| need.service))
            .collect();
        let mut offered: Vec<(usize, &'static str)> = Vec::new();
        for (index, provider) in self.providers.iter().enumerate() {
            if provider.agency_id == own_agency || (open && !provider.receives_open) {
                continue;
            }
            for service in REFERRABLE_SERVICES {
                if provider.services.iter().any(|provided| provided == service) {
                    offered.push((index, service));
                }
            }
        }
        // Prefer a service the child's concerns call for, and otherwise take any referral.
        let matching: Vec<(usize, &'static str)> =
            offered.iter().copied().filter(|(_, service)| needed.contains(service)).collect();
        let options = if matching.is_empty() { offered } else { matching };

        let (provider, service_type) = self.pick(&options);

        // The provider sees only these forms of the case.
        let mut shared_forms = vec!["basic_identity", "protection_concerns", "consent", "services", "notes"];
        if matches!(service_type, "health" | "mental_health" | "psychosocial_support" | "gbv_services") {
            shared_forms.push("assessment");
        }
        if matches!(service_type, "legal" | "documentation") {
            shared_forms.push("family_details");
        }

        let id = self.uuid_at(at);
        let to_user_id = self.providers[provider].user_id;
        let to_agency_id = self.providers[provider].agency_id.clone();
        PlannedReferral { id, provider, to_user_id, to_agency_id, service_type, status, shared_forms, at }
    }

    /// Builds the data a caseworker records at registration: identity, concerns, consent,
    /// family, care and separation.
    fn registration(
        &mut self,
        child: &Child,
        registered: Date,
        bangla: bool,
        consent: &SharingConsent,
    ) -> Map<String, Value> {
        let mut data = Map::new();
        let latin = child.latin_script;
        let age = dates::age_years(child.date_of_birth, registered).max(0) as u32;
        set(&mut data, "registration_date", dates::format_date(registered));

        let name = self.child_name(child.sex, latin);
        set(&mut data, "name_first", name.first);
        set_some(&mut data, "name_middle", name.middle);
        set_some(&mut data, "name_last", name.last);
        if self.chance(0.2) {
            let nickname = self.nickname(child.sex, latin);
            set(&mut data, "name_nickname", nickname);
        }
        set_some(&mut data, "name_other_spellings", name.other_spellings);
        set(&mut data, "sex", child.sex);
        self.date_of_birth_fields(&mut data, child, registered);

        let camp_code = &self.camps[child.camp].location.code;
        let registered_camp = camp_code.ends_with("-KRC") || camp_code.ends_with("-NRC");
        let displacement = if registered_camp && self.chance(0.8) {
            "registered_refugee"
        } else {
            self.weighted(&[("fdmn", 88), ("new_arrival", 10), ("other", 2)])
        };
        let nationality = self.weighted(&[("myanmar", 80), ("stateless", 15), ("unknown", 5)]);
        set(&mut data, "nationality", nationality);
        let mut languages = vec!["rohingya"];
        if self.chance(0.3) {
            languages.push("bangla");
        }
        if self.chance(0.1) {
            languages.push("burmese");
        }
        set(&mut data, "languages", json!(languages));
        // Made-up number formats: the demo only needs plausible-looking identifiers.
        if self.chance(0.85) {
            let number = self.rng.random_range(1_000_000..10_000_000u32);
            set(&mut data, "family_counting_number", format!("FCN{number}"));
        }
        if displacement == "registered_refugee" {
            let number = self.rng.random_range(10_000_000..100_000_000u32);
            set(&mut data, "progres_individual_number", format!("358-{number}"));
        }
        if age >= 5 && self.chance(0.1) {
            set(&mut data, "other_id_document_type", "learning_centre_card");
            let number = self.rng.random_range(10_000..100_000u32);
            set(&mut data, "other_id_document_number", format!("LC-{number}"));
        }

        let block_count = self.camps[child.camp].blocks.len();
        let camp_level = block_count == 0 || self.chance(0.15);
        let block = self.rng.random_range(0..block_count.max(1));
        let camp = &self.camps[child.camp];
        let location = if camp_level { camp.location } else { camp.blocks[block] };
        set(&mut data, "location_current", location.code.as_str());
        let shelter = self.rng.random_range(1..400);
        let address = match (bangla, camp_level) {
            (true, true) => {
                format!("শেল্টার {}, {}", bangla_digits(&shelter.to_string()), camp.location.name.get("bn"))
            }
            (true, false) => format!(
                "শেল্টার {}, {}, {}",
                bangla_digits(&shelter.to_string()),
                location.name.get("bn"),
                camp.location.name.get("bn")
            ),
            (false, true) => format!("Shelter {shelter}, {}", camp.location.name.get("en")),
            (false, false) => {
                format!("Shelter {shelter}, {}, {}", location.name.get("en"), camp.location.name.get("en"))
            }
        };
        set(&mut data, "address_current", address);
        if self.chance(0.25) {
            let phone = self.phone();
            set(&mut data, "phone", phone);
        }

        // Protection concerns.
        set(&mut data, "risk_level", child.risk_level);
        let urgent = match child.risk_level {
            "high" => self.weighted(&[("yes", 70), ("no", 25), ("unknown", 5)]),
            "medium" => self.weighted(&[("yes", 15), ("no", 80), ("unknown", 5)]),
            _ => "no",
        };
        set(&mut data, "urgent_protection_concern", urgent);
        if urgent == "yes" {
            let details = self.text(&URGENT_DETAILS, bangla);
            set(&mut data, "urgent_protection_concern_details", details);
        }
        let status = if child.concerns.contains(&"unaccompanied") {
            "unaccompanied"
        } else if child.concerns.contains(&"separated") {
            "separated"
        } else {
            self.weighted(&[("accompanied", 85), ("not_yet_determined", 15)])
        };
        set(&mut data, "protection_status", status);
        set(&mut data, "protection_concerns", json!(child.concerns));
        if child.concerns.contains(&"other") {
            let other = self.text(&OTHER_CONCERNS, bangla);
            set(&mut data, "protection_concerns_other", other);
        }
        if self.chance(0.6) {
            let details = self.text(&CONCERN_DETAILS, bangla);
            set(&mut data, "protection_concerns_details", details);
        }
        set(&mut data, "displacement_status", displacement);
        if matches!(displacement, "fdmn" | "new_arrival") {
            let arrival = if displacement == "new_arrival" {
                self.date_after(registered - Duration::days(120), 0, 110, registered)
            } else {
                // Most families crossed in the influx of late 2017.
                self.date_after(date!(2017 - 08 - 25), 0, 120, registered)
            };
            if arrival > child.date_of_birth {
                set(&mut data, "arrival_date", dates::format_date(arrival));
            }
        }
        if child.concerns.contains(&"disability") {
            let disability =
                self.pick(&["physical", "visual", "hearing", "speech", "intellectual", "cerebral_palsy"]);
            set(&mut data, "disability_type", json!([disability]));
            let device = self.pick(&["yes", "no", "no", "unknown"]);
            set(&mut data, "disability_assistive_device", device);
            let needs = self.text(&DISABILITY_NEEDS, bangla);
            set(&mut data, "disability_needs", needs);
        }

        self.consent_fields(&mut data, child, age, registered, bangla, consent);
        self.family_fields(&mut data, child, registered, latin);
        if child.separated {
            self.separation_fields(&mut data, child, registered, bangla);
        }
        data
    }

    /// Sets an exact date of birth, or for about 30 % of children only an age, from which the
    /// validator derives an estimated date of birth.
    fn date_of_birth_fields(&mut self, data: &mut Map<String, Value>, child: &Child, registered: Date) {
        let age = dates::age_years(child.date_of_birth, registered).max(0) as u32;
        let estimated = dates::estimated_date_of_birth(age, registered);
        // The estimate can make the child a year older, and every child must be under 18 today.
        if self.chance(0.3) && dates::age_years(estimated, self.today) <= 17 {
            set(data, "age", age);
            set(data, "date_of_birth_estimated", true);
        } else {
            set(data, "date_of_birth", dates::format_date(child.date_of_birth));
        }
    }

    fn consent_fields(
        &mut self,
        data: &mut Map<String, Value>,
        child: &Child,
        age: u32,
        registered: Date,
        bangla: bool,
        consent: &SharingConsent,
    ) {
        set(data, "consent_process_explained", true);
        let source = if child.concerns.contains(&"unaccompanied") {
            if age >= 12 { "child" } else { self.pick(&["trusted_adult", "legal_guardian"]) }
        } else if age >= 12 {
            self.weighted(&[("child_and_caregiver", 50), ("caregiver", 30), ("child", 20)])
        } else {
            "caregiver"
        };
        set(data, "consent_source", source);
        set(data, "consent_date", dates::format_date(registered));

        let for_services = self.chance(0.97);
        set(data, "consent_for_services", for_services);
        // A referral to another agency needs consent for sharing with that kind of provider.
        let for_sharing =
            !consent.withheld && (!consent.scopes.is_empty() || (for_services && self.chance(0.85)));
        set(data, "consent_for_sharing", for_sharing);
        if for_sharing {
            let mut scope = vec!["case_management_agencies"];
            for extra in
                ["health_providers", "psychosocial_providers", "legal_providers", "education_providers"]
            {
                if self.chance(0.5) {
                    scope.push(extra);
                }
            }
            for needed in &consent.scopes {
                if !scope.contains(needed) {
                    scope.push(needed);
                }
            }
            set(data, "consent_sharing_scope", json!(scope));
        } else {
            let reason = self.text(&WITHHOLDING_REASONS, bangla);
            set(data, "consent_withholding_reason", reason);
        }

        if child.separated {
            let for_tracing = self.chance(0.9);
            set(data, "consent_for_tracing", for_tracing);
        }
        let basis = if for_services {
            if self.chance(0.3) { vec!["consent", "best_interests"] } else { vec!["consent"] }
        } else {
            vec!["best_interests", "vital_interest"]
        };
        set(data, "legitimate_basis", json!(basis));
    }

    /// Family members, household counts and care arrangement, shaped by separation.
    fn family_fields(&mut self, data: &mut Map<String, Value>, child: &Child, registered: Date, latin: bool) {
        let camp_code = self.camps[child.camp].location.code.clone();
        let unaccompanied = child.concerns.contains(&"unaccompanied");
        let orphan = child.concerns.contains(&"orphan");
        let mut rows = Vec::new();

        let parent_status: &[(&str, u32)] = if unaccompanied || orphan {
            &[("no", 50), ("unknown", 50)]
        } else if child.separated {
            &[("yes", 40), ("no", 25), ("unknown", 35)]
        } else {
            &[("yes", 85), ("no", 10), ("unknown", 5)]
        };
        for (relation, sex) in [("mother", "female"), ("father", "male")] {
            if self.chance(0.15) {
                continue;
            }
            let alive = self.weighted(parent_status);
            let caregiver = alive == "yes" && !child.separated && (relation == "mother" || self.chance(0.5));
            let name = self.adult_name(sex, latin);
            let mut row = Map::new();
            row.insert(ROW_ID.to_owned(), self.row_id(registered));
            set(&mut row, "name", name);
            set(&mut row, "relation", relation);
            set(&mut row, "is_caregiver", caregiver);
            set(&mut row, "alive", alive);
            set(&mut row, "age", self.rng.random_range(24..55u32));
            set(&mut row, "sex", sex);
            if alive == "yes" && !child.separated {
                set(&mut row, "location", camp_code.as_str());
                if self.chance(0.4) {
                    let phone = self.phone();
                    set(&mut row, "phone", phone);
                }
            } else if alive != "no" {
                let address = self.pick(&MYANMAR_ADDRESSES);
                set(&mut row, "address", address);
            }
            rows.push(Value::Object(row));
        }
        if child.separated && !unaccompanied {
            let (relation, sex) = self.pick(&[
                ("aunt", "female"),
                ("uncle", "male"),
                ("grandmother", "female"),
                ("grandfather", "male"),
                ("neighbour", "female"),
            ]);
            let name = self.adult_name(sex, latin);
            let mut row = Map::new();
            row.insert(ROW_ID.to_owned(), self.row_id(registered));
            set(&mut row, "name", name.clone());
            set(&mut row, "relation", relation);
            set(&mut row, "is_caregiver", true);
            set(&mut row, "alive", "yes");
            set(&mut row, "age", self.rng.random_range(25..70u32));
            set(&mut row, "sex", sex);
            set(&mut row, "location", camp_code.as_str());
            rows.push(Value::Object(row));

            let mut history = Map::new();
            history.insert(ROW_ID.to_owned(), self.row_id(registered));
            set(
                &mut history,
                "care_type",
                if relation == "neighbour" { "foster_care" } else { "kinship_care" },
            );
            set(&mut history, "caregiver_name", name);
            set(&mut history, "caregiver_relation", relation);
            let start = self.date_after(child.date_of_birth, 0, 3000, registered);
            set(&mut history, "start_date", dates::format_date(start));
            set(data, "care_arrangements_history", json!([history]));
        }
        for _ in 0..self.rng.random_range(0..3) {
            let sex = if self.chance(0.5) { "female" } else { "male" };
            let name = self.child_name(sex, latin);
            let mut row = Map::new();
            row.insert(ROW_ID.to_owned(), self.row_id(registered));
            set(&mut row, "name", name.first);
            set(&mut row, "relation", if sex == "female" { "sister" } else { "brother" });
            set(&mut row, "alive", "yes");
            set(&mut row, "age", self.rng.random_range(0..20u32));
            set(&mut row, "sex", sex);
            rows.push(Value::Object(row));
        }
        if !rows.is_empty() {
            set(data, "family_members", Value::Array(rows));
        }

        let children = json!({"female": self.rng.random_range(0..4), "male": self.rng.random_range(0..4)});
        set(data, "household_children_by_sex", children);
        if !unaccompanied {
            let adults = json!({"female": self.rng.random_range(1..3), "male": self.rng.random_range(0..3)});
            set(data, "household_adults_by_sex", adults);
        }
        let care = if unaccompanied {
            self.weighted(&[
                ("child_headed_household", 30),
                ("interim_care", 30),
                ("foster_care", 25),
                ("no_care", 15),
            ])
        } else if child.separated {
            self.weighted(&[("kinship_care", 75), ("foster_care", 25)])
        } else if orphan {
            "kinship_care"
        } else {
            self.weighted(&[("both_parents", 70), ("one_parent", 30)])
        };
        set(data, "care_arrangement_current", care);
        let safe = match child.risk_level {
            "high" => self.weighted(&[("yes", 40), ("no", 40), ("unknown", 20)]),
            _ => self.weighted(&[("yes", 90), ("unknown", 10)]),
        };
        set(data, "care_arrangement_safe", safe);
    }

    /// Sets the separation details of a separated or unaccompanied child, with tracing ongoing.
    fn separation_fields(
        &mut self,
        data: &mut Map<String, Value>,
        child: &Child,
        registered: Date,
        bangla: bool,
    ) {
        let influx = date!(2017 - 08 - 25);
        let separated_on = if child.date_of_birth < influx && self.chance(0.5) {
            self.date_after(influx, 0, 60, registered)
        } else {
            let earliest = child.date_of_birth.max(registered - Duration::days(700));
            let span = (registered - earliest).whole_days().max(0);
            self.date_after(earliest, 0, span, registered)
        };
        set(data, "separation_date", dates::format_date(separated_on));

        let cause = self.weighted(&[
            ("lost_during_flight", 20),
            ("violence_attack", 15),
            ("death_of_caregiver", 15),
            ("family_remained_in_myanmar", 15),
            ("caregiver_detained", 5),
            ("abandonment", 5),
            ("divorce_or_remarriage", 10),
            ("sent_away_for_work", 5),
            ("fire_flood_landslide", 5),
            ("relocation", 5),
        ]);
        set(data, "separation_cause", cause);

        let place = self.text(&SEPARATION_PLACES, bangla);
        set(data, "separation_location", place);
        let circumstances = self.text(&SEPARATION_CIRCUMSTANCES, bangla);
        set(data, "separation_circumstances", circumstances);

        let wishes = self.weighted(&[("yes", 80), ("no", 5), ("unknown", 15)]);
        set(data, "child_wishes_reunification", wishes);
        let wishes_text = self.text(&CHILD_WISHES, bangla);
        set(data, "child_wishes", wishes_text);
        set(data, "tracing_status", "tracing_ongoing");
    }

    fn child_name(&mut self, sex: &str, latin: bool) -> PersonName {
        self.person_name(sex, latin, 0.6)
    }

    /// Draws a parent's or caregiver's full name.
    fn adult_name(&mut self, sex: &str, latin: bool) -> String {
        let name = self.person_name(sex, latin, 1.0);
        [Some(name.first), name.middle, name.last].into_iter().flatten().collect::<Vec<_>>().join(" ")
    }

    /// Draws a name in one script. `surname_probability` is the chance of a family name such as
    /// Begum or Ullah.
    fn person_name(&mut self, sex: &str, latin: bool, surname_probability: f64) -> PersonName {
        let spell = |generator: &mut Self, variants: &NameVariants| -> String {
            let options = if latin { variants.latin } else { variants.bangla };
            generator.pick(options).to_owned()
        };
        let (first_variants, middle) = if sex == "male" && self.chance(0.45) {
            let second_name = self.pick_ref(BOY_NAMES);
            (&MOHAMMED, Some(spell(self, second_name)))
        } else if sex == "male" {
            (self.pick_ref(BOY_NAMES), None)
        } else {
            (self.pick_ref(GIRL_NAMES), None)
        };
        let first = spell(self, first_variants);
        let surnames = if sex == "male" { BOY_SURNAMES } else { GIRL_SURNAMES };
        let last = self
            .chance(surname_probability)
            .then(|| {
                let surname = self.pick_ref(surnames);
                spell(self, surname)
            })
            // "Nur Islam" takes no family name "Islam".
            .filter(|last| {
                !first.contains(last.as_str())
                    && middle.as_ref().is_none_or(|middle| !middle.contains(last.as_str()))
            });
        let other_spellings = self.chance(0.3).then(|| {
            let others: Vec<&str> = first_variants
                .latin
                .iter()
                .chain(first_variants.bangla)
                .copied()
                .filter(|variant| *variant != first)
                .collect();
            let count = self.rng.random_range(1..=others.len().clamp(1, 3));
            let chosen: Vec<&str> = others.choose_multiple(&mut self.rng, count).copied().collect();
            chosen.join(", ")
        });
        PersonName { first, middle, last, other_spellings: other_spellings.filter(|text| !text.is_empty()) }
    }

    fn nickname(&mut self, sex: &str, latin: bool) -> &'static str {
        match (sex, latin) {
            ("male", true) => self.pick(&["Babu", "Raju", "Sona", "Kala", "Moni"]),
            ("male", false) => self.pick(&["বাবু", "রাজু", "সোনা", "কালা", "মনি"]),
            (_, true) => self.pick(&["Moni", "Tuni", "Khuki", "Pakhi", "Shona"]),
            (_, false) => self.pick(&["মনি", "টুনি", "খুকি", "পাখি", "সোনা"]),
        }
    }

    /// Draws a Bangladeshi mobile number: 01, an operator digit 3-9 and eight digits.
    fn phone(&mut self) -> String {
        format!("01{}{:08}", self.rng.random_range(3..10), self.rng.random_range(0..100_000_000u32))
    }
}

struct PersonName {
    first: String,
    middle: Option<String>,
    last: Option<String>,
    other_spellings: Option<String>,
}

fn set(data: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    data.insert(key.to_owned(), value.into());
}

fn set_some(data: &mut Map<String, Value>, key: &str, value: Option<String>) {
    if let Some(value) = value {
        data.insert(key.to_owned(), Value::String(value));
    }
}

fn format_instant(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339).expect("demo instants lie in years 2000-2100")
}

fn bangla_digits(ascii: &str) -> String {
    ascii
        .chars()
        .map(|c| c.to_digit(10).map_or(c, |digit| char::from_u32(0x09E6 + digit).unwrap_or(c)))
        .collect()
}

/// Returns the consent scope a referral for `service_type` needs.
fn sharing_scope_of(service_type: &str) -> &'static str {
    match service_type {
        "legal" | "documentation" => "legal_providers",
        "psychosocial_support" => "psychosocial_providers",
        "gbv_services" => "gbv_providers",
        _ => "health_providers",
    }
}
