"""What the multi-person browser journeys share: a browser per person, logging in, the menu."""

from playwright.sync_api import expect

PASSWORD = "a-long-passphrase-42"  # make_user's


def open_page(browser, base_url: str):
    """One person's browser: its own context (cookies), recording console messages, page
    errors and console errors."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_messages = []
    page.page_errors = []
    page.console_errors = []
    page.on("console", lambda message: page.console_messages.append(message.text))
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    return page


def log_in(page, handle: str) -> None:
    page.goto("/login/")
    page.get_by_label("Handle or email").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def nav(page):
    return page.get_by_role("navigation", name="Main")
