"""The ``neuro4ml`` command line: ``build``, ``serve``, ``check``, ``generate``, ``exercises``, ``nbgrader export``, ``score``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .outline import OutlineError
from .project import Project


def _project(args) -> Project:
    return Project.find(args.root)


def cmd_check(args) -> int:
    """Run the fast consistency checks.

    The outline is valid, every figure has an alt text, every lecture page has slide marks,
    generated files are current.
    """
    from .accessibility import problems
    from .generate import stale

    project = _project(args)
    outline = project.outline()
    print(f"outline ok: {len(outline.weeks)} weeks, {sum(len(w.lectures) for w in outline.weeks)} lecture items")
    undescribed = problems(project)
    if undescribed:
        lines = "\n  ".join(p.describe(project.root) for p in undescribed)
        print(f"figures without an alt text (see the README, 'Figures and accessibility'):\n  {lines}", file=sys.stderr)
    else:
        print("figures ok: every figure cell has an alt text")
    from .slides import source_problems

    slide_problems = source_problems(project)
    if slide_problems:
        lines = "\n  ".join(p.describe(project.root) for p in slide_problems)
        print(f"slide marks (see the README, 'Slides'):\n  {lines}", file=sys.stderr)
    else:
        print("slides ok: every lecture page has {slide} marks within the word limit")
    out_of_date = stale(project, outline)
    if out_of_date:
        names = "\n  ".join(str(p.relative_to(project.root)) for p in out_of_date)
        print(f"out of date with their sources (run `neuro4ml generate`):\n  {names}", file=sys.stderr)
    else:
        print("generated files ok: all in sync with their sources")
    return 1 if (undescribed or slide_problems or out_of_date) else 0


def cmd_generate(args) -> int:
    from .generate import write_all

    project = _project(args)
    written = write_all(project, project.outline())
    for path in written:
        print(f"{'wrote' if path.exists() else 'removed'} {path.relative_to(project.root)}")
    if not written:
        print("everything generated is already up to date")
    return 0


def cmd_build(args) -> int:
    from .site import build

    html = build(_project(args), strict=not args.no_strict)
    print(f"built the site in {html}")
    return 0


def cmd_serve(args) -> int:
    from .site import build, serve

    project = _project(args)
    html = project.html_dir if args.no_build else build(project, strict=not args.no_strict)
    serve(html, host=args.host, port=args.port)
    return 0


def cmd_exercises(args) -> int:
    from .copier import copy_exercises

    report = copy_exercises(_project(args), dest=Path(args.dest), week=args.week, force=args.force)
    print(report.summary())
    return 0


def cmd_nbgrader_export(args) -> int:
    from .grading import export

    print(export(_project(args), Path(args.dest), weeks=args.week).summary())
    return 0


def cmd_score(args) -> int:
    """Check a competition submission and print its score, recomputed on held-out data.

    Any file that cannot be scored ends in one line ``rejected: <reason>`` and exit status 1.
    """
    from neuro4ml.competition import PRACTICE_SET, SECRET_ENV, SubmissionError, competition, score_file

    try:
        comp = competition(args.competition)
        result = score_file(args.competition, args.submission)
    except SubmissionError as exc:
        print(f"rejected: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # whatever a hostile file provokes, it is a rejection, never a traceback
        print(f"rejected: {Path(args.submission).name}: could not be scored ({type(exc).__name__}: {str(exc)[:100]})",
              file=sys.stderr)
        return 1
    better = "higher" if comp.higher_is_better else "lower"
    details = ", ".join(f"{key} {value:.4g}" for key, value in result.details.items())
    if result.held_out == PRACTICE_SET:
        where = f"on the public practice set (practice score; the leaderboard uses data set by {SECRET_ENV})"
    else:
        where = "on the maintainers' secret competition set"
    print(f"{comp.title}\nteam: {result.team}\nscore: {result.score:.4f} ({better} is better), {where}\n{details}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="neuro4ml", description="Build, serve and check the course Neuroscience for machine learners.")
    p.add_argument("--root", type=Path, default=None, help="the course checkout (default: found from the current folder)")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser(
        "check", help="fast consistency checks (outline valid, figures described, generated files in sync)"
    ).set_defaults(func=cmd_check)
    sub.add_parser("generate", help="regenerate files made from the outline and the exercise sources").set_defaults(func=cmd_generate)

    b = sub.add_parser("build", help="build the website into _build/html")
    b.add_argument("--no-strict", action="store_true", help="do not treat warnings as errors")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("serve", help="build the website, then serve it")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--no-build", action="store_true", help="serve the existing build")
    s.add_argument("--no-strict", action="store_true", help="do not treat warnings as errors")
    s.set_defaults(func=cmd_serve)

    e = sub.add_parser("exercises", help="copy the student notebooks into a working folder")
    e.add_argument("--week", type=int, default=None, help="only this week's notebooks")
    e.add_argument("--dest", default="neuro4ml-exercises", help="folder to copy into (default: ./neuro4ml-exercises)")
    e.add_argument("--force", action="store_true", help="overwrite notebooks you have changed")
    e.set_defaults(func=cmd_exercises)

    g = sub.add_parser("nbgrader", help="grade the exercises with nbgrader (on a JupyterHub, say)")
    gsub = g.add_subparsers(dest="nbgrader_command", required=True)
    x = gsub.add_parser("export", help="write an nbgrader course directory (source/ and nbgrader_config.py) from the exercise sources")
    x.add_argument("dest", nargs="?", default="course", help="the nbgrader course directory to write into (default: ./course)")
    x.add_argument("--week", type=int, action="append", default=None, help="only this week (repeatable; default: every released week)")
    x.set_defaults(func=cmd_nbgrader_export)

    c = sub.add_parser("score", help="check a competition submission file and print its score on held-out data")
    c.add_argument("competition", choices=["w1", "w8"], help="w1: fitting a neuron (TOML file); w8: neuromorphic network (.npz file)")
    c.add_argument("submission", type=Path, help="the submission file")
    c.set_defaults(func=cmd_score)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (OutlineError, FileNotFoundError, ValueError) as exc:
        print(f"neuro4ml: error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:  # BuildError and friends
        print(f"neuro4ml: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
