//! OpenTelemetry traces, exported over OTLP/HTTP when `serve` gets
//! `--otlp-endpoint`; and the W3C trace context deliveries carry.
//!
//! The spans are ordinary `tracing` spans with their own target
//! ([`TARGET`]): the log output never shows them, and without an endpoint
//! no subscriber wants them, so the request path does what it did before
//! (one cached interest check per span). With an endpoint, a
//! `tracing-opentelemetry` layer turns them into OTel spans and the SDK's
//! batch processor exports them ([`export`]); `serve` flushes what is left
//! when it stops. How a delivery, later and elsewhere, joins its request's
//! trace: [`ids`]. Which spans exist: [`spans`].

mod export;
pub mod ids;
pub mod spans;

use anyhow::Result;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, Targets};

/// The target of every exported span (and of nothing else).
pub const TARGET: &str = "hookyard::otel";

/// Longest wait at shutdown for the last spans to reach the collector.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether spans are exported (the `traceparent` sent on says "sampled").
static EXPORTING: AtomicBool = AtomicBool::new(false);

pub fn exporting() -> bool {
    EXPORTING.load(Ordering::Relaxed)
}

/// `serve`'s OpenTelemetry flags.
#[derive(Debug, Clone, clap::Args)]
pub struct OtlpConfig {
    /// Export traces over OTLP/HTTP (protobuf) to this collector, e.g.
    /// `http://127.0.0.1:4318` (`/v1/traces` is appended) [default: no
    /// traces].
    #[arg(long, env = "HOOKYARD_OTLP_ENDPOINT", value_parser = parse_endpoint)]
    pub otlp_endpoint: Option<String>,
    /// The `service.name` of the exported spans.
    #[arg(long, env = "HOOKYARD_OTLP_SERVICE_NAME", default_value = "hookyard")]
    pub otlp_service_name: String,
}

fn parse_endpoint(text: &str) -> Result<String, String> {
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(text.to_string()),
        Ok(url) => Err(format!("{}: not http or https", url.scheme())),
        Err(e) => Err(format!("{text:?}: {e}")),
    }
}

/// The exporter running: flush it with [`Telemetry::shutdown`].
pub struct Telemetry {
    provider: SdkTracerProvider,
}

impl Telemetry {
    /// Starts exporting to `config`'s endpoint, if it names one; the layer
    /// that turns the [`TARGET`] spans into OTel spans, for the subscriber.
    pub fn start<S>(
        config: &OtlpConfig,
        runtime: tokio::runtime::Handle,
    ) -> Result<Option<(Telemetry, impl Layer<S>)>>
    where
        S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
    {
        let Some(endpoint) = &config.otlp_endpoint else {
            return Ok(None);
        };
        let provider = export::provider(endpoint, &config.otlp_service_name, runtime)?;
        let layer = tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("hookyard"))
            .with_location(false)
            .with_target(false)
            .with_level(false)
            .with_tracked_inactivity(false)
            .with_context_activation(false)
            .with_filter(Targets::new().with_target(TARGET, LevelFilter::INFO));
        EXPORTING.store(true, Ordering::Relaxed);
        Ok(Some((Telemetry { provider }, layer)))
    }

    /// Exports what is still buffered, within a bound. Call with the
    /// runtime still running, off its threads: the exports run on it.
    pub fn shutdown(self) {
        EXPORTING.store(false, Ordering::Relaxed);
        if let Err(e) = self.provider.shutdown_with_timeout(FLUSH_TIMEOUT) {
            tracing::warn!("flushing the last spans to the OTLP collector: {e}");
        }
    }
}
