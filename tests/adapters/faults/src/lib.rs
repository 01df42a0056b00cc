//! A test adapter that misbehaves in the way its preset's `fault` setting
//! says: `stack` (unbounded recursion), `panic`, `flood` (`handle` returns
//! tens of MiB of events) or `bigarg` (calls the host's `sha256` import
//! with a huge argument, over and over). Each must cost only its own request
//! (503, raw request kept) while the server keeps serving everyone else.
//! `count` behaves, but keeps a global count of its `handle` calls and
//! returns it in its event (`{"calls": n}`), and panics on a body that
//! contains `trap`: the instance-reuse tests read from it which instance
//! served a request.

use hookyard_sdk::prelude::*;

include!("../../common.rs");

pub struct Faults;

/// `handle` calls this instance served (`count`).
static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

const FAULTS: [&str; 5] = ["stack", "panic", "flood", "bigarg", "count"];

fn fault(context: &Context) -> &'static str {
    FAULTS
        .into_iter()
        .find(|f| context.settings.contains(&format!("\"{f}\"")))
        .unwrap_or("none")
}

/// Recurses until the stack runs out (the exit is never reached).
#[inline(never)]
fn recurse(depth: u64, pad: [u8; 256]) -> u64 {
    let pad = std::hint::black_box(pad);
    if depth == u64::MAX {
        return 0;
    }
    recurse(depth + 1, pad) + u64::from(pad[(depth % 256) as usize])
}

impl Adapter for Faults {
    fn manifest() -> Manifest {
        let mut manifest = manifest("test-faults", "misbehaves as its preset says");
        manifest.presets = FAULTS
            .into_iter()
            .map(|f| Preset {
                name: format!("test-{f}"),
                display_name: f.into(),
                description: format!("fault: {f}"),
                settings: format!("{{\"fault\":\"{f}\"}}"),
            })
            .collect();
        manifest
    }

    fn verify(_request: Request, context: Context) -> Result<(), VerifyError> {
        match fault(&context) {
            "stack" => {
                std::hint::black_box(recurse(0, [1; 256]));
                Ok(())
            }
            "panic" => panic!("test-faults panics on purpose"),
            "bigarg" => loop {
                // 48 MiB into the host, again and again, until the deadline.
                let huge = vec![0x5A; 48 << 20];
                std::hint::black_box(hookyard_sdk::crypto::sha256(&huge));
            },
            _ => Ok(()),
        }
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        match fault(&context) {
            "flood" => {}
            "count" => {
                let calls = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if request.body.windows(4).any(|w| w == b"trap") {
                    panic!("test-count traps on purpose");
                }
                return Ok(Outcome::Events(vec![Event {
                    event_type: "test".into(),
                    dedup_id: None,
                    occurred_at: None,
                    subject: None,
                    data: format!("{{\"calls\":{calls}}}"),
                }]));
            }
            _ => return one_event(),
        }
        // 200 events of 100 KiB: 20 MiB of output for one request.
        let data = format!("\"{}\"", "x".repeat(100 << 10));
        Ok(Outcome::Events(
            (0..200)
                .map(|i| Event {
                    event_type: "test".into(),
                    dedup_id: Some(format!("flood-{i}")),
                    occurred_at: None,
                    subject: None,
                    data: data.clone(),
                })
                .collect(),
        ))
    }

    fn sign(_input: SignInput) -> Result<SignedRequest, String> {
        cannot_sign()
    }
}

hookyard_sdk::export_adapter!(Faults);
