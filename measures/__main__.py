"""``python -m measures``: the analysts' command line (see ``measures.cli``)."""

from measures.cli import main

raise SystemExit(main())
