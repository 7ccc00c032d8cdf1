//! A model of the sync protocol on one case: a server built on `sathi_domain::merge`, three
//! offline devices, and a network that duplicates, delays, reorders and drops messages, with
//! devices that go offline at random. Thousands of seeded runs check that after a final sync
//! every replica holds the server's data, and that every value a device wrote is either
//! current, kept as a conflict candidate, overwritten by a change made after seeing it, or
//! rejected with a reason.
//!
//! The generator is a seeded xorshift, so a failure names the seed that reproduces it.
//! `MODEL_SEED=<seed> cargo test -p sathi-domain --test merge_model` runs that seed alone.

use std::collections::{BTreeMap, HashSet};

use sathi_domain::merge::{self, Base, Decision, LoggedChange, Origin};
use serde_json::{Map, Value, json};
use uuid::Uuid;

const RUNS: u64 = 10_000;
const DEVICES: usize = 3;
const ROWS: [&str; 3] = ["r1", "r2", "r3"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone, Debug)]
struct Mutation {
    id: u64,
    device: usize,
    seq: i64,
    base: i64,
    changes: Vec<(String, Value)>,
}

impl Mutation {
    fn origin(&self) -> Origin {
        origin_of(self.device, self.seq)
    }
}

fn origin_of(device: usize, seq: i64) -> Origin {
    Origin { device_id: Uuid::from_u128(device as u128 + 1), seq }
}

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Applied,
    Rejected,
    Deferred,
}

/// An applied change as the server logged it, with the base version and origin of its mutation.
struct Applied {
    path: String,
    version: i64,
    base: i64,
    origin: Origin,
}

struct Server {
    data: Map<String, Value>,
    version: i64,
    log: Vec<LoggedChange>,
    applied: Vec<Applied>,
    /// Open conflicts: path and candidate values.
    conflicts: BTreeMap<String, Vec<Value>>,
    results: BTreeMap<u64, Outcome>,
    last_seq: [i64; DEVICES],
    parked: BTreeMap<(usize, i64), Mutation>,
    /// Paths where a device's change conflicted although only that device changed them
    /// after the change's base version.
    self_conflicts: Vec<String>,
}

impl Server {
    fn new(data: Map<String, Value>) -> Self {
        Server {
            data,
            version: 1,
            log: Vec::new(),
            applied: Vec::new(),
            conflicts: BTreeMap::new(),
            results: BTreeMap::new(),
            last_seq: [0; DEVICES],
            parked: BTreeMap::new(),
            self_conflicts: Vec::new(),
        }
    }

    /// Receives one mutation: replay, park, or apply and then drain the parked ones.
    fn receive(&mut self, mutation: &Mutation) -> Outcome {
        if let Some(outcome) = self.results.get(&mutation.id) {
            return outcome.clone();
        }
        if mutation.seq > self.last_seq[mutation.device] + 1 {
            self.parked.insert((mutation.device, mutation.seq), mutation.clone());
            return Outcome::Deferred;
        }
        let outcome = self.apply(mutation);
        loop {
            let device = mutation.device;
            let Some(next) = self.parked.remove(&(device, self.last_seq[device] + 1)) else { break };
            self.apply(&next);
        }
        outcome
    }

    fn apply(&mut self, mutation: &Mutation) -> Outcome {
        self.last_seq[mutation.device] = mutation.seq;
        let origin = mutation.origin();
        let base = Base { version: mutation.base, origin: Some(origin) };
        let mut applying = Vec::new();
        let mut conflicting = Vec::new();
        for (path, value) in &mutation.changes {
            match merge::decide(path, value, &base, &self.log, &self.data) {
                Decision::Apply => applying.push((path.clone(), value.clone())),
                Decision::AlreadyEqual => {}
                Decision::Conflict => {
                    if !self.changed_by_another_device(path, mutation) {
                        self.self_conflicts.push(path.clone());
                    }
                    conflicting.push((path.clone(), value.clone()));
                }
            }
        }
        let mut data = self.data.clone();
        let mut changed = Vec::new();
        for (path, value) in &applying {
            match set_path(&mut data, path, value) {
                Ok(true) => changed.push(path.clone()),
                Ok(false) => {}
                Err(()) => {
                    self.results.insert(mutation.id, Outcome::Rejected);
                    return Outcome::Rejected;
                }
            }
        }
        if changed.is_empty() && conflicting.is_empty() {
            self.results.insert(mutation.id, Outcome::Applied);
            return Outcome::Applied;
        }
        self.version += 1;
        for (path, value) in conflicting {
            let candidates = self
                .conflicts
                .entry(path.clone())
                .or_insert_with(|| vec![merge::value_at(&self.data, &path)]);
            candidates.push(value);
        }
        for path in changed {
            self.log.push(LoggedChange { path: path.clone(), version: self.version, origin: Some(origin) });
            self.applied.push(Applied { path, version: self.version, base: mutation.base, origin });
        }
        self.data = data;
        self.results.insert(mutation.id, Outcome::Applied);
        Outcome::Applied
    }
}

impl Server {
    /// Whether a device other than the mutation's changed an overlapping path after the
    /// mutation's base version, read from the applied changes rather than the merge's log.
    fn changed_by_another_device(&self, path: &str, mutation: &Mutation) -> bool {
        self.applied.iter().any(|applied| {
            applied.version > mutation.base
                && merge::paths_overlap(&applied.path, path)
                && applied.origin.device_id != mutation.origin().device_id
        })
    }
}

/// Sets a path like the validator does: a field, a whole row by id (null deletes it), or a
/// field of an existing row. Returns whether anything changed; a field of a missing row is an
/// error.
fn set_path(data: &mut Map<String, Value>, path: &str, value: &Value) -> Result<bool, ()> {
    let segments: Vec<&str> = path.split('/').collect();
    if segments.len() == 1 {
        let old = data.get(path).cloned().unwrap_or(Value::Null);
        if &old == value {
            return Ok(false);
        }
        if value.is_null() {
            data.remove(path);
        } else {
            data.insert(path.to_owned(), value.clone());
        }
        return Ok(true);
    }
    let rows = data.entry(segments[0]).or_insert_with(|| json!([])).as_array_mut().expect("rows");
    let position = rows.iter().position(|row| row["unique_id"] == segments[1]);
    match (segments.len(), position) {
        (2, Some(index)) if value.is_null() => {
            rows.remove(index);
            Ok(true)
        }
        (2, Some(index)) => {
            let changed = rows[index] != *value;
            rows[index] = value.clone();
            Ok(changed)
        }
        (2, None) if value.is_null() => Ok(false),
        (2, None) => {
            rows.push(value.clone());
            Ok(true)
        }
        (3, Some(index)) => {
            let row = rows[index].as_object_mut().expect("a row");
            let changed = row.get(segments[2]) != Some(value);
            row.insert(segments[2].to_owned(), value.clone());
            Ok(changed)
        }
        _ => Err(()),
    }
}

struct Device {
    data: Map<String, Value>,
    base: i64,
    next_seq: i64,
    outbox: Vec<Mutation>,
}

/// A value a device wrote, to check afterwards.
struct Written {
    path: String,
    value: Value,
    mutation: u64,
    origin: Origin,
}

fn initial() -> Map<String, Value> {
    json!({"f0": 0, "rows": [{"unique_id": "r1", "x": 0}, {"unique_id": "r2", "x": 0}]})
        .as_object()
        .expect("an object")
        .clone()
}

fn contains(haystack: &Value, needle: &Value) -> bool {
    haystack == needle
        || match haystack {
            Value::Array(items) => items.iter().any(|item| contains(item, needle)),
            Value::Object(fields) => fields.values().any(|item| contains(item, needle)),
            _ => false,
        }
}

fn run(seed: u64) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut server = Server::new(initial());
    let mut devices: Vec<Device> =
        (0..DEVICES).map(|_| Device { data: initial(), base: 1, next_seq: 1, outbox: Vec::new() }).collect();
    let mut network: Vec<Mutation> = Vec::new();
    let mut written: Vec<Written> = Vec::new();
    let mut next_value = 1_000;
    let mut next_id = 1;

    for _ in 0..(10 + rng.below(30)) {
        let device = rng.below(DEVICES as u64) as usize;
        match rng.below(10) {
            // An edit made offline: one or two changes, each a new unique value.
            0..=4 => {
                let mut changes = Vec::new();
                for _ in 0..(1 + rng.below(2)) {
                    next_value += 1;
                    let row = ROWS[rng.below(3) as usize];
                    let (path, value) = match rng.below(5) {
                        0 | 1 => ("f0".to_owned(), json!(next_value)),
                        2 => (format!("rows/{row}/x"), json!(next_value)),
                        3 => (format!("rows/{row}"), json!({"unique_id": row, "x": next_value})),
                        _ => (format!("rows/{row}"), Value::Null),
                    };
                    if set_path(&mut devices[device].data, &path, &value).is_err() {
                        continue;
                    }
                    // A later change of the same edit replaces an earlier one its author just made.
                    written.retain(|earlier| {
                        earlier.mutation != next_id || !merge::paths_overlap(&earlier.path, &path)
                    });
                    if !value.is_null() {
                        let origin = origin_of(device, devices[device].next_seq);
                        written.push(Written {
                            path: path.clone(),
                            value: value.clone(),
                            mutation: next_id,
                            origin,
                        });
                    }
                    changes.push((path, value));
                }
                if changes.is_empty() {
                    continue;
                }
                let state = &mut devices[device];
                let mutation =
                    Mutation { id: next_id, device, seq: state.next_seq, base: state.base, changes };
                next_id += 1;
                state.next_seq += 1;
                state.outbox.push(mutation);
            }
            // The device sends its outbox; copies may be duplicated or delayed.
            5..=6 => {
                for mutation in &devices[device].outbox {
                    network.push(mutation.clone());
                    if rng.chance(20) {
                        network.push(mutation.clone());
                    }
                }
            }
            // The network delivers one message in random order; the reply may be lost.
            7..=8 => {
                if network.is_empty() {
                    continue;
                }
                let message = network.swap_remove(rng.below(network.len() as u64) as usize);
                let outcome = server.receive(&message);
                if outcome != Outcome::Deferred && !rng.chance(25) {
                    devices[message.device].outbox.retain(|queued| queued.id != message.id);
                }
            }
            // A download; unsent edits stay on top.
            _ => download(&server, &mut devices[device]),
        }
    }

    // Reconnect: deliver everything and send each outbox until it is empty.
    for message in std::mem::take(&mut network) {
        server.receive(&message);
    }
    for _ in 0..3 {
        for device in devices.iter_mut() {
            for mutation in std::mem::take(&mut device.outbox) {
                server.receive(&mutation);
            }
        }
    }
    assert!(server.parked.is_empty(), "seed {seed}: mutations stay parked after every gap filled");
    assert!(
        server.self_conflicts.is_empty(),
        "seed {seed}: a device's edit conflicted with its own earlier edits at {:?}",
        server.self_conflicts
    );
    for (index, device) in devices.iter_mut().enumerate() {
        download(&server, device);
        assert_eq!(device.data, server.data, "seed {seed}: device {index} did not converge");
    }

    for value in &written {
        if server.results.get(&value.mutation) == Some(&Outcome::Rejected) {
            continue;
        }
        let current = contains(&merge::value_at(&server.data, &value.path), &value.value);
        let kept = server.conflicts.values().flatten().any(|candidate| contains(candidate, &value.value));
        let overwritten = overwritten_after_seen(&server, value);
        assert!(
            current || kept || overwritten,
            "seed {seed}: value {} written at {} was lost silently",
            value.value,
            value.path
        );
    }
}

/// Whether a change made with the value in view replaced it: an applied change to an
/// overlapping path whose base version includes the version that wrote the value, or a later
/// mutation of the device that wrote it.
fn overwritten_after_seen(server: &Server, value: &Written) -> bool {
    let replaced_by_author = server.applied.iter().any(|later| {
        merge::paths_overlap(&later.path, &value.path)
            && later.origin.device_id == value.origin.device_id
            && later.origin.seq > value.origin.seq
    });
    if replaced_by_author {
        return true;
    }
    let written_in = server
        .applied
        .iter()
        .filter(|applied| merge::paths_overlap(&applied.path, &value.path))
        .map(|applied| applied.version)
        .collect::<HashSet<_>>();
    server.applied.iter().any(|later| {
        merge::paths_overlap(&later.path, &value.path)
            && written_in.iter().any(|version| later.version > *version && later.base >= *version)
    })
}

fn download(server: &Server, device: &mut Device) {
    let mut data = server.data.clone();
    for mutation in &device.outbox {
        for (path, value) in &mutation.changes {
            let _ = set_path(&mut data, path, value);
        }
    }
    device.data = data;
    device.base = server.version;
}

#[test]
fn replicas_converge_and_keep_every_value() {
    let only: Option<u64> = std::env::var("MODEL_SEED").ok().and_then(|seed| seed.parse().ok());
    for seed in only.map_or(1..=RUNS, |seed| seed..=seed) {
        run(seed);
    }
}
