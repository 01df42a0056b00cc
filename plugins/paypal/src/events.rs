//! PayPal's webhook event catalog, from "Webhook event names"
//! (developer.paypal.com/api/rest/webhooks/event-names/, section by section:
//! payments v1/v2, batch payouts, billing plans and agreements, Log in with
//! PayPal, checkout buyer approval, disputes, invoicing, marketplaces and
//! platforms, merchant onboarding, orders, payment orders, referenced
//! payouts, sales, subscriptions, vault / payment method tokens).

pub const EVENTS: &[(&str, &str)] = &[
    (
        "PAYMENT.AUTHORIZATION.CREATED",
        "A payment authorization is created, approved, executed, or a future payment authorization is created",
    ),
    (
        "PAYMENT.AUTHORIZATION.VOIDED",
        "A payment authorization is voided (30-day validity reached, or voided through the API)",
    ),
    ("PAYMENT.CAPTURE.COMPLETED", "A payment capture completes"),
    ("PAYMENT.CAPTURE.DECLINED", "A payment capture is declined"),
    ("PAYMENT.CAPTURE.DENIED", "A payment capture is denied"),
    (
        "PAYMENT.CAPTURE.PENDING",
        "The state of a payment capture changes to pending",
    ),
    (
        "PAYMENT.CAPTURE.REFUNDED",
        "A merchant refunds a payment capture",
    ),
    (
        "PAYMENT.CAPTURE.REVERSED",
        "PayPal reverses a payment capture",
    ),
    (
        "PAYMENT.PAYOUTSBATCH.DENIED",
        "A batch payout payment is denied",
    ),
    (
        "PAYMENT.PAYOUTSBATCH.PROCESSING",
        "The state of a batch payout payment changes to processing",
    ),
    (
        "PAYMENT.PAYOUTSBATCH.SUCCESS",
        "A batch payout payment completes successfully",
    ),
    ("PAYMENT.PAYOUTS-ITEM.BLOCKED", "A payouts item is blocked"),
    (
        "PAYMENT.PAYOUTS-ITEM.CANCELED",
        "A payouts item is canceled",
    ),
    ("PAYMENT.PAYOUTS-ITEM.DENIED", "A payouts item is denied"),
    ("PAYMENT.PAYOUTS-ITEM.FAILED", "A payouts item fails"),
    ("PAYMENT.PAYOUTS-ITEM.HELD", "A payouts item is held"),
    (
        "PAYMENT.PAYOUTS-ITEM.REFUNDED",
        "A payouts item is refunded",
    ),
    (
        "PAYMENT.PAYOUTS-ITEM.RETURNED",
        "A payouts item is returned",
    ),
    ("PAYMENT.PAYOUTS-ITEM.SUCCEEDED", "A payouts item succeeds"),
    (
        "PAYMENT.PAYOUTS-ITEM.UNCLAIMED",
        "A payouts item is unclaimed",
    ),
    (
        "BILLING_AGREEMENTS.AGREEMENT.CREATED",
        "A billing agreement is created",
    ),
    (
        "BILLING_AGREEMENTS.AGREEMENT.CANCELLED",
        "A billing agreement is canceled",
    ),
    ("BILLING.PLAN.CREATED", "A billing plan is created"),
    ("BILLING.PLAN.UPDATED", "A billing plan is updated"),
    ("BILLING.PLAN.ACTIVATED", "A billing plan is activated"),
    (
        "BILLING.PLAN.PRICING-CHANGE.ACTIVATED",
        "A price change for the plan is activated",
    ),
    ("BILLING.PLAN.DEACTIVATED", "A billing plan is deactivated"),
    ("BILLING.SUBSCRIPTION.CREATED", "A subscription is created"),
    (
        "BILLING.SUBSCRIPTION.ACTIVATED",
        "A subscription is activated",
    ),
    ("BILLING.SUBSCRIPTION.UPDATED", "A subscription is updated"),
    ("BILLING.SUBSCRIPTION.EXPIRED", "A subscription expires"),
    (
        "BILLING.SUBSCRIPTION.CANCELLED",
        "A subscription is cancelled",
    ),
    (
        "BILLING.SUBSCRIPTION.SUSPENDED",
        "A subscription is suspended",
    ),
    (
        "BILLING.SUBSCRIPTION.RE-ACTIVATED",
        "A subscription is re-activated",
    ),
    (
        "BILLING.SUBSCRIPTION.PAYMENT.FAILED",
        "Payment failed on a subscription",
    ),
    ("CATALOG.PRODUCT.CREATED", "A product is created"),
    ("CATALOG.PRODUCT.UPDATED", "A product is updated"),
    (
        "IDENTITY.AUTHORIZATION-CONSENT.REVOKED",
        "A user's consent to share information (Log in with PayPal) is revoked",
    ),
    (
        "PAYMENTS.PAYMENT.CREATED",
        "A checkout payment is created and approved by the buyer",
    ),
    (
        "CHECKOUT.CHECKOUT.BUYER-APPROVED",
        "A buyer approved a checkout",
    ),
    ("CUSTOMER.DISPUTE.CREATED", "A dispute is created"),
    ("CUSTOMER.DISPUTE.RESOLVED", "A dispute is resolved"),
    ("CUSTOMER.DISPUTE.UPDATED", "A dispute is updated"),
    (
        "RISK.DISPUTE.CREATED",
        "A dispute is filed against a transaction (legacy)",
    ),
    (
        "INVOICING.INVOICE.CANCELLED",
        "A merchant or customer cancels an invoice",
    ),
    ("INVOICING.INVOICE.CREATED", "An invoice is created"),
    (
        "INVOICING.INVOICE.PAID",
        "An invoice is paid, partially paid, or marked paid",
    ),
    (
        "INVOICING.INVOICE.REFUNDED",
        "An invoice is refunded or partially refunded",
    ),
    ("INVOICING.INVOICE.SCHEDULED", "An invoice is scheduled"),
    ("INVOICING.INVOICE.UPDATED", "An invoice is updated"),
    (
        "CUSTOMER.ACCOUNT-LIMITATION.ADDED",
        "A limitation is added to a partner's merchant account",
    ),
    (
        "CUSTOMER.ACCOUNT-LIMITATION.ESCALATED",
        "A limitation on a partner's merchant account is escalated",
    ),
    (
        "CUSTOMER.ACCOUNT-LIMITATION.LIFTED",
        "A limitation on a partner's merchant account is lifted",
    ),
    (
        "CUSTOMER.ACCOUNT-LIMITATION.UPDATED",
        "A limitation on a partner's merchant account is updated",
    ),
    (
        "CUSTOMER.MERCHANT-INTEGRATION.CAPABILITY-UPDATED",
        "A merchant's capabilities changed",
    ),
    (
        "CUSTOMER.MERCHANT-INTEGRATION.PRODUCT-SUBSCRIPTION-UPDATED",
        "A merchant's product subscription changed",
    ),
    (
        "CUSTOMER.MERCHANT-INTEGRATION.SELLER-ALREADY-INTEGRATED",
        "The merchant is already integrated with the partner",
    ),
    (
        "CUSTOMER.MERCHANT-INTEGRATION.SELLER-ONBOARDING-INITIATED",
        "PayPal created a merchant account from the partner's onboarding link",
    ),
    (
        "CUSTOMER.MERCHANT-INTEGRATION.SELLER-CONSENT-GRANTED",
        "The merchant granted the partner permissions",
    ),
    (
        "CUSTOMER.MERCHANT-INTEGRATION.SELLER-EMAIL-CONFIRMED",
        "The merchant confirmed the email of their account",
    ),
    (
        "CUSTOMER.MANAGED-ACCOUNT.ACCOUNT-CREATED",
        "A managed merchant account is created",
    ),
    (
        "CUSTOMER.MANAGED-ACCOUNT.ACCOUNT-UPDATED",
        "A managed merchant account is updated",
    ),
    (
        "CUSTOMER.MANAGED-ACCOUNT.ACCOUNT-STATUS-CHANGED",
        "A managed merchant account's status changed (limited)",
    ),
    (
        "MERCHANT.ONBOARDING.COMPLETED",
        "A merchant completes setup",
    ),
    (
        "MERCHANT.PARTNER-CONSENT.REVOKED",
        "The consents for a merchant account setup are revoked or the account is disconnected",
    ),
    (
        "CHECKOUT.ORDER.APPROVED",
        "A buyer approved a checkout order",
    ),
    ("CHECKOUT.ORDER.COMPLETED", "A checkout order is completed"),
    (
        "CHECKOUT.ORDER.PROCESSED",
        "A checkout order is processed (marketplaces)",
    ),
    ("CHECKOUT.ORDER.SAVED", "A checkout order is saved"),
    ("CHECKOUT.ORDER.VOIDED", "A checkout order is voided"),
    (
        "CHECKOUT.PAYMENT-APPROVAL.REVERSED",
        "A problem occurred after the buyer approved the order and before the payment was captured",
    ),
    ("PAYMENT.ORDER.CANCELLED", "A payment order is canceled"),
    ("PAYMENT.ORDER.CREATED", "A payment order is created"),
    (
        "PAYMENT.REFERENCED-PAYOUT-ITEM.COMPLETED",
        "Funds are disbursed to the seller and partner",
    ),
    (
        "PAYMENT.REFERENCED-PAYOUT-ITEM.FAILED",
        "An attempt to disburse funds fails",
    ),
    ("PAYMENT.SALE.COMPLETED", "A sale completes"),
    (
        "PAYMENT.SALE.DENIED",
        "The state of a sale changes from pending to denied",
    ),
    (
        "PAYMENT.SALE.PENDING",
        "The state of a sale changes to pending",
    ),
    ("PAYMENT.SALE.REFUNDED", "A merchant refunds a sale"),
    ("PAYMENT.SALE.REVERSED", "PayPal reverses a sale"),
    (
        "VAULT.CREDIT-CARD.CREATED",
        "A credit card is created in the vault (v1)",
    ),
    (
        "VAULT.CREDIT-CARD.DELETED",
        "A credit card is deleted from the vault (v1)",
    ),
    (
        "VAULT.CREDIT-CARD.UPDATED",
        "A credit card in the vault is updated (v1)",
    ),
    (
        "VAULT.PAYMENT-TOKEN.CREATED",
        "A payment token is created to save a payment method",
    ),
    ("VAULT.PAYMENT-TOKEN.DELETED", "A payment token is deleted"),
    (
        "VAULT.PAYMENT-TOKEN.DELETION-INITIATED",
        "A request to delete a payment token was submitted",
    ),
];
