"""The bibliography: one entry per key, and every citation on the site has its entry."""

from __future__ import annotations

import re
from collections import Counter

KEY = re.compile(r"^@\w+\{([^,\s]+),", re.MULTILINE)
CITE = re.compile(r"\{foot(?:cite|cite:t|cite:p|cite:ts|cite:ps)\}`([^`]+)`")


def test_keys_are_unique_and_every_citation_resolves(project):
    keys = KEY.findall((project.content_dir / "refs.bib").read_text(encoding="utf-8"))
    duplicates = [k for k, n in Counter(keys).items() if n > 1]
    assert not duplicates, f"duplicate keys in refs.bib: {duplicates}"
    cited = {
        key.strip()
        for page in project.content_dir.rglob("*.md")
        for group in CITE.findall(page.read_text(encoding="utf-8"))
        for key in group.split(",")
    }
    assert cited, "no page cites anything"
    missing = sorted(cited - set(keys))
    assert not missing, f"cited but not in refs.bib: {missing}"


def test_refs_bib_parses_with_the_parser_the_site_uses(project):
    # A merge that truncates an entry (a lost closing brace) passes the key check above
    # but stops sphinxcontrib-bibtex, and with it the whole site build.
    from pybtex.database import parse_file

    entries = parse_file(str(project.content_dir / "refs.bib")).entries
    assert set(entries) == set(KEY.findall((project.content_dir / "refs.bib").read_text(encoding="utf-8")))
