"""toolwatch: watch and triage the tool calls AI agents make through Composio."""

__version__ = "0.1.0"
