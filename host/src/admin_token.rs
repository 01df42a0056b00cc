//! The admin token: where `serve` finds it, and what it tells the operator.
//!
//! The management API needs a bearer token from the first minute, and a new
//! user should not have to invent one nor find a new one after each restart.
//! `HOOKYARD_ADMIN_TOKEN` wins; otherwise the token lives in a file readable
//! by its owner only, like the master key: `--admin-token-file`, or for a
//! SQLite database `DATABASE.admin-token` next to it, created with a random
//! token on first start. Only on PostgreSQL without either is a token made up
//! for the run (replicas must share one, so the operator has to choose it).

use crate::sealing::create_owner_only;
use anyhow::{Context as _, Result, bail};
use std::path::{Path, PathBuf};

/// The token and where it came from.
pub struct AdminToken {
    pub token: String,
    pub origin: Origin,
}

pub enum Origin {
    /// `HOOKYARD_ADMIN_TOKEN`.
    Environment,
    /// A token file; `created` when this start wrote it.
    File { path: PathBuf, created: bool },
    /// Made up for this run only.
    ThisRun,
}

impl AdminToken {
    /// The token from the environment (`HOOKYARD_ADMIN_TOKEN`, passed in),
    /// else from `file` (created when missing), else one for this run.
    pub fn find(from_env: Option<&str>, file: Option<&Path>) -> Result<AdminToken> {
        if let Some(token) = from_env
            && !token.trim().is_empty()
        {
            return Ok(AdminToken {
                token: token.trim().to_string(),
                origin: Origin::Environment,
            });
        }
        let Some(path) = file else {
            return Ok(AdminToken {
                token: new_token(),
                origin: Origin::ThisRun,
            });
        };
        let created = create_owner_only(path, &format!("{}\n", new_token()))?;
        let token = std::fs::read_to_string(path)
            .with_context(|| format!("reading the admin token file {}", path.display()))?
            .trim()
            .to_string();
        if token.is_empty() {
            bail!(
                "the admin token file {} is empty: put a token in it, or remove it to have one made",
                path.display()
            );
        }
        Ok(AdminToken {
            token,
            origin: Origin::File {
                path: path.to_path_buf(),
                created,
            },
        })
    }

    /// What the operator needs to know, printed once at start: the token
    /// itself only when it was just made (a log is no place for a standing
    /// credential), else where it is.
    pub fn announcement(&self) -> Option<String> {
        let banner = |title: &str| {
            let rule = "─".repeat(72);
            format!(
                "{rule}\n {title}\n\n   export HOOKYARD_ADMIN_TOKEN={}\n\n the CLI (hookyard source ...) and the API (Authorization: Bearer ...) need it\n{rule}",
                self.token
            )
        };
        match &self.origin {
            Origin::Environment => None,
            Origin::File {
                path,
                created: true,
            } => Some(banner(&format!(
                "Admin token created and kept in {} (owner-only):",
                path.display()
            ))),
            Origin::File {
                path,
                created: false,
            } => Some(format!(
                "admin token: in {} (export HOOKYARD_ADMIN_TOKEN=$(cat {}))",
                path.display(),
                path.display()
            )),
            Origin::ThisRun => Some(banner(
                "Admin token for this run only (set HOOKYARD_ADMIN_TOKEN or --admin-token-file to keep one):",
            )),
        }
    }
}

fn new_token() -> String {
    crate::store::random_token("hya", 40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_file_is_created_once_owner_only_and_read_back() {
        let dir = std::env::temp_dir().join(format!("hookyard-token-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("hookyard.db.admin-token");
        let _ = std::fs::remove_file(&path);
        let first = AdminToken::find(None, Some(&path)).unwrap();
        assert!(matches!(first.origin, Origin::File { created: true, .. }));
        assert!(first.announcement().unwrap().contains(&first.token));
        let again = AdminToken::find(Some(" "), Some(&path)).unwrap();
        assert_eq!(again.token, first.token, "stable across restarts");
        assert!(!again.announcement().unwrap().contains(&first.token));
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let from_env = AdminToken::find(Some("hya_env"), Some(&path)).unwrap();
        assert_eq!(from_env.token, "hya_env");
        assert!(from_env.announcement().is_none());
        std::fs::write(&path, "  \n").unwrap();
        assert!(AdminToken::find(None, Some(&path)).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
