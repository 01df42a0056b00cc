//! `test-relay` version 1.0.0, for the lifecycle tests (see `../../relay.rs`).

use hookyard_sdk::prelude::*;

const VERSION: &str = "1.0.0";

include!("../../relay.rs");
