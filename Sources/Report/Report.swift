// Module Report: its contents land in their own commits.
