// Module TUI: its contents land in their own commits.
