//! The conformance-fixture runner: one adapter, run in the real sandbox,
//! against a folder of fixtures (`hookyard_fixture`). `hookyard plugin test`
//! prints its findings; the registry refuses a new version whose
//! `NAME.fixtures` folder, beside its `.wasm`, fails.

use crate::runtime::{AdapterCall, Header, LoadedAdapter, Request, Verdict};
use anyhow::{Result, bail};
use hookyard_fixture::{Fixture, Observed, ObservedEvent};
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
            fetch: None,
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
        Verdict::Events(events) => observed_events(events),
        Verdict::Reply(reply) => observed_events(reply.events),
    })
}

fn observed_events(events: Vec<crate::runtime::Event>) -> Observed {
    Observed::Events(
        events
            .into_iter()
            .map(|e| ObservedEvent {
                event_type: e.event_type,
                dedup_id: e.dedup_id,
                subject: e.subject,
                occurred_at: e.occurred_at,
                data: e.data,
            })
            .collect(),
    )
}
