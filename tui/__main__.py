"""`python -m tui` behaves exactly like the `toolwatch` console script."""

from tui.cli import main

raise SystemExit(main())
