# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The package readers' YAML loader: the Python data of one YAML file built in ONE pass over the parser's events,
within the budgets (budgets.py), before more than the budget is ever built.

``load(text, path, budgets)`` reads the events of libyaml's parser (``yaml.CSafeLoader``; PyYAML's pure-Python
parser when libyaml is missing: same data, same refusals) with an explicit stack, never recursion, and in the same
pass:

- counts the YAML nodes after alias expansion (an alias counts the nodes it stands for, memoised per anchor: an
  alias bomb is refused in linear work, never expanded) and refuses the file past ``nodes``, naming the collection
  where the count is crossed;
- refuses nesting deeper than ``depth``, as written and after alias expansion (an anchor's height is memoised);
- refuses a duplicate mapping key naming both lines (plain and quoted keys apart: ``1`` and ``'1'`` are two keys;
  merge keys ``<<`` may repeat), and an alias inside the collection it names (endless expansion);
- builds dicts, lists and scalars resolved exactly as ``yaml.safe_load`` resolves them (an alias gives the very
  object of its anchor, as PyYAML's constructor does).

What the one pass does not build itself - an explicit tag (``!!python/...`` refused there, as before), a merge
key, a complex key, a second document, an undefined or duplicated anchor - it still checks against the budgets to
the end, then hands the file, now known to be within them, to PyYAML's safe loader, whose data or error is the
answer (the same as ``yaml.safe_load``'s).
"""
from __future__ import annotations

try:
    import yaml
    from yaml.constructor import SafeConstructor
    from yaml.nodes import ScalarNode
    HAS_YAML = True
    Loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
except ImportError:
    yaml = None
    HAS_YAML = False
    Loader = None

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.budgets import refusal

_TAG = 'tag:yaml.org,2002:'
_OTHER = object()  # a scalar the one pass leaves to PyYAML


def yaml_path(link):
    """'a.b[0].c' of a parent-linked path (parent, part); a very deep one is cut after its first 10 parts."""
    parts = []
    while link is not None:
        link, part = link
        parts.append(part)
    parts.reverse()
    text = ''
    for part in parts[:10]:
        text += '[%d]' % part if isinstance(part, int) else ('.%s' % part if text else str(part))
    return text + ('...' if len(parts) > 10 else '')


def _where(path, link):
    text = yaml_path(link)
    return '%s: %s' % (path, text) if text else path


_MISS = object()
# YAML 1.1's bool and null words: SafeLoader's resolvers of the first characters y n t f o ~ and '' match exactly these
_WORDS = dict([(w, True) for w in ('yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON')]
              + [(w, False) for w in ('no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF')]
              + [(w, None) for w in ('~', 'null', 'Null', 'NULL', '')])
_WORD_TAGS = frozenset((_TAG + 'bool', _TAG + 'null'))


class _Scalars:
    """Plain scalars resolved and constructed as SafeLoader does: ``words`` (bool and null), ``other`` (the first
    characters of the other implicit types: int, float, timestamp, merge, ...) and ``value`` for those, which gives
    ``_OTHER`` for a type SafeLoader has no constructor for (left to PyYAML, which refuses it)."""

    def __init__(self):
        table = yaml.SafeLoader.yaml_implicit_resolvers
        wild = list(table.get(None, []))
        self.first = {first: list(found) + wild for first, found in table.items() if first is not None}
        self.wild = wild
        self.words = {w: v for w, v in _WORDS.items() if self._tag(w) in _WORD_TAGS}
        self.other = _Everything() if wild else frozenset(
            first for first, found in self.first.items() if any(tag not in _WORD_TAGS for tag, _regexp in found))
        self.safe = SafeConstructor()
        self.special = {_TAG + name: getattr(self.safe, 'construct_yaml_' + name) for name in ('int', 'float', 'timestamp')}

    def _tag(self, text):
        for tag, regexp in self.first.get(text[:1], self.wild):
            if regexp.match(text):
                return tag
        return None

    def value(self, text):
        """The value of a plain scalar that is not one of ``words``."""
        if not self.wild and text.isascii() and text.isdigit() and (text[0] != '0' or len(text) == 1):
            return int(text)  # what the int resolver (no other matches digits alone) and constructor give
        tag = self._tag(text)
        if tag is None:
            return text
        if tag in _WORD_TAGS:
            return self.words.get(text, _OTHER)
        make = self.special.get(tag)
        if make is None:
            return _OTHER
        return make(ScalarNode(tag, text))


class _Everything:
    """A set that holds every first character (when SafeLoader has a wildcard resolver)."""

    def __contains__(self, item):
        return True


_SCALARS = _Scalars() if HAS_YAML else None


def _endless(path, line):
    return PackageError('%s: line %d: an alias refers to a collection that holds it (endless expansion)' % (path, line))


def _duplicate(path, frame, mark, key):
    inside = ' in %s' % yaml_path(frame[6]) if frame[6] else ''
    return PackageError('%s: line %d: duplicate key %s%s (first at line %d)'
                        % (path, mark.line + 1, key[1], inside, frame[1][key].line + 1))


def _over(path, frame, expanded, limit):
    what = 'YAML nodes after alias expansion' if expanded else 'YAML nodes'
    return refusal(_where(path, frame[6] if frame else None), what, 'nodes', limit)


def _one_pass(loader, path, budgets):  # pylint: disable=too-many-branches,too-many-statements,too-many-locals
    """(data, True) of the file, or (None, False) when PyYAML must build it (it is within the budgets).

    One loop over the events, everything inline (it is the readers' hot path). A frame of the stack:
    [container (None: not built), keys seen {(plain, text): mark} (None: a sequence), next is a key, key value,
    key name, next index, link (parent-linked YAML path), anchor, count before it, deepest level before it]."""
    limit, max_depth = budgets.nodes, budgets.depth
    get = loader.get_event
    scalar, alias, mapping, sequence = yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    words, other, value_of = _SCALARS.words, _SCALARS.other, _SCALARS.value
    stack, top, root = [], None, None
    anchors, open_anchors = {}, {}  # anchor -> (value, nodes, height); anchor of an open collection -> its mark
    count = expanded = deep = documents = 0  # nodes so far, of which aliases expanded
    build = True
    while True:
        event = get()
        kind = type(event)
        if kind is scalar:
            count += 1
            if count > limit:
                raise _over(path, top, expanded, limit)
            text = event.value
            plain = event.implicit[0]
            if event.tag is not None:
                build = value = False
            elif not plain:
                value = text
            else:
                value = words.get(text, _MISS)
                if value is _MISS:
                    value = value_of(text) if text[:1] in other else text
                    if value is _OTHER:
                        build = False
            if top is None:
                root = value
            elif top[1] is None:
                top[5] += 1
                if build:
                    top[0].append(value)
            elif top[2]:
                top[2] = False
                top[3] = value
                top[4] = text
                if text == '<<' and plain:
                    build = False  # merge keys may repeat; PyYAML merges them
                else:
                    seen = (plain, text)
                    if seen in top[1]:
                        raise _duplicate(path, top, event.start_mark, seen)
                    top[1][seen] = event.start_mark
            else:
                top[2] = True
                if build:
                    top[0][top[3]] = value
            if event.anchor is not None:
                if event.anchor in anchors or event.anchor in open_anchors:
                    build = False  # a duplicated anchor: PyYAML refuses it
                anchors[event.anchor] = (value, 1, 0)
            continue
        if kind in ends:
            frame = stack.pop()
            top = stack[-1] if stack else None
            if frame[7] is not None:
                open_anchors.pop(frame[7], None)
                anchors[frame[7]] = (frame[0], count - frame[8], deep - len(stack))
                deep = max(deep, frame[9])
            continue
        if kind is alias:
            found = anchors.get(event.anchor)
            if found is None:
                if event.anchor in open_anchors:
                    raise _endless(path, open_anchors[event.anchor].line + 1)
                build = False  # an undefined alias: PyYAML refuses it
                found = (None, 1, 0)
            count += found[1]
            expanded += found[1] - 1
            value = found[0]
        elif kind is mapping or kind is sequence:
            count += 1
            value = {} if kind is mapping else []
            if event.tag is not None:
                build = False
        else:
            if kind is yaml.StreamEndEvent:
                break
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    build = False  # PyYAML refuses a second document
            continue
        if count > limit:
            raise _over(path, top, expanded, limit)
        if top is None:
            root, link = value, None
        elif top[1] is None:
            link = (top[6], top[5])
            top[5] += 1
            if build:
                top[0].append(value)
        elif top[2]:
            top[2], top[3], top[4], link = False, value, '?', top[6]
            if kind is not alias or isinstance(value, (dict, list)):
                build = False  # a complex or unhashable key: PyYAML refuses or builds it
        else:
            top[2], link = True, (top[6], top[4])
            if build:
                top[0][top[3]] = value
        if kind is alias:
            level = len(stack) + found[2]
            if level > max_depth:
                raise refusal(_where(path, link), 'levels of nesting (after alias expansion)', 'depth', max_depth)
            if level > deep:
                deep = level
            continue
        if len(stack) >= max_depth:
            raise refusal(_where(path, top[6]), 'levels of nesting', 'depth', max_depth)
        anchor = event.anchor
        top = [value, {} if kind is mapping else None, True, None, None, 0, link, anchor, count - 1, deep]
        stack.append(top)
        if anchor is not None:
            if anchor in anchors or anchor in open_anchors:
                build = False  # a duplicated anchor: PyYAML refuses it
            open_anchors[anchor] = event.start_mark
            deep = len(stack)
        elif len(stack) > deep:
            deep = len(stack)
    return (root if build else None), build


def load(text, path, budgets, loader=None):
    """The data of the YAML ``text`` (file ``path``) within ``budgets``: see the module docstring. yaml.YAMLError
    of a malformed file is left to the caller; ``loader`` (a PyYAML loader class) is for the tests."""
    loader = loader or Loader
    events = loader(text)
    try:
        data, built = _one_pass(events, path, budgets)
    finally:
        events.dispose()
    if built:
        return data
    rest = loader(text)
    try:
        return rest.get_single_data()
    finally:
        rest.dispose()
