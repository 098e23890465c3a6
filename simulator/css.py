"""The `css selector` strategy: a CSS selector turned into a UiSelector, as the UiAutomator2 driver does.

Selenium 4 sends every By.ID, By.CLASS_NAME and By.NAME as CSS, WebdriverIO its `#id` and `.class`
selectors; the driver converts them (appium-uiautomator2-driver lib/css/, with the vocabulary of
lib/css/schema.ts) before the server sees them. The same vocabulary is accepted here, and what the
driver refuses is refused with the same `invalid selector` message.

Supported: a tag (`android.widget.Button` reads as tag plus classes, i.e. the class name), `.class`,
`#id`, `[attr]`, `[attr=value]` with `= *= ^= $= ~=`, `:attr` / `:attr(value)` pseudo-classes, and
the descendant and child combinators (both become childSelector). Only the first of a
comma-separated list counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tiktok_promo.simulator.errors import InvalidSelector

_BOOLEAN = ("checkable", "checked", "clickable", "enabled", "focusable", "focused", "long-clickable",
            "scrollable", "selected")
_NUMERIC = ("index", "instance")
_STRING = ("description", "resource-id", "text", "class-name", "package-name")
_ALIASES = {name: name for name in (*_BOOLEAN, *_NUMERIC, *_STRING)}
_ALIASES.update({"nth-child": "index", "content-description": "description", "content-desc": "description",
                 "desc": "description", "accessibility-id": "description", "id": "resource-id"})
_FULL_ID = re.compile(r"^[a-zA-Z_][a-zA-Z0-9._]*:id/\S+$")
_IDENT = r"-?(?:[_a-zA-Z]|\\.)(?:[\w-]|\\.)*"
_QUOTED = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
_KINDS = ("space", "tag", "id", "cls", "attr", "pseudo", "comma")
_TOKEN = re.compile(
    rf"""(?P<space>\s*[>+~]\s*|\s+)
      | (?P<tag>{_IDENT}|\*)
      | \#(?P<id>{_IDENT})
      | \.(?P<cls>{_IDENT})
      | \[\s*(?P<attr>{_IDENT})\s*(?:(?P<op>[*^$~|]?=)\s*(?P<value>{_QUOTED}|{_IDENT})\s*)?\]
      | :(?P<pseudo>{_IDENT})(?:\(\s*(?P<arg>{_QUOTED}|[^()]*?)\s*\))?
      | (?P<comma>\s*,)""",
    re.VERBOSE,
)


class _Unsupported(Exception):
    pass


@dataclass
class _Rule:
    tag: str | None = None
    classes: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    entities: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # name, op, value
    nested: _Rule | None = None


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _unquote(value: str | None) -> str | None:
    if value is None:
        return None
    if value[:1] in "\"'" and value[-1:] == value[:1]:
        return _unescape(value[1:-1])
    return _unescape(value)


def _parse(selector: str) -> _Rule:
    first = _Rule()
    rule, pos, fresh = first, 0, True
    text = selector.strip()
    if not text:
        raise InvalidSelector(f"Invalid CSS selector '{selector}'")
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise InvalidSelector(f"Invalid CSS selector '{selector}'")
        pos = m.end()
        kind = next(name for name in _KINDS if m.group(name) is not None)
        if kind == "comma":
            break  # the driver keeps the first rule of a selector list
        if kind == "space":
            combinator = m.group().strip()
            if pos >= len(text) or text[pos] == ",":
                continue
            if combinator in ("+", "~"):
                raise _Unsupported(f"'{combinator}' is not a supported combinator. Only child combinator (>) "
                                   "and descendant combinator are supported.")
            rule.nested = _Rule()
            rule, fresh = rule.nested, True
            continue
        if kind == "tag":
            if not fresh:
                raise InvalidSelector(f"Invalid CSS selector '{selector}'")
            rule.tag = _unescape(m.group("tag"))
        elif kind == "id":
            rule.ids.append(_unescape(m.group("id")))
        elif kind == "cls":
            rule.classes.append(_unescape(m.group("cls")))
        elif kind == "attr":
            if m.group("op") == "|=":  # the driver's CSS parser does not know the dash-match operator
                raise InvalidSelector(f"Invalid CSS selector '{selector}'")
            rule.entities.append((m.group("attr"), m.group("op"), _unquote(m.group("value"))))
        elif kind == "pseudo":
            rule.entities.append((m.group("pseudo"), None, _unquote(m.group("arg"))))
        fresh = False
    return first


def _entity(name: str, op: str | None, value: str | None, package: str) -> str:
    canonical = _ALIASES.get(name.lower())
    if canonical is None:
        raise _Unsupported(f"'{name}' is not a valid attribute. Supported attributes are: "
                           f"'{', '.join((*_BOOLEAN, *_NUMERIC, *_STRING))}'")
    method = re.sub(r"-(\w)", lambda m: m.group(1).upper(), canonical)
    if canonical in _BOOLEAN:
        flag = (value or "").lower() or "true"
        if flag not in ("true", "false"):
            raise _Unsupported(f"'{canonical}' must be true, false or empty. Found '{value or ''}'")
        return f".{method}({flag})"
    if canonical in _NUMERIC:
        return f".{method}({value})"
    if op is not None and op not in ("=", "*=", "^=", "$=", "~="):
        raise _Unsupported(f"Unsupported CSS attribute operator '{op}'.")
    text = value or ""
    if canonical == "resource-id":
        text = _full_id(text, package)
    if not text:
        return f'.{method}Matches("")'
    partial = canonical in ("description", "text")
    if op == "*=":
        return f'.{method}Contains("{text}")' if partial else f'.{method}Matches("{_regex_escape(text)}")'
    if op == "^=":
        return f'.{method}StartsWith("{text}")' if partial else f'.{method}Matches("^{_regex_escape(text)}")'
    if op == "$=":
        return f'.{method}Matches("{_regex_escape(text)}$")'
    if op == "~=":
        return f'.{method}Matches("\\b(\\w*{_regex_escape(text)}\\w*)\\b")'
    return f'.{method}("{text}")'


def _full_id(value: str, package: str) -> str:
    return value if _FULL_ID.match(value) else f"{package or 'android'}:id/{value}"


def _regex_escape(text: str) -> str:
    return re.sub(r"[.*+?^${}()|\[\]\\]", lambda m: "\\" + m.group(), text)


def _emit(rule: _Rule, package: str) -> str:
    parts = ["new UiSelector()"]
    if rule.tag and rule.tag != "*":
        if rule.classes:
            parts.append(f'.className("{".".join([rule.tag, *rule.classes])}")')
        else:
            parts.append(f'.classNameMatches("{rule.tag}")')
    elif rule.classes:
        parts.append('.classNameMatches("' + "\\.".join(rule.classes) + '")')
    if rule.ids:
        parts.append(f'.resourceId("{_full_id(rule.ids[0], package)}")')
    parts.extend(_entity(name, op, value, package) for name, op, value in rule.entities)
    if rule.nested is not None:
        parts.append(f".childSelector({_emit(rule.nested, package)})")
    return "".join(parts)


def to_uiselector(selector: str, package: str) -> str:
    """The `-android uiautomator` expression the driver sends for a CSS selector."""
    try:
        return _emit(_parse(selector), package)
    except _Unsupported:
        # the driver's message names the selector only (the reason stays in its log)
        raise InvalidSelector(f"Unsupported CSS selector '{selector}'") from None
