"""`toolwatch serve`: the screen in a browser, through textual-serve, behind a token.

Imported only by `tui.cli.serve_cmd.run`, once the flags are read: it loads aiohttp and
textual-serve, which the headless commands (and an install without the `serve` extra)
never need.
"""
