//! Secrets about to expire: a source whose only secret lapses starts
//! refusing every request, so the server warns ahead of time.
//!
//! A task looks every `--alert-check-seconds` for secrets expiring within
//! `--secret-expiry-warning-days` and raises one `hookyard.secret.expiring`
//! alert per secret and expiry (its dedup id names both: a later check, a
//! restart or another replica stores no second one; a new expiry warns again).

use super::{Alert, Alerts};
use crate::store::{now_ms, secrets};
use crate::tasks::Stop;
use sqlx::AnyPool;
use std::time::Duration;

const DAY_MS: i64 = 86_400_000;

/// When the server warns about what.
#[derive(Debug, Clone, clap::Args)]
pub struct AlertConfig {
    /// Days before a source secret expires that a `hookyard.secret.expiring`
    /// alert is raised; 0 raises none.
    #[arg(long, env = "HOOKYARD_SECRET_EXPIRY_WARNING_DAYS", default_value_t = 7)]
    pub secret_expiry_warning_days: u64,
    /// Seconds between two looks for secrets about to expire.
    #[arg(long, env = "HOOKYARD_ALERT_CHECK_SECONDS", default_value_t = 300)]
    pub alert_check_seconds: u64,
}

/// The task raising expiry alerts, if warnings are on.
pub fn task(
    config: &AlertConfig,
    pool: AnyPool,
    alerts: Alerts,
    mut stop: Stop,
) -> Option<impl Future<Output = ()> + Send + 'static> {
    let window = i64::try_from(config.secret_expiry_warning_days)
        .ok()?
        .checked_mul(DAY_MS)
        .filter(|window| *window > 0)?;
    let every = Duration::from_secs(config.alert_check_seconds.max(1));
    Some(async move {
        while !stop.is_requested() {
            let now = now_ms();
            match secrets::expiring(&pool, now, now.saturating_add(window)).await {
                Ok(soon) => {
                    for secret in soon {
                        alerts
                            .raise(Alert::SecretExpiring {
                                source_id: secret.source_id,
                                secret_id: secret.id,
                                prefix: secret.prefix,
                                expires_at: secret.expires_at.unwrap_or(now),
                            })
                            .await;
                    }
                }
                Err(e) => tracing::warn!("looking for secrets about to expire: {e:#}"),
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.requested() => {}
            }
        }
    })
}
