"""Read YAML keeping the line of every mapping key and sequence item.

PyYAML's composer knows each node's position; the located containers below keep it so
that later checks can say ``data/events.yaml:42: events[3].place: …``.

Two readers give the same documents: a fast one that builds the containers straight from
libyaml's events (``_fast``, ~10× PyYAML's pure-Python loader; curated files are plain
block and flow YAML), and PyYAML's own pure-Python loader (``_Loader``), which reads
whatever the fast one does not (anchors, aliases, merge keys, tags, very deep nesting) and
every file with an error, so that messages and their lines stay those of PyYAML.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import yaml
import yaml.cyaml
from yaml import events as ev

from .problems import Problem


class Located:
    """Mixin: ``line`` of the container and ``lines[key]`` of each key or item index."""

    __slots__ = ()
    line: int
    lines: dict


# Slots, not an instance dict: a million-statement dataset has ~700,000 containers.
class LDict(dict, Located):
    __slots__ = ("line", "lines")


class LList(list, Located):
    __slots__ = ("line", "lines")


class _Loader(yaml.SafeLoader):
    """SafeLoader that builds located containers and refuses duplicate keys."""

    def __init__(self, stream):
        super().__init__(stream)
        #: (line, key, line of the key's first occurrence, the mapping holding both)
        self.duplicates: list[tuple[int, object, int, dict]] = []


# Dates stay strings: the loader decides their precision (gYear, gYearMonth, date).
_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    result = LDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):  # `? [a, b]`: a list or mapping as a key
            raise yaml.constructor.ConstructorError("while reading a mapping", node.start_mark,
                                                    "a key must be a single value", key_node.start_mark)
        if key in result:  # the first occurrence's line is kept, to be named in the problem
            loader.duplicates.append((key_node.start_mark.line + 1, key, result.lines[key], result))
            result[key] = loader.construct_object(value_node, deep=True)
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LList:
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = {i: child.start_mark.line + 1 for i, child in enumerate(node.value)}
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def _refused(loader: _Loader, node: yaml.Node):
    raise yaml.constructor.ConstructorError(None, None, f"{node.tag.replace('tag:yaml.org,2002:', '!!')} "
                                            "is not used in curated data: write a list or a mapping",
                                            node.start_mark)


# These build plain lists of pairs or sets, which carry no lines and are no records.
for _tag in ("omap", "pairs", "set"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refused)


#: Plain hints for PyYAML's messages, by a part of its text: most syntax errors of curated
#: files are a line indented unlike its neighbours, a tab, or a value that needs quotes.
_HINTS = (
    ("found character '\\t'", "indent with spaces, not tabs"),
    ("mapping values are not allowed", "a value with ': ' in it needs quotes (\"…\"), or the line "
                                       "is indented deeper than the keys of its record"),
    ("could not find expected ':'", "each line of a record is `key: value`; check the indentation "
                                    "and that quotes opened on an earlier line are closed"),
    ("did not find expected key", "the line is indented unlike the other keys of its record: "
                                  "keys of one record start in the same column"),
    ("expected <block end>", "the line is indented unlike the lines before it: keys of one record "
                             "start in the same column, and so do the items ('- ') of a list"),
    ("did not find expected '-' indicator", "items of a list each start with '- ' in the same column"),
    ("expected ',' or ']'", "a [list] is not closed with ']', or an item with ':' or ',' needs quotes"),
    ("expected ',' or '}'", "a {mapping} is not closed with '}', or a value with ':' or ',' needs quotes"),
    ("found unexpected end of stream", "a quote or bracket is opened and never closed"),
    ("found unknown escape character", "in \"double quotes\" a backslash starts an escape: use "
                                       "'single quotes' or write \\\\"),
    ("that cannot start any token", "a value starting with this character needs quotes (\"…\")"),
    ("found undefined alias", "a value starting with '*' needs quotes (\"…\")"),
    ("found duplicate anchor", "a value starting with '&' needs quotes (\"…\")"),
)


def _hint(problem: str) -> str:
    """PyYAML's text, then a plain hint where one is known."""
    for part, hint in _HINTS:
        if part in problem:
            return f"{problem} (hint: {hint})"
    return problem


class _NotPlain(Exception):
    """The fast reader met what only PyYAML's own loader reads (or reports) as before."""


#: Deeper than any curated record; PyYAML's recursive loader reports nesting far deeper as an error.
_FAST_DEPTH = 64
#: What implicit resolution of a plain scalar may give in the fast reader (no merge key `<<`,
#: no `=`): the constructors of these tags are SafeConstructor's, called as the loader would.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null")}


def _fast(raw: bytes) -> tuple[object, list[tuple[int, object, int, dict]]]:
    """The document and its duplicate keys, read from libyaml's events; raises _NotPlain
    for what it leaves to ``_Loader`` and yaml.YAMLError for a syntax error."""
    if not yaml.__with_libyaml__:  # PyYAML built without libyaml
        raise _NotPlain
    parser = yaml.cyaml.CParser(raw)
    resolver = _Loader("")
    plain: dict[str, object] = {}  # a plain scalar's value by its text: most repeat (ids, roles)
    duplicates: list[tuple[int, object, int, dict]] = []
    #: open containers: [container, pending key, the key's line] (key None: a list, or no key yet)
    stack: list[list] = []
    document = None
    documents = 0
    scalar, mapping_start, sequence_start = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is scalar:
            if event.anchor is not None or event.tag is not None:
                raise _NotPlain
            text = event.value
            if event.implicit[0]:  # plain: resolved as PyYAML resolves it (null, bool, int…)
                try:
                    value = plain[text]
                except KeyError:
                    tag = resolver.resolve(yaml.ScalarNode, text, (True, False))
                    if tag not in _PLAIN_TAGS:
                        raise _NotPlain from None
                    value = plain[text] = resolver.yaml_constructors[tag](
                        resolver, yaml.ScalarNode(tag, text, event.start_mark, event.end_mark))
            else:
                value = text
            line = event.start_mark.line + 1
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None or len(stack) >= _FAST_DEPTH:
                raise _NotPlain
            if stack and type(stack[-1][0]) is LDict and not stack[-1][3]:
                raise _NotPlain  # a list or mapping as a key: PyYAML's message
            container = LDict() if kind is mapping_start else LList()
            container.line = event.start_mark.line + 1
            container.lines = {}
            stack.append([container, None, 0, False])
            continue
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            value = stack.pop()[0]
            line = value.line
        elif kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _NotPlain  # more than one document: PyYAML's message
            continue
        elif kind is ev.StreamEndEvent:
            return document, duplicates
        elif kind is ev.AliasEvent:
            raise _NotPlain
        else:  # stream start, document end
            continue
        if not stack:
            document = value
            continue
        top = stack[-1]
        container = top[0]
        if type(container) is LList:
            container.lines[len(container)] = line
            container.append(value)
        elif not top[3]:  # a key
            if not isinstance(value, Hashable):
                raise _NotPlain
            top[1], top[2], top[3] = value, line, True
        else:
            key = top[1]
            if key in container:  # the first occurrence's line is kept, as _mapping does
                duplicates.append((top[2], key, container.lines[key], container))
            else:
                container.lines[key] = top[2]
            container[key] = value
            top[1], top[3] = None, False


def read_yaml(path: Path, label: str) -> tuple[object, list[Problem]]:
    """Parse ``path``; ``label`` is how problems name the file. Returns (document, problems)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:  # a directory in its place, no permission…
        return None, [Problem(label, 0, "", f"cannot be read: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(label, raw.count(b"\n", 0, exc.start) + 1, "",
                              f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    try:
        # PyYAML's reader refuses these characters up front; libyaml may differ, so such a file
        # goes to PyYAML for its message.
        if yaml.reader.Reader.NON_PRINTABLE.search(text):
            raise _NotPlain
        document, duplicates = _fast(raw)
    except (_NotPlain, yaml.YAMLError):
        return _read_with_pyyaml(text, label)
    return document, _duplicate_problems(document, duplicates, label)


def _read_with_pyyaml(text: str, label: str) -> tuple[object, list[Problem]]:
    try:
        loader = _Loader(text)  # refuses control characters (a ReaderError) already
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [Problem(label, line, "", f"YAML syntax error: unacceptable character "
                                               f"#x{exc.character:04x}: {exc.reason}")]
    try:
        document = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        return None, [Problem(label, line, "", f"YAML syntax error: {_hint(str(exc.problem or exc))}")]
    except (yaml.YAMLError, RecursionError) as exc:  # no position known (nesting too deep…)
        return None, [Problem(label, 0, "", f"YAML error: {exc}")]
    finally:
        loader.dispose()
    return document, _duplicate_problems(document, loader.duplicates, label)


def _duplicate_problems(document, duplicates: list[tuple[int, object, int, dict]], label: str) -> list[Problem]:
    paths = _paths(document, Path(label).stem) if duplicates else {}
    problems = []
    for line, key, first, mapping in duplicates:
        where = paths.get(id(mapping), "")
        problems.append(Problem(label, line, f"{where}.{key}" if where else str(key),
                                f"duplicate key (first at {label}:{first}; a key is given once per record)"))
    return problems


def _paths(document, stem: str) -> dict[int, str]:
    """The field path of each mapping in ``document``, as problems name records (``events[15]``,
    counted from 1; a top-level list is named after the file), by the mapping's id()."""
    paths: dict[int, str] = {}

    def walk(node, path):
        if id(node) in paths:  # an alias met again (or a recursive one): named where first seen
            return
        if isinstance(node, dict):
            paths[id(node)] = path
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            paths[id(node)] = path
            for i, item in enumerate(node):
                walk(item, f"{path}[{i + 1}]")

    walk(document, stem if isinstance(document, list) else "")
    return paths
