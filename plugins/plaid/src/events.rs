//! Plaid's webhook catalog: every `webhook_type.webhook_code` pair of the
//! webhook schemas in Plaid's OpenAPI description (plaid.com/docs/api/webhooks
//! and each product's "Webhooks" section), as shipped in Plaid's official
//! Node library `plaid` 47.0.0 (`dist/api.d.ts`, one interface per webhook,
//! its first sentence as the description; cross-checked against the models
//! of `plaid-python` 46.0.0).

pub const EVENTS: &[(&str, &str)] = &[
    (
        "ASSETS.ERROR",
        "Fired when Asset Report generation has failed",
    ),
    (
        "ASSETS.PRODUCT_READY",
        "Fired when the Asset Report has been generated and `/asset_report/get` is ready to be called",
    ),
    (
        "AUTH.AUTOMATICALLY_VERIFIED",
        "Fires when an account is automatically verified using micro-deposits",
    ),
    (
        "AUTH.DEFAULT_UPDATE",
        "Plaid will trigger a `DEFAULT_UPDATE` webhook for Items that undergo a change in Auth data",
    ),
    (
        "AUTH.PRODUCT_PERMISSIONS_REQUIRED",
        "Fired when an `ACCESS_NOT_GRANTED` error is hit for Auth",
    ),
    (
        "AUTH.SMS_MICRODEPOSITS_VERIFICATION",
        "Contains the state of an SMS Same-Day Micro-deposits verification session",
    ),
    (
        "AUTH.VERIFICATION_EXPIRED",
        "Fired when an Item was not verified via automated micro-deposits after seven days since the automated micro-deposit was made",
    ),
    (
        "BANK_TRANSFERS.BANK_TRANSFERS_EVENTS_UPDATE",
        "Fired when new bank transfer events are available",
    ),
    (
        "BASE_REPORT.ERROR",
        "Fired when Base Report generation has failed",
    ),
    (
        "BEACON.DUPLICATE_DETECTED",
        "Fired when a Beacon User created within your organization matches one of your existing users",
    ),
    (
        "BEACON.REPORT_CREATED",
        "Fired when one of your Beacon Users is first reported to the Beacon network",
    ),
    (
        "BEACON.REPORT_SYNDICATION_CREATED",
        "Fired when a report created on the Beacon Network matches with one of your Beacon Users",
    ),
    (
        "BEACON.REPORT_UPDATED",
        "Fired when one of your existing Beacon Reports has been modified or removed from the Beacon Network",
    ),
    (
        "BEACON.USER_STATUS_UPDATED",
        "Fired when a Beacon User status has changed, which can occur manually via the dashboard or when information is reported to the Beacon network",
    ),
    (
        "CASH_FLOW_UPDATES.CASH_FLOW_INSIGHTS_UPDATED",
        "For each item on an enabled user, this webhook will fire up to four times a day with status information",
    ),
    (
        "CASH_FLOW_UPDATES.EXPECTED_DEPOSIT_MISSED",
        "For each user's Item enabled for Cash Flow Updates, this webhook will fire when an update detects that an expected deposit was missed",
    ),
    (
        "CASH_FLOW_UPDATES.INSIGHTS_UPDATED",
        "For each user's Item enabled for Cash Flow Updates, this webhook will fire between one and four times a day with information on the status of the update",
    ),
    (
        "CASH_FLOW_UPDATES.LARGE_DEPOSIT_DETECTED",
        "For each user's Item enabled for Cash Flow Updates, this webhook will fire when an update detects a deposit over $5,000",
    ),
    (
        "CASH_FLOW_UPDATES.LOW_BALANCE_DETECTED",
        "For each user's Item enabled for Cash Flow Updates, this webhook will fire when an update detects a balance below $100",
    ),
    (
        "CASH_FLOW_UPDATES.NEW_INCOME_STREAM_DETECTED",
        "For each user's Item enabled for Cash Flow Updates, this webhook will fire when an update includes a new income stream",
    ),
    (
        "CASH_FLOW_UPDATES.NEW_LOAN_PAYMENT_DETECTED",
        "For each user's Item enabled for Cash Flow Updates, this webhook will fire when an update detects a new loan payment",
    ),
    (
        "CASH_FLOW_UPDATES.NSF_OVERDRAFT_DETECTED",
        "For each user's Item enabled for Cash Flow Updates, this webhook will fire when an update includes an NSF overdraft transaction",
    ),
    (
        "CHECK_REPORT.CHECK_REPORT_FAILED",
        "Fired when a Check Report has failed to generate",
    ),
    (
        "CHECK_REPORT.CHECK_REPORT_READY",
        "Fired when the Check Report is ready to be retrieved",
    ),
    (
        "CHECK_REPORT.UPGRADE_FAILED",
        "Fired when a Check Report upgrade attempt has failed",
    ),
    (
        "CHECK_REPORT.USER_CHECK_REPORT_FAILED",
        "Fired when a Check Report has failed to generate",
    ),
    (
        "CHECK_REPORT.USER_CHECK_REPORT_READY",
        "Fired when the Check Report is ready to be retrieved",
    ),
    (
        "CRA_INCOME.BANK_INCOME_COMPLETE",
        "Fired when a bank income report has finished generating or failed to generate, triggered by calling `/credit/bank_income/get`",
    ),
    (
        "CRA_INCOME.ERROR",
        "Fired when a bank income report has failed to generate",
    ),
    (
        "CRA_INSIGHTS.PARTNER_INSIGHTS_COMPLETE",
        "Fired when a partner insights report has finished generating and results are available",
    ),
    (
        "CRA_INSIGHTS.PARTNER_INSIGHTS_ERROR",
        "Fired when a partner insights report has failed to generate",
    ),
    (
        "CRA_REPORT.CRA_REPORT_UPDATED",
        "Fired when a subscribed CRA report has been updated",
    ),
    (
        "DASHBOARD_CONFIGURED_ALERT.INSTITUTION_STATUS_ALERT_TRIGGERED",
        "Fired when institution status meets the conditions configured in the developer dashboard",
    ),
    (
        "ENTITY_SCREENING.STATUS_UPDATED",
        "Fired when an entity screening status has changed, which can occur manually via the dashboard or during ongoing monitoring",
    ),
    (
        "HOLDINGS.DEFAULT_UPDATE",
        "Fired when new or updated holdings have been detected on an investment account",
    ),
    (
        "IDENTITY.DEFAULT_UPDATE",
        "Fired when a change to identity data has been detected on an Item",
    ),
    (
        "IDENTITY.PRODUCT_PERMISSIONS_REQUIRED",
        "Fired when an `ACCESS_NOT_GRANTED` error is hit for Identity",
    ),
    (
        "IDENTITY_VERIFICATION.RETRIED",
        "Fired when an identity verification has been retried, which can be triggered via the dashboard or the API",
    ),
    (
        "IDENTITY_VERIFICATION.STATUS_UPDATED",
        "Fired when the status of an identity verification has been updated, which can be triggered via the dashboard or the API",
    ),
    (
        "IDENTITY_VERIFICATION.STEP_UPDATED",
        "Fired when an end user has completed a step of the Identity Verification process",
    ),
    (
        "INCOME.BANK_INCOME_COMPLETE",
        "Fired when a bank income report has finished generating or failed to generate, triggered by calling `/credit/bank_income/get` in CRA enabled client",
    ),
    (
        "INCOME.BANK_INCOME_REFRESH_COMPLETE",
        "Fired when a refreshed bank income report has finished generating or failed to generate",
    ),
    (
        "INCOME.BANK_INCOME_REFRESH_UPDATE",
        "Fired when a change to the user's income is detected",
    ),
    (
        "INCOME.INCOME_VERIFICATION",
        "Fired when the status of an income verification instance has changed",
    ),
    (
        "INCOME.INCOME_VERIFICATION_REFRESH_RECONNECT_NEEDED",
        "Fired when the attempt to refresh Payroll Income data for a user via `/credit/payroll_income/refresh` failed because the user must re-connect their payroll account",
    ),
    (
        "INCOME.INCOME_VERIFICATION_RISK_SIGNALS",
        "Fired when risk signals have been processed for documents uploaded via Document Income",
    ),
    (
        "INCOME.PRODUCT_READY",
        "Fired once Plaid calculates income from an Item",
    ),
    (
        "INCOME.USER_INCOME_VERIFICATION",
        "Fired when the status of an income verification instance has changed",
    ),
    (
        "INCOME.USER_INCOME_VERIFICATION_REFRESH_RECONNECT_NEEDED",
        "Fired when the attempt to refresh Payroll Income data for a user via `/credit/payroll_income/refresh` failed because the user must re-connect their payroll account",
    ),
    (
        "INCOME.USER_INCOME_VERIFICATION_RISK_SIGNALS",
        "Fired when risk signals have been processed for documents uploaded via Document Income",
    ),
    (
        "INVESTMENTS_TRANSACTIONS.DEFAULT_UPDATE",
        "Fired when new transactions have been detected on an investment account",
    ),
    (
        "INVESTMENTS_TRANSACTIONS.HISTORICAL_UPDATE",
        "Fired after an asynchronous extraction on an investment account",
    ),
    (
        "ISSUES.ISSUE_RESOLVED",
        "Webhook notifications are sent only when a subscribed issue is marked as resolved",
    ),
    (
        "ITEM.ERROR",
        "Fired when an error is encountered with an Item",
    ),
    (
        "ITEM.LOGIN_REPAIRED",
        "Fired when an Item has exited the `ITEM_LOGIN_REQUIRED` state without the user having gone through the update mode flow in your app (this can happen if the user completed the update mode in a different app)",
    ),
    (
        "ITEM.NEW_ACCOUNTS_AVAILABLE",
        "Fired when Plaid detects a new account",
    ),
    (
        "ITEM.PENDING_DISCONNECT",
        "Fired when an Item is expected to be disconnected",
    ),
    (
        "ITEM.PENDING_EXPIRATION",
        "Fired when an Item's access consent is expiring in 7 days",
    ),
    (
        "ITEM.USER_ACCOUNT_REVOKED",
        "The `USER_ACCOUNT_REVOKED` webhook is fired when an end user has revoked access to their account on the Data Provider's portal",
    ),
    (
        "ITEM.USER_PERMISSION_REVOKED",
        "The `USER_PERMISSION_REVOKED` webhook may be fired when an end user has revoked the permission that they previously granted to access an Item",
    ),
    (
        "ITEM.WEBHOOK_UPDATE_ACKNOWLEDGED",
        "Fired when an Item's webhook is updated",
    ),
    (
        "LAYER.LAYER_AUTHENTICATION_PASSED",
        "Indicates that Plaid's authentication process has completed for a user and that Plaid has verified that the user owns their phone number",
    ),
    (
        "LIABILITIES.DEFAULT_UPDATE",
        "The webhook of type `LIABILITIES` and code `DEFAULT_UPDATE` will be fired when new or updated liabilities have been detected on a liabilities item",
    ),
    (
        "LINK.EVENTS",
        "This webhook contains a summary of the events from a Link session and will be fired after the user finishes going through Link",
    ),
    (
        "LINK.ITEM_ADD_RESULT",
        "Fired when a user successfully adds a Plaid Item during a Link session when using Hosted Link or Multi-Item Link sessions",
    ),
    (
        "LINK.SESSION_FINISHED",
        "Contains the state of a completed Link session, along with the public token(s) if available",
    ),
    (
        "LINK_DELIVERY.DELIVERY_STATUS",
        "Webhook indicating that the status of the delivery of the Hosted Link session to a user",
    ),
    (
        "LINK_DELIVERY.LINK_CALLBACK",
        "Webhook containing metadata proxied over from Link callback e.g",
    ),
    (
        "PARTNER.END_CUSTOMER_OAUTH_STATUS_UPDATED",
        "The webhook of type `PARTNER` and code `END_CUSTOMER_OAUTH_STATUS_UPDATED` will be fired when a partner's end customer has an update on their OAuth registration status with an institution",
    ),
    (
        "PAYMENT_INITIATION.CONSENT_STATUS_UPDATE",
        "Fired when the status of a payment consent has changed",
    ),
    (
        "PAYMENT_INITIATION.PAYMENT_STATUS_UPDATE",
        "Fired when the status of a payment has changed",
    ),
    (
        "PROTECT.PROTECT_USER_EVENT",
        "Fired when there has been a new user event",
    ),
    (
        "SCREENING.STATUS_UPDATED",
        "Fired when an individual screening status has changed, which can occur manually via the dashboard or during ongoing monitoring",
    ),
    (
        "STATEMENTS.STATEMENTS_REFRESH_COMPLETE",
        "Fired when refreshed statements extraction is completed or failed to be completed",
    ),
    (
        "TRANSACTIONS.DEFAULT_UPDATE",
        "This webhook is only sent to Plaid processor partners",
    ),
    (
        "TRANSACTIONS.HISTORICAL_UPDATE",
        "This webhook is only sent to Plaid processor partners",
    ),
    (
        "TRANSACTIONS.INITIAL_UPDATE",
        "This webhook is only sent to Plaid processor partners",
    ),
    (
        "TRANSACTIONS.RECURRING_TRANSACTIONS_UPDATE",
        "Fired when recurring transactions data is updated",
    ),
    (
        "TRANSACTIONS.SYNC_UPDATES_AVAILABLE",
        "Fired when an Item's transactions change",
    ),
    (
        "TRANSACTIONS.TRANSACTIONS_REMOVED",
        "Fired when transaction(s) for an Item are deleted",
    ),
    (
        "TRANSFER.PLATFORM_ONBOARDING_UPDATE",
        "Fired when the status of an onboarding originator has been updated",
    ),
    (
        "TRANSFER.RECURRING_CANCELLED",
        "Fired when a recurring transfer is cancelled by Plaid",
    ),
    (
        "TRANSFER.RECURRING_NEW_TRANSFER",
        "Fired when a new transfer of a recurring transfer is originated",
    ),
    (
        "TRANSFER.RECURRING_TRANSFER_SKIPPED",
        "Fired when Plaid is unable to originate a new ACH transaction of the recurring transfer on the planned date",
    ),
    (
        "TRANSFER.TRANSFER_EVENTS_UPDATE",
        "Fired when new transfer events are available",
    ),
    (
        "WALLET.WALLET_TRANSACTION_STATUS_UPDATE",
        "Fired when the status of a wallet transaction has changed",
    ),
];
