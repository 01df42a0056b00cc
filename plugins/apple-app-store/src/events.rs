//! The notification catalog: `notificationType` and, where Apple sends one,
//! `.subtype`, as Apple's "notificationType" and "subtype" pages of App Store
//! Server Notifications V2 pair them; the names are those of
//! `NotificationTypeV2` and `Subtype` in Apple's `@apple/app-store-server-library`
//! 3.1.0 (npm).

pub const EVENTS: &[(&str, &str)] = &[
    (
        "CONSUMPTION_REQUEST",
        "A customer asked for a refund of a consumable (or other) purchase; Apple asks for consumption information",
    ),
    (
        "DID_CHANGE_RENEWAL_PREF",
        "The customer changed their plan, effective at the next renewal (downgrade cancelled: back to the current product)",
    ),
    (
        "DID_CHANGE_RENEWAL_PREF.UPGRADE",
        "The customer upgraded their subscription, effective immediately",
    ),
    (
        "DID_CHANGE_RENEWAL_PREF.DOWNGRADE",
        "The customer downgraded their subscription, effective at the next renewal",
    ),
    (
        "DID_CHANGE_RENEWAL_STATUS.AUTO_RENEW_ENABLED",
        "The customer re-enabled subscription auto-renewal",
    ),
    (
        "DID_CHANGE_RENEWAL_STATUS.AUTO_RENEW_DISABLED",
        "The customer (or App Store, after a refund) disabled subscription auto-renewal",
    ),
    (
        "DID_FAIL_TO_RENEW",
        "The subscription failed to renew because of a billing issue; it enters billing retry",
    ),
    (
        "DID_FAIL_TO_RENEW.GRACE_PERIOD",
        "The subscription failed to renew because of a billing issue; service continues through the grace period",
    ),
    ("DID_RENEW", "The subscription renewed"),
    (
        "DID_RENEW.BILLING_RECOVERY",
        "An expired subscription that failed to renew renewed after billing retry",
    ),
    (
        "EXPIRED.VOLUNTARY",
        "The subscription expired after the customer turned off auto-renewal",
    ),
    (
        "EXPIRED.BILLING_RETRY",
        "The subscription expired after the billing-retry period ended without a successful retry",
    ),
    (
        "EXPIRED.PRICE_INCREASE",
        "The subscription expired because the customer did not consent to a price increase",
    ),
    (
        "EXPIRED.PRODUCT_NOT_FOR_SALE",
        "The subscription expired because the product was not for sale at renewal",
    ),
    (
        "EXTERNAL_PURCHASE_TOKEN.UNREPORTED",
        "Apple created an external purchase token but received no report for it",
    ),
    (
        "GRACE_PERIOD_EXPIRED",
        "The billing grace period ended without renewing; turn off access",
    ),
    (
        "METADATA_UPDATE",
        "The metadata of a subscription changed (Advanced Commerce API)",
    ),
    (
        "MIGRATION",
        "A subscription was migrated to the Advanced Commerce API",
    ),
    (
        "OFFER_REDEEMED",
        "A customer with an active subscription redeemed a subscription offer",
    ),
    (
        "OFFER_REDEEMED.INITIAL_BUY",
        "A customer redeemed an offer for a first-time purchase",
    ),
    (
        "OFFER_REDEEMED.RESUBSCRIBE",
        "A customer redeemed an offer to resubscribe to an inactive subscription",
    ),
    (
        "OFFER_REDEEMED.UPGRADE",
        "A customer redeemed an offer to upgrade their subscription, effective immediately",
    ),
    (
        "OFFER_REDEEMED.DOWNGRADE",
        "A customer redeemed an offer to downgrade their subscription, effective at the next renewal",
    ),
    (
        "ONE_TIME_CHARGE",
        "A customer bought a consumable, non-consumable or non-renewing subscription",
    ),
    (
        "PRICE_CHANGE",
        "The price of a subscription changed (Advanced Commerce API)",
    ),
    (
        "PRICE_INCREASE.PENDING",
        "The system told the customer of a price increase that needs consent; they have not responded",
    ),
    (
        "PRICE_INCREASE.ACCEPTED",
        "The customer consented to a price increase, or the system told them of one that needs no consent",
    ),
    ("REFUND", "The App Store refunded a transaction"),
    ("REFUND_DECLINED", "The App Store declined a refund request"),
    (
        "REFUND_REVERSED",
        "The App Store reversed a previously granted refund (a dispute the customer raised)",
    ),
    (
        "RENEWAL_EXTENDED",
        "The App Store extended the renewal date of a subscription",
    ),
    (
        "RENEWAL_EXTENSION.SUMMARY",
        "A renewal-date extension requested for all eligible subscribers completed",
    ),
    (
        "RENEWAL_EXTENSION.FAILURE",
        "A renewal-date extension for one subscription did not succeed",
    ),
    (
        "RESCIND_CONSENT",
        "A parent or guardian withdrew consent for a child's use of the app",
    ),
    (
        "REVOKE",
        "An in-app purchase through Family Sharing is no longer available to the customer",
    ),
    (
        "SUBSCRIBED.INITIAL_BUY",
        "The customer subscribed for the first time to any subscription of the group",
    ),
    (
        "SUBSCRIBED.RESUBSCRIBE",
        "The customer resubscribed to the same or another subscription of the group",
    ),
    (
        "TEST",
        "A test notification requested through the App Store Server API",
    ),
];
