"""The README tour's screenshots: each demo role's home page on a phone (375 px) and a desktop (1280 px).

Seeds the demo (idempotent), serves Kindred on a free local port for the length of the run, signs in
as each role through the real sign-in form in Chromium (Playwright) and writes docs/tour/<role>-<size>.png.
"""

import io
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.testcases import LiveServerThread
from django.urls import reverse

from demo.management.commands.seed_demo import DEMO_PASSWORD

# (file name, the demo account whose home it shows)
ROLES = [
    ("caseworker", "worker1"),
    ("screener", "screener"),
    ("supervisor", "supervisor2"),
    ("program-manager", "manager"),
    ("auditor", "auditor"),
    ("administrator", "admin"),
]
SIZES = {
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


class Command(BaseCommand):
    help = "Seed the demo and write each role's home page on a phone and a desktop to docs/tour/*.png."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "tour"))

    def handle(self, *args, out: str, **options):
        chromium = os.environ.get("KINDRED_CHROMIUM") or (
            DEFAULT_CHROMIUM if os.access(DEFAULT_CHROMIUM, os.X_OK) else shutil.which("chromium")
        )
        if not chromium:
            raise CommandError("No Chromium: install it (apt-get install chromium) or set KINDRED_CHROMIUM.")
        call_command("seed_demo", stdout=io.StringIO())
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise CommandError(f"Could not serve the demo: {server.error}")
        try:
            written = self.shoot(chromium, f"http://127.0.0.1:{server.port}", directory)
        finally:
            server.terminate()
        for path in written:
            self.stdout.write(str(path))

    def shoot(self, chromium: str, base_url: str, directory: Path) -> list[Path]:
        # Imported here: Playwright is a development requirement, not one of a server's.
        from playwright.sync_api import sync_playwright

        written = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            try:
                for role, username in ROLES:
                    for size, device in SIZES.items():
                        context = browser.new_context(base_url=base_url, **device)
                        page = context.new_page()
                        page.goto(reverse("login"))
                        page.locator("main form input[name=username]").fill(username)
                        page.locator("main form input[name=password]").fill(DEMO_PASSWORD)
                        page.locator("main form").get_by_role("button", name="Sign in").click()
                        page.wait_for_url(f"{base_url}{reverse('home')}")
                        path = directory / f"{role}-{size}.png"
                        page.screenshot(path=str(path), full_page=True)
                        written.append(path)
                        context.close()
            finally:
                browser.close()
        return written
