//! Signing schemes as values that both verify and sign.
//!
//! Every adapter has a `verify` and a `sign`, and for the common schemes the
//! two were written out by hand each time, with the tolerance setting, its
//! default and the `t=…,v1=…` formatting repeated around them. A
//! [`SigningScheme`] is declared once and does both, reading its own settings
//! (`tolerance_seconds`) and telling the manifest about them, so an adapter
//! that uses a scheme the SDK knows writes neither `verify` nor `sign`.
//!
//! Ready presets live on [`Scheme`]: [`Scheme::body_hmac`] (an HMAC of the
//! body in one header, [`BodyHmac`]), [`Scheme::stripe_like`] (`t=…,v1=…`
//! over `"{t}.{body}"`), [`Scheme::paddle_like`] (`ts=…;h1=…` over
//! `"{ts}:{body}"`), [`Scheme::slack_like`] (`v0=…` over `"v0:{t}:{body}"`,
//! the timestamp in its own header), and for senders that sign nothing [`Scheme::basic_auth`]
//! (HTTP Basic credentials) and [`Scheme::token_header`] (a shared token in a
//! header). Anything else implements the trait.

use crate::request::ContextExt;
use crate::schemes::{BodyHmac, Encoding, Hmac, TimestampedHeader, sign_timestamped_encoded};
use crate::signature::{DEFAULT_TOLERANCE_SECONDS, check_timestamp, check_timestamp_ms};
use crate::signed::SignedRequestBuilder;
use crate::{Context, Request, SignInput, VerifyError};
use serde_json::{Value, json};

mod headers;
mod jwt;
mod public_key;
mod standard;
mod token;
mod versioned;
pub use headers::TimestampThenBody;
pub use jwt::JwtBodyHash;
pub use public_key::{KeyAlgorithm, PublicKeySigned, public_key_der};
pub use standard::{StandardKey, StandardWebhooks};
pub use token::{BasicAuth, BodyToken, SettingTokenHeader, TokenHeader};
pub use versioned::VersionedBase;

/// How a vendor authenticates its requests, both ways.
pub trait SigningScheme {
    /// Passes if `request` is authentic for the context's secrets (and
    /// settings). Fails closed: no secret configured is `unauthorized`.
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError>;

    /// Adds to `request` (a `POST` of `input`'s body to its URL, with the
    /// adapter's other headers) what it needs to pass
    /// [`verify`](Self::verify): usually a header with the signature and
    /// whatever it covers (a timestamp); a vendor that signs inside the body
    /// or the URL changes those.
    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String>;

    /// Settings the scheme reads, with their JSON Schema, for the manifest.
    fn settings(&self) -> Vec<(&'static str, Value)> {
        Vec::new()
    }
}

/// The presets: constructors of the schemes the SDK knows.
pub struct Scheme;

impl Scheme {
    /// An HMAC of the raw body in `header` (add `.prefixed("sha256=")`).
    pub const fn body_hmac(header: &'static str, hmac: Hmac, encoding: Encoding) -> BodyHmac {
        BodyHmac::new(header, hmac, encoding)
    }

    /// `header: t=<unix seconds>,v1=<hex>[,v1=…]`, HMAC-SHA256 over
    /// `"{t}.{body}"`, five minutes' tolerance (Stripe, Mux, Calendly, WorkOS).
    pub const fn stripe_like(header: &'static str) -> Timestamped {
        Timestamped {
            header,
            separators: (',', '='),
            keys: ("t", "v1"),
            joiner: '.',
            unit: TimestampUnit::Seconds,
            tolerance_seconds: DEFAULT_TOLERANCE_SECONDS,
            tolerance_note: "",
            canonical_timestamp: false,
            pair_separator: ",",
            encoding: Encoding::Hex,
        }
    }

    /// `header: ts=<unix seconds>;h1=<hex>[;h1=…]`, HMAC-SHA256 over
    /// `"{ts}:{body}"` (Paddle Billing).
    pub const fn paddle_like(header: &'static str) -> Timestamped {
        Timestamped {
            separators: (';', '='),
            keys: ("ts", "h1"),
            joiner: ':',
            pair_separator: ";",
            ..Self::stripe_like(header)
        }
    }

    /// `signature_header: v0=<hex>`, HMAC-SHA256 over `"v0:{t}:{body}"` with
    /// the Unix timestamp `t` in `timestamp_header`, five minutes' tolerance
    /// (Slack).
    pub const fn slack_like(
        signature_header: &'static str,
        timestamp_header: &'static str,
    ) -> VersionedBase {
        VersionedBase {
            signature_header,
            timestamp_header,
            version: "v0",
            tolerance_seconds: DEFAULT_TOLERANCE_SECONDS,
            tolerance_note: "",
            millis_too: false,
        }
    }

    /// `signature_header: <encoded HMAC(secret, timestamp + body)>`, the
    /// RFC 3339 timestamp in `timestamp_header`, five minutes' tolerance
    /// (Zendesk); `.id_first(header)` signs a message id before it (Twitch),
    /// `.prefixed("sha256=")`, `.precision(..)` for the timestamps it signs.
    pub const fn timestamp_then_body(
        signature_header: &'static str,
        timestamp_header: &'static str,
        hmac: Hmac,
        encoding: Encoding,
    ) -> TimestampThenBody {
        TimestampThenBody::new(signature_header, timestamp_header, hmac, encoding)
    }

    /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature:
    /// v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`, the key the
    /// base64 after `whsec_`, five minutes' tolerance (OpenAI, Replicate;
    /// `.key(StandardKey::TextOrBase64)` Polar, `.header_prefix("svix")`).
    pub const fn standard_webhooks() -> StandardWebhooks {
        StandardWebhooks::new()
    }

    /// `Authorization: Basic …` credentials equal to a secret `user:password`
    /// (senders that sign nothing, e.g. Postmark).
    pub const fn basic_auth() -> BasicAuth {
        BasicAuth
    }

    /// A shared token in `header`, equal to a secret (senders that sign
    /// nothing, e.g. Telegram's `X-Telegram-Bot-Api-Secret-Token`).
    pub const fn token_header(header: &'static str) -> TokenHeader {
        TokenHeader { header }
    }
}

impl SigningScheme for BodyHmac {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        BodyHmac::verify(self, request, context.require_secrets()?)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Ok(request.header(
            self.header,
            BodyHmac::sign(self, &input.secret, &input.body),
        ))
    }
}

/// Whether a signed timestamp counts seconds or milliseconds (WorkOS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampUnit {
    Seconds,
    Millis,
}

/// A timestamped signature header: one timestamp and any number of hex
/// HMAC-SHA256 signatures over `"{timestamp}{joiner}{body}"`; the timestamp
/// must be digits only and within the tolerance of the host clock, which the
/// source's `tolerance_seconds` setting overrides. Made by
/// [`Scheme::stripe_like`] and [`Scheme::paddle_like`], adjusted with the
/// `const` methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamped {
    pub header: &'static str,
    /// Between pairs, between key and value: `(',', '=')`.
    pub separators: (char, char),
    /// The timestamp's key and the signatures' key: `("t", "v1")`.
    pub keys: (&'static str, &'static str),
    pub joiner: char,
    pub unit: TimestampUnit,
    /// The default tolerance, in seconds either way.
    pub tolerance_seconds: i64,
    /// The description of the `tolerance_seconds` setting, if not the usual.
    pub tolerance_note: &'static str,
    /// Signed is the number as parsed (Stripe, Mux: `t=007` signs `7.`),
    /// not the text as sent.
    pub canonical_timestamp: bool,
    /// What [`SigningScheme::sign`] writes between pairs (`", "` WorkOS).
    pub pair_separator: &'static str,
    /// How the signatures are written (hex; base64 Knock).
    pub encoding: Encoding,
}

impl Timestamped {
    /// The default tolerance in seconds (the setting still overrides it).
    pub const fn tolerance(self, tolerance_seconds: i64) -> Self {
        Self {
            tolerance_seconds,
            ..self
        }
    }

    /// Describes the `tolerance_seconds` setting (e.g. whose default it is).
    pub const fn tolerance_note(self, note: &'static str) -> Self {
        Self {
            tolerance_note: note,
            ..self
        }
    }

    /// The timestamp counts milliseconds.
    pub const fn millis(self) -> Self {
        Self {
            unit: TimestampUnit::Millis,
            ..self
        }
    }

    /// Signed is the timestamp as a number (`t=007` signs `7.`, and `t=+5`
    /// is 5, as Stripe's libraries read it).
    pub const fn canonical_timestamp(self) -> Self {
        Self {
            canonical_timestamp: true,
            ..self
        }
    }

    /// The signatures are written in `encoding` (Knock: base64).
    pub const fn encoding(self, encoding: Encoding) -> Self {
        Self { encoding, ..self }
    }

    /// What `sign` writes between the pairs (`", "`).
    pub const fn pair_separator(self, separator: &'static str) -> Self {
        Self {
            pair_separator: separator,
            ..self
        }
    }
}

/// The setting every timestamped scheme reads.
pub const TOLERANCE_SETTING: &str = "tolerance_seconds";

/// The source's `tolerance_seconds` setting, else `default`; not an integer
/// → `malformed`. For schemes of an adapter's own that check a timestamp.
pub fn tolerance(context: &Context, default: i64) -> Result<i64, VerifyError> {
    let settings: Value = context.settings().map_err(VerifyError::Malformed)?;
    match settings.get(TOLERANCE_SETTING) {
        None | Some(Value::Null) => Ok(default),
        Some(value) => value.as_i64().ok_or_else(|| {
            VerifyError::Malformed(format!(
                "invalid settings: {TOLERANCE_SETTING} is not an integer"
            ))
        }),
    }
}

/// The manifest entry of the `tolerance_seconds` setting.
pub fn tolerance_setting(default: i64, description: &str) -> (&'static str, Value) {
    let description = if description.is_empty() {
        "Largest accepted difference between the signed timestamp and now"
    } else {
        description
    };
    (
        TOLERANCE_SETTING,
        json!({"type": "integer", "minimum": 1, "default": default, "description": description}),
    )
}

impl SigningScheme for Timestamped {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, self.tolerance_seconds)?;
        let mut header =
            TimestampedHeader::from_request(request, self.header, self.separators, self.keys)?;
        // Digits only, so "-0" never stands for a time; where the number as
        // parsed is what is signed (Stripe: its libraries parse `t=+5` as
        // 5), a leading `+` is read as they read it.
        let t = &header.timestamp;
        let digits = match self.canonical_timestamp {
            true => t.strip_prefix('+').unwrap_or(t),
            false => t.as_str(),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(VerifyError::Malformed(format!(
                "{} {} must be digits",
                self.header, self.keys.0
            )));
        }
        let timestamp = header.parsed_timestamp()?;
        if self.canonical_timestamp {
            header.timestamp = timestamp.to_string();
        }
        header.verify_encoded(secrets, self.joiner, &request.body, self.encoding)?;
        match self.unit {
            TimestampUnit::Seconds => check_timestamp(timestamp, context.now_ms, tolerance),
            TimestampUnit::Millis => check_timestamp_ms(timestamp, context.now_ms, tolerance),
        }
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let timestamp = match self.unit {
            TimestampUnit::Seconds => input.now_ms.div_euclid(1000),
            TimestampUnit::Millis => input.now_ms,
        }
        .to_string();
        let signature = sign_timestamped_encoded(
            &input.secret,
            &timestamp,
            self.joiner,
            &input.body,
            self.encoding,
        );
        let (kv, (t, v)) = (self.separators.1, self.keys);
        let value = format!(
            "{t}{kv}{timestamp}{}{v}{kv}{signature}",
            self.pair_separator
        );
        Ok(request.header(self.header, value))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            self.tolerance_seconds,
            self.tolerance_note,
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{context, request};

    const BODY: &[u8] = br#"{"id":"evt_1"}"#;
    const NOW: i64 = 1_763_800_000;

    fn input(secret: &str, now_ms: i64) -> SignInput {
        SignInput {
            body: BODY.to_vec(),
            secret: secret.into(),
            event_type: None,
            delivery_id: "d".into(),
            url: "https://hooks.test/".into(),
            settings: "{}".into(),
            now_ms,
        }
    }

    fn signed(scheme: &dyn SigningScheme, secret: &str, now_ms: i64, body: &[u8]) -> Request {
        let input = input(secret, now_ms);
        let headers = scheme
            .sign(&input, SignedRequestBuilder::post_json(&input))
            .unwrap()
            .build()
            .headers;
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        request("POST", "/", &pairs, body)
    }

    #[test]
    fn every_preset_verifies_what_it_signs() {
        let schemes: [&dyn SigningScheme; 7] = [
            &Scheme::token_header("X-Token"),
            &Scheme::body_hmac("X-Sig", Hmac::Sha256, Encoding::Base64).prefixed("sha256="),
            &Scheme::stripe_like("Stripe-Signature"),
            &Scheme::stripe_like("S").canonical_timestamp(),
            &Scheme::paddle_like("Paddle-Signature"),
            &Scheme::stripe_like("WorkOS-Signature")
                .millis()
                .pair_separator(", "),
            &Scheme::basic_auth(),
        ];
        for scheme in schemes {
            let ctx = context(&["new", "us:old"], "{}", NOW);
            assert!(
                scheme
                    .verify(&signed(scheme, "us:old", NOW * 1000, BODY), &ctx)
                    .is_ok()
            );
            let no_secret = context(&[], "{}", NOW);
            assert!(matches!(
                scheme.verify(&signed(scheme, "us:old", NOW * 1000, BODY), &no_secret),
                Err(VerifyError::Unauthorized(_))
            ));
            assert!(matches!(
                scheme.verify(&request("POST", "/", &[], BODY), &ctx),
                Err(VerifyError::MissingSignature(_))
            ));
            let wrong = scheme.verify(&signed(scheme, "us:other", NOW * 1000, BODY), &ctx);
            assert!(matches!(
                wrong,
                Err(VerifyError::BadSignature | VerifyError::Unauthorized(_))
            ));
        }
    }

    #[test]
    fn timestamped_headers_are_formatted_as_the_vendor_does() {
        let value = |scheme: Timestamped| {
            let input = input("k", 1_763_800_000_123);
            let request = scheme
                .sign(&input, SignedRequestBuilder::new("POST", "u", ""))
                .unwrap();
            request.build().headers[0].value.clone()
        };
        let sig = |t: &str, j| crate::schemes::sign_timestamped("k", t, j, BODY);
        assert_eq!(
            value(Scheme::stripe_like("S")),
            format!("t=1763800000,v1={}", sig("1763800000", '.'))
        );
        assert_eq!(
            value(Scheme::paddle_like("P")),
            format!("ts=1763800000;h1={}", sig("1763800000", ':'))
        );
        assert_eq!(
            value(Scheme::stripe_like("W").millis().pair_separator(", ")),
            format!("t=1763800000123, v1={}", sig("1763800000123", '.'))
        );
        let knock = Timestamped {
            keys: ("t", "s"),
            ..Scheme::stripe_like("K").millis().encoding(Encoding::Base64)
        };
        let mac = crate::crypto::hmac_sha256(b"k", &[&b"1763800000123."[..], BODY].concat());
        assert_eq!(
            value(knock),
            format!("t=1763800000123,s={}", Encoding::Base64.encode(&mac))
        );
    }

    #[test]
    fn base64_timestamped_signatures_verify_and_hex_ones_do_not() {
        let knock = Timestamped {
            keys: ("t", "s"),
            ..Scheme::stripe_like("K").millis().encoding(Encoding::Base64)
        };
        let now_ms = 1_763_800_000_123;
        let mac = crate::crypto::hmac_sha256(b"k", &[&b"1763800000123."[..], BODY].concat());
        let ctx = context(&["other", "k"], "{}", now_ms / 1000);
        let sent =
            |sig: String| request("POST", "/", &[("K", &format!("t={now_ms},s={sig}"))], BODY);
        assert!(
            knock
                .verify(&sent(Encoding::Base64.encode(&mac)), &ctx)
                .is_ok()
        );
        assert!(matches!(
            knock.verify(&sent("!!".into()), &ctx),
            Err(VerifyError::Malformed(_))
        ));
        assert!(matches!(
            knock.verify(&sent(Encoding::Base64.encode(b"not it")), &ctx),
            Err(VerifyError::BadSignature)
        ));
    }

    #[test]
    fn the_tolerance_has_a_default_and_a_setting() {
        let scheme = Scheme::stripe_like("S").tolerance(180);
        let req = signed(&scheme, "k", (NOW - 181) * 1000, BODY);
        assert!(matches!(
            scheme.verify(&req, &context(&["k"], "{}", NOW)),
            Err(VerifyError::TimestampOutOfTolerance(181))
        ));
        let wide = context(&["k"], r#"{"tolerance_seconds": 300}"#, NOW);
        assert!(scheme.verify(&req, &wide).is_ok());
        let bad = context(&["k"], r#"{"tolerance_seconds": "300"}"#, NOW);
        assert!(matches!(
            scheme.verify(&req, &bad),
            Err(VerifyError::Malformed(_))
        ));
        let fresh = signed(&scheme, "k", (NOW - 179) * 1000, BODY);
        assert!(scheme.verify(&fresh, &context(&["k"], "", NOW)).is_ok());
        let millis = Scheme::stripe_like("W").millis().tolerance(180);
        let late = signed(&millis, "k", NOW * 1000 - 180_001, BODY);
        assert!(millis.verify(&late, &context(&["k"], "{}", NOW)).is_err());
        assert_eq!(scheme.settings()[0].1["default"], 180);
        assert_eq!(
            scheme.tolerance_note("x").settings()[0].1["description"],
            "x"
        );
    }

    #[test]
    fn timestamps_must_be_digits_and_canonical_ones_sign_the_number() {
        let ctx = context(&["k"], "{}", NOW);
        let stripe = Scheme::stripe_like("S");
        let with = |t: &str, signed_t: &str| {
            let v = format!(
                "t={t},v1={}",
                crate::schemes::sign_timestamped("k", signed_t, '.', BODY)
            );
            request("POST", "/", &[("S", &v)], BODY)
        };
        for bad in ["+1763800000", "-5", "", "1e9"] {
            assert!(
                matches!(
                    stripe.verify(&with(bad, bad), &ctx),
                    Err(VerifyError::Malformed(_))
                ),
                "{bad}"
            );
        }
        let padded = "01763800000";
        assert!(stripe.verify(&with(padded, padded), &ctx).is_ok());
        assert!(matches!(
            stripe
                .canonical_timestamp()
                .verify(&with(padded, padded), &ctx),
            Err(VerifyError::BadSignature)
        ));
        assert!(
            stripe
                .canonical_timestamp()
                .verify(&with(padded, "1763800000"), &ctx)
                .is_ok()
        );
    }
}
