"""Schemathesis hooks of Parlo's API fuzzing suite (loaded by `schemathesis.toml`).

The run authenticates with one management key (`PARLO_API_KEY`). `DELETE
/api/v1/api-keys/{api_key_id}` revokes keys by id and `POST …/{api_key_id}/regenerate`
replaces their secrets, and the generated ids soon hit that key's own id (a fresh database
numbers keys from 1): every later request would then answer 401 and the run would test
nothing. So a call that would revoke or regenerate the run's own key goes to an id that
does not exist instead (answered 404, which the checks accept). Revoking and regenerating
every other key, including the ones the run creates, is tested as usual.

A rule of query strings that JSON Schema cannot state, so the run keeps to it instead of
counting its 400 answers as schema-valid input refused: a date range's lower bound is not
after its upper one (`from`/`to`, `created_from`/`created_to`, …: a reversed pair is
swapped).

Likewise the visitor operations authenticate with sessions of the seeded `demo` channel
(`schemathesis.toml`), and half of the generated channel ids are `demo`: a management call
that would replace, delete, archive or re-key that channel goes to a channel that does not
exist instead, so every later visitor operation still gets a session.
"""

import os
from datetime import datetime

import requests
import schemathesis

#: The operations that end the key they name: revoke and regenerate.
KEY_ENDING = {
    ("DELETE", "/api/v1/api-keys/{api_key_id}"),
    ("POST", "/api/v1/api-keys/{api_key_id}/regenerate"),
}
#: The seeded channel the visitor operations' sessions come from.
DEMO_CHANNEL = "demo"
#: A channel id no channel has.
UNUSED_CHANNEL = "no-such-channel"
#: An id no key has (ids are SQLite rowids, counted from 1).
UNUSED_ID = 2**62

_own_key_id = None


def own_key_id(base_url):
    """The id of the run's key: the listed key whose `prefix` starts `PARLO_API_KEY`."""
    global _own_key_id
    if _own_key_id is None:
        key = os.environ["PARLO_API_KEY"]
        response = requests.get(
            f"{base_url}/api/v1/api-keys",
            params={"limit": 100},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        )
        response.raise_for_status()
        matches = [k["id"] for k in response.json()["items"] if key.startswith(k["prefix"])]
        if len(matches) != 1:
            raise RuntimeError(f"expected one listed key with the prefix of PARLO_API_KEY, got {matches}")
        _own_key_id = matches[0]
    return _own_key_id


def as_id(value):
    """`value` read as the server reads an id (an integer, maybe signed or zero-padded)."""
    try:
        return int(str(value))
    except ValueError:
        return None


def changes_demo_channel(case):
    """Whether `case` is a management call that changes or removes the demo channel."""
    return (
        case.operation.path.startswith("/api/v1/channels/{channel_id}")
        and case.operation.method.upper() != "GET"
        and case.path_parameters.get("channel_id") == DEMO_CHANNEL
    )


#: Query parameters bounding one date range: (lower, upper).
DATE_RANGES = [("from", "to"), ("created_from", "created_to"), ("last_seen_from", "last_seen_to")]


def as_datetime(value):
    """`value` as an aware date-time if it is an RFC 3339 one, else `None`."""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def keep_date_ranges(case):
    """Puts a reversed date range in order."""
    query = case.query
    if not query:
        return
    for lower, upper in DATE_RANGES:
        low, high = as_datetime(query.get(lower)), as_datetime(query.get(upper))
        if low and high and low > high:
            query[lower], query[upper] = query[upper], query[lower]


@schemathesis.hook
def before_call(context, case, kwargs):
    """Keeps date ranges in order; sends a revocation or regeneration
    of the run's own key to an unused id, and a change of the demo channel to an unused
    channel, instead."""
    keep_date_ranges(case)
    if changes_demo_channel(case):
        case.path_parameters["channel_id"] = UNUSED_CHANNEL
        return
    if (case.operation.method.upper(), case.operation.path) not in KEY_ENDING:
        return
    base_url = case.operation.schema.get_base_url().rstrip("/")
    if as_id(case.path_parameters.get("api_key_id")) == own_key_id(base_url):
        case.path_parameters["api_key_id"] = UNUSED_ID
