//! A request's trace context, derived from its request id.
//!
//! Events are delivered later, by the drainer, possibly on another replica
//! or after a restart: the delivery attempts must join the trace of the
//! request that stored the event without any handoff in memory and without
//! a column for it. Every event keeps its `request_id`, so both ids of the
//! request's `webhook` span are computed from it:
//!
//! - trace id: the request id's 32 hex digits (`req_0193…` is trace
//!   `0193…`, a UUIDv7 whose low bits are random, as W3C asks), so a trace
//!   is found by request id; any other form hashes to the first 16 bytes of
//!   its SHA-256;
//! - span id: bytes 16..24 of the SHA-256 of the request id.
//!
//! [`PinnedIds`] is the tracer's id generator: random ids, except for the
//! one span started inside [`with_pinned`], which gets the derived ones.
//!
//! A vendor's own `traceparent` is not continued (the delivery side could
//! not recover it without storing it): the `webhook` span links to it.

use opentelemetry::trace::{SpanContext, SpanId, TraceFlags, TraceId, TraceState};
use opentelemetry_sdk::trace::{IdGenerator, RandomIdGenerator};
use sha2::{Digest, Sha256};
use std::cell::Cell;

/// The trace id and the `webhook` span id of request `request_id`.
pub fn request_ids(request_id: &str) -> (TraceId, SpanId) {
    let digest = Sha256::digest(request_id.as_bytes());
    let hex = request_id.rsplit('_').next().unwrap_or(request_id);
    let trace = (hex.len() == 32)
        .then(|| u128::from_str_radix(hex, 16).ok())
        .flatten()
        .filter(|&n| n != 0)
        .unwrap_or_else(|| u128::from_be_bytes(digest[..16].try_into().expect("16 bytes")));
    let span = u64::from_be_bytes(digest[16..24].try_into().expect("8 bytes")).max(1);
    (TraceId::from(trace.max(1)), SpanId::from(span))
}

/// The `webhook` span of request `request_id` as a remote parent: what a
/// delivery attempt of its events is a child of.
pub fn request_context(request_id: &str) -> SpanContext {
    let (trace, span) = request_ids(request_id);
    SpanContext::new(trace, span, TraceFlags::SAMPLED, true, TraceState::NONE)
}

/// A W3C `traceparent` header value (version 00).
pub fn traceparent(trace: TraceId, span: SpanId, sampled: bool) -> String {
    format!("00-{trace}-{span}-{:02x}", u8::from(sampled))
}

/// The context a W3C `traceparent` header names (version 00, or a later
/// version's first four fields), if it is valid.
pub fn parse_traceparent(header: &str) -> Option<SpanContext> {
    let mut fields = header.trim().split('-');
    let (version, trace, span, flags) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let hex = |text: &str, len: usize| {
        text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    if !hex(version, 2) || version == "ff" || (version == "00" && fields.next().is_some()) {
        return None;
    }
    if !hex(trace, 32) || !hex(span, 16) || !hex(flags, 2) {
        return None;
    }
    let context = SpanContext::new(
        TraceId::from_hex(trace).ok()?,
        SpanId::from_hex(span).ok()?,
        TraceFlags::new(u8::from_str_radix(flags, 16).ok()? & 1),
        true,
        TraceState::NONE,
    );
    context.is_valid().then_some(context)
}

thread_local! {
    static PINNED_TRACE: Cell<Option<TraceId>> = const { Cell::new(None) };
    static PINNED_SPAN: Cell<Option<SpanId>> = const { Cell::new(None) };
}

/// Runs `start` (which must start exactly one root span, synchronously)
/// with `ids` as the ids the tracer hands out.
pub fn with_pinned<T>(ids: (TraceId, SpanId), start: impl FnOnce() -> T) -> T {
    /// Unpins whatever `start` did not use, even if it panics.
    struct Unpin;
    impl Drop for Unpin {
        fn drop(&mut self) {
            PINNED_TRACE.set(None);
            PINNED_SPAN.set(None);
        }
    }
    let _unpin = Unpin;
    PINNED_TRACE.set(Some(ids.0));
    PINNED_SPAN.set(Some(ids.1));
    start()
}

/// Random ids, or the pinned ones inside [`with_pinned`] (each used once).
#[derive(Debug, Default)]
pub struct PinnedIds(RandomIdGenerator);

impl IdGenerator for PinnedIds {
    fn new_trace_id(&self) -> TraceId {
        PINNED_TRACE.take().unwrap_or_else(|| self.0.new_trace_id())
    }

    fn new_span_id(&self) -> SpanId {
        PINNED_SPAN.take().unwrap_or_else(|| self.0.new_span_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_id_is_its_trace_id() {
        let (trace, span) = request_ids("req_0193a1b2c3d4e5f60718293a4b5c6d7e");
        assert_eq!(trace.to_string(), "0193a1b2c3d4e5f60718293a4b5c6d7e");
        assert_ne!(span, SpanId::INVALID);
        assert_eq!(
            request_ids("req_0193a1b2c3d4e5f60718293a4b5c6d7e"),
            (trace, span),
            "the same ids every time"
        );
    }

    #[test]
    fn other_request_ids_are_hashed() {
        let (trace, span) = request_ids("not a uuid");
        assert_ne!(trace, TraceId::INVALID);
        assert_ne!(span, SpanId::INVALID);
        assert_ne!(request_ids("another").0, trace);
    }

    #[test]
    fn traceparents_are_w3c() {
        let (trace, span) = request_ids("req_0193a1b2c3d4e5f60718293a4b5c6d7e");
        let header = traceparent(trace, span, true);
        assert_eq!(header.len(), 55);
        assert!(header.starts_with("00-0193a1b2c3d4e5f60718293a4b5c6d7e-"));
        assert!(header.ends_with("-01"));
        assert!(traceparent(trace, span, false).ends_with("-00"));
    }

    #[test]
    fn inbound_traceparents_are_parsed_strictly() {
        let good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let context = parse_traceparent(good).expect("valid");
        assert_eq!(
            context.trace_id().to_string(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert!(context.is_sampled());
        for bad in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
        ] {
            assert!(parse_traceparent(bad).is_none(), "{bad:?}");
        }
        assert!(parse_traceparent(&format!("01-{}-later", &good[3..])).is_some());
    }

    #[test]
    fn pinned_ids_are_used_once() {
        let ids = PinnedIds::default();
        let pinned = request_ids("req_1");
        let (trace, span) = with_pinned(pinned, || (ids.new_trace_id(), ids.new_span_id()));
        assert_eq!((trace, span), pinned);
        assert_ne!(ids.new_span_id(), pinned.1);
    }
}
