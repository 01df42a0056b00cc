//! `test-relay` version 2.0.0, for the lifecycle tests (see `../../relay.rs`).

use hookyard_sdk::prelude::*;

const VERSION: &str = "2.0.0";

include!("../../relay.rs");
