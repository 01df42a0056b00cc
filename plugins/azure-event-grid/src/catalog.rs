//! Event types. Event Grid carries whatever its topic publishes (any Azure
//! service's system events, or a custom topic's own types); the catalog
//! lists Event Grid's own events and Azure Blob Storage's, the most common
//! webhook source, as Microsoft documents them. Other types pass through
//! unchanged.

pub const EVENTS: &[(&str, &str)] = &[
    (
        "Microsoft.EventGrid.SubscriptionValidationEvent",
        "Endpoint validation (answered with the validation code, not stored)",
    ),
    (
        "Microsoft.EventGrid.SubscriptionDeletedEvent",
        "The event subscription was deleted",
    ),
    (
        "Microsoft.Storage.BlobCreated",
        "A blob was created or replaced",
    ),
    ("Microsoft.Storage.BlobDeleted", "A blob was deleted"),
    (
        "Microsoft.Storage.BlobRenamed",
        "A blob was renamed (hierarchical namespace)",
    ),
    (
        "Microsoft.Storage.BlobTierChanged",
        "A blob's access tier was changed",
    ),
    (
        "Microsoft.Storage.AsyncOperationInitiated",
        "An operation moving or copying data from the archive tier started",
    ),
    (
        "Microsoft.Storage.DirectoryCreated",
        "A directory was created (hierarchical namespace)",
    ),
    (
        "Microsoft.Storage.DirectoryRenamed",
        "A directory was renamed (hierarchical namespace)",
    ),
    (
        "Microsoft.Storage.DirectoryDeleted",
        "A directory was deleted (hierarchical namespace)",
    ),
    (
        "Microsoft.Storage.BlobInventoryPolicyCompleted",
        "A blob inventory run completed",
    ),
    (
        "Microsoft.Storage.LifecyclePolicyCompleted",
        "A lifecycle management policy run completed",
    ),
    (
        "Microsoft.Resources.ResourceWriteSuccess",
        "A resource create or update succeeded (subscription or resource group topics)",
    ),
    (
        "Microsoft.Resources.ResourceDeleteSuccess",
        "A resource delete succeeded",
    ),
    (
        "Microsoft.Resources.ResourceActionSuccess",
        "A resource action succeeded",
    ),
];
