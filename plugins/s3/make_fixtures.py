#!/usr/bin/env python3
"""Writes the S3 bucket-notification adapter's fixtures (format: sdk/fixture/src/lib.rs).

Records follow MinIO's webhook payload (internal/event/target/webhook.go,
`{"EventName","Key","Records"}`) and AWS's event message structure
(docs.aws.amazon.com, notification-content-structure). Nothing is signed, so
there is no tampered-body case; there is no published vector and no vendor SDK
that produces notifications (minio/boto3 only configure them), so no
vendor-sdk case. An expected subject of "(none)" means the event has none.
"""
import copy
import pathlib
import sys
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402

A = "s3"
(pathlib.Path(__file__).resolve().parent / "fixtures").mkdir(exist_ok=True)
KEY = "pipelines/genome-x/raw/sample 1.fastq"
ENCODED = urllib.parse.quote_plus(KEY)  # pipelines%2Fgenome-x%2Fraw%2Fsample+1.fastq


def minio_record(key=ENCODED, name="s3:ObjectCreated:Put", sequencer="187A1B2C3D4E5F60", time="2025-11-22T08:26:30.127Z"):
    return {"eventVersion": "2.0", "eventSource": "minio:s3", "awsRegion": "", "eventTime": time, "eventName": name,
            "userIdentity": {"principalId": "minioadmin"},
            "requestParameters": {"principalId": "minioadmin", "region": "", "sourceIPAddress": "10.0.0.7"},
            "responseElements": {"x-amz-id-2": "dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8",
                                 "x-amz-request-id": "187A1B2C3C8E8B7A", "x-minio-deployment-id": "2f5c8a1e-0b1d-4e57-9b0e-5d1c1a9f0c33",
                                 "x-minio-origin-endpoint": "http://10.0.0.5:9000"},
            "s3": {"s3SchemaVersion": "1.0", "configurationId": "Config",
                   "bucket": {"name": "lab-data", "ownerIdentity": {"principalId": "minioadmin"}, "arn": "arn:aws:s3:::lab-data"},
                   "object": {"key": key, "size": 48213, "eTag": "9b2cf535f27731c974343645a3985328",
                              "contentType": "application/octet-stream",
                              "userMetadata": {"content-type": "application/octet-stream"}, "sequencer": sequencer}},
            "source": {"host": "10.0.0.7", "port": "", "userAgent": "MinIO (linux; amd64) minio-go/v7.0.70"}}


def minio_body(*records):
    first = records[0]
    return compact({"EventName": first["eventName"],
                    "Key": first["s3"]["bucket"]["name"] + "/" + urllib.parse.unquote_plus(first["s3"]["object"]["key"]),
                    "Records": list(records)})


def aws_record(key, name, sequencer, version):
    return {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-central-1",
            "eventTime": "2025-11-22T08:26:31.000Z", "eventName": name,
            "userIdentity": {"principalId": "AWS:AIDAJDPLRKLG7UEXAMPLE"}, "requestParameters": {"sourceIPAddress": "203.0.113.9"},
            "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810",
                                 "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
            "s3": {"s3SchemaVersion": "1.0", "configurationId": "hookyard",
                   "bucket": {"name": "lab-data", "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                              "arn": "arn:aws:s3:::lab-data"},
                   "object": {"key": key, "size": 1024, "eTag": "d41d8cd98f00b204e9800998ecf8427e",
                              "versionId": version, "sequencer": sequencer}}}


BEARER = {"Authorization": "Bearer " + SECRET, "Content-Type": "application/json"}
RECORD = minio_record()
BODY = minio_body(RECORD)
EVENT = {"type": "s3:ObjectCreated:Put", "dedup_id": "s3:ObjectCreated:Put:lab-data/" + KEY + "@187A1B2C3D4E5F60",
         "subject": "lab-data/" + KEY, "occurred_at": 1763800000000 - 9873, "data": RECORD}
SLUG = {"subject_pattern": "pipelines/(?P<slug>[^/]+)/raw/"}

write(A, "valid", "MinIO: auth_token as Authorization: Bearer; the key is URL-decoded; subject bucket/key",
      {"headers": BEARER, "body": BODY}, [SECRET], {"verify": "ok", "events": [EVENT]})
write(A, "query-secret", "RustFS style: ?secret= in the URL, no Authorization header",
      {"url": "https://hookyard.test/webhooks/wh_fixture?secret=" + SECRET, "body": BODY}, [SECRET],
      {"verify": "ok", "events": [EVENT]})
write(A, "query-secret-with-other-header", "a matching ?secret= passes even next to an unrelated Authorization value",
      {"url": "https://hookyard.test/webhooks/wh_fixture?secret=" + SECRET, "headers": {"Authorization": "Basic Zm9vOmJhcg=="},
       "body": BODY}, [SECRET], {"verify": "ok", "events": [EVENT]})
write(A, "rotated-secret", "the older of two active secrets",
      {"headers": {"Authorization": "Bearer " + OLD_SECRET}, "body": BODY}, [SECRET, OLD_SECRET],
      {"verify": "ok", "events": [EVENT]})
write(A, "token-with-own-scheme", "MinIO sends an auth_token that has a scheme as it is: compared whole",
      {"headers": {"Authorization": "Token " + SECRET}, "body": BODY}, ["Token " + SECRET], {"verify": "ok", "events": [EVENT]})
write(A, "wrong-secret", "a Bearer token that matches no active secret",
      {"headers": {"Authorization": "Bearer " + WRONG}, "body": BODY}, [SECRET], rejected("unauthorized"))
write(A, "wrong-query-secret", "a ?secret= that matches no active secret",
      {"url": "https://hookyard.test/webhooks/wh_fixture?secret=" + WRONG, "body": BODY}, [SECRET], rejected("unauthorized"))
write(A, "missing-header", "neither Authorization nor ?secret=",
      {"headers": {"Content-Type": "application/json"}, "body": BODY}, [SECRET], rejected("missing_signature"))
write(A, "no-secret", "a source without a secret rejects everything (fail closed)",
      {"headers": BEARER, "body": BODY}, [], rejected("unauthorized"))
r1 = aws_record("pipelines/genome-x/raw/a.fastq", "ObjectCreated:Put", "0055AED6DCD90281E5", "096fKKXTRTtl3on89fVO.nfljtsv6qko")
r2 = aws_record("pipelines/genome-y/raw/b+c.fastq", "ObjectCreated:CompleteMultipartUpload", "0055AED6DCD90281E6", "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")
r3 = aws_record("reports/summary.csv", "ObjectRemoved:DeleteMarkerCreated", "0055AED6DCD90281E7", "null")
write(A, "multi-record", "AWS-style names in one request: three events, s3: prefix added, per-record dedup ids, "
      "subject from subject_pattern; the third key does not match (no subject)",
      {"headers": BEARER, "body": compact({"Records": [r1, r2, r3]})}, [SECRET],
      {"verify": "ok", "events": [
          {"type": "s3:ObjectCreated:Put", "dedup_id": "s3:ObjectCreated:Put:lab-data/pipelines/genome-x/raw/a.fastq@0055AED6DCD90281E5",
           "subject": "genome-x", "data": r1},
          {"type": "s3:ObjectCreated:CompleteMultipartUpload",
           "dedup_id": "s3:ObjectCreated:CompleteMultipartUpload:lab-data/pipelines/genome-y/raw/b c.fastq@0055AED6DCD90281E6",
           "subject": "genome-y", "data": r2},
          {"type": "s3:ObjectRemoved:DeleteMarkerCreated", "subject": "(none)", "data": r3}]}, SLUG)
write(A, "subject-extraction", "subject_pattern on the decoded key: the first named group is the subject",
      {"headers": BEARER, "body": BODY}, [SECRET], {"verify": "ok", "events": [dict(EVENT, subject="genome-x")]}, SLUG)
write(A, "subject-group", "subject_group picks which named group",
      {"headers": BEARER, "body": BODY}, [SECRET], {"verify": "ok", "events": [dict(EVENT, subject="sample 1")]},
      {"subject_pattern": r"pipelines/(?P<slug>[^/]+)/raw/(?P<sample>[^.]+)\.", "subject_group": "sample"})
write(A, "subject-no-match", "a key the pattern does not match has no subject",
      {"headers": BEARER, "body": BODY}, [SECRET], {"verify": "ok", "events": [dict(EVENT, subject="(none)")]},
      {"subject_pattern": "archive/(?P<year>[0-9]{4})/"})
write(A, "invalid-regex", "an invalid subject_pattern is a settings error, not a panic",
      {"headers": BEARER, "body": BODY}, [SECRET], rejected("malformed"), {"subject_pattern": "pipelines/(?P<slug>[^/]+"})
write(A, "regex-without-named-group", "subject_pattern needs a named group",
      {"headers": BEARER, "body": BODY}, [SECRET], rejected("malformed"), {"subject_pattern": "pipelines/([^/]+)/raw/"})
write(A, "unknown-subject-group", "subject_group must name a group of the pattern",
      {"headers": BEARER, "body": BODY}, [SECRET], rejected("malformed"), {**SLUG, "subject_group": "project"})
no_seq = copy.deepcopy(RECORD)
del no_seq["s3"]["object"]["sequencer"]
write(A, "no-sequencer", "without a sequencer the dedup id uses eventTime and eTag",
      {"headers": BEARER, "body": minio_body(no_seq)}, [SECRET],
      {"verify": "ok", "events": [{"type": "s3:ObjectCreated:Put",
                                   "dedup_id": "s3:ObjectCreated:Put:lab-data/" + KEY + "@2025-11-22T08:26:30.127Z/9b2cf535f27731c974343645a3985328",
                                   "data": no_seq}]})
test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2025-11-22T08:26:00.000Z", "Bucket": "lab-data",
              "RequestId": "5582815E1AEA5ADF", "HostId": "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}
write(A, "test-event", "AWS's s3:TestEvent (no Records) becomes one event",
      {"headers": BEARER, "body": compact(test_event)}, [SECRET],
      {"verify": "ok", "events": [{"type": "s3:TestEvent", "subject": "lab-data", "data": test_event}]})
write(A, "no-records", "a JSON body without Records", {"headers": BEARER, "body": compact({"EventName": "x"})}, [SECRET],
      {"verify": "ok", "handle_error": "malformed"})
print("s3 fixtures written")
