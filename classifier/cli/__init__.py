"""The command line (`sincerely` / `python -m classifier`): check, rewrite, scan, train, evaluate, data tools."""
