"""Browser tests of the operator console, run by tests/tests/console_browser.rs
against the real binary: Playwright (tests/console/requirements.txt)
drives Debian's /usr/bin/chromium; nothing downloads a browser.

    console_test.py SCENARIO --base URL --token TOKEN [--shots DIR] [...]

Each scenario drives the console as a user would and prints, as its last
line, a JSON object of what it saw (ids, texts, timings) for the Rust test
to check against what the server kept. Any console error of the page
(a script error, a Content-Security-Policy violation) fails the run.
"""

import argparse
import json
import os
import sys
import time

from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Pages every tour visits: (name, fragment). {source}, {event}, ... are
# filled from the server's own ids.
PAGES = [
    ("overview", "#/overview"),
    ("presets", "#/presets"),
    ("preset-stripe", "#/presets/stripe"),
    ("new-source", "#/new-source?preset=stripe"),
    ("sources", "#/sources"),
    ("source", "#/sources/{source}"),
    ("events", "#/events"),
    ("event", "#/events/{event}"),
    ("destinations", "#/destinations"),
    ("destination", "#/destinations/{destination}"),
    ("new-destination", "#/destinations/new"),
    ("deliveries", "#/deliveries"),
    ("delivery", "#/deliveries/{delivery}"),
    ("adapters", "#/adapters"),
    ("adapter-stripe", "#/adapters/stripe"),
    ("access", "#/access"),
]


class Console:
    def __init__(self, browser, args, width=1280, height=900):
        self.args = args
        self.width = width
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.errors = []
        # An API refusal the page shows (a 4xx) is not an error of the page.
        self.page.on(
            "console",
            lambda m: m.type == "error"
            and not m.text.startswith("Failed to load resource: the server responded with a status of 4")
            and self.errors.append(m.text),
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def sign_in(self, token):
        page = self.page
        page.goto(self.args.base + "/")
        page.get_by_label("API token").fill(token)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()

    def open(self, fragment):
        """Goes to a page and waits until it has drawn: the page's render
        finished and no list still loading. Returns the milliseconds that
        took, as the browser measured them."""
        page = self.page
        started = page.evaluate(
            """f => {
                delete document.querySelector('main').dataset.renderedMs;
                const t = performance.now();
                if (location.hash === f) window.dispatchEvent(new HashChangeEvent('hashchange'));
                else location.hash = f;
                return t;
            }""",
            fragment,
        )
        done = page.wait_for_function(
            """() => document.querySelector('main').dataset.renderedMs !== undefined
                && !document.querySelector('main .loading') && performance.now()""",
        )
        return round(done.json_value() - started)

    def shot(self, name):
        if self.args.shots:
            os.makedirs(self.args.shots, exist_ok=True)
            self.page.screenshot(path=os.path.join(self.args.shots, f"{name}-{self.width}.png"), full_page=True)

    def check(self):
        if self.errors:
            raise AssertionError(f"the page reported errors: {self.errors}")


def fill_ids(fragment, ids):
    for key, value in ids.items():
        fragment = fragment.replace("{" + key + "}", value or "none")
    return fragment


def source_wizard(browser, args):
    """Sign in; Stripe from the catalog; the wizard; a test event seen in
    the live tail within 2 s."""
    c = Console(browser, args)
    page = c.page
    c.sign_in(args.token)
    expect(page.locator("svg.chart").first).to_be_visible()
    c.shot("overview")
    page.get_by_role("link", name="Presets").click()
    page.get_by_label("Search by vendor, name or event type").fill("stripe")
    expect(page.locator("article.preset[data-preset=stripe]")).to_be_visible()
    assert page.locator("article.preset").count() < 10, "the search narrows the catalog"
    c.shot("presets-search")
    page.locator("article.preset[data-preset=stripe] h2 a").click()
    expect(page.get_by_role("heading", name="What to paste")).to_be_visible()
    c.shot("preset-stripe")
    page.get_by_role("link", name="New source from this preset").click()
    page.get_by_label("Source name").fill("payments")
    page.locator("input[name=secret]").first.fill(args.secret)
    c.shot("new-source")
    page.get_by_role("button", name="Create source").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("is ready")
    url = page.get_by_label("webhook URL", exact=True).input_value()
    expect(page.locator(".tail-state")).to_have_text("live")
    started = time.monotonic()
    page.get_by_role("button", name="Send a test event").click()
    # The bound: the event shows in the live tail within 2 s.
    row = page.locator(".tail-row").first
    row.wait_for(timeout=2000)
    seen_after = time.monotonic() - started
    expect(page.locator(".test-result")).to_contain_text("accepted")
    event_ids = [a.inner_text() for a in page.locator(".test-result a").all()]
    c.shot("source-ready")
    source_href = page.get_by_role("link", name="Open the source page").get_attribute("href")
    c.check()
    return {
        "url": url,
        "source_id": source_href.rsplit("/", 1)[1],
        "tail_event_id": row.get_attribute("data-event-id"),
        "tail_type": row.get_attribute("data-type"),
        "result_event_ids": event_ids,
        "seen_after_s": round(seen_after, 3),
    }


def destination(browser, args):
    """A destination to a local receiver, a test event, the delivery and
    its attempt."""
    c = Console(browser, args)
    page = c.page
    c.sign_in(args.token)
    c.open("#/destinations/new")
    page.get_by_label("Name").fill("receiver")
    page.get_by_label("URL").fill(args.receiver)
    page.get_by_label("Signing secret (HTTP, optional)").fill(args.secret)
    page.get_by_role("button", name="Preview matches").click()
    expect(page.locator(".preview")).to_contain_text("would be delivered")
    c.shot("new-destination-preview")
    page.get_by_role("button", name="Create destination").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("created")
    page.get_by_role("link", name="Open the destination").click()
    destination_id = page.evaluate("() => location.hash.split('/').pop()")
    c.open(f"#/sources/{args.source}")
    page.get_by_role("button", name="Send a test event").click()
    expect(page.locator("main .notice")).to_contain_text("accepted")
    # The delivery is attempted in the background: look again until it is
    # delivered (a bound, not a timing assertion).
    deadline = time.monotonic() + 30
    while True:
        c.open("#/deliveries?state=delivered")
        link = page.locator("main table tbody tr td a").first
        if link.count():
            break
        assert time.monotonic() < deadline, "no delivered delivery within 30 s"
        time.sleep(0.3)
    c.shot("deliveries")
    delivery_id = link.inner_text()
    link.click()
    expect(page.locator("ol.timeline li.attempt")).to_have_count(1)
    attempt = page.locator("ol.timeline li.attempt").first.inner_text()
    c.shot("delivery")
    c.check()
    return {"destination_id": destination_id, "delivery_id": delivery_id, "attempt": attempt}


def broken_wasm(browser, args):
    """Uploading a .wasm the server refuses shows its reason."""
    c = Console(browser, args)
    page = c.page
    c.sign_in(args.token)
    c.open("#/adapters")
    page.get_by_label("Adapter name").fill(args.adapter)
    page.get_by_label(".wasm component").set_input_files(args.wasm)
    page.get_by_role("button", name="Upload").click()
    result = page.locator(".upload-result .notice.error")
    expect(result).to_contain_text("Refused")
    c.shot("adapters-refused")
    c.check()
    return {"shown": result.inner_text()}


def write_controls(c, ids):
    """Visits every page; the write controls (data-needs) on each, and
    what the navigation offers."""
    counts = {}
    for name, fragment in PAGES:
        c.open(fill_ids(fragment, ids))
        counts[name] = c.page.locator("[data-needs]").count()
    nav = c.page.locator("#nav a").all_inner_texts()
    return counts, nav


def read_only(browser, args):
    """A read-scoped token sees no write action on any page; the admin
    token sees them on the same pages (so the check can fail)."""
    ids = json.loads(args.ids)
    seen = {}
    for who, token in (("read", args.read_token), ("admin", args.token)):
        c = Console(browser, args)
        c.sign_in(token)
        counts, nav = write_controls(c, ids)
        if who == "read":
            c.open("#/sources/" + ids["source"])
            c.shot("source-read-only")
        seen[who] = {"controls": counts, "nav": nav, "who": c.page.locator("#who .actor").inner_text()}
        c.check()
    return seen


def tour(browser, args):
    """Every page at 1280 and at 390 px: screenshots, render times, and at
    390 px no page wider than the screen."""
    ids = json.loads(args.ids)
    out = {}
    for width, height in ((1280, 900), (390, 844)):
        c = Console(browser, args, width, height)
        c.sign_in(args.token)
        timings = {}
        overflow = {}
        for name, fragment in PAGES:
            timings[name] = c.open(fill_ids(fragment, ids))
            overflow[name] = c.page.evaluate("() => document.documentElement.scrollWidth") - width
            c.shot(name)
        if width == 390:
            toggle = c.page.get_by_role("button", name="Menu")
            expect(toggle).to_be_visible()
            toggle.click()
            expect(c.page.get_by_role("link", name="Events")).to_be_visible()
            c.shot("menu")
        c.check()
        out[str(width)] = {"render_ms": timings, "overflow_px": overflow}
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario")
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--read-token")
    parser.add_argument("--secret")
    parser.add_argument("--source")
    parser.add_argument("--receiver")
    parser.add_argument("--adapter")
    parser.add_argument("--wasm")
    parser.add_argument("--ids", default="{}")
    parser.add_argument("--shots")
    args = parser.parse_args()
    scenario = {
        "source_wizard": source_wizard,
        "destination": destination,
        "broken_wasm": broken_wasm,
        "read_only": read_only,
        "tour": tour,
    }[args.scenario]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            result = scenario(browser, args)
        finally:
            browser.close()
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
