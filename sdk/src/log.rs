//! Logging from an adapter: lines go to the host's log, tagged with the source.
//! Natively (tests) they go to stderr.

#[cfg(target_arch = "wasm32")]
fn emit(level: crate::bindings::hookyard::adapter::log::Level, message: &str) {
    crate::bindings::hookyard::adapter::log::log(level, message);
}

macro_rules! level {
    ($name:ident, $level:ident) => {
        pub fn $name(message: &str) {
            #[cfg(target_arch = "wasm32")]
            emit(
                crate::bindings::hookyard::adapter::log::Level::$level,
                message,
            );
            #[cfg(not(target_arch = "wasm32"))]
            eprintln!("[{}] {message}", stringify!($name));
        }
    };
}

level!(trace, Trace);
level!(debug, Debug);
level!(info, Info);
level!(warn, Warn);
level!(error, Error);
