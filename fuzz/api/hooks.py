"""Schemathesis hooks for the API fuzz (loaded through SCHEMATHESIS_HOOKS by fuzz/api/run.py).

The Engine API takes tar archives (`application/x-tar`: image load, plugin create, archive upload,
build contexts) which schemathesis cannot serialise by itself: generated values are sent as bytes, so
berthd's tar readers see arbitrary input."""

import json

import schemathesis


@schemathesis.serializer("application/x-tar", "application/octet-stream")
def to_bytes(ctx, value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value).encode()
