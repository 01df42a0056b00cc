//! The OTLP/HTTP exporter: protobuf `POST {endpoint}/v1/traces`, in
//! batches, from the SDK's batch thread.
//!
//! The exporter posts through the server's own reqwest 0.12 (rustls)
//! rather than an exporter feature that brings another HTTP and TLS stack.
//! The batch thread is no tokio thread, so each export runs as a task on
//! the server's runtime and the batch thread waits for it.

use super::ids::PinnedIds;
use anyhow::{Context as _, Result};
use async_trait::async_trait;
use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::time::Duration;

/// Longest wait for the collector, per batch.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

/// The tracer provider exporting to `endpoint` (the collector's base URL,
/// `http://127.0.0.1:4318`; `/v1/traces` is appended unless present).
pub fn provider(
    endpoint: &str,
    service_name: &str,
    runtime: tokio::runtime::Handle,
) -> Result<SdkTracerProvider> {
    let endpoint = endpoint.trim_end_matches('/');
    let endpoint = if endpoint.ends_with("/v1/traces") {
        endpoint.to_string()
    } else {
        format!("{endpoint}/v1/traces")
    };
    let client = OnRuntime {
        client: reqwest::Client::builder()
            .timeout(EXPORT_TIMEOUT)
            .build()
            .context("building the OTLP HTTP client")?,
        runtime,
    };
    let exporter = SpanExporter::builder()
        .with_http()
        .with_http_client(client)
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(&endpoint)
        .with_timeout(EXPORT_TIMEOUT)
        .build()
        .with_context(|| format!("the OTLP exporter to {endpoint}"))?;
    Ok(SdkTracerProvider::builder()
        .with_id_generator(PinnedIds::default())
        .with_resource(
            Resource::builder()
                .with_service_name(service_name.to_string())
                .build(),
        )
        .with_batch_exporter(exporter)
        .build())
}

/// reqwest, each request a task on the server's runtime.
#[derive(Debug)]
struct OnRuntime {
    client: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

#[async_trait]
impl HttpClient for OnRuntime {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let request = reqwest::Request::try_from(request)?;
        let client = self.client.clone();
        let answer = self
            .runtime
            .spawn(async move {
                let response = client.execute(request).await?;
                let mut answer = Response::builder().status(response.status().as_u16());
                for (name, value) in response.headers() {
                    answer = answer.header(name.as_str(), value.as_bytes());
                }
                let body = response.bytes().await?;
                Ok::<_, HttpError>(answer.body(body)?)
            })
            .await??;
        Ok(answer)
    }
}
