#!/usr/bin/env python3
"""Writes the Aruna adapter's fixtures (format: sdk/fixture/src/lib.rs).

Payload shapes follow aruna-server (components/server/src/hooks/hook_handler.rs
and database/dsls/hook_dsl.rs `BasicTemplate`): the Basic template is sent as a
JSON string holding the JSON object, with `object` the serde form of the
resource enum (`{"Object": {...}}`). Aruna signs nothing, publishes no vector
and has no SDK that sends hooks, so there is no tampered-body, published-vector
or vendor-sdk case.
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402

A = "aruna"
(pathlib.Path(__file__).resolve().parent / "fixtures").mkdir(exist_ok=True)
HOOK = "01HKQ3Z7WJ8N4V2B6C9D0E1F2G"
OBJECT_ID = "01HKQ40M5Y3X7T8R9S0P1Q2W3E"
OBJECT = {"Object": {"id": OBJECT_ID, "content_len": 48213, "name": "sample-1.fastq", "description": "",
                     "key_values": [{"key": "hook.pipeline", "value": "genome-x", "variant": 1}], "relations": [],
                     "data_class": 1, "created_at": "2025-11-22T08:20:00Z", "created_by": "01HKQ2AAAAAAAAAAAAAAAAAAAA",
                     "status": 3, "dynamic": False, "hashes": [], "metadata_license_tag": "CC-BY-4.0",
                     "data_license_tag": "CC-BY-4.0", "endpoints": []}}
DOWNLOAD = ("https://proxy.aruna.example/project/collection/sample-1.fastq?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=0f2e")
BASIC = {"hook_id": HOOK, "object": OBJECT, "secret": "kE7mYJ6bXnS0Yp9v3Q2uS1+Oa8l5w4Tz0c3d2e1f0Ag=",
         "download": DOWNLOAD, "pubkey_serial": 1, "access_key": "AKIAHOOKAPPENDONLY", "secret_key": "hook-s3-secret-key"}
STORED = {k: v for k, v in BASIC.items() if k not in ("secret", "access_key", "secret_key")}


def custom(secret, **extra):
    return {"hook_id": HOOK, "trigger_type": "TRIGGER_TYPE_OBJECT_FINISHED", "object": {"id": OBJECT_ID},
            "secret": secret, "download": DOWNLOAD, "pubkey_serial": 1, "token": "a-proxy-token", **extra}


JSON = {"Content-Type": "application/json"}
CUSTOM_EVENT = {"type": "TRIGGER_TYPE_OBJECT_FINISHED", "dedup_id": f"{HOOK}:{OBJECT_ID}", "subject": OBJECT_ID,
                "data": {"hook_id": HOOK, "trigger_type": "TRIGGER_TYPE_OBJECT_FINISHED", "object": {"id": OBJECT_ID},
                         "download": DOWNLOAD, "pubkey_serial": 1}}

write(A, "valid", "a custom template carrying a fixed secret and the trigger type; secret and token are not stored",
      {"headers": JSON, "body": compact(custom(SECRET))}, [SECRET], {"verify": "ok", "events": [CUSTOM_EVENT]})
write(A, "rotated-secret", "the older of two active secrets", {"headers": JSON, "body": compact(custom(OLD_SECRET))},
      [SECRET, OLD_SECRET], {"verify": "ok", "events": [CUSTOM_EVENT]})
write(A, "wrong-secret", "a body secret that matches no active secret", {"headers": JSON, "body": compact(custom(WRONG))},
      [SECRET], rejected("unauthorized"))
no_secret_field = {k: v for k, v in custom(SECRET).items() if k != "secret"}
write(A, "missing-header", "no secret field in the body", {"headers": JSON, "body": compact(no_secret_field)}, [SECRET],
      rejected("missing_signature"))
write(A, "no-secret", "a source without a secret rejects everything (fail closed)",
      {"headers": JSON, "body": compact(custom(SECRET))}, [], rejected("unauthorized"))
write(A, "secret-not-text", "a secret field that is not text", {"headers": JSON, "body": compact(custom(42))}, [SECRET],
      rejected("malformed"))
basic_body = json.dumps(compact(BASIC))  # reqwest .json(&String): a JSON string holding the JSON
basic_event = {"type": "aruna.hook", "dedup_id": f"{HOOK}:{OBJECT_ID}", "subject": OBJECT_ID, "data": STORED}
write(A, "basic-template-bearer", "aruna-server's Basic template (JSON in a JSON string, per-request HMAC secret) "
      "with mode bearer: the hook credentials' token verifies; no trigger type → aruna.hook; credentials stripped",
      {"headers": {**JSON, "Authorization": "Bearer " + SECRET}, "body": basic_body}, [SECRET],
      {"verify": "ok", "events": [basic_event]}, {"mode": "bearer"})
write(A, "basic-template-secret-mode", "the Basic template's per-request secret cannot match a fixed secret (mode secret)",
      {"headers": {**JSON, "Authorization": "Bearer " + SECRET}, "body": basic_body}, [SECRET], rejected("unauthorized"))
write(A, "bearer-wrong", "mode bearer: a wrong token", {"headers": {"Authorization": "Bearer " + WRONG}, "body": basic_body},
      [SECRET], rejected("unauthorized"), {"mode": "bearer"})
write(A, "bearer-missing", "mode bearer: no Authorization header (the hook has no credentials)",
      {"headers": JSON, "body": basic_body}, [SECRET], rejected("missing_signature"), {"mode": "bearer"})
no_object = {"hook_id": HOOK, "trigger": {"type": "TRIGGER_TYPE_HOOK_STATUS_CHANGED"}, "secret": SECRET}
write(A, "no-resource", "a payload without a resource: dedup id hook_id, no subject; trigger.type is the type",
      {"headers": JSON, "body": compact(no_object)}, [SECRET],
      {"verify": "ok", "events": [{"type": "TRIGGER_TYPE_HOOK_STATUS_CHANGED", "dedup_id": HOOK, "subject": "(none)",
                                   "data": {"hook_id": HOOK, "trigger": {"type": "TRIGGER_TYPE_HOOK_STATUS_CHANGED"}}}]})
write(A, "not-json", "a custom template that is not JSON cannot be checked",
      {"headers": {"Content-Type": "text/plain"}, "body": "hook 01HKQ finished"}, [SECRET], rejected("malformed"))
documented = {"hook_id": HOOK, "object": {"resource_id": OBJECT_ID, "persistent_resource_id": False,
                                         "checksum": "9b2cf535f27731c974343645a3985328", "resource_variant": 4},
              "secret": SECRET, "download": DOWNLOAD, "pubkey_serial": 1, "access_key": "AKIAHOOKAPPENDONLY",
              "secret_key": "hook-s3-secret-key"}
write(A, "documented-template", "the default template as Aruna's docs show it (object.resource_id), as plain JSON",
      {"headers": JSON, "body": compact(documented)}, [SECRET],
      {"verify": "ok", "events": [{"type": "aruna.hook", "dedup_id": f"{HOOK}:{OBJECT_ID}", "subject": OBJECT_ID,
                                   "data": {k: v for k, v in documented.items() if k not in ("secret", "access_key", "secret_key")}}]})
print("aruna fixtures written")
