//! GitLab webhooks: GitLab does not sign the body; the webhook's secret token is
//! sent as-is in `X-Gitlab-Token`. It is compared with every active secret in
//! constant time (as SHA-256 digests, so not even its length shows); a missing
//! header is `missing-signature`, a wrong token `unauthorized`.
//!
//! The event type is the body's `object_kind` (`push`, `merge_request`,
//! `pipeline`; system, member and subgroup events carry `event_name` instead),
//! refined by `object_attributes.action` when there is one
//! (`merge_request.open`, `issue.close`) like GitHub's `pull_request.opened`.
//! The `X-Gitlab-Event` header (`Merge Request Hook`) says the same in words and
//! is the fallback. The dedup id is `Idempotency-Key`, which GitLab keeps for
//! retries of one delivery (GitLab 17.4+), else `X-Gitlab-Event-UUID`; the
//! subject is the project's `path_with_namespace`. No timestamp is sent and there
//! is no handshake; a static token cannot stop replays, so rely on the
//! idempotency key. Rotation: add the new token here, change the webhook's Secret
//! token in GitLab, then remove the old one. (Newer GitLab versions can also sign
//! with a Standard Webhooks "signing token", `webhook-signature`; that mode is not
//! handled here.)

use hookyard_sdk::mapping::Source;
use hookyard_sdk::prelude::*;

pub struct GitLab;

/// The `X-Gitlab-Event` value GitLab sends with an `object_kind`.
fn hook_name(kind: &str) -> &'static str {
    match kind {
        "tag_push" => "Tag Push Hook",
        "issue" => "Issue Hook",
        "note" => "Note Hook",
        "merge_request" => "Merge Request Hook",
        "wiki_page" => "Wiki Page Hook",
        "pipeline" => "Pipeline Hook",
        "build" => "Job Hook",
        "deployment" => "Deployment Hook",
        "feature_flag" => "Feature Flag Hook",
        "release" => "Release Hook",
        "milestone" => "Milestone Hook",
        "emoji" => "Emoji Hook",
        "access_token" => "Resource Access Token Hook",
        "vulnerability" => "Vulnerability Hook",
        k if k.starts_with("user_") => "Member Hook",
        k if k.starts_with("subgroup_") => "Subgroup Hook",
        k if k.starts_with("project_") => "Project Hook",
        _ => "Push Hook",
    }
}

/// `object_kind` (or `event_name`, for member, subgroup, project and system
/// events).
const KIND: Field = Field::first(&[
    Field::pointer("/object_kind"),
    Field::pointer("/event_name"),
]);

impl Declared for GitLab {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("gitlab", "GitLab", "GitLab project, group and system webhooks (secret token)")
            .docs("https://docs.gitlab.com/user/project/integrations/webhooks/#create-a-webhook")
            .secret("Secret token", "Any random string you choose: paste the same value into the webhook's \"Secret token\" field in GitLab (project or group → Settings → Webhooks → Add new webhook, or Edit). GitLab sends it back in X-Gitlab-Token with every delivery; GitLab never shows it again after saving.")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("plus \".\" and /object_attributes/action when present (merge_request.open); /event_name for member, subgroup, project and system events; else the X-Gitlab-Event header"),
        &Scheme::token_header("X-Gitlab-Token"),
    )
    // The kind plus `.action` when the payload has one; the header as a last resort.
    .event_type(Field::first(&[
        Field::joined(&[KIND, Field::pointer("/object_attributes/action")], "."),
        Field::header("X-Gitlab-Event"),
    ]))
    .dedup_id(Field::first(&[Field::header("Idempotency-Key"), Field::header("X-Gitlab-Event-UUID")]))
    .subject(Field::first(&[
        Field::pointer("/project/path_with_namespace"),
        Field::pointer("/path_with_namespace"),
        Field::pointer("/group_path"),
        Field::pointer("/full_path"),
    ]))
    .user_agent("GitLab/18.0.0")
    .sign_headers(&[("X-Gitlab-Instance", "https://gitlab.com")])
    .delivery_headers(&["X-Gitlab-Webhook-UUID", "X-Gitlab-Event-UUID"])
    // GitLab's headers name the hook (`Merge Request Hook`).
    .sent_headers(&[("X-Gitlab-Event", Sent::custom(hook_header))]);
}

/// The hook name of the body's kind, else of the event type's first part.
fn hook_header(source: &Source, event_type: Option<&str>) -> Option<String> {
    let kind = KIND.read(source);
    let kind = kind.as_deref().or_else(|| event_type?.split('.').next());
    Some(hook_name(kind.unwrap_or("push")).into())
}

hookyard_sdk::export_adapter!(GitLab);

#[cfg(test)]
mod tests {
    use super::*;
    use hookyard_sdk::testing::request;

    fn event_type(body: Value, header: Option<&str>) -> Option<String> {
        let headers: Vec<(&str, &str)> =
            header.map(|h| ("X-Gitlab-Event", h)).into_iter().collect();
        let request = request("POST", "/", &headers, body.to_string().as_bytes());
        let events = GitLab::DECLARATION.mapping.events(&request).ok()?;
        Some(events[0].event_type.clone())
    }

    #[test]
    fn types_are_refined_by_the_action() {
        let mr = json!({"object_kind": "merge_request", "object_attributes": {"action": "merge"}});
        assert_eq!(event_type(mr, None).as_deref(), Some("merge_request.merge"));
        let pipeline =
            json!({"object_kind": "pipeline", "object_attributes": {"status": "success"}});
        assert_eq!(event_type(pipeline, None).as_deref(), Some("pipeline"));
        let member = json!({"event_name": "user_add_to_group"});
        assert_eq!(
            event_type(member, None).as_deref(),
            Some("user_add_to_group")
        );
        assert_eq!(
            event_type(json!({}), Some("Push Hook")).as_deref(),
            Some("Push Hook")
        );
        assert_eq!(event_type(json!({}), Some(" ")), None);
        assert_eq!(hook_name("build"), "Job Hook");
        assert_eq!(hook_name("user_remove_from_group"), "Member Hook");
    }

    #[test]
    fn sign_names_the_hook_and_repeats_the_delivery_id() {
        let sign = |body: &[u8], event_type: Option<&str>| {
            let signed = <GitLab as Adapter>::sign(SignInput {
                body: body.to_vec(),
                secret: "t".into(),
                event_type: event_type.map(str::to_string),
                delivery_id: "d-1".into(),
                url: "https://hooks.test/w".into(),
                settings: "{}".into(),
                now_ms: 0,
            })
            .unwrap();
            let header =
                |n: &str| hookyard_sdk::request::header(&signed.headers, n).map(String::from);
            (
                header("X-Gitlab-Event"),
                header("X-Gitlab-Event-UUID"),
                header("X-Gitlab-Webhook-UUID"),
            )
        };
        let (hook, event_uuid, webhook_uuid) = sign(br#"{"object_kind":"build"}"#, Some("push"));
        assert_eq!(hook.as_deref(), Some("Job Hook"), "the body's kind first");
        assert_eq!(
            (event_uuid.as_deref(), webhook_uuid.as_deref()),
            (Some("d-1"), Some("d-1"))
        );
        let from_type = sign(b"{}", Some("merge_request.open")).0;
        assert_eq!(from_type.as_deref(), Some("Merge Request Hook"));
        assert_eq!(sign(b"{}", None).0.as_deref(), Some("Push Hook"));
    }
}
