"""Stripe webhooks, in Python: the twin of plugins/stripe (Rust).

`Stripe-Signature: t=<unix>,v1=<hex>[,v1=...]`, where v1 is HMAC-SHA256 over
`"{t}.{body}"` keyed with the `whsec_...` string as-is. Any v1 signature
matching any active secret passes (Stripe sends several while an endpoint
secret is being rolled). The timestamp must be within the tolerance (300 s by
default, setting `tolerance_seconds`) of the host clock. The event type is the
body's `type`, the dedup id its `id` (`evt_...`), stable across Stripe's
retries.

Built with componentize-py (see build.sh). The HMAC and the constant-time
comparison are the host's (`hookyard:adapter/crypto`); nothing here needs
Python's own `hmac`/`hashlib`.
"""

import json
import re

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import crypto
from wit_world.imports.types import (
    AdapterManifest,
    Discriminator,
    DiscriminatorLocation,
    Event,
    EventTypeInfo,
    HandleError_Malformed,
    Header,
    Outcome_Events,
    SecretSpec,
    SignedRequest,
    VerifyError_BadSignature,
    VerifyError_Malformed,
    VerifyError_MissingSignature,
    VerifyError_TimestampOutOfTolerance,
    VerifyError_Unauthorized,
)

VERSION = "0.1.0"
DEFAULT_TOLERANCE_SECONDS = 300
I64_MIN, I64_MAX = -(2**63), 2**63 - 1

# (name, description) pairs: the same as plugins/stripe (Rust).
EVENTS = [
    ("account.updated", "An account's status or one of its properties changed"),
    ("balance.available", "The Stripe balance was updated, e.g. a charge became available to pay out"),
    ("charge.captured", "A previously uncaptured charge was captured"),
    ("charge.dispute.created", "A customer disputed a charge with their bank"),
    ("charge.failed", "A charge attempt failed"),
    ("charge.refunded", "A charge was refunded, fully or partially"),
    ("charge.succeeded", "A charge succeeded"),
    ("checkout.session.completed", "A Checkout Session was completed successfully"),
    ("checkout.session.expired", "A Checkout Session expired"),
    ("customer.created", "A new customer was created"),
    ("customer.deleted", "A customer was deleted"),
    ("customer.updated", "A property of a customer changed"),
    ("customer.subscription.created", "A customer was signed up for a new subscription"),
    ("customer.subscription.deleted", "A customer's subscription ended"),
    ("customer.subscription.updated", "A subscription changed, e.g. its plan, or its status from trial to active"),
    ("customer.subscription.trial_will_end", "A subscription's trial ends in three days, or was ended early"),
    ("invoice.created", "A new invoice was created"),
    ("invoice.finalized", "A draft invoice was finalized and is now open"),
    ("invoice.paid", "An invoice payment attempt succeeded, or the invoice was marked paid out of band"),
    ("invoice.payment_failed", "An invoice payment attempt failed (declined, or no stored payment method)"),
    ("invoice.payment_succeeded", "An invoice payment attempt succeeded"),
    ("invoice.upcoming", "A subscription will create an automatically charged invoice in X days"),
    ("payment_intent.canceled", "A PaymentIntent was canceled"),
    ("payment_intent.created", "A new PaymentIntent was created"),
    ("payment_intent.payment_failed", "A PaymentIntent failed to create a payment method or a payment"),
    ("payment_intent.succeeded", "A PaymentIntent completed its payment successfully"),
    ("payment_method.attached", "A new payment method was attached to a customer"),
    ("payout.failed", "A payout attempt failed"),
    ("payout.paid", "A payout is expected to be available in the destination account"),
    ("price.created", "A price was created"),
    ("product.created", "A product was created"),
    ("refund.created", "A refund was created"),
    ("setup_intent.succeeded", "A SetupIntent successfully set up a payment method"),
]

SETTINGS_SCHEMA = {
    "type": "object",
    "properties": {
        "tolerance_seconds": {
            "type": "integer",
            "minimum": 1,
            "default": DEFAULT_TOLERANCE_SECONDS,
            "description": "Largest accepted difference between the signed timestamp and now",
        }
    },
    "additionalProperties": False,
}

INTEGER = re.compile(r"[+-]?[0-9]+\Z")
HEX = re.compile(r"(?:[0-9a-fA-F]{2})*\Z")


def header(headers, name):
    """The first header with this name, compared case-insensitively."""
    lower = name.lower()
    for h in headers:
        if h.name.lower() == lower:
            return h.value
    return None


def require_header(headers, name):
    value = header(headers, name)
    if value is None or not value.strip():
        raise Err(VerifyError_MissingSignature(name))
    return value.strip()


def is_i64(value):
    return type(value) is int and I64_MIN <= value <= I64_MAX


def tolerance(settings_text):
    """`tolerance_seconds` from the settings; unknown keys are an error."""
    try:
        settings = json.loads(settings_text) if settings_text.strip() else {}
    except ValueError as e:
        raise Err(VerifyError_Malformed(f"invalid settings: {e}"))
    if not isinstance(settings, dict):
        raise Err(VerifyError_Malformed("invalid settings: not an object"))
    unknown = sorted(set(settings) - {"tolerance_seconds"})
    if unknown:
        raise Err(VerifyError_Malformed(f"invalid settings: unknown field {unknown[0]}"))
    value = settings.get("tolerance_seconds", DEFAULT_TOLERANCE_SECONDS)
    if not is_i64(value):
        raise Err(VerifyError_Malformed("invalid settings: tolerance_seconds is not an integer"))
    return value


def signature_pairs(text):
    """`t=1,v1=ab,v1=cd` as [("t","1"), ("v1","ab"), ("v1","cd")]."""
    pairs = []
    for item in text.split(","):
        key, sep, value = item.strip().partition("=")
        if sep:
            pairs.append((key.strip(), value.strip()))
    return pairs


def reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse_json(body):
    """The body as text and as a value; raises ValueError when not JSON."""
    text = body.decode("utf-8")
    return text, json.loads(text, parse_constant=reject_constant)


def json_string(value, pointer):
    """The value at a JSON pointer as text: strings as they are, numbers and
    booleans rendered; None for absent, null, objects and arrays."""
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return None


def mac(secret, timestamp, body):
    return crypto.hmac(crypto.HmacAlgorithm.SHA256, secret.encode(), b"%d." % timestamp + body)


class Adapter(exports.Adapter):
    def manifest(self):
        return AdapterManifest(
            name="stripe-py",
            version=VERSION,
            display_name="Stripe (Python)",
            description="Stripe account and Connect events; the Python twin of the stripe adapter",
            docs_url="https://docs.stripe.com/webhooks#verify-events",
            secrets=[
                SecretSpec(
                    label="Signing secret",
                    help="The endpoint's signing secret (whsec_…): Dashboard → Developers → "
                    "Webhooks → your endpoint → Signing secret → Reveal.",
                    required=True,
                )
            ],
            settings_schema=json.dumps(SETTINGS_SCHEMA),
            event_types=[EventTypeInfo(name=name, description=description) for name, description in EVENTS],
            discriminator=Discriminator(location=DiscriminatorLocation.BODY, path="/type", note=""),
            presets=[],
            fetch_origins=[],
        )

    def verify(self, request, context):
        if not context.secrets:
            raise Err(VerifyError_Unauthorized("no secret configured"))
        tolerance_seconds = tolerance(context.settings)
        pairs = signature_pairs(require_header(request.headers, "Stripe-Signature"))
        timestamp = next((v for k, v in pairs if k == "t"), None)
        if timestamp is None or not INTEGER.match(timestamp) or not is_i64(int(timestamp)):
            raise Err(VerifyError_Malformed("Stripe-Signature has no timestamp t="))
        timestamp = int(timestamp)
        signatures = []
        for key, value in pairs:
            if key == "v1":
                if not HEX.match(value):
                    raise Err(VerifyError_Malformed(f"invalid hex: {value!r}"))
                signatures.append(bytes.fromhex(value))
        if not signatures:
            raise Err(VerifyError_MissingSignature("Stripe-Signature v1"))
        # Evaluate every pair: how many secrets matched must not show in timing.
        matched = False
        for secret in context.secrets:
            expected = mac(secret, timestamp, request.body)
            for signature in signatures:
                matched |= crypto.constant_time_eq(expected, signature)
        if not matched:
            raise Err(VerifyError_BadSignature())
        skew = context.now_ms // 1000 - timestamp
        if abs(skew) > tolerance_seconds:
            raise Err(VerifyError_TimestampOutOfTolerance(skew))

    def handle(self, request, context):
        try:
            text, body = parse_json(request.body)
        except ValueError as e:
            raise Err(HandleError_Malformed(f"body is not JSON: {e}"))
        event_type = json_string(body, "/type")
        if event_type is None:
            raise Err(HandleError_Malformed("event has no type"))
        created = body.get("created") if isinstance(body, dict) else None
        return Outcome_Events(
            [
                Event(
                    event_type=event_type,
                    dedup_id=json_string(body, "/id"),
                    occurred_at=created * 1000 if is_i64(created) and is_i64(created * 1000) else None,
                    subject=json_string(body, "/data/object/id"),
                    # The body as sent (it parsed as JSON above).
                    data=text,
                )
            ]
        )

    def sign(self, input):
        # Rust's `/`: truncate toward zero.
        timestamp = -(-input.now_ms // 1000) if input.now_ms < 0 else input.now_ms // 1000
        signature = mac(input.secret, timestamp, input.body).hex()
        return SignedRequest(
            method="POST",
            url=input.url,
            headers=[
                Header("Content-Type", "application/json; charset=utf-8"),
                Header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
                Header("Stripe-Signature", f"t={timestamp},v1={signature}"),
            ],
            body=input.body,
        )
