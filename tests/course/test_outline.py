"""The outline: the real one loads; each kind of broken outline fails naming its entry."""

from __future__ import annotations

import copy

import pytest
import yaml

from neuro4ml.course.outline import OutlineError, check_pages, load_outline, parse_outline


@pytest.fixture(scope="module")
def raw(project):
    return yaml.safe_load(project.outline_file.read_text())


def test_real_outline_loads_with_every_page(project):
    outline = project.outline(check_pages=True)
    assert [w.number for w in outline.weeks] == list(range(10))
    assert outline.week(0).lectures[0].youtube == "jhnuVDh2XKA"
    assert [w.exercises.status_text for w in (outline.week(0), outline.week(9))] == ["No exercises this week"] * 2
    assert {d.name for d in outline.designers} == {"Dan Goodman", "Marcus Ghosh"}
    assert any("discord.gg" in link.url for link in outline.links)


def broken(raw, edit):
    data = copy.deepcopy(raw)
    edit(data)
    return data


CASES = {
    "missing week title": (lambda d: d["weeks"][3].pop("title"), r"weeks\[3\].*missing field 'title'"),
    "unknown week": (lambda d: d["weeks"][9].update(number=12), r"weeks\[9\].*unknown week 12"),
    "week twice": (lambda d: d["weeks"][2].update(number=1), r"weeks must be 0 to 9.*\[0, 1, 1, 3"),
    "malformed youtube id": (
        lambda d: d["weeks"][0]["lectures"][0].update(youtube="watch?v=jhnuVDh2XKA"),
        r"week 0 'Introduction and motivation'.*'Why neuroscience\?'.*malformed YouTube id 'watch\?v=jhnuVDh2XKA'",
    ),
    "lecture without title": (lambda d: d["weeks"][1]["lectures"][1].pop("title"), r"weeks\[1\].*lectures\[1\].*missing field 'title'"),
    "misspelt field": (lambda d: d["weeks"][2]["lectures"][0].update(youtub="x"), r"lectures\[0\].*unknown field 'youtub'"),
    "exercises not a mapping": (lambda d: d["weeks"][4].update(exercises=3), r"week 4 'Learning rules'.*exercises.*expected a mapping"),
    "released without notebooks": (
        lambda d: d["weeks"][5].update(exercises={"status": "released"}),
        r"week 5 .*released' but no notebooks",
    ),
    "bad designer url": (lambda d: d["designers"][1].update(url="neural-reckoning.org"), r"designers\[1\].*http\(s\) URL"),
    "repository not on GitHub": (lambda d: d.update(repository="https://example.org/x"), r"repository must be a https://github.com/"),
    "empty leaderboard page": (
        lambda d: d["weeks"][1].update(leaderboard=""), r"week 1 'Neurons'.*field 'leaderboard' must be a non-empty string"
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_broken_outline_names_the_entry(raw, case):
    edit, message = CASES[case]
    with pytest.raises(OutlineError, match=message):
        parse_outline(broken(raw, edit))


def test_page_that_does_not_exist_is_named(raw, project):
    data = broken(raw, lambda d: d["weeks"][2]["lectures"][0].update(page="week2/no-such-page"))
    with pytest.raises(OutlineError, match=r"week 2 'Synapses and networks' > lecture 'Synapses 1'.*'week2/no-such-page' does not exist"):
        check_pages(parse_outline(data), project.content_dir)


def test_invalid_yaml_is_reported(tmp_path):
    path = tmp_path / "course.yml"
    path.write_text("weeks: [\n")
    with pytest.raises(OutlineError, match="not valid YAML"):
        load_outline(path)


def test_leaderboard_page_that_does_not_exist_is_named(raw, project):
    outline = parse_outline(broken(raw, lambda d: d["weeks"][1].update(leaderboard="week1/podium")))
    with pytest.raises(OutlineError, match=r"week 1 'Neurons' > leaderboard: page 'week1/podium' does not exist"):
        check_pages(outline, project.content_dir)


def test_leaderboard_pages_are_listed_after_the_exercises(project):
    from neuro4ml.course.render import linker, week_items

    week = project.outline(check_pages=False).week(1)
    assert week.leaderboard == "week1/leaderboard"
    assert week.pages.index("week1/leaderboard") == week.pages.index("week1/exercises") + 1
    items = week_items(week, linker("week1"))
    assert items[items.index("[Exercises](exercises.ipynb)") + 1] == "[Competition leaderboard](leaderboard.md)"
