"""The command line (`toolwatch`, entry point `tui.cli.main:main`).

`main` reads the flags (`parser`) and runs a command: the screen (`screen_cmd`) or a
headless one (`list_cmd`, `get_cmd`, `tail_cmd`, `demo_server_cmd`), which share
`command`, `query_flags`, `settings` and `sources`. Nothing here but `screen_cmd.run`
loads Textual, and that only when the screen is asked for.
"""
