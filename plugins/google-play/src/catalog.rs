//! Google Play's notification kinds and their documented names ("Real-time
//! developer notifications reference guide"): the numeric
//! `notificationType` of subscription and one-time product notifications
//! becomes the name Google gives it.

/// `subscriptionNotification.notificationType` → name.
pub const SUBSCRIPTION_TYPES: &[(i64, &str, &str)] = &[
    (
        1,
        "SUBSCRIPTION_RECOVERED",
        "A subscription was recovered from account hold",
    ),
    (
        2,
        "SUBSCRIPTION_RENEWED",
        "An active subscription was renewed",
    ),
    (
        3,
        "SUBSCRIPTION_CANCELED",
        "A subscription was voluntarily or involuntarily canceled",
    ),
    (
        4,
        "SUBSCRIPTION_PURCHASED",
        "A new subscription was purchased",
    ),
    (
        5,
        "SUBSCRIPTION_ON_HOLD",
        "A subscription has entered account hold",
    ),
    (
        6,
        "SUBSCRIPTION_IN_GRACE_PERIOD",
        "A subscription has entered grace period",
    ),
    (
        7,
        "SUBSCRIPTION_RESTARTED",
        "The user restored a canceled subscription before it expired",
    ),
    (
        8,
        "SUBSCRIPTION_PRICE_CHANGE_CONFIRMED",
        "The user confirmed a price change (deprecated)",
    ),
    (
        9,
        "SUBSCRIPTION_DEFERRED",
        "A subscription's recurrence time was extended",
    ),
    (10, "SUBSCRIPTION_PAUSED", "A subscription was paused"),
    (
        11,
        "SUBSCRIPTION_PAUSE_SCHEDULE_CHANGED",
        "A subscription's pause schedule was changed",
    ),
    (
        12,
        "SUBSCRIPTION_REVOKED",
        "A subscription was revoked before its expiration time",
    ),
    (13, "SUBSCRIPTION_EXPIRED", "A subscription has expired"),
    (
        17,
        "SUBSCRIPTION_ITEMS_CHANGED",
        "A subscription's items changed",
    ),
    (
        18,
        "SUBSCRIPTION_CANCELLATION_SCHEDULED",
        "A cancellation was scheduled (installment plans)",
    ),
    (
        19,
        "SUBSCRIPTION_PRICE_CHANGE_UPDATED",
        "A subscription item's price change details were updated",
    ),
    (
        20,
        "SUBSCRIPTION_PENDING_PURCHASE_CANCELED",
        "A pending subscription transaction was canceled",
    ),
    (
        22,
        "SUBSCRIPTION_PRICE_STEP_UP_CONSENT_UPDATED",
        "A price step-up consent period began or the user consented",
    ),
];

/// `oneTimeProductNotification.notificationType` → name.
pub const ONE_TIME_TYPES: &[(i64, &str, &str)] = &[
    (
        1,
        "ONE_TIME_PRODUCT_PURCHASED",
        "A one-time product was purchased",
    ),
    (
        2,
        "ONE_TIME_PRODUCT_CANCELED",
        "A pending one-time product purchase was canceled",
    ),
];

/// Kinds without a `notificationType`.
pub const PLAIN_KINDS: &[(&str, &str)] = &[
    (
        "voidedPurchaseNotification",
        "A purchase was voided (refunded, charged back, canceled)",
    ),
    (
        "pendingRefundReviewNotification",
        "A refund request awaits review",
    ),
    (
        "testNotification",
        "A test notification sent from the Play Console",
    ),
];

/// The name Google gives `number` in `table`; numbers Google adds later
/// keep their number (`TYPE_23`) rather than be lost.
pub fn name_of(table: &[(i64, &str, &str)], number: i64) -> String {
    table
        .iter()
        .find(|(n, _, _)| *n == number)
        .map(|(_, name, _)| name.to_string())
        .unwrap_or_else(|| format!("TYPE_{number}"))
}

/// The whole catalog, as `kind.NAME` (or the kind alone) with descriptions.
pub fn event_types() -> Vec<(String, String)> {
    let numbered = |kind: &str, table: &[(i64, &'static str, &'static str)]| {
        table
            .iter()
            .map(|(_, name, description)| (format!("{kind}.{name}"), description.to_string()))
            .collect::<Vec<_>>()
    };
    let mut all = numbered("subscriptionNotification", SUBSCRIPTION_TYPES);
    all.extend(numbered("oneTimeProductNotification", ONE_TIME_TYPES));
    all.extend(
        PLAIN_KINDS
            .iter()
            .map(|(kind, description)| (kind.to_string(), description.to_string())),
    );
    all
}
