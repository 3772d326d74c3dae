"""``python -m neuro4ml.course``: the command line of :mod:`neuro4ml.course.cli`."""

import sys

from .cli import main

sys.exit(main())
