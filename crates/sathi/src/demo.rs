//! `sathi demo`: a demo deployment on the default configuration.
//!
//! The demo contains a fixed list of users (every role, each in at least two agencies, one shared
//! password per role) and synthetic cases drawn from a seeded random generator. Each case is
//! written the way the API writes one: validated against the configuration with the owner's form
//! access, then stored through the [`sathi_store::Store`] with the owner's principal. The case is
//! registered, later work (assessment, case plan, services, follow-ups, tracing, notes) follows as
//! a second version, and a closure as a third, so the change log and `updated_at` look like real
//! casework.
//!
//! Dates are laid out backwards from today in the deployment's time zone, so the same seed gives
//! the same cases when run on the same day. NOTE: `StdRng` is free to change its algorithm between
//! `rand` releases, so another `rand` version may draw other cases from the same seed.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{Context, bail};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use sathi_domain::config::{Configuration, LocalizedText, Location, LocationLevel};
use sathi_domain::dates;
use sathi_domain::ids::{CaseId, ReferralId, UserId};
use sathi_domain::permissions::{Action, Grant, Role, Scope};
use sathi_domain::principal::Principal;
use sathi_domain::validation::{Change, FieldError, ROW_ID, ValidatedWrite, Validator};
use sathi_domain::workflow::CaseStatus;
use sathi_server::state::AppState;
use sathi_server::users::CreateUserRequest;
use sathi_store::{CaseFilter, CaseRecord, CaseUpdate, NewCase, NewReferral, StoreError, User};
use secrecy::SecretString;
use serde_json::{Map, Value, json};
use time::macros::date;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
use uuid::Uuid;

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

/// The users the case generator needs: case owners and referral recipients.
struct Staff {
    caseworkers: Vec<Member>,
    service_providers: Vec<Member>,
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
    create_cases(state, config, &staff, case_count, seed).await?;
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
    let mut staff = Staff { caseworkers: Vec::new(), service_providers: Vec::new() };
    for user in users {
        let principal = sathi_server::auth::principal_of(state, &user)
            .await
            .map_err(|_| anyhow::anyhow!("the configuration has no role '{}'", user.role_id))?;
        let member = Member { user, principal };
        match member.user.role_id.as_str() {
            CASEWORKER => staff.caseworkers.push(member),
            SERVICE_PROVIDER if !case_agencies.contains(&member.user.agency_id) => {
                staff.service_providers.push(member)
            }
            _ => {}
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
// Storing cases
// ---------------------------------------------------------------------------------------------

/// How often progress is printed, in cases.
const PROGRESS_EVERY: usize = 500;

async fn create_cases(
    state: &AppState,
    config: &Configuration,
    staff: &Staff,
    case_count: usize,
    seed: u64,
) -> anyhow::Result<()> {
    let today = state.today(config);
    let validator = Validator::new(config, today);
    let mut generator = CaseGenerator::new(config, staff, seed, OffsetDateTime::now_utc(), today)?;
    let fates = generator.fates(case_count);

    let started = Instant::now();
    for (index, fate) in fates.into_iter().enumerate() {
        let case = generator.plan_case(fate);
        store_case(state, &validator, staff, &mut generator, case)
            .await
            .with_context(|| format!("cannot store demo case {} of {case_count}", index + 1))?;
        let created = index + 1;
        if created % PROGRESS_EVERY == 0 || created == case_count {
            println!("Created {created} of {case_count} cases ({:.1} s).", started.elapsed().as_secs_f64());
        }
    }
    Ok(())
}

/// Validates and stores one planned case: registration, later work, closure and referral.
async fn store_case(
    state: &AppState,
    validator: &Validator<'_>,
    staff: &Staff,
    generator: &mut CaseGenerator<'_>,
    case: PlannedCase,
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

    if let Some(work) = case.work {
        let write = validator
            .validate_update(&record.data, &work.changes, &access)
            .map_err(|errors| invalid_case("later work", &errors))?;
        record =
            write_version(state, owner, &record, write, CaseStatus::Open, Action::Write, work.at).await?;
    }

    if let Some(closure) = case.closure {
        let write = validator
            .validate_update(&record.data, &closure.changes, &access)
            .map_err(|errors| invalid_case("closure", &errors))?;
        write_version(state, owner, &record, write, CaseStatus::Closed, Action::Close, closure.at).await?;
    }

    if let Some(referral) = case.referral {
        let provider = &staff.service_providers[referral.provider];
        let new = NewReferral {
            id: ReferralId(referral.id),
            case_id: case.id,
            from_user_id: owner.user.id,
            to_user_id: provider.user.id,
            to_agency_id: provider.user.agency_id.clone(),
            service_type: referral.service_type.to_owned(),
            status: referral.status.to_owned(),
            shared_forms: referral.shared_forms.iter().map(|form| (*form).to_owned()).collect(),
            now: referral.at,
        };
        // The case records consent to share, which generated referrals to other agencies need.
        state.store.insert_referral_row(&new, &owner.user.agency_id, "given").await?;
    }
    Ok(())
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
        "the demo generator made invalid {step} data, which is a bug in crates/sathi/src/demo.rs: {}",
        listed.join("; ")
    )
}

// ---------------------------------------------------------------------------------------------
// Generating cases
// ---------------------------------------------------------------------------------------------

/// The outcome of a case after its registration and work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Open,
    Closed,
    Referred,
}

/// Share of cases that are closed, in percent.
const CLOSED_PERCENT: usize = 10;
/// Share of cases referred to a service provider of another agency, in percent.
const REFERRED_PERCENT: usize = 5;
/// Registration dates go back this many days, about 18 months.
const HISTORY_DAYS: i64 = 547;
/// A closed case was registered at least this many days ago and stayed open at least 30 days.
const MIN_CLOSED_CASE_AGE_DAYS: i64 = 60;

/// One case as the generator planned it, before validation.
struct PlannedCase {
    id: CaseId,
    display_id: String,
    /// Index into [`Staff::caseworkers`].
    owner: usize,
    registered_at: OffsetDateTime,
    registration: Map<String, Value>,
    work: Option<PlannedChanges>,
    closure: Option<PlannedChanges>,
    referral: Option<PlannedReferral>,
}

/// Changes written together as one version at `at`.
struct PlannedChanges {
    changes: Vec<Change>,
    at: OffsetDateTime,
}

struct PlannedReferral {
    id: Uuid,
    /// Index into [`Staff::service_providers`].
    provider: usize,
    service_type: &'static str,
    status: &'static str,
    shared_forms: Vec<&'static str>,
    at: OffsetDateTime,
}

/// A camp and its blocks.
struct Camp<'c> {
    location: &'c Location,
    blocks: Vec<&'c Location>,
}

/// A caseworker as the case generator uses them: name, agency, language and camps.
struct CaseworkerProfile {
    full_name: String,
    agency_name: String,
    agency_services: Vec<String>,
    /// Whether the caseworker writes notes in Bangla (their interface language is `bn`).
    writes_bangla: bool,
    /// Indexes into [`CaseGenerator::camps`] of the camps this caseworker covers.
    camps: Vec<usize>,
}

struct ProviderProfile {
    full_name: String,
    agency_name: String,
    services: Vec<String>,
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
        // Camps are dealt out in turn, so every camp has a caseworker and neighbouring camps
        // (in code order) go to caseworkers of the same agency.
        let caseworker_count = staff.caseworkers.len();
        let caseworkers = staff
            .caseworkers
            .iter()
            .enumerate()
            .map(|(index, member)| CaseworkerProfile {
                full_name: member.user.full_name.clone(),
                agency_name: agency_name(&member.user.agency_id),
                agency_services: agency_services(&member.user.agency_id),
                writes_bangla: member.user.locale == "bn",
                camps: (0..camps.len())
                    .filter(|camp| camp % caseworker_count == index % camps.len())
                    .collect(),
            })
            .map(|mut profile| {
                if profile.camps.is_empty() {
                    profile.camps.push(0);
                }
                profile
            })
            .collect();
        let providers = staff
            .service_providers
            .iter()
            .map(|member| ProviderProfile {
                full_name: member.user.full_name.clone(),
                agency_name: agency_name(&member.user.agency_id),
                services: agency_services(&member.user.agency_id),
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
        })
    }

    /// Deals out exact shares of closed and referred cases, so even a small demo has both.
    fn fates(&mut self, case_count: usize) -> Vec<Fate> {
        let closed = case_count * CLOSED_PERCENT / 100;
        let referred = case_count * REFERRED_PERCENT / 100;
        let mut fates = vec![Fate::Open; case_count];
        for fate in fates.iter_mut().take(closed) {
            *fate = Fate::Closed;
        }
        for fate in fates.iter_mut().skip(closed).take(referred) {
            *fate = Fate::Referred;
        }
        fates.shuffle(&mut self.rng);
        fates
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

    /// Plans one case: the child, its registration, later work and its fate.
    fn plan_case(&mut self, fate: Fate) -> PlannedCase {
        let owner = self.rng.random_range(0..self.caseworkers.len());
        let bangla_notes = self.caseworkers[owner].writes_bangla && self.chance(0.85);
        let min_age_days = if fate == Fate::Closed { MIN_CLOSED_CASE_AGE_DAYS } else { 1 };
        let registered = self.today - Duration::days(self.rng.random_range(min_age_days..=HISTORY_DAYS));
        let registered_at = self.instant_on(registered);
        // The last day any work on the case happened: the closure date for closed cases.
        let horizon = match fate {
            Fate::Closed => {
                self.date_after(registered, 30, (self.today - registered).whole_days() - 1, self.today)
            }
            _ => self.today,
        };

        let child = self.child(owner, registered);
        let referral = (fate == Fate::Referred).then(|| self.referral_plan(&child, registered));
        let registration = self.registration(&child, registered, bangla_notes, referral.as_ref());
        let work = self.work(owner, &child, registered, horizon, bangla_notes, referral.as_ref());
        let closure = (fate == Fate::Closed).then(|| {
            let earliest = work.as_ref().map_or(registered_at, |work| work.at);
            self.closure(&child, registered, horizon, earliest, bangla_notes)
        });

        let id = CaseId(self.uuid_at(registered_at));
        let display_id = self.display_id();
        PlannedCase {
            id,
            display_id,
            owner,
            registered_at,
            registration,
            work,
            closure,
            referral: referral.map(|(referral, _)| referral),
        }
    }

    /// Draws the child: sex, age, script of the name, concerns, risk and camp.
    fn child(&mut self, owner: usize, registered: Date) -> Child {
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
        let risk_level = self.weighted(&[("high", 25), ("medium", 45), ("low", 30)]);
        let camps = &self.caseworkers[owner].camps;
        let camp = camps[self.rng.random_range(0..camps.len())];
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

    /// Chooses the service, provider and date of a referral to another agency.
    fn referral_plan(&mut self, child: &Child, registered: Date) -> (PlannedReferral, Date) {
        let needed: Vec<&'static str> = child
            .concerns
            .iter()
            .flat_map(|concern| needs_of(concern).iter().map(|need| need.service))
            .collect();
        let mut offered: Vec<(usize, &'static str)> = Vec::new();
        for (index, provider) in self.providers.iter().enumerate() {
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
        let date = self.date_after(registered, 1, 30, self.today);
        let at = self.instant_on(date);
        let status = if self.chance(0.6) { "accepted" } else { "pending" };

        // The provider sees only these forms of the case.
        let mut shared_forms = vec!["basic_identity", "protection_concerns", "consent", "services", "notes"];
        if matches!(service_type, "health" | "mental_health" | "psychosocial_support" | "gbv_services") {
            shared_forms.push("assessment");
        }
        if matches!(service_type, "legal" | "documentation") {
            shared_forms.push("family_details");
        }

        let id = self.uuid_at(at);
        (PlannedReferral { id, provider, service_type, status, shared_forms, at }, date)
    }

    /// Builds the data a caseworker records at registration: identity, concerns, consent,
    /// family, care and separation.
    fn registration(
        &mut self,
        child: &Child,
        registered: Date,
        bangla: bool,
        referral: Option<&(PlannedReferral, Date)>,
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

        self.consent_fields(&mut data, child, age, registered, bangla, referral);
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
        referral: Option<&(PlannedReferral, Date)>,
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
        let for_sharing = referral.is_some() || (for_services && self.chance(0.85));
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
            if let Some((referral, _)) = referral {
                let needed = sharing_scope_of(referral.service_type);
                if !scope.contains(&needed) {
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

    /// Plans the work after registration, up to `horizon`: assessment, case plan, services,
    /// follow-ups, tracing actions and notes. Returns `None` when nothing happened yet.
    fn work(
        &mut self,
        owner: usize,
        child: &Child,
        registered: Date,
        horizon: Date,
        bangla: bool,
        referral: Option<&(PlannedReferral, Date)>,
    ) -> Option<PlannedChanges> {
        let mut changes: Vec<Change> = Vec::new();
        let mut last = registered;
        let mut change = |path: &str, value: Value| changes.push(Change { path: path.to_owned(), value });
        let worker = self.caseworkers[owner].full_name.clone();
        let response_days = match child.risk_level {
            "high" => 1,
            "medium" => 3,
            _ => 7,
        };

        // Assessment, then a case plan with services.
        let mut services: Vec<Value> = Vec::new();
        if horizon > registered && self.chance(0.85) {
            let requested = self.date_after(registered, 0, 1, horizon);
            last = last.max(requested);
            change("assessment_requested_on", json!(dates::format_date(requested)));
            let completed = self.date_after(requested, 0, response_days * 2, self.today);
            if completed <= horizon && self.chance(0.85) {
                last = last.max(completed);
                change("assessment_completed_on", json!(dates::format_date(completed)));
                for (domain, related) in ASSESSMENT_DOMAINS {
                    let serious = child.concerns.iter().any(|concern| related.contains(concern));
                    let rating = if serious {
                        self.weighted(&[("serious_concern", 70), ("some_concern", 30)])
                    } else {
                        self.weighted(&[("no_concern", 60), ("some_concern", 30), ("not_assessed", 10)])
                    };
                    change(&format!("assessment_{domain}_rating"), json!(rating));
                    if serious && self.chance(0.5) {
                        let notes = self.text(&ASSESSMENT_NOTES, bangla);
                        change(&format!("assessment_{domain}_notes"), json!(notes));
                    }
                }
                let education = self.education_status(child, completed);
                change("education_status", json!(education));
                let strengths = self.text(&STRENGTHS, bangla);
                change("assessment_strengths", json!(strengths));
                let risks = self.text(&RISKS, bangla);
                change("assessment_risks", json!(risks));
                if dates::age_years(child.date_of_birth, completed) >= 7 {
                    let views = self.text(&CHILD_VIEWS, bangla);
                    change("assessment_child_views", json!(views));
                }
                change("case_plan_due_date", json!(dates::format_date(completed + Duration::days(14))));

                if (horizon - completed).whole_days() >= 5 && self.chance(0.8) {
                    let planned = self.date_after(completed, 3, 14, horizon);
                    last = last.max(planned);
                    let (interventions, plan_services) =
                        self.case_plan(owner, child, planned, horizon, bangla, &worker);
                    let goal = self.text(&PLAN_GOALS, bangla);
                    change("case_plan_goal", json!(goal));
                    change("case_plan_interventions", Value::Array(interventions));
                    let participated = self.weighted(&[("yes", 80), ("no", 15), ("unknown", 5)]);
                    change("case_plan_child_participated", json!(participated));
                    let review = self.date_after(planned, 30, 90, planned + Duration::days(90));
                    change("case_plan_review_date", json!(dates::format_date(review)));
                    for (service, implemented_on) in plan_services {
                        if let Some(done) = implemented_on {
                            last = last.max(done);
                        }
                        services.push(service);
                    }
                }
            }
        }

        // The referral shows in the services subform as an external referral.
        if let Some((referral, referred_on)) = referral {
            let provider = &self.providers[referral.provider];
            let (agency, person) = (provider.agency_name.clone(), provider.full_name.clone());
            last = last.max(*referred_on);
            let mut row = Map::new();
            row.insert(ROW_ID.to_owned(), self.row_id(*referred_on));
            set(&mut row, "service_type", referral.service_type);
            set(&mut row, "response_type", "external_referral");
            set(&mut row, "implementation_timeframe", "within_1_week");
            let appointment = self.date_after(*referred_on, 2, 14, *referred_on + Duration::days(14));
            set(&mut row, "appointment_date", dates::format_date(appointment));
            set(&mut row, "implementing_agency", agency);
            set(&mut row, "implementing_person", person);
            set(&mut row, "delivery_location", self.camps[child.camp].location.code.as_str());
            set(&mut row, "referred", true);
            let implemented = referral.status == "accepted" && appointment <= self.today && self.chance(0.5);
            set(&mut row, "implemented", implemented);
            if implemented {
                set(&mut row, "implemented_on", dates::format_date(appointment));
                last = last.max(appointment);
            }
            services.push(Value::Object(row));
        }
        if !services.is_empty() {
            change("services_provided", Value::Array(services));
        }

        // Follow-up visits fall due every `interval` days after registration, more often for higher
        // risk. The first visit and the latest four are recorded, and an open case usually has
        // its next visit due within one interval from today.
        let interval = match child.risk_level {
            "high" => 7,
            "medium" => 14,
            _ => 30,
        };
        let due_visits = (horizon - registered).whole_days() / interval;
        let mut due_dates: Vec<Date> = (1..=due_visits)
            .filter(|visit| *visit == 1 || *visit > due_visits - 4)
            .map(|visit| registered + Duration::days(interval * visit))
            .collect();
        if horizon == self.today && self.chance(0.8) {
            due_dates.push(self.today + Duration::days(self.rng.random_range(0..=interval)));
        }
        let mut followups = Vec::new();
        for needed_by in due_dates {
            let mut row = Map::new();
            row.insert(ROW_ID.to_owned(), self.row_id(registered));
            let kind = self.weighted(&[
                ("home_visit", 50),
                ("phone_call", 15),
                ("centre_visit", 15),
                ("service_follow_up", 10),
                ("case_plan_review", 10),
            ]);
            set(&mut row, "followup_type", kind);
            set(&mut row, "needed_by", dates::format_date(needed_by));
            // Some visits that fell due stay undone, so they show as overdue.
            if needed_by <= horizon && needed_by < self.today && self.chance(0.85) {
                let done = self.date_after(needed_by - Duration::days(2), 0, 5, horizon).max(registered);
                last = last.max(done);
                set(&mut row, "done_on", dates::format_date(done));
                set(&mut row, "done_by", worker.as_str());
                let seen = self.weighted(&[("yes", 85), ("no", 10), ("unknown", 5)]);
                set(&mut row, "child_seen", seen);
                let comments = self.text(&FOLLOWUP_COMMENTS, bangla);
                set(&mut row, "comments", comments);
                if self.chance(0.3) {
                    let updated = self.pick(&["high", "medium", "low"]);
                    set(&mut row, "risk_level_updated", updated);
                }
            }
            followups.push(Value::Object(row));
        }
        if !followups.is_empty() {
            change("followups", Value::Array(followups));
        }

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
                set(&mut row, "action_by", worker.as_str());
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
            set(&mut row, "author", worker.as_str());
            notes.push(Value::Object(row));
        }
        if !notes.is_empty() {
            change("case_notes", Value::Array(notes));
        }

        if changes.is_empty() {
            return None;
        }
        let at = self.instant_on(last);
        Some(PlannedChanges { changes, at })
    }

    /// Draws the interventions of a case plan made on `planned`, and the services that carry
    /// them out, each with the date it was implemented, if it was.
    fn case_plan(
        &mut self,
        owner: usize,
        child: &Child,
        planned: Date,
        horizon: Date,
        bangla: bool,
        worker: &str,
    ) -> (Vec<Value>, Vec<(Value, Option<Date>)>) {
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
        let camp_code = self.camps[child.camp].location.code.clone();

        let mut interventions = Vec::new();
        let mut services = Vec::new();
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
            let due = self.date_after(planned, 7, 60, planned + Duration::days(60));
            // One intervention in five gets no service row yet.
            let has_service = self.chance(0.8);
            let appointment = self.date_after(planned, 1, 21, planned + Duration::days(21));
            let implemented = has_service && appointment <= horizon && self.chance(0.75);
            let implemented_on = implemented
                .then(|| self.date_after(appointment, 0, 3, horizon).max(appointment.min(horizon)));
            let status = if implemented {
                "completed"
            } else if due <= horizon && !has_service {
                self.weighted(&[("delayed", 50), ("service_unavailable", 50)])
            } else if due <= horizon {
                self.weighted(&[("in_progress", 60), ("delayed", 40)])
            } else {
                self.weighted(&[("planned", 50), ("in_progress", 50)])
            };
            let mut row = Map::new();
            row.insert(ROW_ID.to_owned(), self.row_id(planned));
            set(&mut row, "need", if bangla { need.bangla } else { need.english });
            set(&mut row, "service", need.service);
            set(&mut row, "responsible_person", worker);
            set(&mut row, "responsible_agency", agency.as_str());
            set(&mut row, "timeframe", timeframe);
            set(&mut row, "due_date", dates::format_date(due));
            set(&mut row, "status", status);
            interventions.push(Value::Object(row));
            if !has_service {
                continue;
            }

            let mut service = Map::new();
            service.insert(ROW_ID.to_owned(), self.row_id(planned));
            set(&mut service, "service_type", need.service);
            set(&mut service, "response_type", if direct { "direct_service" } else { "external_referral" });
            set(&mut service, "implementation_timeframe", timeframe);
            set(&mut service, "appointment_date", dates::format_date(appointment));
            set(&mut service, "implementing_agency", agency.as_str());
            if direct {
                set(&mut service, "implementing_person", worker);
            }
            set(&mut service, "delivery_location", camp_code.as_str());
            set(&mut service, "referred", !direct);
            set(&mut service, "implemented", implemented);
            if let Some(done) = implemented_on {
                set(&mut service, "implemented_on", dates::format_date(done));
            }
            if self.chance(0.3) {
                let notes = self.text(&SERVICE_NOTES, bangla);
                set(&mut service, "service_notes", notes);
            }
            services.push((Value::Object(service), implemented_on));
        }
        (interventions, services)
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

    /// Plans the closure on `closed_on`, written after the case's other work (`after`).
    fn closure(
        &mut self,
        child: &Child,
        registered: Date,
        closed_on: Date,
        after: OffsetDateTime,
        bangla: bool,
    ) -> PlannedChanges {
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
        let at = self.instant_on(closed_on).max(after + Duration::minutes(self.rng.random_range(5..90)));
        PlannedChanges { changes, at }
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

// ---------------------------------------------------------------------------------------------
// Data the generator draws from
// ---------------------------------------------------------------------------------------------

/// Weights of the child's age today in whole years, 0 to 17.
const AGE_WEIGHTS: [(i64, u32); 18] = [
    (0, 3),
    (1, 4),
    (2, 4),
    (3, 5),
    (4, 5),
    (5, 6),
    (6, 6),
    (7, 7),
    (8, 7),
    (9, 7),
    (10, 7),
    (11, 7),
    (12, 7),
    (13, 7),
    (14, 7),
    (15, 6),
    (16, 5),
    (17, 4),
];

/// Weights of protection concerns: separation, distress and child labour are the most common.
const CONCERN_WEIGHTS: [(&str, u32); 25] = [
    ("separated", 18),
    ("unaccompanied", 8),
    ("psychosocial_distress", 14),
    ("child_labour", 10),
    ("neglect", 8),
    ("physical_violence", 8),
    ("out_of_school", 8),
    ("child_marriage", 5),
    ("emotional_abuse", 4),
    ("sexual_violence", 3),
    ("disability", 4),
    ("statelessness_documentation", 3),
    ("orphan", 4),
    ("child_headed_household", 2),
    ("serious_medical_condition", 3),
    ("child_caregiver", 2),
    ("trafficking", 1),
    ("in_conflict_with_law", 1),
    ("substance_use", 1),
    ("pregnant_or_child_parent", 1),
    ("abduction", 1),
    ("unsafe_sea_journey", 1),
    ("associated_with_armed_groups", 1),
    ("sexual_exploitation", 1),
    ("other", 1),
];

/// Services the demo's service providers receive referrals for.
const REFERRABLE_SERVICES: [&str; 7] = [
    "health",
    "mental_health",
    "psychosocial_support",
    "gbv_services",
    "legal",
    "documentation",
    "disability_support",
];

/// Assessment domains (the middle of `assessment_<domain>_rating`) and the concerns that make
/// each a serious concern.
const ASSESSMENT_DOMAINS: [(&str, &[&str]); 7] = [
    (
        "safety",
        &[
            "physical_violence",
            "sexual_violence",
            "trafficking",
            "abduction",
            "child_marriage",
            "unaccompanied",
        ],
    ),
    ("family_care", &["separated", "unaccompanied", "neglect", "orphan", "child_headed_household"]),
    ("health", &["serious_medical_condition", "disability", "sexual_violence", "substance_use"]),
    ("education", &["out_of_school", "child_labour", "child_marriage"]),
    ("psychosocial", &["psychosocial_distress", "emotional_abuse", "sexual_violence"]),
    ("legal_documentation", &["statelessness_documentation", "in_conflict_with_law", "in_detention"]),
    ("livelihood", &["child_labour", "child_headed_household", "child_caregiver"]),
];

/// One need of a case plan and the service that meets it.
struct Need {
    english: &'static str,
    bangla: &'static str,
    service: &'static str,
}

const fn need(english: &'static str, bangla: &'static str, service: &'static str) -> Need {
    Need { english, bangla, service }
}

fn needs_of(concern: &str) -> &'static [Need] {
    const SEPARATION: &[Need] = &[
        need("Trace and verify family", "পরিবার খোঁজা ও যাচাই", "family_tracing_reunification"),
        need("Safe interim care", "নিরাপদ অন্তর্বর্তীকালীন যত্ন", "alternative_care"),
    ];
    const VIOLENCE: &[Need] = &[
        need("Medical check after injury", "আঘাতের পর স্বাস্থ্য পরীক্ষা", "health"),
        need("Counselling for child and caregiver", "শিশু ও অভিভাবকের কাউন্সেলিং", "psychosocial_support"),
    ];
    const SEXUAL_VIOLENCE: &[Need] = &[
        need("Clinical care within 72 hours", "৭২ ঘণ্টার মধ্যে চিকিৎসা", "health"),
        need("GBV case management", "জিবিভি কেস ব্যবস্থাপনা", "gbv_services"),
    ];
    const DISTRESS: &[Need] = &[
        need("Psychosocial support sessions", "মনোসামাজিক সহায়তা সেশন", "psychosocial_support"),
        need("Child friendly space activities", "শিশুবান্ধব কেন্দ্রের কার্যক্রম", "child_friendly_space"),
    ];
    const LABOUR: &[Need] = &[
        need("Return to learning centre", "লার্নিং সেন্টারে ফিরে যাওয়া", "education"),
        need("Household income support", "পরিবারের আয় সহায়তা", "livelihood"),
    ];
    const MARRIAGE: &[Need] = &[
        need(
            "Family counselling to delay marriage",
            "বাল্যবিবাহ ঠেকাতে পরিবারকে কাউন্সেলিং",
            "psychosocial_support",
        ),
        need("Life skills group for girls", "কিশোরীদের জীবন দক্ষতা দল", "life_skills"),
    ];
    const DISABILITY: &[Need] = &[
        need("Assistive device and therapy", "সহায়ক উপকরণ ও থেরাপি", "disability_support"),
        need("Health check", "স্বাস্থ্য পরীক্ষা", "health"),
    ];
    const DOCUMENTATION: &[Need] = &[
        need("Birth registration and documents", "জন্ম নিবন্ধন ও কাগজপত্র", "documentation"),
        need("Legal counselling", "আইনি পরামর্শ", "legal"),
    ];
    const LEGAL: &[Need] = &[need("Legal aid and court support", "আইনি সহায়তা ও আদালতে সহায়তা", "legal")];
    const HEALTH: &[Need] = &[
        need("Referral to health post", "স্বাস্থ্যকেন্দ্রে রেফারাল", "health"),
        need("Mental health assessment", "মানসিক স্বাস্থ্য মূল্যায়ন", "mental_health"),
    ];
    const SCHOOL: &[Need] = &[need("Enrol in learning centre", "লার্নিং সেন্টারে ভর্তি", "education")];
    const HOUSEHOLD: &[Need] = &[
        need("Cash support for the household", "পরিবারের জন্য নগদ সহায়তা", "cash"),
        need("Food assistance", "খাদ্য সহায়তা", "food"),
    ];
    const TRAFFICKING: &[Need] = &[
        need("Safety plan", "নিরাপত্তা পরিকল্পনা", "safety_security"),
        need("Legal counselling", "আইনি পরামর্শ", "legal"),
    ];

    const GENERAL: &[Need] =
        &[need("Psychosocial support sessions", "মনোসামাজিক সহায়তা সেশন", "psychosocial_support")];

    match concern {
        "separated" | "unaccompanied" => SEPARATION,
        "physical_violence" | "emotional_abuse" | "neglect" => VIOLENCE,
        "sexual_violence" | "sexual_exploitation" => SEXUAL_VIOLENCE,
        "psychosocial_distress" | "unsafe_sea_journey" => DISTRESS,
        "child_labour" => LABOUR,
        "child_marriage" | "pregnant_or_child_parent" => MARRIAGE,
        "disability" => DISABILITY,
        "statelessness_documentation" => DOCUMENTATION,
        "in_conflict_with_law" | "in_detention" | "associated_with_armed_groups" => LEGAL,
        "serious_medical_condition" | "substance_use" => HEALTH,
        "out_of_school" => SCHOOL,
        "child_headed_household" | "child_caregiver" | "orphan" => HOUSEHOLD,
        "trafficking" | "abduction" => TRAFFICKING,
        _ => GENERAL,
    }
}

/// Spellings of one name in Latin and Bangla script, as caseworkers write them down.
struct NameVariants {
    latin: &'static [&'static str],
    bangla: &'static [&'static str],
}

const fn variants(latin: &'static [&'static str], bangla: &'static [&'static str]) -> NameVariants {
    NameVariants { latin, bangla }
}

/// The first given name of many Rohingya boys, followed by a second given name.
const MOHAMMED: NameVariants = variants(
    &["Mohammed", "Muhammad", "Mohamad", "Mohammad", "Mohamed", "Md."],
    &["মোহাম্মদ", "মুহাম্মদ", "মোহাম্মাদ", "মুহাম্মাদ", "মোঃ"],
);

const BOY_NAMES: &[NameVariants] = &[
    variants(&["Yasin", "Yaseen", "Iyasin"], &["ইয়াসিন", "ইয়াছিন"]),
    variants(&["Ayub", "Ayoub", "Aiyub"], &["আইয়ুব", "আয়ুব"]),
    variants(&["Anwar", "Anowar"], &["আনোয়ার", "আনওয়ার"]),
    variants(&["Hamid", "Hamed"], &["হামিদ"]),
    variants(&["Jamal", "Zamal"], &["জামাল"]),
    variants(&["Rashid", "Rasheed", "Roshid"], &["রশিদ", "রশীদ"]),
    variants(&["Salim", "Saleem", "Selim"], &["সলিম", "সেলিম"]),
    variants(&["Rafiq", "Rafique", "Rofik"], &["রফিক"]),
    variants(&["Zubair", "Jubair", "Jubayer"], &["জুবায়ের", "যুবায়ের"]),
    variants(&["Ismail", "Ismael", "Esmail"], &["ইসমাইল", "ইছমাইল"]),
    variants(&["Ibrahim", "Ebrahim"], &["ইব্রাহিম", "ইবরাহীম"]),
    variants(&["Yunus", "Younus", "Eunus"], &["ইউনুস", "ইউনূস"]),
    variants(&["Hashim", "Hashem", "Hasim"], &["হাশিম", "হাসেম"]),
    variants(&["Kamal"], &["কামাল"]),
    variants(&["Faisal", "Foysal", "Faysal"], &["ফয়সাল"]),
    variants(&["Enayet", "Inayat", "Enayat"], &["এনায়েত"]),
    variants(&["Shafi", "Shofi", "Safi"], &["শফি", "শফী"]),
    variants(&["Harun", "Haroon", "Horun"], &["হারুন"]),
    variants(&["Omar", "Umar", "Omor"], &["ওমর", "উমর"]),
    variants(&["Sayed", "Syed", "Saiyed"], &["সৈয়দ", "সাইয়েদ"]),
    variants(&["Nur Islam", "Noor Islam", "Nurul Islam"], &["নূর ইসলাম", "নুরুল ইসলাম"]),
    variants(&["Abdul Karim", "Abdul Kareem"], &["আব্দুল করিম", "আবদুল করিম"]),
    variants(&["Abdur Rahman", "Abdul Rahman", "Abdur Rohman"], &["আব্দুর রহমান", "আবদুর রহমান"]),
    variants(&["Rahmat Ullah", "Rohmat Ullah", "Rahmatullah"], &["রহমত উল্লাহ", "রহমতুল্লাহ"]),
    variants(&["Sadek", "Sadiq", "Siddique"], &["সাদেক", "সাদিক"]),
    variants(&["Jahid", "Zahid"], &["জাহিদ", "যাহিদ"]),
    variants(&["Hafez", "Hafiz"], &["হাফেজ", "হাফিজ"]),
    variants(&["Sultan"], &["সুলতান"]),
    variants(&["Rohim", "Rahim"], &["রহিম"]),
];

const GIRL_NAMES: &[NameVariants] = &[
    variants(&["Noor Kayas", "Nur Kayas", "Nur Kaiyas"], &["নূর কায়াস", "নুর কাইয়াস"]),
    variants(&["Rahima", "Rohima"], &["রহিমা", "রহীমা"]),
    variants(&["Shamima", "Samima"], &["শামীমা", "শামিমা"]),
    variants(&["Sokina", "Sakina", "Shokina"], &["সকিনা", "সখিনা"]),
    variants(&["Tasmin", "Tasmina", "Tasmeen"], &["তাসমিন", "তাছমিন"]),
    variants(&["Hasina", "Hosina"], &["হাসিনা"]),
    variants(&["Rashida", "Roshida"], &["রশিদা"]),
    variants(&["Setara", "Sitara"], &["সেতারা", "সিতারা"]),
    variants(&["Nur Jahan", "Noor Jahan", "Nurjahan"], &["নূর জাহান", "নুরজাহান"]),
    variants(&["Fatema", "Fatima", "Fatama"], &["ফাতেমা", "ফাতিমা"]),
    variants(&["Ayesha", "Aisha", "Ayasha"], &["আয়েশা", "আয়শা"]),
    variants(&["Minara", "Monira"], &["মিনারা", "মনিরা"]),
    variants(&["Rojina", "Rozina"], &["রোজিনা"]),
    variants(&["Umme Salma", "Ummay Salma"], &["উম্মে সালমা"]),
    variants(&["Jannat Ara", "Jannatara"], &["জান্নাত আরা"]),
    variants(&["Senuara", "Sanuara", "Sonuara"], &["সেনোয়ারা", "সনোয়ারা"]),
    variants(&["Khurshida", "Khorshida"], &["খুরশিদা"]),
    variants(&["Romida", "Rumida"], &["রমিদা"]),
    variants(&["Shahida", "Sahida"], &["শাহিদা"]),
    variants(&["Hamida", "Homida"], &["হামিদা"]),
    variants(&["Sanjida"], &["সানজিদা"]),
    variants(&["Monowara", "Mnowara", "Monoara"], &["মনোয়ারা"]),
    variants(&["Rokeya", "Rukiya", "Rokiya"], &["রোকেয়া", "রুকিয়া"]),
    variants(&["Asma", "Asmaa"], &["আসমা"]),
    variants(&["Yasmin", "Jasmin", "Yasmeen"], &["ইয়াসমিন", "ইয়াছমিন"]),
    variants(&["Nur Ankis", "Noor Ankis"], &["নূর আনকিস"]),
    variants(&["Nur Bahar", "Noor Bahar"], &["নূর বাহার"]),
    variants(&["Halima", "Holima"], &["হালিমা"]),
    variants(&["Morjina", "Marjina"], &["মর্জিনা"]),
];

const BOY_SURNAMES: &[NameVariants] = &[
    variants(&["Ullah"], &["উল্লাহ"]),
    variants(&["Alam"], &["আলম"]),
    variants(&["Hossain", "Hussain", "Hossen"], &["হোসেন", "হোসাইন"]),
    variants(&["Islam"], &["ইসলাম"]),
    variants(&["Kabir"], &["কবির"]),
    variants(&["Amin"], &["আমিন"]),
    variants(&["Miah", "Mia"], &["মিয়া"]),
    variants(&["Khan"], &["খান"]),
    variants(&["Uddin"], &["উদ্দিন"]),
    variants(&["Shah"], &["শাহ"]),
];

const GIRL_SURNAMES: &[NameVariants] = &[
    variants(&["Begum"], &["বেগম"]),
    variants(&["Khatun", "Khatoon"], &["খাতুন"]),
    variants(&["Akter", "Akhter", "Akther"], &["আক্তার", "আখতার"]),
    variants(&["Bibi"], &["বিবি"]),
];

const MYANMAR_ADDRESSES: [&str; 4] = [
    "Maungdaw, Rakhine State, Myanmar",
    "Buthidaung, Rakhine State, Myanmar",
    "Rathedaung, Rakhine State, Myanmar",
    "Whereabouts unknown",
];

/// A free text as an (English, Bangla) pair. Caseworkers whose interface is Bangla mostly write
/// the Bangla one.
type Bilingual = (&'static str, &'static str);

const URGENT_DETAILS: [Bilingual; 3] = [
    (
        "Child was found alone near the food distribution point at night.",
        "রাতে খাদ্য বিতরণ কেন্দ্রের কাছে শিশুটিকে একা পাওয়া গেছে।",
    ),
    (
        "Neighbours report that the child is beaten at home almost every day.",
        "প্রতিবেশীরা জানিয়েছেন শিশুটিকে প্রায় প্রতিদিন বাড়িতে মারধর করা হয়।",
    ),
    ("Child has a fever and has not eaten for two days.", "শিশুটির জ্বর এবং দুই দিন ধরে কিছু খায়নি।"),
];

const CONCERN_DETAILS: [Bilingual; 4] = [
    (
        "Referred by the block majhi after a community meeting.",
        "কমিউনিটি মিটিংয়ের পর ব্লক মাঝি শিশুটিকে পাঠিয়েছেন।",
    ),
    (
        "Identified during a home visit by the community outreach volunteer.",
        "কমিউনিটি স্বেচ্ছাসেবকের বাড়ি পরিদর্শনের সময় চিহ্নিত।",
    ),
    (
        "Caregiver came to the child friendly space to ask for help.",
        "অভিভাবক সাহায্যের জন্য শিশুবান্ধব কেন্দ্রে এসেছিলেন।",
    ),
    (
        "Learning centre teacher noticed the child stopped attending.",
        "লার্নিং সেন্টারের শিক্ষক লক্ষ করেছেন শিশুটি আর আসছে না।",
    ),
];

const OTHER_CONCERNS: [Bilingual; 2] = [
    ("Lives next to a drug selling point", "মাদক বিক্রির জায়গার পাশে থাকে"),
    ("Shelter destroyed in a landslide", "ভূমিধসে ঘর ভেঙে গেছে"),
];

const DISABILITY_NEEDS: [Bilingual; 2] = [
    ("Needs a wheelchair to reach the learning centre.", "লার্নিং সেন্টারে যেতে হুইলচেয়ার প্রয়োজন।"),
    ("Needs regular physiotherapy sessions.", "নিয়মিত ফিজিওথেরাপি প্রয়োজন।"),
];

const WITHHOLDING_REASONS: [Bilingual; 2] = [
    (
        "Caregiver fears that other agencies will share the information with the majhi.",
        "অভিভাবক ভয় পান অন্য সংস্থা তথ্য মাঝির সাথে শেয়ার করবে।",
    ),
    ("Child asked that nothing be shared for now.", "শিশু আপাতত কিছু শেয়ার না করতে বলেছে।"),
];

const SEPARATION_PLACES: [Bilingual; 4] = [
    ("Balukhali border crossing", "বালুখালী সীমান্ত"),
    ("Kutupalong market", "কুতুপালং বাজার"),
    ("Maungdaw, Myanmar", "মংডু, মিয়ানমার"),
    ("Water point in the camp", "ক্যাম্পের পানির কল"),
];

const SEPARATION_CIRCUMSTANCES: [Bilingual; 3] = [
    (
        "Family was separated in the crowd while crossing the river at night.",
        "রাতে নদী পার হওয়ার সময় ভিড়ের মধ্যে পরিবার থেকে আলাদা হয়ে যায়।",
    ),
    (
        "Mother died; father remarried and left the child with a neighbour.",
        "মা মারা গেছেন; বাবা আবার বিয়ে করে শিশুটিকে প্রতিবেশীর কাছে রেখে গেছেন।",
    ),
    (
        "Parents stayed behind in Myanmar and sent the child with an uncle.",
        "বাবা-মা মিয়ানমারে থেকে গেছেন, শিশুটিকে চাচার সাথে পাঠিয়েছেন।",
    ),
];

const CHILD_WISHES: [Bilingual; 2] = [
    ("Wants to live with the mother again.", "আবার মায়ের সাথে থাকতে চায়।"),
    ("Wants to stay with the aunt until the family is found.", "পরিবার পাওয়া পর্যন্ত খালার কাছে থাকতে চায়।"),
];

const ASSESSMENT_NOTES: [Bilingual; 3] = [
    ("Needs close monitoring; visit weekly.", "নিবিড় পর্যবেক্ষণ প্রয়োজন; প্রতি সপ্তাহে পরিদর্শন।"),
    ("Child is withdrawn and does not sleep well.", "শিশুটি চুপচাপ থাকে এবং ভালো ঘুমায় না।"),
    ("Caregiver is willing but has no income.", "অভিভাবক আগ্রহী কিন্তু কোনো আয় নেই।"),
];

const STRENGTHS: [Bilingual; 3] = [
    ("Close bond with an older sister.", "বড় বোনের সাথে গভীর সম্পর্ক।"),
    ("Attends the learning centre regularly.", "নিয়মিত লার্নিং সেন্টারে যায়।"),
    ("Supportive neighbours in the block.", "ব্লকের প্রতিবেশীরা সহায়ক।"),
];

const RISKS: [Bilingual; 3] = [
    ("Works in a tea shop late at night.", "রাতে চায়ের দোকানে কাজ করে।"),
    ("Shelter is far from the nearest lighting.", "ঘর সবচেয়ে কাছের আলো থেকে অনেক দূরে।"),
    ("Family is under pressure to arrange a marriage.", "পরিবারের উপর বিয়ে দেওয়ার চাপ আছে।"),
];

const CHILD_VIEWS: [Bilingual; 2] = [
    ("Wants to go back to school and play football.", "আবার পড়তে যেতে আর ফুটবল খেলতে চায়।"),
    ("Feels safe at the child friendly space.", "শিশুবান্ধব কেন্দ্রে নিরাপদ বোধ করে।"),
];

const PLAN_GOALS: [Bilingual; 3] = [
    ("Child lives in a safe family environment.", "শিশু নিরাপদ পারিবারিক পরিবেশে থাকবে।"),
    ("Child returns to learning and stops working.", "শিশু আবার পড়াশোনায় ফিরবে এবং কাজ বন্ধ করবে।"),
    (
        "Child's distress decreases and daily functioning improves.",
        "শিশুর মানসিক চাপ কমবে এবং দৈনন্দিন জীবন স্বাভাবিক হবে।",
    ),
];

const SERVICE_NOTES: [Bilingual; 2] = [
    ("Caregiver accompanied the child.", "অভিভাবক শিশুর সাথে গিয়েছিলেন।"),
    ("Second session planned next week.", "আগামী সপ্তাহে দ্বিতীয় সেশন।"),
];

const FOLLOWUP_COMMENTS: [Bilingual; 4] = [
    ("Child is attending sessions; situation stable.", "শিশু সেশনে আসছে; অবস্থা স্থিতিশীল।"),
    ("Caregiver reports improvement at home.", "অভিভাবক জানান বাড়িতে অবস্থার উন্নতি হয়েছে।"),
    (
        "Child was not at home; neighbour says he works at the market.",
        "শিশু বাড়িতে ছিল না; প্রতিবেশী বলেন সে বাজারে কাজ করে।",
    ),
    ("Risk reviewed with the supervisor.", "সুপারভাইজারের সাথে ঝুঁকি পর্যালোচনা করা হয়েছে।"),
];

const CASE_NOTES: [(Bilingual, Bilingual); 3] = [
    (
        ("Phone call with caregiver", "অভিভাবকের সাথে ফোনালাপ"),
        (
            "Caregiver confirmed the appointment at the health post.",
            "অভিভাবক স্বাস্থ্যকেন্দ্রে সাক্ষাতের সময় নিশ্চিত করেছেন।",
        ),
    ),
    (
        ("Case conference", "কেস কনফারেন্স"),
        (
            "Discussed the case with the supervisor and the health focal point.",
            "সুপারভাইজার ও স্বাস্থ্য ফোকাল পয়েন্টের সাথে কেস আলোচনা।",
        ),
    ),
    (
        ("Block visit", "ব্লক পরিদর্শন"),
        ("Met the majhi about safety near the shelter.", "ঘরের কাছের নিরাপত্তা নিয়ে মাঝির সাথে দেখা।"),
    ),
];

const OTHER_CLOSURE_REASONS: [Bilingual; 2] = [
    ("Relocated to Bhasan Char with family", "পরিবারের সাথে ভাসানচরে স্থানান্তর"),
    ("Case merged with a sibling's case", "ভাইবোনের কেসের সাথে একত্র করা হয়েছে"),
];

const CLOSURE_ASSESSMENTS: [Bilingual; 3] = [
    ("Case plan goals met; child safe with caregiver.", "কেস পরিকল্পনার লক্ষ্য পূরণ; শিশু অভিভাবকের সাথে নিরাপদ।"),
    (
        "No protection concern remains after three follow-up visits.",
        "তিনটি ফলো-আপের পর আর কোনো সুরক্ষা ঝুঁকি নেই।",
    ),
    ("Family moved; contact lost despite repeated visits.", "পরিবার চলে গেছে; বারবার গিয়েও যোগাযোগ হয়নি।"),
];
