"""tests/bindings/wit/kitchen.wit's world `kitchen` in Python, for componentize-py (scripts/build-python-component.sh).

componentize-py looks for the world's root exports (`add`) in a class named after the world module's protocol
(`WitWorld`) and for the exported interface's functions in a class named after the interface (`Api`), both in
this module; the interface's resource (`counter`) is the class `Counter` of a module named after the interface:
api.py beside this file.
"""

import math
from typing import List, Optional, Tuple

import wit_world
from componentize_py_types import Err, Ok, Result, Some
from wit_world import exports
from wit_world.imports import host, types


class WitWorld(wit_world.WitWorld):
    def add(self, a: int, b: int) -> int:
        # s32 arithmetic: the sum wraps around as Java's int does (an out-of-range int would trap instead).
        return (a + b + 2**31) % 2**32 - 2**31


class Api(exports.Api):
    def greet(self, name: str) -> str:
        return f"Hello, {name}!"

    def stats(self, values: List[int]) -> types.Summary:
        if not values:
            return types.Summary(count=0, total=0, smallest=None, largest=None)
        return types.Summary(count=len(values), total=sum(values), smallest=min(values), largest=max(values))

    def echo(self, e: types.Everything) -> types.Everything:
        return e

    def area(self, s: types.Shape) -> float:
        if isinstance(s, types.Shape_Circle):
            return math.pi * s.value * s.value
        if isinstance(s, types.Shape_Rectangle):
            w, h = s.value
            return w * h
        if isinstance(s, types.Shape_Polygon):
            # The shoelace formula: half the absolute sum of the cross products of consecutive vertices.
            points = s.value
            twice = 0
            for i, p in enumerate(points):
                q = points[(i + 1) % len(points)]
                twice += p.x * q.y - q.x * p.y
            return abs(twice) / 2
        return 0.0

    def next_color(self, c: types.Color) -> types.Color:
        return {
            types.Color.RED: types.Color.GREEN,
            types.Color.GREEN: types.Color.BLUE,
            types.Color.BLUE: types.Color.DARK_MAGENTA,
            types.Color.DARK_MAGENTA: types.Color.RED,
        }[c]

    def toggle(self, a: types.Permissions, b: types.Permissions) -> types.Permissions:
        return a ^ b

    def divide(self, a: int, b: int) -> int:
        # A WIT result: the value is `ok`, raising Err(...) makes it `err`.
        if b == 0:
            raise Err(types.ErrorCode.DIVISION_BY_ZERO)
        quotient = a // b
        if quotient > 1000:
            raise Err(types.ErrorCode.TOO_BIG)
        return quotient

    def check_even(self, x: int) -> None:
        if x % 2 != 0:
            raise Err(f"{x} is odd")

    def succeed_if(self, succeed: bool) -> None:
        if not succeed:
            raise Err(None)

    def nested(self, v: Optional[Result[Optional[int], str]]) -> Optional[Some[Optional[int]]]:
        # option<option<u32>> is None or Some(inner): Some keeps ok(some(none)) apart from ok(none).
        if v is None:
            return None
        if isinstance(v, Ok):
            return Some(v.value)
        raise Err([v.value, v.value])

    def swap_all(self, points: List[types.Point]) -> List[Tuple[int, int]]:
        return [(p.y, p.x) for p in points]

    def store_and_load(self, bucket_name: str, key: str, value: str) -> Optional[str]:
        # `with` drops the bucket when done, so the host's destructor runs before this call returns.
        with host.Bucket(bucket_name) as bucket:
            bucket.put(key, value)
            host.log(f"put {key}")
            return bucket.get(key)

    def lookup_plus_one(self, word: str) -> int:
        # host.lookup raises Err(message) for an err, which passes through as this function's err.
        return host.lookup(word) + 1

    def bucket_label(self, b: host.Bucket) -> str:
        return b.name()

    def translate_twice(self, p: types.Point) -> types.Point:
        return host.translate(host.translate(p, 1, 2), 10, 20)
