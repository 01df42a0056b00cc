//! A destination's capacity: attempts on the wire and batches claimed.

use std::sync::Arc;
use tokio::sync::Semaphore;

/// A destination's capacity. `in_flight` bounds the attempts on the wire
/// (`max_in_flight`); `claimed` bounds the batches claimed and not yet
/// recorded, at twice that, so the next batches are claimed while attempts
/// run and an attempt slot is reused as soon as the receiver answers, not
/// after the result is committed. Claiming only into free attempt slots
/// held each slot for about five commit cycles: 3,500 deliveries/s with 64
/// slots in `bench/delivery.sh`.
pub struct Slots {
    pub in_flight: Arc<Semaphore>,
    pub(super) claimed: Arc<Semaphore>,
}

impl Slots {
    pub fn new(max_in_flight: i64) -> Slots {
        let max = max_in_flight.max(1) as usize;
        Slots {
            in_flight: Arc::new(Semaphore::new(max)),
            claimed: Arc::new(Semaphore::new(2 * max)),
        }
    }
}
