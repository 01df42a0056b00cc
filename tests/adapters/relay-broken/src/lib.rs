//! `test-relay` version broken, for the lifecycle tests (see `../../relay.rs`).

use hookyard_sdk::prelude::*;

const VERSION: &str = "broken";

include!("../../relay.rs");
