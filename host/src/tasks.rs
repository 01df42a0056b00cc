//! The server's background work, owned in one place and stopped together.
//!
//! The drainer, the change listener, the shadow worker, the raw-request
//! retention and the plugins watcher each run as a task of [`Tasks`]; each
//! gets a [`Stop`] and returns once it is asked to. `serve` asks them all
//! when the listener has closed, and waits a bounded time for them, so no task
//! outlives the server's state unnoticed.

use std::future::Future;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// A task's view of the stop request.
#[derive(Clone)]
pub struct Stop(watch::Receiver<bool>);

impl Stop {
    /// Completes once the server asked its tasks to stop.
    pub async fn requested(&mut self) {
        // An error means the sender is gone: stopping too.
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    /// Whether a stop was asked for.
    pub fn is_requested(&self) -> bool {
        *self.0.borrow()
    }
}

pub struct Tasks {
    set: JoinSet<()>,
    stop: watch::Sender<bool>,
}

impl Default for Tasks {
    fn default() -> Self {
        Tasks {
            set: JoinSet::new(),
            stop: watch::channel(false).0,
        }
    }
}

impl Tasks {
    /// What a new task watches to learn it should stop.
    pub fn stop(&self) -> Stop {
        Stop(self.stop.subscribe())
    }

    /// Runs `task` until it returns (it should once [`Stop`] says so).
    pub fn spawn(&mut self, name: &'static str, task: impl Future<Output = ()> + Send + 'static) {
        self.set.spawn(async move {
            task.await;
            tracing::debug!("{name} stopped");
        });
    }

    /// Asks every task to stop and waits up to `bound` for them; the ones
    /// still running then are aborted.
    pub async fn shutdown(mut self, bound: Duration) {
        let _ = self.stop.send(true);
        let all = async { while self.set.join_next().await.is_some() {} };
        if tokio::time::timeout(bound, all).await.is_err() {
            tracing::warn!(
                "{} background tasks did not stop within {bound:?}; aborted",
                self.set.len()
            );
            self.set.abort_all();
        }
    }
}
