"""Twine stories into courses (`scormbuild import-twine`).

* ``story`` reads a Twee 3 file, ``archive`` a Twine 2 HTML file (a published story or a library
  archive), both into the same ``Story`` of passages;
* ``passages`` turns each passage's text into Markdown, links (with the conditions and changes of
  variables around them) and notes on what it could not convert, using ``markup`` for emphasis
  and lists and ``expressions`` for Harlowe, SugarCube and Chapbook expressions;
* ``commands/import_twine.py`` puts them together into a course and writes it.

A story file is untrusted input: every step is linear in its size (no pattern can backtrack over
a line, brackets are matched once per passage with a stack), and what cannot be converted is
removed from the text and reported, never shown to learners as markup.
"""
