"""Real-browser tests: Playwright drives Debian's Chromium against the live server (see conftest.py)."""
