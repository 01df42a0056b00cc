//! A test adapter whose `verify` allocates and touches memory without bound.
//! The host's per-instance memory cap must end it with a trap (503 for that
//! request only).

use hookyard_sdk::prelude::*;

include!("../../common.rs");

pub struct Hog;

impl Adapter for Hog {
    fn manifest() -> Manifest {
        manifest("test-hog", "verify allocates until it dies")
    }

    fn verify(_request: Request, _context: Context) -> Result<(), VerifyError> {
        let mut hoard: Vec<Vec<u8>> = Vec::new();
        loop {
            hoard.push(vec![0xA5; 1 << 20]);
            std::hint::black_box(&hoard);
        }
    }

    fn handle(_request: Request, _context: Context) -> Result<Outcome, HandleError> {
        one_event()
    }

    fn sign(_input: SignInput) -> Result<SignedRequest, String> {
        cannot_sign()
    }
}

hookyard_sdk::export_adapter!(Hog);
