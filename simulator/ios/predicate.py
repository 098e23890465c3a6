"""`-ios predicate string`: the part of NSPredicate's format language a locator uses, evaluated as WDA does.

WDA hands the string to `[NSPredicate predicateWithFormat:]` (FBFindElementCommands.m), which throws "Unable to
parse the format string" for what it cannot read; every key path is then renamed to WDA's attribute of that name
(NSExpression+FBFormat.m through FBElementUtils wdAttributeNamesMapping), an unknown one refused as "The attribute
'...' is unknown". What is read here (the grammar below, with lark):

- comparisons `==` `=` `!=` `<>` `<` `<=` `=<` `>` `>=` `=>` and `CONTAINS` `BEGINSWITH` `ENDSWITH` `LIKE`
  `MATCHES` `IN`, each with an optional `[c]` (case), `[d]` (diacritics) or `[cd]` modifier;
- `AND` / `&&`, `OR` / `||`, `NOT` / `!`, parentheses, `TRUEPREDICATE` / `FALSEPREDICATE`;
- key paths (`label`, `wdName`, `rect.x`), strings in single or double quotes, numbers, `YES` `NO` `TRUE`
  `FALSE`, `nil` / `NULL`, and `{...}` lists (for IN). Keywords are case-insensitive, as NSPredicate's are.

Not read (a parse error here, though NSPredicate has them): ANY / ALL / SOME / NONE, BETWEEN, SUBQUERY, `$`
variables, `%@` format arguments and arithmetic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError

from tiktok_promo.simulator.errors import UnknownError
from tiktok_promo.simulator.ios.tree import WD_ATTRIBUTE_NAMES

_GRAMMAR = r"""
?start: expr
?expr: or_
?or_: and_ | or_ OR and_ -> either
?and_: not_ | and_ AND not_ -> both
?not_: atom | NOT not_ -> negation
?atom: "(" expr ")"
     | comparison
     | TRUEPREDICATE -> always
     | FALSEPREDICATE -> never
comparison: value OPERATOR MODIFIER? value
?value: keypath | string | number | boolean | nil | list
keypath: NAME ("." NAME)*
string: STRING
number: NUMBER
boolean: BOOLEAN
nil: NIL
list: "{" [value ("," value)*] "}"

OR.3: /(?i:or)\b/ | "||"
AND.3: /(?i:and)\b/ | "&&"
NOT.3: /(?i:not)\b/ | "!"
TRUEPREDICATE.3: /(?i:truepredicate)\b/
FALSEPREDICATE.3: /(?i:falsepredicate)\b/
BOOLEAN.3: /(?i:yes|no|true|false)\b/
NIL.3: /(?i:nil|null)\b/
OPERATOR.3: "==" | "!=" | "<>" | "<=" | "=<" | ">=" | "=>" | "=" | "<" | ">"
          | /(?i:contains|beginswith|endswith|like|matches|in)\b/
MODIFIER: /\[[cdn]{1,3}\]/
NAME: /[A-Za-z_][A-Za-z0-9_]*/
STRING: /"(\\.|[^"\\])*"/ | /'(\\.|[^'\\])*'/
NUMBER: /-?\d+(\.\d+)?/
%ignore /\s+/
"""

_PARSER = Lark(_GRAMMAR, parser="lalr", maybe_placeholders=False)
Test = Callable[[Any], bool]


class Keypath(tuple):
    """A key path: an attribute name and what follows its dots."""


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text[1:-1])


@v_args(inline=True)
class _Build(Transformer):
    """The parse tree as a test of one element (anything with `wd_attribute`)."""

    def either(self, left: Test, _: Token, right: Test) -> Test:
        return lambda e: left(e) or right(e)

    def both(self, left: Test, _: Token, right: Test) -> Test:
        return lambda e: left(e) and right(e)

    def negation(self, _: Token, inner: Test) -> Test:
        return lambda e: not inner(e)

    def always(self, _: Token) -> Test:
        return lambda e: True

    def never(self, _: Token) -> Test:
        return lambda e: False

    def keypath(self, *names: Token) -> Keypath:
        first = str(names[0])
        if first not in WD_ATTRIBUTE_NAMES:
            raise UnknownError(f"The attribute '{first}' is unknown. Valid attribute names are: "
                               f"({', '.join(WD_ATTRIBUTE_NAMES)})")
        return Keypath(str(n) for n in names)

    def string(self, token: Token) -> str:
        return _unescape(str(token))

    def number(self, token: Token) -> float:
        return float(token)

    def boolean(self, token: Token) -> bool:
        return str(token).lower() in ("yes", "true")

    def nil(self, _: Token) -> None:
        return None

    def list(self, *values: Any) -> list:
        return [*values]

    def comparison(self, left: Any, operator: Token, *rest: Any) -> Test:
        modifier = str(rest[0]) if len(rest) == 2 else ""
        right = rest[-1]
        compare = _comparison(str(operator).lower(), "c" in modifier, "d" in modifier)
        return lambda e: compare(_resolve(left, e), _resolve(right, e))


def _resolve(value: Any, element: Any) -> Any:
    if not isinstance(value, Keypath):
        return value
    found = element.wd_attribute(value[0])
    for part in value[1:]:
        found = found.get(part) if isinstance(found, dict) else None
    return found


def _fold(text: str, case: bool, diacritics: bool) -> str:
    if diacritics:
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return text.casefold() if case else text


def _comparison(operator: str, case: bool, diacritics: bool) -> Callable[[Any, Any], bool]:
    def norm(value: Any) -> Any:
        if isinstance(value, str):
            return _fold(value, case, diacritics)
        if isinstance(value, list):
            return [norm(v) for v in value]
        if isinstance(value, bool):
            return int(value)  # NSNumber: YES == 1
        return value

    def strings(test: Callable[[str, str], bool]) -> Callable[[Any, Any], bool]:
        return lambda a, b: isinstance(a, str) and isinstance(b, str) and test(norm(a), norm(b))

    def ordered(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
        def run(a: Any, b: Any) -> bool:
            a, b = norm(a), norm(b)
            if isinstance(a, str) != isinstance(b, str) or a is None or b is None:
                return False
            return bool(test(a, b))
        return run

    def member(a: Any, b: Any) -> bool:
        a, b = norm(a), norm(b)
        if isinstance(b, list):
            return a in b
        return isinstance(a, str) and isinstance(b, str) and a in b

    def contains(a: Any, b: Any) -> bool:
        a, b = norm(a), norm(b)
        if isinstance(a, list):
            return b in a
        return isinstance(a, str) and isinstance(b, str) and b in a

    def matches(a: Any, b: Any) -> bool:
        if not isinstance(a, str) or not isinstance(b, str):
            return False
        flags = re.IGNORECASE if case else 0
        try:
            return re.fullmatch(b, _fold(a, False, diacritics), flags) is not None
        except re.error:
            raise UnknownError(f"Can't do regex matching, reason: Can't open pattern U_REGEX_RULE_SYNTAX "
                               f"(string {a}, pattern {b}, case 0, canon 0)") from None

    table: dict[str, Callable[[Any, Any], bool]] = {
        "==": lambda a, b: norm(a) == norm(b), "=": lambda a, b: norm(a) == norm(b),
        "!=": lambda a, b: norm(a) != norm(b), "<>": lambda a, b: norm(a) != norm(b),
        "<": ordered(lambda a, b: a < b), ">": ordered(lambda a, b: a > b),
        "<=": ordered(lambda a, b: a <= b), "=<": ordered(lambda a, b: a <= b),
        ">=": ordered(lambda a, b: a >= b), "=>": ordered(lambda a, b: a >= b),
        "contains": contains, "in": member,
        "beginswith": strings(lambda a, b: a.startswith(b)), "endswith": strings(lambda a, b: a.endswith(b)),
        "like": strings(lambda a, b: fnmatchcase(a, b.replace("[", "[[]"))),
        "matches": matches,
    }
    return table[operator]


@lru_cache(maxsize=256)
def compile_predicate(text: str) -> Test:
    """A test of one element for a predicate string; WDA's errors for what NSPredicate or WDA refuse."""
    try:
        tree = _PARSER.parse(text)
    except LarkError:
        raise UnknownError(f'Unable to parse the format string "{text}"') from None
    try:
        test: Test = _Build().transform(tree)
    except LarkError as error:  # an error raised while building is wrapped by lark
        cause = getattr(error, "orig_exc", None)
        if isinstance(cause, UnknownError):
            raise cause from None
        raise UnknownError(f'Unable to parse the format string "{text}"') from None
    return test
