"""Read the curated YAML files and check them against the schema, reporting every problem."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path

from twinkg import kinds as s  # the curated YAML schema: the registry of kinds
from twinkg.progress import QUIET, Progress, Stage
from twinkg.values import QID_RE, SLUG_RE, ValueProblem, check_iri, is_language_tag, parse_date

from .problems import InvalidInput, Problem
from .yamlfile import LDict, read_yaml


@dataclass
class Entry:
    """One curated record: its kind, its located data, and where it stands."""

    kind: s.Kind
    data: LDict
    file: str
    index: int

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def path(self) -> str:
        # counted from 1, as a person counts records: events[15] is the 15th (data/README.md)
        return f"{self.kind.stem}[{self.index + 1}]"


@dataclass
class Curated:
    entries: list[Entry] = field(default_factory=list)
    ids: dict[str, dict[str, Entry]] = field(default_factory=dict)
    kinds: s.Registry = s.CURATED

    def of(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind.name == kind]


def _suggest(value: str, candidates) -> str:
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(value) -> str:
    for t, name in ((bool, "true/false"), (dict, "a mapping"), (list, "a list"),
                    (str, "a string"), (int, "a number"), (float, "a number")):
        if isinstance(value, t):
            return name
    return "nothing" if value is None else type(value).__name__


@dataclass(slots=True)  # one per reference: hundreds of thousands at scale
class _Ref:
    kinds: tuple[str, ...]
    value: str
    file: str
    line: int
    path: str


class _Checker:
    def __init__(self, concepts: dict[str, set[str]]):
        self.concepts = concepts
        self.problems: list[Problem] = []
        self.refs: list[_Ref] = []

    def problem(self, file, line, path, message):
        self.problems.append(Problem(file, line, path, message))

    def record(self, fields: dict[str, s.Field], data, file: str, line: int, path: str,
               one_of: tuple[str, ...] = ()) -> bool:
        if not isinstance(data, dict):
            self.problem(file, line, path, f"expected a mapping of fields, got {_type_name(data)}")
            return False
        for key in data:
            if key not in fields:
                hint = _suggest(str(key), fields)
                self.problem(file, data.lines.get(key, line), f"{path}.{key}",
                             f"unknown field{hint}; allowed: {', '.join(fields)}")
        for name, spec in fields.items():
            if name not in data or data[name] is None:
                if spec.required:
                    self.problem(file, data.line, f"{path}.{name}", "required field is missing")
                continue
            self.value(spec, data[name], file, data.lines.get(name, data.line), f"{path}.{name}")
        inferred = data.get("inferred")
        if isinstance(inferred, dict):  # names fields of this record that say something
            for key in inferred:
                if key in ("id", "source", "inferred") or key not in fields or data.get(key) is None:
                    self.problem(file, inferred.lines.get(key, line), f"{path}.inferred.{key}",
                                 "names no field of this record that is given")
        if one_of:
            given = [k for k in one_of if data.get(k) is not None]
            if len(given) != 1:
                self.problem(file, data.line, path,
                             f"needs exactly one of {', '.join(one_of)}, got {len(given)}")
        return True

    def value(self, spec: s.Field, value, file: str, line: int, path: str) -> None:
        bad = lambda msg: self.problem(file, line, path, msg)  # noqa: E731
        t = spec.type
        if t == s.SLUG:
            if not isinstance(value, str) or not SLUG_RE.match(value):
                bad(f"{value!r} is not a slug (lower-case ASCII letters and digits joined by '-')")
        elif t in (s.STRING,):
            if not isinstance(value, str) or not value.strip():
                bad(f"expected a non-empty string, got {_type_name(value)}")
        elif t == s.TEXT:
            self.text(value, file, line, path)
        elif t == s.ALT_NAMES:
            if not isinstance(value, dict) or not value:
                bad(f"expected a mapping from language tag to a list of names, got {_type_name(value)}")
                return
            for lang, names in value.items():
                lline = value.lines.get(lang, line)
                if not is_language_tag(lang):
                    self.problem(file, lline, f"{path}.{lang}", f"{lang!r} is not a language tag")
                if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
                    self.problem(file, lline, f"{path}.{lang}", "expected a list of non-empty strings")
        elif t == s.DATE:
            try:
                parse_date(value)
            except ValueProblem as exc:
                bad(str(exc))
        elif t == s.IRI:
            try:
                check_iri(value)
            except ValueProblem as exc:
                bad(str(exc))
        elif t == s.INT:
            if not isinstance(value, int) or isinstance(value, bool):
                bad(f"expected a whole number, got {value!r}")
        elif t == s.DECIMAL:
            if not isinstance(value, (int, float)) or isinstance(value, bool) or \
                    (isinstance(value, float) and not math.isfinite(value)):  # .nan, .inf
                bad(f"expected a number, got {value!r}")
        elif t == s.LANG:
            if not is_language_tag(value):
                bad(f"{value!r} is not a language tag")
        elif t == s.QID:
            if not isinstance(value, str) or not QID_RE.match(value):
                bad(f"{value!r} is not a Wikidata item id like Q2899")
        elif t == s.CONCEPT:
            allowed = self.concepts.get(spec.scheme, set())
            if not isinstance(value, str) or value not in allowed:
                bad(f"unknown {spec.scheme} {value!r}{_suggest(str(value), allowed)}; "
                    f"allowed: {', '.join(sorted(allowed))}")
        elif t == s.REF:
            if not isinstance(value, str):
                bad(f"expected the id of a {' or '.join(spec.kinds)}, got {_type_name(value)}")
            else:
                self.refs.append(_Ref(spec.kinds, value, file, line, path))
        elif t == s.REFS:
            if not isinstance(value, list):
                bad(f"expected a list of ids, got {_type_name(value)}")
                return
            if spec.count and len(value) != spec.count:
                bad(f"expected exactly {spec.count} ids, got {len(value)}")
            if len(set(map(str, value))) != len(value):
                bad("lists the same id twice")
            for i, item in enumerate(value):
                self.value(s.Field(s.REF, kinds=spec.kinds), item, file,
                           value.lines.get(i, line), f"{path}[{i + 1}]")
        elif t == s.INFERRED:
            if not isinstance(value, dict) or not value:
                bad(f"expected a mapping from field name to the reason, like {{place: {{de: …, en: …}}}}, "
                    f"got {_type_name(value)}")
                return
            for key, reason in value.items():
                self.text(reason, file, value.lines.get(key, line), f"{path}.{key}")
        elif t == s.RECORD:
            self.record(spec.fields, value, file, line, path, spec.one_of)
        elif t == s.RECORDS:
            if not isinstance(value, list):
                bad(f"expected a list, got {_type_name(value)}")
                return
            for i, item in enumerate(value):
                self.record(spec.fields, item, file, value.lines.get(i, line), f"{path}[{i + 1}]",
                            spec.one_of)

    def text(self, value, file, line, path):
        if not isinstance(value, dict) or not value:
            self.problem(file, line, path,
                         f"expected a mapping from language tag to text, like {{de: …}}, got {_type_name(value)}")
            return
        for lang, text in value.items():
            lline = value.lines.get(lang, line)
            if not is_language_tag(lang):
                self.problem(file, lline, f"{path}.{lang}", f"{lang!r} is not a language tag")
            if not isinstance(text, str) or not text.strip():
                self.problem(file, lline, f"{path}.{lang}", "expected non-empty text")


def _semantic_checks(entry: Entry, checker: _Checker) -> None:
    """Rules that span fields of one record."""
    d, file = entry.data, entry.file
    names = [n for n in ("name", "title") if isinstance(d.get(n), dict)]
    for n in names:
        if entry.kind.fields[n].type == s.TEXT and "de" not in d[n]:
            checker.problem(file, d.lines[n], f"{entry.path}.{n}", "needs a German name (de)")
    for key, message in entry.kind.rules(d) if entry.kind.rules else ():
        checker.problem(file, d.lines[key] if key else d.line, f"{entry.path}.{key}" if key else entry.path, message)
    _check_span(d, file, entry.path, checker)
    for i, office in enumerate(d.get("offices") or []):
        if isinstance(office, dict):
            _check_span(office, file, f"{entry.path}.offices[{i + 1}]", checker)


def _check_span(d: LDict, file: str, path: str, checker: _Checker) -> None:
    try:
        start, end = d.get("start"), d.get("end")
        if start is None or end is None:
            return
        # Compared at the coarser of the two precisions, as the SHACL shape does: "2000" may
        # end a span that starts "2000-05-03" (the source gives only the year it ended).
        s, e = parse_date(start)[0], parse_date(end)[0]  # YYYY[-MM[-DD]]: compared as text
        n = min(len(s), len(e))
        if e[:n] < s[:n]:
            checker.problem(file, d.lines["end"], f"{path}.end", f"ends ({end}) before it starts ({start})")
    except ValueProblem:
        pass  # already reported by the value check


def read_curated(data_dir: Path, concepts: dict[str, set[str]], kinds: s.Registry = s.CURATED,
                 progress: Progress = QUIET) -> Curated:
    """Read and check every file of ``data_dir`` (one per kind of ``kinds``); raise
    InvalidInput with all problems."""
    with progress.stage(f"reading {data_dir}", unit="records") as stage:
        return _read_curated(data_dir, concepts, kinds, stage)


def _read_curated(data_dir: Path, concepts: dict[str, set[str]], kinds: s.Registry, stage: Stage) -> Curated:
    label_dir = str(data_dir)  # how problems name the folder: as the user gave it
    checker = _Checker(concepts)
    curated = Curated(ids={k.name: {} for k in kinds}, kinds=kinds)
    known_files = {k.file for k in kinds}
    if not data_dir.is_dir():
        raise InvalidInput([Problem(label_dir, 0, "", "data directory does not exist")])
    for path in sorted(data_dir.glob("*.y*ml")):
        if path.name not in known_files:
            checker.problem(f"{label_dir}/{path.name}", 0, "",
                            f"unknown file{_suggest(path.name, known_files)}; expected: {', '.join(sorted(known_files))}")
    if not any((data_dir / k.file).exists() for k in kinds):
        checker.problem(label_dir, 0, "", f"holds none of the curated files ({', '.join(sorted(known_files))}); "
                                          "is it the data directory?")
        raise InvalidInput(checker.problems)
    unread: set[str] = set()  # kinds whose file could not be read: their ids are unknown
    for kind in kinds:
        path = data_dir / kind.file
        file = f"{label_dir}/{kind.file}"
        # Every file is required, and an empty one is an error: a deleted or truncated file
        # would otherwise drop its records from the served store unnoticed. No records: [].
        if not path.exists():
            checker.problem(file, 0, "", f"file is missing; write [] into it if there are no {kind.name} records")
            unread.add(kind.name)
            continue
        document, problems = read_yaml(path, file)
        checker.problems.extend(problems)
        if document is None:
            if not problems:
                checker.problem(file, 0, "", f"file is empty; write [] into it if there are no {kind.name} records")
            unread.add(kind.name)
            continue
        if not isinstance(document, list):
            checker.problem(file, getattr(document, "line", 1), "",
                            f"expected a list of {kind.name} records at the top level, got {_type_name(document)}")
            unread.add(kind.name)
            continue
        stage.advance(len(document))
        for index, data in enumerate(document):
            line = document.lines.get(index, 1)
            entry = Entry(kind, data, file, index)
            if not checker.record(kind.fields, data, file, line, entry.path):
                continue
            _semantic_checks(entry, checker)
            slug = data.get("id")
            if isinstance(slug, str) and SLUG_RE.match(slug):
                if slug in curated.ids[kind.name]:
                    first = curated.ids[kind.name][slug]
                    checker.problem(file, data.lines["id"], f"{entry.path}.id",
                                    f"duplicate {kind.name} id '{slug}' (first at {first.file}:{first.data.line})")
                    continue
                shared = kinds.shared_id_kinds if kind.name in kinds.shared_id_kinds else ()
                clash = next((curated.ids[k][slug] for k in shared if k != kind.name and slug in curated.ids[k]), None)
                if clash:
                    checker.problem(file, data.lines["id"], f"{entry.path}.id",
                                    f"id '{slug}' is taken by the {clash.kind.name} at {clash.file}:{clash.data.line}; "
                                    f"{', '.join(kinds.shared_id_kinds)} ids must differ, as photos refer to them by id alone")
                    continue
                curated.ids[kind.name][slug] = entry
                curated.entries.append(entry)
    for ref in checker.refs:
        if unread.intersection(ref.kinds):
            continue  # one problem for the file, not one for every reference into it
        if not any(ref.value in curated.ids[k] for k in ref.kinds):
            candidates = [i for k in ref.kinds for i in curated.ids[k]]
            checker.problem(ref.file, ref.line, ref.path,
                            f"unknown {' or '.join(ref.kinds)} '{ref.value}'{_suggest(ref.value, candidates)}")
    if checker.problems:
        raise InvalidInput(checker.problems)
    return curated
