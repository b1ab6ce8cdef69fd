"""The `counter` resource of tests/python/wit/app.wit's `api` interface (see app.py)."""

from wit_world.exports import api


class Counter(api.Counter):
    def __init__(self, start: int) -> None:
        self.current = start

    def increment(self, by: int) -> int:
        self.current += by
        return self.current

    def value(self) -> int:
        return self.current
