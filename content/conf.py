"""Sphinx configuration of the course website (built with `neuro4ml build`)."""

import os
from pathlib import Path

import yaml

from neuro4ml.plotting.style import write_matplotlibrc

ROOT = Path(__file__).resolve().parent.parent
_outline = yaml.safe_load((ROOT / "course.yml").read_text(encoding="utf-8"))

project = _outline["title"]
author = " and ".join(d["name"] for d in _outline["designers"])
copyright = f"2023–2026, {author}"

extensions = ["myst_nb", "sphinxcontrib.bibtex", "neuro4ml.course.sphinx_ext"]
neuro4ml_outline = str(ROOT / "course.yml")

exclude_patterns = ["_build", "exercises/**", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type"]

# --- MyST and notebook execution ------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_cache_path = str(ROOT / "_build" / ".jupyter_cache")
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
# Every page's kernel draws with the course's colour-blind-safe style (neuro4ml.plotting.style):
# the kernels inherit this environment, so no page needs to call neuro4ml.plotting.style.use().
os.environ["MATPLOTLIBRC"] = str(write_matplotlibrc(ROOT / "_build" / "matplotlibrc"))

# --- Figures: numbered, so the text can say "Figure 3" ({numref}`fig-name`) ---------
numfig = True
numfig_format = {"figure": "Figure %s", "table": "Table %s", "code-block": "Listing %s", "section": "Section %s"}

# --- Bibliography ---------------------------------------------------------------
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
bibtex_foot_reference_style = "foot"

# --- Math: a local MathJax (installed from npm at build time), CDN as a fallback ---
_mathjax = ROOT / "_build" / "vendor" / "static"
if (_mathjax / "mathjax" / "tex-mml-chtml.js").is_file():
    mathjax_path = "mathjax/tex-mml-chtml.js"
    _vendor_static = [str(_mathjax)]
else:
    mathjax_path = "https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js"
    _vendor_static = []
mathjax4_config = {
    "loader": {"paths": {"fonts": "[mathjax]/fonts"}},
    "options": {
        "enableEnrichment": False,
        "enableSpeech": False,
        "enableBraille": False,
        "menuOptions": {"settings": {"enrich": False, "speech": False, "braille": False}},
    },
}

# --- HTML -------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static", *_vendor_static]
html_css_files = ["neuro4ml.css"]
# Accessible names for the theme's and myst-nb's controls (see the script's header), and
# the interactive figures of neuro4ml.plotting.interactive: one small script shared by every page.
html_js_files = [("neuro4ml-a11y.js", {"defer": "defer"}), "neuro4ml-interactive.js"]
html_theme_options = {
    "repository_url": _outline["repository"],
    "repository_branch": _outline.get("branch", "main"),
    "path_to_docs": "content",
    "use_repository_button": True,
    "home_page_in_toc": True,
    "show_toc_level": 2,
}
html_last_updated_fmt = None
