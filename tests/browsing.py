"""What the browser tests share."""

import pytest
from playwright.sync_api import Error as PlaywrightError


def back(page):
    """The browser's Back button, waiting for the page it brings back. Back reloads the page
    from its URL, which Playwright's go_back() reports as an aborted navigation."""
    page.evaluate("window.beforeBack = true; setTimeout(() => history.back(), 0)")
    for _ in range(100):
        try:
            if page.evaluate("!window.beforeBack && document.readyState === 'complete'"):
                return
        except PlaywrightError:  # the old page went away during the call
            pass
        page.wait_for_timeout(100)
    pytest.fail("Back did not bring a page back")
