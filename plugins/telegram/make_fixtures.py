#!/usr/bin/env python3
"""Writes the Telegram adapter's fixtures: python3 plugins/telegram/make_fixtures.py

Telegram signs nothing: the webhook's secret_token comes back verbatim in
X-Telegram-Bot-Api-Secret-Token. No official Telegram SDK computes or checks it
(the Bot API is plain HTTP), so there is no vendor-sdk case; the body is not
signed, so there is no tampered-body case either.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402

A = "telegram"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Shapes from the Bot API reference (Update, Message, CallbackQuery).
MESSAGE = {"update_id": 968124871, "message": {
    "message_id": 4211, "date": NOW - 2,
    "from": {"id": 110201543, "is_bot": False, "first_name": "Ada", "username": "ada_l", "language_code": "en"},
    "chat": {"id": 110201543, "first_name": "Ada", "username": "ada_l", "type": "private"},
    "text": "/start", "entities": [{"offset": 0, "length": 6, "type": "bot_command"}]}}
CALLBACK = {"update_id": 968124872, "callback_query": {
    "id": "473314271540375941", "chat_instance": "-5520114719301729016", "data": "order:42:confirm",
    "from": {"id": 110201543, "is_bot": False, "first_name": "Ada"},
    "message": {"message_id": 4212, "date": NOW - 30, "chat": {"id": -1001234567890, "title": "Orders",
                                                                 "type": "supergroup"}, "text": "Confirm order 42?"}}}


def request(body, token=SECRET):
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers[HEADER] = token
    return {"headers": headers, "body": compact(body)}


def main():
    events = [{"type": "message", "dedup_id": "968124871", "subject": "110201543",
               "occurred_at": (NOW - 2) * 1000, "data": MESSAGE}]
    write(A, "valid", "a message update with the right secret token", request(MESSAGE), [SECRET],
          {"verify": "ok", "events": events})
    write(A, "rotated-secret", "the token is the older of two active secrets", request(MESSAGE, OLD_SECRET),
          [SECRET, OLD_SECRET], {"verify": "ok", "events": events})
    write(A, "wrong-secret", "another secret token: unauthorized", request(MESSAGE, WRONG), [SECRET],
          rejected("unauthorized"))
    write(A, "token-prefix", "a prefix of the secret token is not the token", request(MESSAGE, SECRET[:-1]),
          [SECRET], rejected("unauthorized"))
    write(A, "missing-header", f"no {HEADER} header", request(MESSAGE, None), [SECRET],
          rejected("missing_signature"))
    write(A, "no-secret", "a source without a secret rejects everything (fail closed)", request(MESSAGE), [],
          rejected("unauthorized"))
    write(A, "callback-query", "a callback query: typed by its field, subject the chat of its message",
          request(CALLBACK), [SECRET], {"verify": "ok", "events": [
              {"type": "callback_query", "dedup_id": "968124872", "subject": "-1001234567890", "data": CALLBACK}]})
    inline = {"update_id": 968124873, "inline_query": {"id": "473314271540375942", "query": "pizza",
                                                       "offset": "", "from": {"id": 110201543, "is_bot": False,
                                                                              "first_name": "Ada"}}}
    write(A, "inline-query", "an inline query has no chat: the subject is the sender",
          request(inline), [SECRET], {"verify": "ok", "events": [
              {"type": "inline_query", "dedup_id": "968124873", "subject": "110201543", "data": inline}]})
    write(A, "empty-update", "an update with nothing but its id", request({"update_id": 968124874}), [SECRET],
          {"verify": "ok", "handle_error": "malformed"})


if __name__ == "__main__":
    main()
