//! A test adapter whose `verify` never returns. The host must stop it at the
//! call deadline, answer 503 for that request and keep serving others.

use hookyard_sdk::prelude::*;

include!("../../common.rs");

pub struct Spin;

impl Adapter for Spin {
    fn manifest() -> Manifest {
        manifest("test-spin", "verify loops forever")
    }

    fn verify(request: Request, _context: Context) -> Result<(), VerifyError> {
        let mut counter: u64 = request.body.len() as u64;
        loop {
            counter =
                std::hint::black_box(counter.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
    }

    fn handle(_request: Request, _context: Context) -> Result<Outcome, HandleError> {
        one_event()
    }

    fn sign(_input: SignInput) -> Result<SignedRequest, String> {
        cannot_sign()
    }
}

hookyard_sdk::export_adapter!(Spin);
