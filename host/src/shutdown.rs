//! How `serve` stops: on SIGTERM or Ctrl-C it stops accepting connections,
//! answers the requests in flight, lets the background tasks wind down (the
//! drainer finishes or frees its attempts), flushes the writer and returns —
//! all within one bound, so an orchestrator's kill after its own grace
//! period finds nothing half done that a restart would not pick up.
//!
//! Every 2xx already waited for its commit, so what a stop can cut short is
//! an answer not yet sent (the vendor retries it) or a delivery attempt
//! (its lease is freed and it goes out again, same message id).

use crate::store::writer::Writer;
use crate::tasks::Tasks;
use anyhow::Result;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// What the background tasks get beyond the grace period to return.
const TASKS_MARGIN: Duration = Duration::from_secs(5);

/// A stop signal, for `axum::serve(..).with_graceful_shutdown`.
pub type Signal = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Serves what `http` makes of the stop signal (an `axum::serve` with
/// graceful shutdown) until the signal, then stops everything within `grace`
/// (plus a margin for the tasks to return).
pub async fn serve_until_stopped<S: IntoFuture<Output = std::io::Result<()>>>(
    http: impl FnOnce(Signal) -> S,
    tasks: Tasks,
    writer: Writer,
    grace: Duration,
) -> Result<()> {
    let (signalled, mut watch_signal) = watch::channel(false);
    let http = http(Box::pin(async move {
        stop_signal().await;
        let _ = signalled.send(true);
    }))
    .into_future();
    tokio::pin!(http);
    // The signal runs inside the server's future: both may be ready at once,
    // and a server that stopped on the signal is a stop like any other.
    let served = tokio::select! {
        result = &mut http => Some(result),
        _ = watch_signal.wait_for(|s| *s) => None,
    };
    if !*watch_signal.borrow() {
        // The listener failed on its own: stop the rest too.
        tasks.shutdown(grace + TASKS_MARGIN).await;
        return served.map_or(Ok(()), |result| result.map_err(Into::into));
    }
    let started = Instant::now();
    tracing::info!("stopping: no new connections; {grace:?} for what is in flight");
    let answered = async {
        if let Some(result) = served {
            return result.map_err(anyhow::Error::from);
        }
        match tokio::time::timeout(grace, &mut http).await {
            Ok(result) => result.map_err(anyhow::Error::from),
            Err(_) => {
                tracing::warn!("requests still in flight after {grace:?} were cut off");
                Ok(())
            }
        }
    };
    let (answered, ()) = tokio::join!(answered, tasks.shutdown(grace + TASKS_MARGIN));
    writer.flush().await?;
    tracing::info!("stopped in {:?}", started.elapsed());
    answered
}

async fn stop_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
}
