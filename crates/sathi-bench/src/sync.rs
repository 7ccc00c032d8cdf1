//! The sync benchmark: bytes on the wire of a caseworker's first sync and of a one-field edit,
//! and many devices syncing at once against one server.
//!
//! Every request goes through [`CountingProxy`], a loopback TCP relay that counts the bytes in
//! each direction, so the figures include HTTP headers and framing as a phone's radio carries
//! them. TLS, which adds its own records and handshake, is not in the figures.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;

use crate::measure::{self, Session, Summary};
use crate::server::ServerProcess;

/// Targets of the sync benchmark.
pub const FIRST_SYNC_TARGET_BYTES: u64 = 1_500_000;
pub const ROUND_TRIP_TARGET_BYTES: u64 = 2_048;
pub const CONCURRENT_SYNC_TARGET_MS: f64 = 1_000.0;

/// Cases per sync response, as the web client asks for them.
const PAGE_LIMIT: u64 = 100;

/// A loopback TCP relay in front of the server that counts bytes in both directions.
pub struct CountingProxy {
    pub base_url: String,
    up: Arc<AtomicU64>,
    down: Arc<AtomicU64>,
}

impl CountingProxy {
    pub async fn start(upstream_base_url: &str) -> anyhow::Result<CountingProxy> {
        let upstream =
            upstream_base_url.strip_prefix("http://").context("the server URL is not http://")?.to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let up = Arc::new(AtomicU64::new(0));
        let down = Arc::new(AtomicU64::new(0));
        let (up_total, down_total) = (up.clone(), down.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let (up_total, down_total) = (up_total.clone(), down_total.clone());
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(&upstream).await else { return };
                    let _ = client.set_nodelay(true);
                    let _ = server.set_nodelay(true);
                    let (client_read, client_write) = client.into_split();
                    let (server_read, server_write) = server.into_split();
                    let sending = relay(client_read, server_write, up_total);
                    let receiving = relay(server_read, client_write, down_total);
                    let _ = tokio::join!(sending, receiving);
                });
            }
        });
        Ok(CountingProxy { base_url: format!("http://{address}"), up, down })
    }

    /// Bytes sent to and received from the server so far.
    pub fn totals(&self) -> (u64, u64) {
        (self.up.load(Ordering::Relaxed), self.down.load(Ordering::Relaxed))
    }
}

async fn relay(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    counter: Arc<AtomicU64>,
) -> std::io::Result<()> {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = from.read(&mut buffer).await?;
        if read == 0 {
            return to.shutdown().await;
        }
        counter.fetch_add(read as u64, Ordering::Relaxed);
        to.write_all(&buffer[..read]).await?;
    }
}

/// One simulated phone: a logged-in user with a device id, a cursor and the cases it holds.
struct Device {
    http: reqwest::Client,
    base_url: String,
    session: Session,
    device_id: Uuid,
    cursor: Option<String>,
    config_version: Option<i64>,
    next_seq: i64,
    /// Case id to the version on the device and whether the device's user owns the case.
    held: BTreeMap<Uuid, (i64, bool)>,
}

/// The records and configuration one sync exchange returned.
struct Exchange {
    records: Vec<Value>,
    more: bool,
    /// The configuration, when the server sent it.
    configuration: Option<Value>,
}

impl Device {
    fn new(base_url: &str, session: Session) -> anyhow::Result<Device> {
        // reqwest offers zstd and gzip, as a browser does, and decodes what comes back.
        let http = reqwest::Client::builder().gzip(true).zstd(true).build()?;
        Ok(Device {
            http,
            base_url: base_url.to_owned(),
            session,
            device_id: Uuid::new_v4(),
            cursor: None,
            config_version: None,
            next_seq: 1,
            held: BTreeMap::new(),
        })
    }

    fn scope_digest(&self) -> String {
        let mut hasher = Sha256::new();
        for id in self.held.keys() {
            hasher.update(id.hyphenated().to_string().as_bytes());
            hasher.update(b"\n");
        }
        format!("{:x}", hasher.finalize())
    }

    async fn exchange(&mut self, mutations: Vec<Value>) -> anyhow::Result<Exchange> {
        let body = json!({
            "device_id": self.device_id,
            "cursor": self.cursor,
            "config_version": self.config_version,
            "scope_digest": self.scope_digest(),
            "limit": PAGE_LIMIT,
            "mutations": mutations,
        });
        let response = self
            .http
            .post(format!("{}/api/v1/sync", self.base_url))
            .bearer_auth(&self.session.token)
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let answer: Value = response.json().await.context("the sync response is not JSON")?;
        ensure!(status.is_success(), "sync of {} failed with {status}: {answer}", self.session.username);
        for result in answer["results"].as_array().into_iter().flatten() {
            let outcome = result["status"].as_str().unwrap_or_default();
            ensure!(outcome == "applied", "a benchmark mutation was not applied: {result}");
        }
        let records = answer["records"].as_array().cloned().unwrap_or_default();
        for record in &records {
            let id: Uuid = record["id"].as_str().context("a record has no id")?.parse()?;
            let owned = record["owner_id"].as_str() == Some(self.session.user_id.to_string().as_str());
            self.held.insert(id, (record["version"].as_i64().unwrap_or(0), owned));
        }
        if let Some(ids) = answer["scope"]["ids"].as_array() {
            let in_scope: Vec<Uuid> = ids.iter().filter_map(|id| id.as_str()?.parse().ok()).collect();
            self.held.retain(|id, _| in_scope.contains(id));
        }
        let configuration = answer.get("configuration").filter(|value| !value.is_null()).cloned();
        if let Some(configuration) = &configuration {
            self.config_version = configuration["version"].as_i64();
        }
        self.cursor = answer["cursor"].as_str().map(str::to_owned);
        Ok(Exchange { records, more: answer["more"].as_bool().unwrap_or(false), configuration })
    }

    /// Syncs until the server has nothing more to send; returns the records and the
    /// configuration as JSON, for the comparison with zstd.
    async fn first_sync(&mut self) -> anyhow::Result<(usize, Vec<u8>)> {
        let mut requests = 0;
        let mut payload = Vec::new();
        loop {
            let exchange = self.exchange(Vec::new()).await?;
            requests += 1;
            for record in &exchange.records {
                payload.extend(serde_json::to_vec(record)?);
            }
            if let Some(configuration) = &exchange.configuration {
                payload.extend(serde_json::to_vec(configuration)?);
            }
            if !exchange.more {
                return Ok((requests, payload));
            }
        }
    }

    /// Sends one edit of one text field of a case the user owns and takes the changes since the
    /// cursor. Cases shared through an assignment are left alone, so two devices never edit one
    /// field at once and every edit applies.
    async fn edit_one_field(&mut self, round: usize) -> anyhow::Result<()> {
        let owned: Vec<(Uuid, i64)> = self
            .held
            .iter()
            .filter(|(_, (_, owned))| *owned)
            .map(|(id, (version, _))| (*id, *version))
            .collect();
        let &(case_id, version) =
            owned.get(round % owned.len().max(1)).context("the device owns no case to edit")?;
        let mutation = json!({
            "mutation_id": Uuid::new_v4(),
            "seq": self.next_seq,
            "record_id": case_id,
            "kind": "update",
            "base_version": version,
            "changes": [{"path": "name_nickname", "value": format!("Nick {round}")}],
            "device_time": "2026-12-04T10:00:00+06:00",
        });
        self.next_seq += 1;
        self.exchange(vec![mutation]).await?;
        Ok(())
    }
}

pub struct FirstSync {
    pub cases: usize,
    pub requests: usize,
    pub bytes_up: u64,
    pub bytes_down: u64,
    pub seconds: f64,
    /// The records and configuration the device received, as JSON.
    pub json_bytes: usize,
    pub zstd3_bytes: usize,
    pub zstd19_bytes: usize,
}

pub struct RoundTrip {
    pub samples: usize,
    pub median_up: u64,
    pub median_down: u64,
    pub max_total: u64,
}

pub struct Concurrent {
    pub devices: usize,
    pub rounds: usize,
    pub first_sync: Summary,
    pub edit_sync: Summary,
    pub cpu_percent: f64,
    pub rss_before_kib: u64,
    pub peak_rss_kib: u64,
}

pub struct SyncResult {
    pub backend: &'static str,
    pub first: FirstSync,
    pub round_trip: RoundTrip,
    pub concurrent: Concurrent,
}

pub async fn measure(
    backend: &'static str,
    server: &ServerProcess,
    usernames: &[String],
    password: &str,
    devices: usize,
    rounds: usize,
) -> anyhow::Result<SyncResult> {
    let proxy = CountingProxy::start(&server.base_url).await?;

    eprintln!("  first sync of one caseload, counted on the wire");
    let session = measure::login(&server.base_url, &usernames[0], password, Vec::new()).await?;
    let mut device = Device::new(&proxy.base_url, session)?;
    let before = proxy.totals();
    let started = Instant::now();
    let (requests, payload) = device.first_sync().await?;
    let seconds = started.elapsed().as_secs_f64();
    let after = proxy.totals();
    ensure!(device.config_version.is_some(), "the first sync did not send the configuration");
    let first = FirstSync {
        cases: device.held.len(),
        requests,
        bytes_up: after.0 - before.0,
        bytes_down: after.1 - before.1,
        seconds,
        json_bytes: payload.len(),
        zstd3_bytes: zstd::bulk::compress(&payload, 3)?.len(),
        zstd19_bytes: zstd::bulk::compress(&payload, 19)?.len(),
    };

    eprintln!("  one-field edit round trips");
    let mut ups = Vec::new();
    let mut downs = Vec::new();
    for round in 0..21 {
        let before = proxy.totals();
        device.edit_one_field(round).await?;
        let after = proxy.totals();
        ups.push(after.0 - before.0);
        downs.push(after.1 - before.1);
    }
    let totals: Vec<u64> = ups.iter().zip(&downs).map(|(up, down)| up + down).collect();
    ups.sort_unstable();
    downs.sort_unstable();
    let round_trip = RoundTrip {
        samples: ups.len(),
        median_up: ups[ups.len() / 2],
        median_down: downs[downs.len() / 2],
        max_total: totals.iter().copied().max().unwrap_or(0),
    };

    eprintln!("  {devices} devices: logging in");
    let mut phones = Vec::new();
    for username in usernames.iter().skip(1).take(devices) {
        let session = measure::login(&server.base_url, username, password, Vec::new()).await?;
        phones.push(Device::new(&server.base_url, session)?);
    }
    ensure!(phones.len() == devices, "only {} caseworkers exist for {devices} devices", phones.len());
    let rss_before_kib = server.memory_kib("VmRSS")?;
    let cpu_before = cpu_ticks(server.pid)?;
    let wall = Instant::now();

    eprintln!("  {devices} devices: first sync at once");
    let first_times =
        all_at_once(&mut phones, |device| Box::pin(async move { device.first_sync().await.map(drop) }))
            .await?;
    eprintln!("  {devices} devices: {rounds} rounds of an edit each, at once");
    let mut edit_times = Vec::new();
    for round in 0..rounds {
        edit_times.extend(
            all_at_once(&mut phones, move |device| {
                Box::pin(async move { device.edit_one_field(round).await })
            })
            .await?,
        );
    }
    let cpu_seconds = (cpu_ticks(server.pid)? - cpu_before) as f64 / clock_ticks_per_second();
    let concurrent = Concurrent {
        devices,
        rounds,
        first_sync: Summary::of(&first_times),
        edit_sync: Summary::of(&edit_times),
        cpu_percent: 100.0 * cpu_seconds / wall.elapsed().as_secs_f64(),
        rss_before_kib,
        peak_rss_kib: server.memory_kib("VmHWM")?,
    };
    Ok(SyncResult { backend, first, round_trip, concurrent })
}

type DeviceFuture<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<()>> + Send + 'a>>;

/// Runs `work` on every device at the same moment and returns how long each took.
async fn all_at_once<F>(devices: &mut [Device], work: F) -> anyhow::Result<Vec<Duration>>
where
    F: for<'a> Fn(&'a mut Device) -> DeviceFuture<'a> + Copy,
{
    let barrier = Arc::new(tokio::sync::Barrier::new(devices.len()));
    let tasks = devices.iter_mut().map(|device| {
        let barrier = barrier.clone();
        async move {
            barrier.wait().await;
            let started = Instant::now();
            work(device).await?;
            anyhow::Ok(started.elapsed())
        }
    });
    futures::future::try_join_all(tasks).await
}

/// User plus system CPU time of a process so far, in clock ticks.
fn cpu_ticks(pid: u32) -> anyhow::Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name in brackets may contain spaces, so fields are counted after it.
    let after_name = stat.rsplit_once(')').context("unexpected /proc/PID/stat")?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let user: u64 = fields.get(11).context("no utime")?.parse()?;
    let system: u64 = fields.get(12).context("no stime")?.parse()?;
    Ok(user + system)
}

fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|output| String::from_utf8_lossy(&output.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}
