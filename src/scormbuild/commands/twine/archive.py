"""Reading a Twine 2 HTML file: a published story, or a library archive of several.

Twine keeps each story as a ``<tw-storydata>`` element (its name, start passage and story
format as attributes) holding a ``<tw-passagedata>`` per passage, the passage's text escaped as
HTML. lxml's HTML parser reads it: it never fetches anything (``no_network``), keeps its usual
limits on depth and size (no ``huge_tree``), and HTML has no entity declarations to expand.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree, html

from scormbuild.commands.twine.story import (
    FORBIDDEN,
    MAX_HEADER_CHARS,
    MAX_PASSAGES,
    Passage,
    Story,
    check_title,
    make_story,
    one_line,
    shown,
)
from scormbuild.errors import ContentError, Location

HTML_HINT = "give a story published from Twine (Build > Publish to File) or Twine's library archive"


def line_of(element: html.HtmlElement) -> int:
    line = element.sourceline
    return line if isinstance(line, int) and line > 0 else 1


def is_html(path: Path, text: str) -> bool:
    """Whether a story file is Twine HTML rather than Twee."""
    return path.suffix.lower() in (".html", ".htm") or "<tw-storydata" in text[:200_000]


def parse_archive(path: Path, text: str, story_name: str | None = None) -> Story:
    """The story in ``text``, the content of the Twine HTML file ``path``: its only one, or the one
    named ``story_name``."""
    parser = etree.HTMLParser(no_network=True, huge_tree=False, remove_comments=True, remove_pis=True,
                              encoding="utf-8")
    try:
        document = html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        document = None
    stories = [] if document is None else list(document.iter("tw-storydata"))
    if not stories:
        raise ContentError(Location(path), "this HTML file holds no Twine story (no <tw-storydata> element)",
                           HTML_HINT)
    names = [one_line(element.get("name") or "") for element in stories]
    if story_name is not None:
        chosen = [element for element, name in zip(stories, names, strict=True) if name == one_line(story_name)]
        if not chosen:
            raise ContentError(Location(path), f"this file has no story named `{shown(story_name)}`",
                               "its stories are: " + ", ".join(f"`{shown(name)}`" for name in names[:20]))
        element = chosen[0]
    elif len(stories) > 1:
        raise ContentError(Location(path, line_of(stories[1])),
                           f"this file holds {len(stories)} stories; import-twine converts one at a time",
                           "say which with --story NAME; its stories are: "
                           + ", ".join(f"`{shown(name)}`" for name in names[:20]))
    else:
        element = stories[0]
    return _story(path, element)


def _story(path: Path, element: html.HtmlElement) -> Story:
    line = line_of(element)
    passages: list[Passage] = []
    start: str | None = None
    start_pid = element.get("startnode")
    for number, item in enumerate(element.iter("tw-passagedata")):
        where = line_of(item)
        if number == 2 * MAX_PASSAGES:  # make_story counts story passages exactly; this stops a flood early
            raise ContentError(Location(path, where), f"the story has more than {MAX_PASSAGES:,} passages; "
                               f"import-twine converts at most {MAX_PASSAGES:,}",
                               "split the story into several stories, each a course")
        name = " ".join((item.get("name") or "").split())
        if len(name) > MAX_HEADER_CHARS:
            raise ContentError(Location(path, where),
                               f"this passage's name is {len(name):,} characters long; the limit is "
                               f"{MAX_HEADER_CHARS:,}", "shorten the passage name (it becomes the scene's title)")
        if not name:
            raise ContentError(Location(path, where), "this passage has no name", "give the passage a name in Twine")
        if start_pid is not None and item.get("pid") == start_pid:
            start = name
        body = "".join(item.itertext())
        bad = FORBIDDEN.search(name + body)  # written as a character reference, e.g. &#7;
        if bad:
            raise ContentError(Location(path, where), f"passage `{shown(name)}` contains the control character "
                               f"U+{ord(bad.group()):04X}", "remove it; a passage holds only text and line breaks")
        leading = body[:len(body) - len(body.lstrip())].count("\n")
        passages.append(Passage(name, (item.get("tags") or "").split(), body.strip(), where, where + leading))
    for tag, name in (("script", "UserScript"), ("style", "UserStylesheet")):  # the story's JavaScript and CSS
        code = "".join("".join(item.itertext()) for item in element.iter(tag)).strip()
        if code and name not in {passage.name for passage in passages}:
            found = next(element.iter(tag))
            passages.append(Passage(name, [tag], code, line_of(found), line_of(found)))
    title = check_title(one_line(element.get("name") or ""), path, line)
    return make_story(path, passages, title=title, start=start, start_line=line, format=element.get("format") or "")
