"""tests/python/wit/app.wit's `api` interface in Python, for componentize-py (scripts/build-python-component.sh).

componentize-py looks for the exported interface's functions in a class named after the interface (`Api`) in
this module, and for the interface's resource (`counter`) in a class named after it in a module named after the
interface: api.py beside this file.
"""

import math
from typing import List, Optional

from componentize_py_types import Err
from wit_world import exports
from wit_world.exports import api


class Api(exports.Api):
    def greet(self, name: str) -> str:
        return f"Hello, {name}!"

    def make_person(self, name: str, age: int, tags: List[str]) -> api.Person:
        return api.Person(name=name, age=age, tags=list(tags))

    def describe(self, p: api.Person) -> str:
        return f"{p.name} ({p.age}): {', '.join(p.tags)}"

    def find(self, items: List[str], needle: str) -> Optional[int]:
        for i, item in enumerate(items):
            if item == needle:
                return i
        return None

    def parse_number(self, s: str) -> int:
        # A WIT result: the value is `ok`, raising Err(...) makes it `err`.
        if not s.isdecimal() or not s.isascii():
            raise Err(f"not a number: {s!r}")
        n = int(s)
        if n >= 2**32:
            raise Err(f"too large: {s}")
        return n

    def next_color(self, c: api.Color) -> api.Color:
        return {
            api.Color.RED: api.Color.GREEN,
            api.Color.GREEN: api.Color.BLUE,
            api.Color.BLUE: api.Color.RED,
        }[c]

    def area(self, s: api.Shape) -> float:
        if isinstance(s, api.Shape_Circle):
            return math.pi * s.value * s.value
        if isinstance(s, api.Shape_Rectangle):
            w, h = s.value
            return w * h
        return 0.0
