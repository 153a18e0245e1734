"""One module per CLI command; cli.py only parses options and calls these."""
