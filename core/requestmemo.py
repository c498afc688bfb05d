"""Values read once per request: a page asks several of its parts (the figures' date, the
freshness banner, the rebuild button, the cache key of its figures) for what the same few
rows say; within one request the answer is read from the database once.

Outside a request (a task, a shell, a test calling a service) nothing is kept: each call reads
afresh, as before."""

import contextvars
import functools

_memo = contextvars.ContextVar("request_memo", default=None)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def once_per_request(function):
    """Call `function` (no arguments) once per request and keep its result for the request."""

    @functools.wraps(function)
    def kept():
        memo = _memo.get()
        if memo is None:
            return function()
        if function not in memo:
            memo[function] = function()
        return memo[function]

    return kept


def request_memo():
    """This request's memo (a dict its parts may keep values in), or None outside a request."""
    return _memo.get()


def forget():
    """Drop what this request kept: for a request that writes what it read (a rollup run in
    the request itself)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()
