"""One passage's text: Markdown for the scene, links for its choices, changes of variables, and
notes on everything it could not convert.

The text is read left to right once. Brackets and parentheses are matched beforehand with a stack
(``matching``), so a Harlowe macro's end or a hook's is found at once, never by a search that
could run to the end of the text from every opening; a SugarCube `<<` looks for its `>>` only
while one is left; a `[[` for its `]]` only on its line. What the scan is inside (a hook, an
`<<if>>`, a `<<link>>`, a Chapbook section) is a stack of Frames; text collected in a frame goes
to its parent when the frame closes, or is dropped (and noted) when it is shown only under a
condition, since a scene's text cannot depend on one.
"""

from __future__ import annotations

import bisect
import re

from scormbuild.commands.twine.expressions import (
    Change,
    Names,
    Token,
    Unconvertible,
    convert_assignments,
    convert_condition,
    tokens,
)
from scormbuild.commands.twine.pieces import (
    UNKNOWN,
    Converted,
    Frame,
    Link,
    Note,
    Piece,
    Print,
    both,
    macro_name,
    matching,
    negate_all,
    split_link,
    strings,
)
from scormbuild.commands.twine.story import Passage

HARLOWE_MACRO = re.compile(r"\(([A-Za-z][\w-]*):")
SUGARCUBE_NAME = re.compile(r"\s*(/?)([A-Za-z][\w-]*|=|-)")
VARIABLE = re.compile(r"\$[A-Za-z_][A-Za-z0-9_]*")
NAMED_HOOK_START = re.compile(r"\|[A-Za-z_][\w-]*([>)])\[")
NAMED_HOOK_END = re.compile(r"[<(][A-Za-z_][\w-]*\|")
CHAPBOOK_MODIFIER = re.compile(r"\[([^\[\]\n]+)\][ \t]*(?=\n|$)")
CHAPBOOK_VARIABLE = re.compile(r"\s*([A-Za-z_$][\w.$]*)\s*(\(([^\n]*)\))?\s*:\s*(.*)")

CONDITIONAL = {"if", "unless", "elseif", "else"}
HARLOWE_LINKS = {"link", "linkreveal", "linkrepeat", "linkrerun", "linkrevealgoto", "linkgoto", "linkundo"}
# Changers whose hook is shown later, elsewhere or never, depending on what the reader does.
HARLOWE_HIDDEN = {"hidden", "replace", "append", "prepend", "show", "hide", "rerun", "click", "clickreplace",
                  "clickappend", "clickprepend", "mouseover", "mouseout", "event", "dialog", "dropdown"}
SUGARCUBE_INPUTS = {"textbox", "textarea", "checkbox", "radiobutton", "listbox", "cycle", "numberbox", "option"}


class PassageReader:
    """Reads one passage; ``dialect`` is harlowe, sugarcube, chapbook or any (Harlowe and SugarCube)."""

    def __init__(self, passage: Passage, dialect: str, names: Names) -> None:
        self.passage, self.text, self.dialect, self.names = passage, passage.text, dialect, names
        self.harlowe = dialect in ("harlowe", "any")
        self.sugarcube = dialect in ("sugarcube", "any")
        self.chapbook = dialect == "chapbook"
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.parens = matching(self.text, "(", ")") if self.harlowe else {}
        self.brackets = matching(self.text, "[", "]") if self.harlowe else {}
        self.braces = matching(self.text, "{", "}") if self.chapbook else {}
        self.stack = [Frame("top", passage.body_line)]
        self.ends: list[int] = []  # the closing `]` of each hook the scan is in, innermost last
        self.out: list[tuple[Piece, Frame]] = []  # text and shown variables, each with its frame
        self.links: list[Link] = []
        self.changes: list[Change] = []
        self.change_lines: list[int] = []
        self.notes: list[Note] = []
        self.no_more_angles = False  # no `>>` after the scan's position: `<<` is text from now on
        self.last_link_close = self.text.rfind("<</link>>"), self.text.rfind("<</button>>")
        self.plain_from = 0  # where the text not yet added starts
        self.line_end = self.last_close = -1  # see ``link``
        self.interesting = self.starts()

    def starts(self) -> re.Pattern[str]:
        """Where a construct can start, or a hook end: the scan skips the text between at C speed."""
        characters = "\\[\\]"
        if self.harlowe:
            characters += "(|$"
        if self.sugarcube:
            characters += "$" + ("" if self.no_more_angles else "<")
        if self.chapbook:
            characters += "{"
        return re.compile(f"[{characters}]")

    # -- helpers ---------------------------------------------------------------------------------

    def line(self, offset: int) -> int:
        return self.passage.body_line + bisect.bisect_right(self.line_starts, offset) - 1

    def note(self, offset: int, text: str) -> None:
        self.notes.append(Note(self.line(offset), text))

    def add(self, piece: Piece) -> None:
        """Text or a shown variable, in the innermost frame (links are kept apart, in ``links``)."""
        frame = self.stack[-1]
        if isinstance(piece, Link):
            return
        self.out.append((piece, frame))
        if isinstance(piece, Print) or piece.strip():
            frame.has_text = True

    def condition_here(self) -> str | None:
        """The condition under which what the scan reads now is shown."""
        return self.stack[-1].combined

    def capturing(self) -> Frame | None:
        """The innermost link frame: changes and a `goto` there belong to its link."""
        return self.stack[-1].capture

    def emit_link(self, label: str, target: str, offset: int, changes: list[Change] | None = None,
                  automatic: bool = False) -> None:
        condition = self.condition_here()
        link = Link(label, target, self.line(offset), changes=list(changes or []), automatic=automatic)
        if condition == UNKNOWN:
            self.note(offset, f"the link to `{target}` is shown only under a condition import-twine could not "
                      "convert (see above); the choice is always offered")
        else:
            link.condition = condition
        self.links.append(link)
        self.add(link)

    def apply_changes(self, changes: list[Change], offset: int, source: str) -> None:
        """Changes made where the scan is: by a link being taken, when the passage is shown, or (under
        a condition) not at all."""
        frame = self.capturing()
        if frame is not None:
            frame.changes.extend(changes)
        elif self.condition_here() is not None:
            self.note(offset, f"`{source}` happens only under a condition; a course cannot change a variable "
                      "when a scene is shown under a condition, so it was removed")
        else:
            self.changes.extend(changes)
            self.change_lines.extend([self.line(offset)] * len(changes))

    def assignments(self, args: str, offset: int, source: str, put: bool = False) -> None:
        try:
            changes = convert_assignments(args, self.dialect, self.names, put=put)
        except Unconvertible as problem:
            self.note(offset, f"`{source}` was removed: {problem}")
            return
        self.apply_changes(changes, offset, source)

    def condition(self, text: str, offset: int, source: str) -> str:
        try:
            return convert_condition(text, self.dialect, self.names)
        except Unconvertible as problem:
            self.note(offset, f"`{source}`: {problem}")
            return UNKNOWN

    def print_value(self, expression: str, offset: int, source: str) -> None:
        expression = expression.strip()
        if VARIABLE.fullmatch(expression) or (self.chapbook and re.fullmatch(r"[A-Za-z_]\w*", expression)):
            self.add(Print(self.names.course_name(expression), source, self.line(offset)))
        elif len(expression) >= 2 and expression[0] == expression[-1] and expression[0] in "\"'":
            self.add(expression[1:-1])
        else:
            self.note(offset, f"`{source}` was removed: a scene cannot show a computed value")

    # -- frames ----------------------------------------------------------------------------------

    def push(self, frame: Frame) -> None:
        parent = self.stack[-1]
        frame.parent = parent
        frame.combined = both(parent.combined, frame.condition)
        frame.capture = frame if frame.kind == "link" else parent.capture
        self.stack.append(frame)
        if frame.end != -1:
            self.ends.append(frame.end)

    def close(self, offset: int) -> None:
        """Close the innermost frame: its text stays, or is dropped and noted."""
        frame = self.stack.pop()
        if frame.end != -1:
            self.ends.pop()
        parent = self.stack[-1]
        if frame.kind == "link":
            self.close_link(frame)
        elif frame.hidden:
            frame.dropped = True
            if frame.has_text and not frame.quiet:
                self.notes.append(Note(frame.line, f"text {frame.why} was removed: a scene's text cannot depend on "
                                       "a condition (a speech line with `if:`, or a branch to another scene, can)"))
        if not frame.dropped:
            parent.has_text = parent.has_text or frame.has_text
        if frame.kind == "hook" and frame.chain:
            parent.last_chain = frame.chain

    def close_link(self, frame: Frame) -> None:
        if frame.target is not None:
            condition = self.condition_here()  # the frames around the link's
            link = Link(frame.label or frame.target, frame.target, frame.line, changes=frame.changes)
            if condition == UNKNOWN:
                self.notes.append(Note(frame.line, f"the link to `{frame.target}` is shown only under a condition "
                                       "import-twine could not convert; the choice is always offered"))
            else:
                link.condition = condition
            self.links.append(link)
            frame.dropped = True
            if frame.has_text:
                self.notes.append(Note(frame.line, f"text {frame.why} is shown in Twine after the click; "
                                       "it was removed"))
            return
        self.notes.append(Note(frame.line, f"{frame.why} reveals text on a click; the text is shown at once"
                               + (" and the changes it makes were removed" if frame.changes else "")))

    def shown_pieces(self) -> list[Piece]:
        """The text and variables of frames that were not dropped, nor any frame around them."""
        visible: dict[int, bool] = {id(self.stack[0]): True}
        kept = []
        for piece, frame in self.out:
            path = []
            current: Frame | None = frame
            while current is not None and id(current) not in visible:
                path.append(current)
                current = current.parent
            answer = visible[id(current)] if current is not None else True
            for step in reversed(path):
                answer = answer and not step.dropped
                visible[id(step)] = answer
            if visible[id(frame)]:
                kept.append(piece)
        return kept

    # -- the scan --------------------------------------------------------------------------------

    def read(self) -> Converted:
        text = self.text
        position = self.chapbook_variables() if self.chapbook else 0
        self.plain_from = position
        while True:
            found = self.interesting.search(text, position)
            if found is None:
                break
            position = found.start()
            char = text[position]
            after = -1
            if self.ends and self.ends[-1] == position:
                after = self.hook_end(position)
            elif char == "[" and text.startswith("[[", position):
                after = self.link(position)
            elif char == "(" and self.harlowe:
                after = self.harlowe_macro(position)
            elif char == "<" and self.sugarcube and text.startswith("<<", position):
                after = self.sugarcube_macro(position)
            elif char == "|" and self.harlowe:
                after = self.named_hook(position)
            elif char == "$" and (self.harlowe or self.sugarcube):
                after = self.naked_variable(position)
            elif char == "{" and self.chapbook:
                after = self.chapbook_insert(position)
            elif char == "[" and self.chapbook and (position == 0 or text[position - 1] == "\n"):
                after = self.chapbook_modifier(position)
            if after == -1:
                position += 1
            else:
                position = self.plain_from = after
        self.flush(len(text))
        while len(self.stack) > 1:
            self.close(len(text))
        return Converted(self.passage, self.shown_pieces(), self.links, self.changes, self.change_lines, self.notes)

    # Each handler is called with the scan's position at a possible construct. It returns -1 when
    # there is none (the character is text), else the position after it, having first added the
    # text before it with ``flush``.

    def flush(self, position: int) -> None:
        """Add the text read since the last construct, up to ``position``."""
        if position > self.plain_from:
            self.add(self.text[self.plain_from:position])
        self.plain_from = position

    def naked_variable(self, position: int) -> int:
        match = VARIABLE.match(self.text, position)
        if match is None:
            return -1
        self.flush(position)
        self.add(Print(self.names.course_name(match.group()), match.group(), self.line(position)))
        return match.end()

    def hook_end(self, position: int) -> int:
        self.flush(position)
        while self.stack[-1].end != position:  # <<if>> or a link left open inside the hook
            self.close(position)
        self.close(position)
        end = position + 1
        suffix = NAMED_HOOK_END.match(self.text, end)
        return suffix.end() if suffix else end

    def link(self, position: int) -> int:
        text = self.text
        if position > self.line_end:  # the end of this line, and its last `]]`: looked up once per line
            self.line_end = text.find("\n", position)
            self.line_end = len(text) if self.line_end == -1 else self.line_end
            self.last_close = text.rfind("]]", position, self.line_end)
        if position + 3 > self.last_close:  # no `]]` after it on its line
            return -1
        close = text.find("]]", position + 3, self.line_end)
        if self.ends and close + 1 > self.ends[-1]:  # a link never reaches out of its hook
            return -1
        self.flush(position)
        label, target, setter = split_link(text[position + 2:close])
        changes: list[Change] = []
        if setter:
            try:
                changes = convert_assignments(setter, self.dialect, self.names)
            except Unconvertible as problem:
                self.note(position, f"the setter `[{setter[:60]}]` of the link to `{target}` was removed: {problem}")
        if not target:
            self.note(position, "an empty link `[[]]` was removed")
            return close + 2
        self.emit_link(label or target, target, position, changes)
        return close + 2

    def harlowe_macro(self, position: int) -> int:
        match = HARLOWE_MACRO.match(self.text, position)
        close = self.parens.get(position)
        if match is None or close is None:
            return -1
        self.flush(position)
        chain = [(macro_name(match.group(1)), self.text[match.end():close], self.text[position:close + 1])]
        end = close + 1
        while True:  # changers joined into one: (if: $x)(text-colour: red)[…]
            following = HARLOWE_MACRO.match(self.text, end)
            if following and end in self.parens:
                closing = self.parens[end]
                chain.append((macro_name(following.group(1)), self.text[following.end():closing],
                              self.text[end:closing + 1]))
                end = closing + 1
                continue
            # A hook follows at once; `[[` is a link (a hook holding one is written `[[[…]]]`).
            if self.text.startswith("[", end) and end in self.brackets and \
                    (not self.text.startswith("[[", end) or self.text.startswith("[[[", end)):
                self.harlowe_hook(chain, position, end)
                return end + 1
            break
        for name, args, source in chain:
            self.harlowe_alone(name, args, source, position)
        return end

    def harlowe_alone(self, name: str, args: str, source: str, position: int) -> None:
        """A Harlowe macro without a hook."""
        shown = source if len(source) <= 80 else source[:79] + "\u2026"
        if name == "set":
            self.assignments(args, position, shown)
        elif name == "put":
            self.assignments(args, position, shown, put=True)
        elif name == "print":
            self.print_value(args, position, shown)
        elif name in ("linkgoto", "linkrevealgoto", "clickgoto"):
            values = strings(args)
            if name == "clickgoto" or not values:
                self.note(position, f"`{shown}` was removed: import-twine could not read its passage")
            else:
                self.emit_link(values[0], values[-1], position)
        elif name == "goto" and self.capturing() is not None and strings(args):
            capture = self.capturing()
            assert capture is not None
            capture.target = strings(args)[0]
        elif name == "goto":
            values = strings(args)
            if values:
                self.emit_link(values[0], values[0], position, automatic=True)
                self.note(position, f"`{shown}` goes on at once in Twine; it became a choice the learner takes")
            else:
                self.note(position, f"`{shown}` was removed: import-twine could not read its passage")
        elif name in ("else", "elseif", "if", "unless"):
            pass  # a condition with nothing under it shows nothing
        else:
            self.note(position, f"`{shown}` was removed: a course has no equivalent")

    def harlowe_hook(self, chain: list[tuple[str, str, str]], position: int, opening: int) -> None:
        frame = Frame("hook", self.line(position), end=self.brackets[opening])
        parent = self.stack[-1]
        condition: str | None
        for name, args, source in chain:
            shown = source if len(source) <= 60 else source[:59] + "\u2026"
            first = shown
            if name in CONDITIONAL:
                previous = parent.last_chain or []
                if name == "if":
                    condition = self.condition(args, position, shown)
                    frame.chain = [condition]
                elif name == "unless":
                    condition = negate_all([self.condition(args, position, shown)])
                    frame.chain = [condition]
                elif name == "elseif":
                    this = self.condition(args, position, shown)
                    condition = both(negate_all(previous), this) if previous else UNKNOWN
                    frame.chain = previous + [this] if previous else []
                else:
                    condition = negate_all(previous) if previous else UNKNOWN
                    if not previous:
                        self.note(position, f"`{shown}` follows no condition import-twine could read")
                frame.condition = both(frame.condition, condition)
                frame.hidden, frame.why = True, f"under `{first}`"
            elif name in HARLOWE_LINKS:
                values = strings(args)
                frame.kind, frame.hidden, frame.why = "link", True, f"`{shown}`"
                frame.label = values[0] if values else None
                if name in ("linkrevealgoto", "linkgoto") and values:
                    frame.target = values[-1]
            elif name in HARLOWE_HIDDEN:
                frame.condition, frame.hidden, frame.why = UNKNOWN, True, f"under `{first}`"
                self.note(position, f"`{shown}` shows its hook only when the reader does something; "
                          "a course cannot")
            elif name in ("set", "put", "print", "goto"):
                self.harlowe_alone(name, args, source, position)
            else:
                self.note(position, f"`{shown}` was removed (a course has no equivalent); the text of its hook "
                          "was kept")
        self.push(frame)

    def named_hook(self, position: int) -> int:
        match = NAMED_HOOK_START.match(self.text, position)
        if match is None or match.end() - 1 not in self.brackets:
            return -1
        self.flush(position)
        frame = Frame("hook", self.line(position), end=self.brackets[match.end() - 1])
        if match.group(1) == ")":
            frame.condition, frame.hidden, frame.why = UNKNOWN, True, f"in the hidden hook `{match.group()[:-1]}`"
            self.note(position, f"the hidden hook `{match.group()[:-1]}` is shown only when a macro shows it; "
                      "a course cannot")
        self.push(frame)
        return match.end()

    # -- SugarCube -------------------------------------------------------------------------------

    def sugarcube_macro(self, position: int) -> int:
        if self.no_more_angles:
            return -1
        end = self.text.find(">>", position + 2)
        if end == -1:
            self.no_more_angles = True
            self.interesting = self.starts()
            return -1
        self.flush(position)
        content = self.text[position + 2:end]
        source = self.text[position:end + 2]
        shown = source if len(source) <= 80 else source[:79] + "\u2026"
        match = SUGARCUBE_NAME.match(content)
        after = end + 2
        if match is None:
            self.note(position, f"`{shown}` was removed: it is not a macro import-twine can read")
            return after
        closing, name, args = match.group(1) == "/", match.group(2).lower(), content[match.end():]
        condition: str | None
        if closing:
            self.sugarcube_close(name, position)
        elif name == "set":
            self.assignments(args, position, shown)
        elif name in ("print", "=", "-"):
            self.print_value(args, position, shown)
        elif name == "if":
            condition = self.condition(args, position, shown)
            self.push(Frame("if", self.line(position), condition=condition, hidden=True, why=f"under `{shown}`",
                            chain=[condition]))
        elif name in ("elseif", "else") and self.stack[-1].kind == "if":
            frame = self.stack[-1]
            self.close(position)
            this = self.condition(args, position, shown) if name == "elseif" else None
            condition = both(negate_all(frame.chain), this)
            self.push(Frame("if", self.line(position), condition=condition, hidden=True, why=f"under `{shown}`",
                            chain=frame.chain + ([this] if this else []), quiet=frame.quiet))
        elif name == "switch":
            self.push(Frame("if", self.line(position), condition=UNKNOWN, hidden=True, quiet=True,
                            label=args.strip()))
        elif name in ("case", "default") and self.stack[-1].kind == "if" and self.stack[-1].label is not None:
            frame = self.stack[-1]
            self.close(position)
            subject, chain = frame.label or "", [c for c in frame.chain if c]
            if name == "case":
                values = " or ".join(f"{subject} is {value.text}" for value in self.safe_tokens(args))
                this = self.condition(values, position, shown) if values else UNKNOWN
                condition = both(negate_all(chain), this) if chain else this
                chain = chain + [this]
            else:
                condition = negate_all(chain)
            self.push(Frame("if", self.line(position), condition=condition, hidden=True, why=f"under `{shown}`",
                            chain=chain, label=subject))
        elif name in ("link", "button"):
            self.sugarcube_link(name, args, position, after, shown)
        elif name == "goto":
            target = self.sugarcube_target(args)
            capture = self.capturing()
            if target is None:
                self.note(position, f"`{shown}` was removed: import-twine could not read its passage")
            elif capture is not None:
                capture.target = target
            else:
                self.emit_link(target, target, position, automatic=True)
                self.note(position, f"`{shown}` goes on at once in Twine; it became a choice the learner takes")
        elif name == "silently":
            self.push(Frame("silent", self.line(position), hidden=True, quiet=True))
        elif name == "nobr":
            pass
        elif name == "script":
            self.push(Frame("silent", self.line(position), hidden=True, quiet=True))
            self.note(position, "a `<<script>>` was removed: a course runs no story scripts")
        elif name in SUGARCUBE_INPUTS:
            self.note(position, f"`{shown}` was removed: a course has no text boxes or other inputs in a scene")
        else:
            self.note(position, f"`{shown}` was removed: a course has no equivalent")
        return after

    def safe_tokens(self, args: str) -> list[Token]:
        try:
            return [t for t in tokens(args[:300]) if t.text not in (",",)]
        except Unconvertible:
            return []

    def sugarcube_close(self, name: str, position: int) -> None:
        kinds = {"if": "if", "switch": "if", "link": "link", "button": "link", "silently": "silent",
                 "script": "silent"}
        kind = kinds.get(name)
        if kind is None:
            return  # the end of a macro noted where it starts
        index = len(self.stack) - 1
        while index > 0 and self.stack[index].kind != kind and self.stack[index].end == -1:
            index -= 1
        if index > 0 and self.stack[index].kind == kind:
            while len(self.stack) > index:
                self.close(position)

    def sugarcube_target(self, args: str) -> str | None:
        args = args.strip()
        if args.startswith("[[") and args.endswith("]]"):
            return split_link(args[2:-2])[1] or None
        values = strings(args)
        return values[0] if values else None

    def sugarcube_link(self, name: str, args: str, position: int, after: int, shown: str) -> None:
        args = args.strip()
        label: str | None
        target: str | None
        changes: list[Change] = []
        if args.startswith("[[") and "]]" in args:
            label, target, setter = split_link(args[2:args.rfind("]]")])
            if setter:
                try:
                    changes = convert_assignments(setter, self.dialect, self.names)
                except Unconvertible as problem:
                    self.note(position, f"the setter of `{shown}` was removed: {problem}")
        else:
            values = strings(args)
            label = values[0] if values else None
            target = values[1] if len(values) > 1 else None
        container = after <= max(self.last_link_close)
        if container:
            frame = Frame("link", self.line(position), hidden=True, why=f"`{shown}`", label=label, target=target,
                          changes=changes)
            self.push(frame)
        elif target:
            self.emit_link(label or target, target, position, changes)
        else:
            self.note(position, f"`{shown}` was removed: it leads to no passage")

    # -- Chapbook --------------------------------------------------------------------------------

    def chapbook_variables(self) -> int:
        """The vars section (`name: value` lines, then `--`) at the top of a Chapbook passage."""
        text = self.text
        lines = text.split("\n", 200)[:200]
        if "--" not in [line.strip() for line in lines]:
            return 0
        offset = 0
        found: list[tuple[int, str]] = []
        for line in lines:
            if line.strip() == "--":
                for start, item in found:
                    match = CHAPBOOK_VARIABLE.fullmatch(item)
                    assert match is not None
                    name, condition, value = match.group(1), match.group(3), match.group(4)
                    source = item.strip()
                    if condition:
                        self.note(start, f"`{source[:60]}` sets a variable under a condition; it was removed")
                        continue
                    self.assignments(f"{name} to {value}", start, source)
                return offset + len(line) + 1
            if line.strip() and not CHAPBOOK_VARIABLE.fullmatch(line):
                return 0
            if line.strip():
                found.append((offset, line))
            offset += len(line) + 1
        return 0

    def chapbook_modifier(self, position: int) -> int:
        match = CHAPBOOK_MODIFIER.match(self.text, position)
        if match is None:
            return -1
        self.flush(position)
        previous: Frame | None = None
        while self.stack[-1].kind in ("if", "silent") and self.stack[-1].end == -1 and len(self.stack) > 1:
            previous = self.stack[-1]
            self.close(position)
        modifier = match.group(1).strip()
        word = modifier.split()[0].lower()
        rest = modifier[len(word):].strip()
        line = self.line(position)
        if word == "if":
            condition = self.condition(rest, position, match.group())
            self.push(Frame("if", line, condition=condition, hidden=True, why=f"under `{match.group()}`",
                            chain=[condition]))
        elif word == "unless":
            condition = negate_all([self.condition(rest, position, match.group())])
            self.push(Frame("if", line, condition=condition, hidden=True, why=f"under `{match.group()}`"))
        elif word == "else":
            chain = previous.chain if previous is not None else []
            self.push(Frame("if", line, condition=negate_all(chain), hidden=True, why=f"under `{match.group()}`"))
        elif word in ("continue", "cont'd", "cont", "continued"):
            pass
        elif word in ("note", "n.b.", "fixme", "todo", "note:"):
            self.push(Frame("silent", line, hidden=True, quiet=True))
            self.note(position, f"the author's note `{match.group()}` was removed (Chapbook does not show it either)")
        else:
            self.note(position, f"the modifier `{match.group()}` was removed; the text after it was kept")
        return match.end()

    def chapbook_insert(self, position: int) -> int:
        close = self.braces.get(position)
        if close is None or "\n" in self.text[position:close]:
            return -1
        self.flush(position)
        inner = self.text[position + 1:close].strip()
        source = self.text[position:close + 1]
        shown = source if len(source) <= 80 else source[:79] + "\u2026"
        if re.fullmatch(r"[A-Za-z_]\w*", inner):
            self.add(Print(self.names.course_name(inner), source, self.line(position)))
        elif inner.lower().startswith("link to"):
            values = strings(inner)
            if values:
                label = values[1] if len(values) > 1 else values[0]
                self.emit_link(label, values[0], position)
            else:
                self.note(position, f"`{shown}` was removed: import-twine could not read its passage")
        else:
            self.note(position, f"`{shown}` was removed: a course has no equivalent")
        return close + 1


def read_passage(passage: Passage, dialect: str, names: Names) -> Converted:
    return PassageReader(passage, dialect, names).read()
