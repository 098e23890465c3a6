"""The one bounded reader of a file a person gives (a world, a caps file, a recording's files): the same limits and
the same refusals for the harness and the virtual device, each refusal one sentence naming the file.

A file is read only when it is a regular file (a FIFO is opened without waiting, a folder or device refused), of
at most its limit (checked on the open file, and a file that grows while read is cut off), and UTF-8 text when
text is wanted. YAML is read by `parse_yaml`: PyYAML's safe loader with YAML 1.2's booleans (only true and
false), a key given twice refused, brackets nested at most MAX_NESTING deep, and YAML aliases at most
MAX_YAML_VALUES values once expanded; JSON is YAML too. The harness reaches this module through harness.run.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

MAX_INPUT_BYTES = 1 << 20  # the biggest shipped world is 14 KB, a profile 1 KB: more is a mistake or an attack
MAX_YAML_VALUES = 100_000  # values after YAML aliases are expanded: a few hundred bytes can otherwise mean billions
MAX_NESTING = 64  # brackets inside brackets: no settings file needs more, and the pure-Python scanner slows down


class InputRefused(ValueError):
    """A file a person gave that is not read: missing, not a regular file, too big, not text or not valid YAML.

    Its text is one sentence naming the file, without the full stop (the caller's error adds its own form).
    """


def read_bytes(path: Path, what: str, shown: str | None = None, limit: int = MAX_INPUT_BYTES,
               follow_links: bool = True, kind: str | None = None) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them, read without waiting and without reading
    more; `what` names the kind of file ("world file") in the sentence, `shown` the file (default: the path),
    `kind` the kind the size limit is said of (default: `what`); a link is refused unless `follow_links`.

    O_NONBLOCK makes opening a FIFO return at once (and reading a regular file is unaffected); the type and
    size are checked on the open file, so what is read is what was checked.
    """
    name = f"{what} {path if shown is None else shown}"
    kind = what.lower() if kind is None else kind
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow_links else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputRefused(f"{name} does not exist") from None
    except (OSError, ValueError) as error:
        if getattr(error, "errno", None) == errno.ELOOP and not follow_links:
            raise InputRefused(f"{name} is a link, not a regular file") from None
        raise InputRefused(f"{name} cannot be read: {getattr(error, 'strerror', None) or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
            raise InputRefused(f"{name} is {kind}, not a regular file")
        if info.st_size > limit:
            raise InputRefused(f"{name} is {info.st_size:,} bytes; a {kind} may have at most {limit:,}")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:  # a file that grows while read is still cut off at the limit
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise InputRefused(f"{name} cannot be read: {error.strerror}") from None
    finally:
        os.close(fd)
    if total > limit:
        raise InputRefused(f"{name} is more than {limit:,} bytes, the most a {kind} may have")
    return b"".join(chunks)


def read_text(path: Path, what: str, shown: str | None = None, limit: int = MAX_INPUT_BYTES) -> str:
    """The UTF-8 text of the regular file `path` (read_bytes' limits and refusals, and text only)."""
    data = read_bytes(path, what, shown, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputRefused(f"{what} {path if shown is None else shown} is not UTF-8 text (a byte at offset "
                           f"{error.start} is not)") from None


# libyaml's parser when PyYAML has it (its wheels do): it stops at 1,000 levels of nesting in microseconds,
# where the pure-Python scanner takes seconds on a few thousand `[` (it rescans every open bracket per token).
if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):
    """YAML with only true/false as booleans (as YAML 1.2 has it), and a key given twice refused.

    PyYAML follows YAML 1.1, where `on`, `off`, `yes` and `no` are booleans too: a pop-up's `on: feed` would
    load as `True: feed` and fail validation with a baffling message. PyYAML would silently keep the last of
    two equal keys (a second `promotions:` section would drop the first one's promotions without a word).
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:  # before merge keys (<<) are flattened: overriding them is fine
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                continue  # a list or mapping as a key: no setting is one, and it is not hashable
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"the key {shown(str(key), 60)} appears twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


_BOOL = "tag:yaml.org,2002:bool"
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def shown(text: str, limit: int = 120) -> str:
    """A value as a sentence shows it: quoted, and cut to `limit` characters with its length said."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} characters)"


def cut(text: str, limit: int = 300) -> str:
    """A text cut to `limit` characters, saying how long it was."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def nesting(text: str) -> int:
    """The deepest [ and { nesting of a text, counted in one pass (quotes not excepted: only a bound)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    return deepest


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many values the document holds once every alias is expanded, counting no further than `limit`.

    An alias is a reference to a node already read, so nine lines of nine aliases each stand for 9**9 values:
    PyYAML shares them, but anything that walks the result (validation, a copy, an error message) pays for all.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        if not children_done:
            if id(node) in open_nodes:
                return limit + 1  # an alias inside its own anchor: a value that never ends
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        sizes[id(node)] = min(limit + 1, 1 + sum(sizes.get(id(child), 0) for child in children))
    return sizes[id(root)]


def parse_yaml(text: str, name: str) -> object:
    """The value of a YAML (or JSON) text; `name` ("world file x.yaml") starts the sentence of a refusal."""
    if nesting(text) > MAX_NESTING:
        raise InputRefused(f"{name} nests brackets more than {MAX_NESTING} deep; no settings file needs that many")
    try:
        loader = _StrictLoader(text)  # a SafeLoader; JSON is YAML too
    except yaml.YAMLError as error:  # the pure-Python reader checks every character up front
        raise InputRefused(f"{name} is not valid YAML: {_yaml_problem(error)}") from None
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        if _expanded_size(root, MAX_YAML_VALUES) > MAX_YAML_VALUES:
            raise InputRefused(f"{name} expands to more than {MAX_YAML_VALUES:,} values through YAML aliases (or "
                               "an alias refers to itself); no settings file needs that many")
        return loader.construct_document(root)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputRefused(f"{name} is not valid YAML{where}: {_yaml_problem(error)}") from None
    except RecursionError:
        raise InputRefused(f"{name} is nested too deeply to be read") from None
    except (ValueError, TypeError, OverflowError) as error:  # a value YAML can spell but not build: 0000-01-01
        if isinstance(error, InputRefused):
            raise
        raise InputRefused(f"{name} has a value that cannot be read: {cut(str(error), 120)}") from None
    finally:
        loader.dispose()


def _yaml_problem(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        code = error.character if isinstance(error.character, int) else ord(error.character)
        return f"the character U+{code:04X} at position {error.position} is not allowed in YAML"
    return cut(" ".join(str(getattr(error, "problem", None) or "malformed").split()), 160)
