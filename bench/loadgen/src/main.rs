//! `loadgen`: an open-loop HTTP load generator for Hookyard's benchmarks.
//!
//! Open loop means requests are *scheduled* at a fixed rate whatever the
//! server does, and latency is measured from each request's scheduled time, so
//! a stalled server shows up as latency instead of silently lowering the load
//! (coordinated omission). `--rate 0` switches to closed-loop saturation:
//! every connection sends back to back, to find the maximum throughput. Each
//! request is unique and, with `--sign github`, signed as GitHub would sign it,
//! so a durable, deduplicating receiver does real work for every one.

mod report;
mod request;
mod schedule;

use anyhow::{Context as _, Result, bail};
use clap::Parser;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

#[derive(Parser, Clone)]
#[command(about = "Open-loop HTTP load generator (bench/loadgen)")]
pub struct Args {
    /// Target URL (http only, e.g. http://127.0.0.1:8080/webhooks/wh_x).
    /// Repeat it to spread requests round-robin over several paths of one
    /// server (one source each, say).
    #[arg(long, required = true)]
    url: Vec<String>,
    /// Requests per second; 0 = closed-loop saturation.
    #[arg(long, default_value_t = 1000)]
    rate: u64,
    /// Measured seconds.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Seconds sent first and not measured.
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// Keep-alive connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Body size in bytes.
    #[arg(long, default_value_t = 1024)]
    body_size: usize,
    /// `github` (X-Hub-Signature-256) or `none`.
    #[arg(long, default_value = "none")]
    sign: String,
    /// Secret for --sign.
    #[arg(long, default_value = "")]
    secret: String,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// What every worker adds to.
struct Tally {
    histogram: Mutex<Histogram<u64>>,
    errors: Mutex<BTreeMap<String, u64>>,
    ok: AtomicU64,
    sent: AtomicU64,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if args.sign != "github" && args.sign != "none" {
        bail!("--sign must be github or none");
    }
    let urls = args
        .url
        .iter()
        .map(|url| {
            url.parse::<hyper::Uri>()
                .with_context(|| format!("--url {url}"))
        })
        .collect::<Result<Vec<_>>>()?;
    let authority = urls[0]
        .authority()
        .context("--url needs host:port")?
        .to_string();
    if urls
        .iter()
        .any(|url| url.authority().map(|a| a.as_str()) != Some(&authority))
    {
        bail!("every --url must name the same host:port (one connection pool)");
    }
    let factory = Arc::new(request::Factory::new(&args, urls)?);
    let tally = Arc::new(Tally {
        histogram: Mutex::new(Histogram::new_with_bounds(1, 60_000_000, 3)?),
        errors: Mutex::new(BTreeMap::new()),
        ok: AtomicU64::new(0),
        sent: AtomicU64::new(0),
    });

    let start = Instant::now() + Duration::from_millis(50);
    let measure_from = start + Duration::from_secs(args.warmup);
    let end = measure_from + Duration::from_secs(args.duration);
    let slots = schedule::start(args.rate, start, end);

    let mut workers = Vec::new();
    for _ in 0..args.connections {
        let (authority, factory, tally, slots) = (
            authority.clone(),
            factory.clone(),
            tally.clone(),
            slots.clone(),
        );
        workers.push(tokio::spawn(async move {
            worker(authority, factory, tally, slots, measure_from).await
        }));
    }
    for worker in workers {
        worker.await??;
    }
    let histogram = tally.histogram.lock().await.clone();
    let errors = tally.errors.lock().await.clone();
    let summary = report::Summary::new(
        &args,
        &histogram,
        tally.ok.load(Ordering::Relaxed),
        tally.sent.load(Ordering::Relaxed),
        errors,
    );
    summary.print(args.json);
    if summary.ok == 0 {
        bail!("no request succeeded");
    }
    Ok(())
}

/// One keep-alive connection: sends each slot it receives, until the
/// schedule ends.
async fn worker(
    authority: String,
    factory: Arc<request::Factory>,
    tally: Arc<Tally>,
    slots: async_channel::Receiver<schedule::Slot>,
    measure_from: Instant,
) -> Result<()> {
    let mut sender = connect(&authority).await?;
    let mut local = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
    while let Ok(slot) = slots.recv().await {
        let scheduled = slot.at.unwrap_or_else(Instant::now);
        let request = factory.build(slot.number);
        tally.sent.fetch_add(1, Ordering::Relaxed);
        let outcome = match sender.send_request(request).await {
            Ok(response) => {
                let status = response.status();
                let _ = response.into_body().collect().await;
                if status.is_success() {
                    Ok(())
                } else {
                    Err(status.as_u16().to_string())
                }
            }
            Err(e) => Err(format!("transport: {e}")),
        };
        let done = Instant::now();
        if scheduled >= measure_from {
            match outcome {
                Ok(()) => {
                    tally.ok.fetch_add(1, Ordering::Relaxed);
                    local.saturating_record(done.duration_since(scheduled).as_micros().max(1) as u64);
                }
                Err(error) => *tally.errors.lock().await.entry(error).or_default() += 1,
            }
        }
        if sender.is_closed() || sender.ready().await.is_err() {
            sender = connect(&authority).await?;
        }
    }
    tally.histogram.lock().await.add(&local)?;
    Ok(())
}

async fn connect(authority: &str) -> Result<http1::SendRequest<Full<bytes::Bytes>>> {
    let stream = TcpStream::connect(authority)
        .await
        .with_context(|| format!("connecting to {authority}"))?;
    stream.set_nodelay(true)?;
    let (sender, connection) = http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}
