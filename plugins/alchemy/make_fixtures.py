#!/usr/bin/env python3
"""Writes the Alchemy adapter's conformance fixtures (run from anywhere).

X-Alchemy-Signature = hex HMAC-SHA256(signing key as UTF-8, raw body). Alchemy
publishes no test vector and no SDK that signs or verifies webhooks (alchemy-sdk
only manages them), so there is no vendor-sdk case.
"""
import hashlib
import hmac
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "alchemy"
KEY, OLD_KEY = "whsec_fixtureSigningKeyNew0001", "whsec_fixtureSigningKeyOld0001"

ACTIVITY = {
    "webhookId": "wh_octjglnywaupz6th",
    "id": "whevt_ogrc5v64myey69ux",
    "createdAt": "2025-11-22T08:26:38.945953790Z",
    "type": "ADDRESS_ACTIVITY",
    "event": {
        "network": "ETH_MAINNET",
        "activity": [{
            "blockNum": "0xdf34a3",
            "hash": "0x7a4a39da2a3fa1fc2ef88fd1eaea070286ed2aba21e0419dcfb6d5c5d9f02a72",
            "fromAddress": "0x503828976d22510aad0201ac7ec88293211d23da",
            "toAddress": "0xbe3f4b43db5eb49d1f48f53443b9abce45da3b79",
            "value": 293.092129,
            "erc721TokenId": None,
            "erc1155Metadata": None,
            "asset": "USDC",
            "category": "token",
            "rawContract": {"rawValue": "0x0000000000000000000000000000000000000000000000000000000011783b21",
                            "address": "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "decimals": 6},
            "typeTraceAddress": None,
            "log": {"address": "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "logIndex": "0x6e",
                    "removed": False},
        }],
    },
}


def main():
    body = compact(ACTIVITY)

    def sign(secret, _now, body=body):
        sig = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
        return body, {"Content-Type": "application/json; charset=utf-8", "X-Alchemy-Signature": sig}

    events = [{"type": "ADDRESS_ACTIVITY", "dedup_id": "whevt_ogrc5v64myey69ux", "subject": "wh_octjglnywaupz6th",
               "occurred_at": 1_763_799_998_945, "data": ACTIVITY}]
    standard_cases(A, sign, None, events, "X-Alchemy-Signature", False, secret=KEY, old=OLD_KEY)
    graphql = {"webhookId": "wh_a55wfsvq5h8n8u3z", "id": "whevt_rsdblc6zxi8a6ntl",
               "createdAt": "2025-11-22T08:26:39.000Z", "type": "GRAPHQL",
               "event": {"data": {"block": {"number": 19070000, "logs": []}},
                         "sequenceNumber": "10000000000578619000", "network": "ETH_MAINNET"}}
    b, h = sign(KEY, NOW, compact(graphql))
    write(A, "custom-graphql", "a Custom (GraphQL) webhook delivery",
          {"headers": h, "body": b}, [KEY],
          {"verify": "ok", "events": [{"type": "GRAPHQL", "dedup_id": "whevt_rsdblc6zxi8a6ntl",
                                       "subject": "wh_a55wfsvq5h8n8u3z", "occurred_at": 1_763_799_999_000,
                                       "data": graphql}]})
    write(A, "malformed-signature", "X-Alchemy-Signature that is not hex",
          {"headers": {**h, "X-Alchemy-Signature": "sha256=" + h["X-Alchemy-Signature"]}, "body": b}, [KEY],
          rejected("malformed"))
    b, h = sign(KEY, NOW, compact({"webhookId": "wh_1", "id": "whevt_1"}))
    write(A, "no-type", "a verified body without a type cannot be mapped",
          {"headers": h, "body": b}, [KEY], {"verify": "ok", "handle_error": "malformed"})


if __name__ == "__main__":
    main()
    print("alchemy fixtures written")
