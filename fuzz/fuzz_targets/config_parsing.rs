//! Everything an operator or an API caller configures is parsed from text the
//! server does not control: source limits (JSON), destination subscriptions
//! (JSONPath filters, coalescing keys, type globs), the retry schedule, CIDR
//! lists, `Retry-After` answers of receivers, the master key. A panic in any
//! of them is a crashed request handler or a server that will not start, so
//! each parser gets every input, and what it accepts is then used the way the
//! server uses it.

#![no_main]

use hookyard::client_ip::parse_nets;
use hookyard::delivery::retry::{RetrySchedule, parse_retry_after};
use hookyard::delivery::router;
use hookyard::delivery::ssrf::AddressPolicy;
use hookyard::event_policy::{UnknownTypes, validate_event_types};
use hookyard::limits::{Guards, Limits};
use hookyard::sealing::MasterKey;
use hookyard::store::destinations::{CoalesceConfig, Destination, Target};
use libfuzzer_sys::fuzz_target;
use std::net::{IpAddr, Ipv4Addr};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    if let Ok(schedule) = text.parse::<RetrySchedule>() {
        let asked = parse_retry_after(&text, chrono::Utc::now());
        for attempts in 0..8 {
            let _ = schedule.wait_after(attempts, asked);
        }
    }
    let _ = AddressPolicy::parse(&text);
    let _ = parse_nets(&text);
    let _ = MasterKey::parse(&text);
    let _ = UnknownTypes::parse(&text);

    if let Ok(limits) = serde_json::from_str::<Limits>(&text)
        && limits.validate().is_ok()
    {
        for replicated in [false, true] {
            let guards = Guards::new(limits.clone(), replicated);
            let _ = guards.admit(Some(IpAddr::V4(Ipv4Addr::LOCALHOST)));
            let _ = guards.admit(None);
            let _ = guards.shared_rate();
        }
    }

    if let Ok(types) = serde_json::from_str::<Vec<String>>(&text) {
        let _ = validate_event_types(&types);
    }
    let destination = Destination {
        id: "dst_fuzz".into(),
        name: "fuzz".into(),
        target: serde_json::from_str::<Target>(&text).unwrap_or(Target::Nats {
            url: "nats://127.0.0.1:4222".into(),
            subject: text.to_string(),
        }),
        secret: None,
        event_types: vec![text.to_string()],
        source_ids: None,
        filter: Some(text.to_string()),
        coalesce: serde_json::from_str::<CoalesceConfig>(&text).ok(),
        max_in_flight: 1,
        enabled: true,
        disabled_reason: None,
        created_at: 0,
        updated_at: 0,
    };
    let _ = router::validate(&destination);
});
