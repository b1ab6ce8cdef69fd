"""The `counter` resource of tests/bindings/wit/kitchen.wit's `api` interface (see guest.py)."""

from typing import Self

from wit_world.exports import api


class Counter(api.Counter):
    def __init__(self, start: int) -> None:
        self.current = start

    def increment(self, by: int) -> int:
        self.current += by
        return self.current

    def value(self) -> int:
        return self.current

    @classmethod
    def merge(cls, a: Self, b: Self) -> Self:
        return cls(a.current + b.current)
