"""`python -m tui` behaves exactly like the `toolwatch` console script."""

from tui.cli.main import main

raise SystemExit(main())
