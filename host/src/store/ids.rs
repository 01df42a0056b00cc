//! Ids and bearer credentials: random, with a readable prefix.

/// A bearer credential: `prefix`, `_` and `len` random alphanumerics
/// (about 5.95 bits each: 32 give 190 bits).
pub fn random_token(prefix: &str, len: usize) -> String {
    use rand::Rng as _;
    let random: String = rand::rng()
        .sample_iter(&rand::distr::Alphanumeric)
        .take(len)
        .map(char::from)
        .collect();
    format!("{prefix}_{random}")
}

/// A new random id with a readable prefix, time-ordered (UUIDv7).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::now_v7().simple())
}
