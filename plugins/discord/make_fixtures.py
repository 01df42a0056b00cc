#!/usr/bin/env python3
"""Writes the Discord adapter's fixtures: python3 plugins/discord/make_fixtures.py

Only Discord holds its private key, so the fixtures are signed with a throwaway
Ed25519 key pair (fixed seeds below, so reruns are identical) whose public key
is the source's secret. Needs `cryptography`. The vendor-sdk case is checked
with Discord's own discord-interactions (PyPI), which verifies but cannot sign:

    python3 -m venv /tmp/venv-b && /tmp/venv-b/bin/pip install cryptography discord-interactions
    /tmp/venv-b/bin/python plugins/discord/make_fixtures.py
"""
import hashlib
import json
import pathlib
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW  # noqa: E402

A = "discord"
SIG, TS = "X-Signature-Ed25519", "X-Signature-Timestamp"
EPOCH_MS = 1_420_070_400_000


def key(seed):
    private = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed.encode()).digest())
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    return private, public


KEYS = {name: key(f"hookyard discord fixture {name}") for name in ("new", "old", "wrong")}
PUBLIC = {name: pair[1] for name, pair in KEYS.items()}
PRIVATE = {pair[1]: pair[0] for pair in KEYS.values()}


def snowflake(ms, low=0):
    return str(((ms - EPOCH_MS) << 22) | low)


INTERACTION_ID = snowflake((NOW - 1) * 1000, 4242)
COMMAND = {"app_permissions": "562949953601536", "application_id": "1310231489632243722",
           "authorizing_integration_owners": {"0": "1098765432109876543"},
           "channel": {"id": "1098765432109876544", "name": "general", "type": 0},
           "channel_id": "1098765432109876544", "context": 0,
           "data": {"id": "1310234567890123456", "name": "deploy", "type": 1,
                    "options": [{"name": "env", "type": 3, "value": "staging"}]},
           "entitlements": [], "guild_id": "1098765432109876543", "guild_locale": "en-US",
           "id": INTERACTION_ID, "locale": "en-GB",
           "member": {"user": {"id": "80351110224678912", "username": "ada", "global_name": "Ada"},
                      "roles": [], "permissions": "2248473465835073"},
           "token": "aW50ZXJhY3Rpb246MTMxMDAwMDAwMDAwMDAwMDAwMDpmaXh0dXJlLXRva2Vu", "type": 2, "version": 1}
BODY = compact(COMMAND)
GUILD_CHANNEL = f"{COMMAND['guild_id']}/{COMMAND['channel_id']}"
JSON = {"Content-Type": "application/json"}


def deferred(kind):
    """The deferred interaction response the adapter answers with."""
    return {"status": 200, "body": compact({"type": kind}), "headers": JSON}


def signer(public):
    def sign(secret_public, now, body=BODY):
        sig = PRIVATE[secret_public].sign(f"{now}".encode() + body.encode()).hex()
        return body, {"Content-Type": "application/json", "User-Agent": "Discord-Interactions/1.0 (+https://discord.com)",
                      TS: str(now), SIG: sig}
    return sign


def main():
    sign = signer(None)
    events = [{"type": "interaction.application_command", "dedup_id": INTERACTION_ID, "subject": GUILD_CHANNEL,
               "occurred_at": (NOW - 1) * 1000, "data": COMMAND}]
    standard_cases(A, sign, None, events, SIG, True, secret=PUBLIC["new"], old=PUBLIC["old"])
    for name in ("valid", "rotated-secret", "timestamp-within-tolerance"):
        # An accepted command is also answered: add the deferred response.
        path = pathlib.Path(__file__).resolve().parent / "fixtures" / f"{name}.json"
        fixture = json.loads(path.read_text())
        fixture["expect"]["response"] = deferred(5)
        path.write_text(json.dumps(fixture, indent=2) + "\n")
    # standard_cases' wrong-secret uses a non-key string: write the meaningful one.
    b, h = sign(PUBLIC["new"], NOW)
    write(A, "wrong-secret", "verified against another application's public key",
          {"headers": h, "body": b}, [PUBLIC["wrong"]], rejected("bad_signature"))
    write(A, "secret-not-a-key", "a secret that is not a hex Ed25519 public key",
          {"headers": h, "body": b}, ["not-a-public-key"], rejected("unauthorized"))
    bad = dict(h, **{SIG: "zz" + h[SIG][2:]})
    write(A, "malformed-signature", "a signature that is not hex", {"headers": bad, "body": b},
          [PUBLIC["new"]], rejected("malformed"))
    ping = compact({"application_id": "1310231489632243722", "id": snowflake(NOW * 1000, 1), "token": "dG9rZW4",
                    "type": 1, "user": {"id": "80351110224678912", "username": "ada"}, "version": 1})
    b, h = sign(PUBLIC["new"], NOW, ping)
    write(A, "handshake", "the endpoint check's PING is answered with a PONG",
          {"headers": h, "body": b}, [PUBLIC["new"]], {"verify": "ok", "response": {
              "status": 200, "body": '{"type":1}', "headers": {"Content-Type": "application/json"}}})
    b, h = sign(PUBLIC["wrong"], NOW, ping)
    write(A, "handshake-bad-signature", "Discord's endpoint check also sends PINGs with bad signatures: 401",
          {"headers": h, "body": b}, [PUBLIC["new"]], rejected("bad_signature"))
    write(A, "handshake-unsigned", "an unsigned PING is rejected, never answered",
          {"headers": {"Content-Type": "application/json"}, "body": ping}, [PUBLIC["new"]],
          rejected("missing_signature"))
    component = dict(COMMAND, type=3, id=snowflake(NOW * 1000, 7),
                     data={"component_type": 2, "custom_id": "approve:42"},
                     message={"id": "1310000000000000001", "content": "Deploy?"})
    b, h = sign(PUBLIC["new"], NOW, compact(component))
    write(A, "message-component", "a button click: stored as interaction.message_component, answered with a deferred update (6)",
          {"headers": h, "body": b}, [PUBLIC["new"]], {"verify": "ok", "events": [
              {"type": "interaction.message_component", "dedup_id": component["id"], "subject": GUILD_CHANNEL,
               "occurred_at": NOW * 1000, "data": component}], "response": deferred(6)})
    autocomplete = dict(COMMAND, type=4, id=snowflake(NOW * 1000, 8),
                        data={"id": "1310234567890123456", "name": "deploy", "type": 1,
                              "options": [{"name": "env", "type": 3, "value": "sta", "focused": True}]})
    b, h = sign(PUBLIC["new"], NOW, compact(autocomplete))
    write(A, "autocomplete", "an autocomplete request: stored, answered with no choices (8)",
          {"headers": h, "body": b}, [PUBLIC["new"]], {"verify": "ok", "events": [
              {"type": "interaction.application_command_autocomplete", "dedup_id": autocomplete["id"],
               "subject": GUILD_CHANNEL, "data": autocomplete}],
              "response": {"status": 200, "body": compact({"data": {"choices": []}, "type": 8}), "headers": JSON}})
    modal = dict(COMMAND, type=5, id=snowflake(NOW * 1000, 9),
                 data={"custom_id": "feedback", "components": [{"type": 1, "components": [
                     {"type": 4, "custom_id": "text", "value": "ship it"}]}]})
    b, h = sign(PUBLIC["new"], NOW, compact(modal))
    write(A, "modal-submit", "a modal submit: stored, answered with a deferred channel message (5)",
          {"headers": h, "body": b}, [PUBLIC["new"]], {"verify": "ok", "events": [
              {"type": "interaction.modal_submit", "dedup_id": modal["id"], "subject": GUILD_CHANNEL,
               "data": modal}], "response": deferred(5)})
    dm = {k: v for k, v in COMMAND.items() if k not in ("guild_id", "guild_locale", "member")}
    dm = dict(dm, context=1, user={"id": "80351110224678912", "username": "ada"})
    b, h = sign(PUBLIC["new"], NOW, compact(dm))
    write(A, "command-ephemeral-dm", "setting ephemeral: a command in a DM is deferred with flags 64, about its channel",
          {"headers": h, "body": b}, [PUBLIC["new"]], {"verify": "ok", "events": [
              {"type": "interaction.application_command", "subject": COMMAND["channel_id"], "data": dm}],
              "response": {"status": 200, "body": compact({"data": {"flags": 64}, "type": 5}), "headers": JSON}},
          settings={"ephemeral": True})
    webhook_ping = compact({"version": 1, "application_id": "1310231489632243722", "type": 0})
    b, h = sign(PUBLIC["new"], NOW, webhook_ping)
    write(A, "webhook-event-ping", "the webhook-events URL check (type 0) is answered 204 No Content",
          {"headers": h, "body": b}, [PUBLIC["new"]], {"verify": "ok", "response": {"status": 204, "body": ""}})
    authorized = {"version": 1, "application_id": "1310231489632243722", "type": 1, "event": {
        "type": "APPLICATION_AUTHORIZED", "timestamp": "2025-11-22T08:26:30.000000",
        "data": {"integration_type": 0, "scopes": ["applications.commands", "bot"],
                 "user": {"id": "80351110224678912", "username": "ada"},
                 "guild": {"id": "1098765432109876543", "name": "Hookyard"}}}}
    b, h = sign(PUBLIC["new"], NOW, compact(authorized))
    write(A, "webhook-event", "a webhook event is typed by event.type",
          {"headers": h, "body": b}, [PUBLIC["new"]], {"verify": "ok", "events": [
              {"type": "APPLICATION_AUTHORIZED", "subject": "1310231489632243722", "data": authorized}]})
    vendor_sdk()


def vendor_sdk():
    try:
        from importlib.metadata import version
        from discord_interactions import verify_key
    except ImportError:
        print("discord-interactions not installed: keeping the existing vendor-sdk.json fixture")
        return
    interaction = dict(COMMAND, data={"id": "1310234567890123456", "name": "status", "type": 1})
    body = compact(interaction)
    b, h = signer(None)(PUBLIC["new"], NOW, body)
    assert verify_key(b.encode(), h[SIG], h[TS], PUBLIC["new"])
    assert not verify_key(b.encode(), h[SIG], h[TS], PUBLIC["wrong"])
    write(A, "vendor-sdk", f"signed with the throwaway key; accepted by discord-interactions {version('discord-interactions')} "
          "(verify_key), which cannot sign", {"headers": h, "body": b}, [PUBLIC["new"]],
          {"verify": "ok", "events": [{"type": "interaction.application_command", "subject": GUILD_CHANNEL,
                                       "data": interaction}], "response": deferred(5)})


if __name__ == "__main__":
    main()
