//! The conformance-fixture runner: one adapter, run in the real sandbox,
//! against a folder of fixtures (`hookyard_fixture`). `hookyard plugin test`
//! prints its findings; the registry refuses a new version whose
//! `NAME.fixtures` folder, beside its `.wasm`, fails.

use crate::fetch::{FetchScope, Fetcher};
use crate::runtime::{AdapterCall, Header, LoadedAdapter, Request, Verdict};
use anyhow::{Result, bail};
use hookyard_fixture::{Fixture, Observed, ObservedEvent, ObservedFollowUp, ObservedResponse};
use std::path::Path;

/// One fixture's run: its file name, description and what differed.
pub struct FixtureRun {
    pub name: String,
    pub description: String,
    /// Empty when the fixture passed.
    pub diffs: Vec<String>,
}

/// Runs every fixture (`*.json`) of `dir` through the adapter; an error when
/// the directory holds none. `plugin test` prints the result; the registry
/// rejects a hot-loaded adapter that fails any.
pub async fn run_fixtures(adapter: &LoadedAdapter, dir: &Path) -> Result<Vec<FixtureRun>> {
    let cases = Fixture::load_dir(dir).map_err(anyhow::Error::msg)?;
    if cases.is_empty() {
        bail!("no fixtures (*.json) in {}", dir.display());
    }
    let mut runs = Vec::with_capacity(cases.len());
    for (file, fixture) in cases {
        let name = file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        let diffs = match run_fixture(adapter, &fixture).await {
            Ok(observed) => fixture.check(&observed),
            Err(e) => vec![format!("{e:#}")],
        };
        runs.push(FixtureRun {
            name,
            description: fixture.description,
            diffs,
        });
    }
    Ok(runs)
}

async fn run_fixture(adapter: &LoadedAdapter, fixture: &Fixture) -> Result<Observed> {
    // Keys come from the fixture, never the network; the adapter's declared
    // origins still decide what it may ask for.
    let fetch = FetchScope {
        fetcher: Fetcher::canned(
            fixture
                .fetch_answers()
                .map_err(anyhow::Error::msg)?
                .into_iter()
                .collect(),
        ),
        origins: adapter.manifest.origins.clone().into(),
    };
    let req = &fixture.request;
    let request = Request {
        method: req.method.clone(),
        url: req.url.clone(),
        path: req.path(),
        query: req.query(),
        headers: req
            .headers
            .iter()
            .map(|(name, value)| Header {
                name: name.clone(),
                value: value.clone(),
            })
            .collect(),
        body: req.body_bytes().map_err(anyhow::Error::msg)?,
        remote_addr: None,
    };
    let verdict = adapter
        .process(&AdapterCall {
            request: &request,
            secrets: &fixture.secrets,
            settings: &fixture.settings_json(),
            now_ms: fixture.now * 1000,
            tag: "plugin-test",
            pool: None,
            fetch: Some(&fetch),
        })
        .await?;
    Ok(match verdict {
        Verdict::Rejected { failure, .. } => Observed::Rejected(failure.code().to_string()),
        Verdict::Respond(r) => Observed::Response {
            status: r.status,
            headers: r.headers.into_iter().map(|h| (h.name, h.value)).collect(),
            body: r.body,
        },
        Verdict::HandleFailed { kind, detail } => Observed::HandleFailed(kind.to_string(), detail),
        Verdict::Events(events) => Observed::Events(observed_events(events)),
        Verdict::Reply(reply) => Observed::Reply {
            events: observed_events(reply.events),
            response: reply.response.map(|r| ObservedResponse {
                status: r.status,
                headers: r.headers.into_iter().map(|h| (h.name, h.value)).collect(),
                body: r.body,
            }),
            follow_up: reply.follow_up.map(|f| ObservedFollowUp {
                method: f.method,
                url: f.url,
                headers: f.headers.into_iter().map(|h| (h.name, h.value)).collect(),
                body: f.body,
            }),
        },
    })
}

fn observed_events(events: Vec<crate::runtime::Event>) -> Vec<ObservedEvent> {
    events
        .into_iter()
        .map(|e| ObservedEvent {
            event_type: e.event_type,
            dedup_id: e.dedup_id,
            subject: e.subject,
            occurred_at: e.occurred_at,
            data: e.data,
        })
        .collect()
}
