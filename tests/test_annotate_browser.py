"""Annotating in the preview (issue 19), as a researcher does it: a real `python build.py serve`,
a source page open in Chromium, words selected with the mouse or the keyboard, cited or
excluded through the form; the annotation file gains exactly that, the page reloads with it
highlighted, and Undo gives back the file byte for byte."""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

import test_serve
from conftest import run_cli
from test_publish import AXE, required_tool
from test_serve import Preview_, stop_preview

preview = test_serve.preview  # the fixture: `serve` running on a copy of the project

S000 = "000_0a8abdfef13416d9"  # Kirby's "We've been nothing but honest…" is in it twice
S002 = "002_7bf14ee84c1d808c"
S003 = "003_4197f04110c4ab2c"
NEW_QUOTE = "India has a relationship with Russia that we certainly don't have."
NEW_STATEMENT = ("US State Department spokesperson Ned Price said in February 2022 that India "
                 "has a relationship with Russia that the United States does not have.")
NEW_FACT = "price-india-has-russia-ties-us-lacks"
DEFENCE_TIES = "India\u2013Russia\u2013US defence ties"  # the topic's title
TWICE = "We've been nothing but honest about that and discouraging that"
RELOAD = 30_000  # ms: the write, the watcher's rebuild and LiveReload's reload

# The nth occurrence of `needle` in the archived text (one paragraph), as a DOM Range: made
# the selection, and its first and last characters' boxes returned for a mouse drag.
FIND = """([needle, nth]) => {
  const blocks = document.querySelectorAll(
    'section.archived > div.para > p, section.archived > p.boilerplate-block');
  let seen = 0;
  for (const block of blocks) {
    const nodes = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let text = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('span.tag')) continue;
      nodes.push([n, text.length]);
      text += n.data;
    }
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
      if (seen++ !== nth) continue;
      const point = (offset, isEnd) => {
        for (const [n, from] of nodes) {
          if (offset < from + n.length || (isEnd && offset === from + n.length)) {
            return [n, offset - from];
          }
        }
      };
      const range = document.createRange();
      range.setStart(...point(at, false));
      range.setEnd(...point(at + needle.length, true));
      range.startContainer.parentElement.scrollIntoView({block: 'center'});
      const first = document.createRange();
      first.setStart(range.startContainer, range.startOffset);
      first.setEnd(range.startContainer, range.startOffset + 1);
      const last = document.createRange();
      last.setStart(range.endContainer, range.endOffset - 1);
      last.setEnd(range.endContainer, range.endOffset);
      const box = (r) => {
        const b = r.getClientRects()[0];
        return [b.left, b.right, b.top, b.bottom];
      };
      const boxes = [box(first), box(last)];
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      return boxes;
    }
  }
  return null;
}"""


@pytest.fixture
def page(browser, preview) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if "Content Security Policy" in message.text else None)  # no inline style
    yield page
    context.close()
    assert errors == []

# Whether the preview's last good build has another version of the page's annotation than the
# page was shown with (asked the way annotate.js asks).
VERSION_CHANGED = """async () => {
  const meta = document.querySelector('meta[name="sourcebook-annotate"]');
  const ask = async () => (await (await fetch('/__sourcebook__/annotate/context', {
    method: 'POST', body: JSON.stringify({page: meta.dataset.page}),
    headers: {'Content-Type': 'application/json', 'X-Sourcebook-Token': meta.content}})).json());
  window.shownVersion = window.shownVersion || (await ask()).version;
  return (await ask()).version !== window.shownVersion;
}"""


def open_source(page: Page, preview: Preview_, source: str) -> None:
    page.goto(preview.url + f"sources/{source}/")
    client_ready(page)


def client_ready(page: Page) -> None:
    """Until the page's annotation client has started: its deferred script runs after the
    page is parsed, so a key pressed or a selection made before would go unheard (after a
    LiveReload reload above all)."""
    expect(page.locator("article.source.sb-annot-on")).to_have_count(1, timeout=RELOAD)


def select(page: Page, needle: str, nth: int = 0) -> None:
    """Select the words by Range (the toolbar follows the selection, as after a mouse drag)."""
    assert page.evaluate(FIND, [needle, nth]) is not None, needle
    expect(page.get_by_role("toolbar", name="Annotate the selected words")).to_be_visible()


def drag_select(page: Page, needle: str, nth: int = 0) -> None:
    """Select the words with the mouse: press before the first letter, release after the last."""
    boxes = page.evaluate(FIND, [needle, nth])
    assert boxes is not None, needle
    page.evaluate("getSelection().removeAllRanges()")
    (left, _, top, bottom), (_, right, top2, bottom2) = boxes
    page.mouse.move(left + 1, (top + bottom) / 2)
    page.mouse.down()
    page.mouse.move((left + right) / 2, (top2 + bottom2) / 2, steps=5)
    page.mouse.move(right - 1, (top2 + bottom2) / 2, steps=5)
    page.mouse.up()
    assert page.evaluate("getSelection().toString()") == needle


def wait_for_change(path: Path, old: bytes, timeout: float = 15) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = path.read_bytes()
        if data != old:
            return data
        time.sleep(0.05)
    raise AssertionError(f"{path.name} did not change")


def added_only(old: bytes, new: bytes) -> list[str]:
    """The lines the edit added; fails if it changed or removed any line."""
    diff = list(difflib.ndiff(old.decode().splitlines(), new.decode().splitlines()))
    assert [line for line in diff if line.startswith("- ")] == []
    return [line[2:] for line in diff if line.startswith("+ ")]


def dialog(page: Page):
    return page.get_by_role("dialog")


def axe_violations(page: Page) -> list[str]:
    page.evaluate(required_tool(AXE).read_text(encoding="utf-8"))  # the page's CSP still holds
    return page.evaluate("async () => (await axe.run()).violations"
                         ".map(v => v.id + ': ' + v.nodes.map(n => n.target))")


def test_cite_a_new_fact_with_a_topic_then_see_it_on_the_page_and_the_topic_page(
        project, preview, page):
    annotation = project / f"content/sources/{S002}.yaml"
    old = annotation.read_bytes()
    open_source(page, preview, S002)
    drag_select(page, NEW_QUOTE)
    page.get_by_role("button", name="Cite").click()
    form = dialog(page)
    expect(form).to_be_visible()
    expect(form.locator("blockquote")).to_have_text(NEW_QUOTE)
    form.get_by_label("Statement").fill(NEW_STATEMENT)
    fact = form.get_by_role("combobox", name="Fact")
    expect(fact).not_to_have_value("")  # suggested from the statement
    expect(form).to_contain_text("its id suggested from the statement")
    fact.fill(NEW_FACT)  # …and editable
    expect(form).to_contain_text(f"New fact \u201c{NEW_FACT}\u201d")
    form.get_by_label(DEFENCE_TIES).check()
    form.get_by_role("button", name="Cite", exact=True).click()

    new = wait_for_change(annotation, old)
    added = added_only(old, new)
    assert any(NEW_FACT in line for line in added)
    before, after = yaml.safe_load(old), yaml.safe_load(new)
    assert after["claims"][:-1] == before["claims"]
    assert {k: v for k, v in after.items() if k != "claims"} == {
        k: v for k, v in before.items() if k != "claims"}
    assert after["claims"][-1] == {"fact": NEW_FACT, "quote": NEW_QUOTE,
                                   "topics": ["defence-ties"], "statement": NEW_STATEMENT}

    # The page reloads by itself with the passage highlighted, and offers Undo.
    mark = page.locator(f"mark.passage#p-{NEW_FACT}")
    expect(mark).to_have_text(NEW_QUOTE, timeout=RELOAD)
    status = page.get_by_role("status").filter(has_text=NEW_FACT)
    expect(status).to_be_visible()
    expect(status.get_by_role("button", name="Undo")).to_be_visible()
    expect(page.locator(f".cited-by a[href$='#f-{NEW_FACT}']")).to_have_text(NEW_STATEMENT)

    page.goto(preview.url + "topics/defence-ties/")
    item = page.locator(f"li#f-{NEW_FACT}")
    expect(item.locator(".statement")).to_have_text(NEW_STATEMENT)
    link = item.locator(f'a.cite-link[href$="sources/{S002}/#p-{NEW_FACT}"]')
    expect(link).to_have_count(1)
    link.click()
    expect(page).to_have_url(re.compile(rf"sources/{S002}/#p-{NEW_FACT}$"))
    expect(page.locator(f"mark.passage#p-{NEW_FACT}")).to_be_visible()


def test_a_passage_that_occurs_twice_gets_a_prefix_or_suffix_the_build_proves(
        project, preview, page):
    annotation = project / f"content/sources/{S000}.yaml"
    old = annotation.read_bytes()
    open_source(page, preview, S000)
    select(page, TWICE, nth=1)  # the article body's, not the teaser's
    page.get_by_role("button", name="Cite").click()
    form = dialog(page)
    expect(form).to_contain_text("occur more than once")
    fact = form.get_by_role("combobox", name="Fact")
    fact.fill("kirby very clear")  # search by words of the id and the statement
    option = form.get_by_role("option").filter(has_text="kirby-us-discourages-reliance-on-russia")
    expect(option).to_have_count(1)
    option.click()
    expect(fact).to_have_value("kirby-us-discourages-reliance-on-russia")
    expect(form).to_contain_text("Existing fact")
    expect(form).to_contain_text("Pentagon Press Secretary John Kirby said on 22 April 2022")
    # Its evidence, passage by passage, each linked to where it is quoted.
    evidence = form.locator(".sb-annot-evidence li").filter(
        has_text="very clear with India as well as other nations")
    expect(evidence.first).to_be_visible()
    link = evidence.first.get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", re.compile(r"^/sources/[^/]+/#p-"))
    form.get_by_role("button", name="Cite", exact=True).click()

    new = wait_for_change(annotation, old)
    added_only(old, new)
    claim = yaml.safe_load(new)["claims"][-1]
    assert claim["fact"] == "kirby-us-discourages-reliance-on-russia"
    assert claim["quote"] == TWICE
    assert claim.get("prefix") or claim.get("suffix")
    expect(page.locator("mark.passage").filter(has_text=TWICE)).to_have_count(1, timeout=RELOAD)
    stop_preview(preview)
    checked = run_cli(project, "check")
    assert checked.returncode == 0, checked.stderr
    assert "error" not in checked.stderr


def test_exclude_then_undo_gives_back_the_file_byte_for_byte(project, preview, page):
    annotation = project / f"content/sources/{S003}.yaml"
    old = annotation.read_bytes()
    open_source(page, preview, S003)
    select(page, "At the end of the meeting,")
    page.get_by_role("button", name="Exclude").click()
    form = dialog(page)
    form.get_by_role("button", name="Exclude", exact=True).click()
    expect(form.get_by_role("alert")).to_contain_text("Give the reason")  # required
    form.get_by_label("Reason").fill("Transition, no claim")
    form.get_by_role("button", name="Exclude", exact=True).click()

    new = wait_for_change(annotation, old)
    added_only(old, new)
    excluded = yaml.safe_load(new)["exclude"][-1]
    assert excluded == {"quote": "At the end of the meeting,", "reason": "Transition, no claim"}
    tag = page.locator("span.boilerplate .tag", has_text="Excluded: Transition, no claim")
    expect(tag).to_have_count(1, timeout=RELOAD)

    status = page.get_by_role("status").filter(has_text="Undo")
    status.get_by_role("button", name="Undo").click()
    assert wait_for_change(annotation, new) == old
    expect(tag).to_have_count(0, timeout=RELOAD)
    expect(page.get_by_role("status").get_by_role("button", name="Undo")).to_have_count(0)


def test_edit_the_topics_of_a_passage_then_remove_it(project, preview, page):
    annotation = project / f"content/sources/{S003}.yaml"
    fact = "india-russia-talks-would-anger-us"
    old = annotation.read_bytes()
    open_source(page, preview, S003)
    page.locator(f"mark.passage#p-{fact}").click()
    form = dialog(page)
    expect(form.get_by_role("combobox", name="Fact")).to_have_value(fact)
    expect(form.get_by_label(DEFENCE_TIES)).to_be_checked()
    form.get_by_label("CAATSA").check()
    form.get_by_role("button", name="Save changes").click()

    new = wait_for_change(annotation, old)
    diff = [line for line in difflib.ndiff(old.decode().splitlines(), new.decode().splitlines())
            if line[:1] in "+-"]
    assert diff == ["-     topics: [defence-ties]", "+     topics: [defence-ties, caatsa]"]
    expect(page.locator(f"#p-{fact}")).to_have_count(1)
    caatsa = page.locator(".cited-by a[href*='topics/caatsa/#f-" + fact + "']")
    expect(caatsa).to_have_count(1, timeout=RELOAD)
    client_ready(page)

    page.locator(f"mark.passage#p-{fact}").focus()
    page.keyboard.press("Enter")
    expect(dialog(page).get_by_label("CAATSA")).to_be_checked()
    dialog(page).get_by_role("button", name="Remove this citation").click()
    removed = wait_for_change(annotation, new)
    assert fact not in removed.decode()
    assert [c["fact"] for c in yaml.safe_load(removed)["claims"]] == [
        c["fact"] for c in yaml.safe_load(old)["claims"] if c["fact"] != fact]
    expect(page.locator(f"mark.passage#p-{fact}")).to_have_count(0, timeout=RELOAD)


def test_the_keyboard_alone_selects_cites_and_closes(project, preview, page):
    annotation = project / f"content/sources/{S002}.yaml"
    old = annotation.read_bytes()
    open_source(page, preview, S002)
    target = "Russian President Vladimir Putin announced"
    for _ in range(200):  # Tab through the page to the paragraph
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        if page.evaluate("document.activeElement.tagName") == "P" and \
                focused.startswith(target):
            break
    else:
        raise AssertionError("Tab never reached the paragraph")
    for _ in range(5):
        page.keyboard.press("Control+Shift+ArrowRight")  # a word at a time
    page.keyboard.press("Shift+ArrowLeft")  # …less one character
    assert page.evaluate("getSelection().toString()") == target[:-1]
    page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("getSelection().toString()") == target
    expect(page.get_by_role("toolbar")).to_be_visible()

    page.keyboard.press("x")  # Exclude's form, then Escape: nothing written
    expect(dialog(page)).to_be_visible()
    expect(dialog(page).get_by_label("Reason")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog(page)).to_be_hidden()
    # Kept for the next try: restored by the dialog's close event, which comes a task later.
    page.wait_for_function("target => getSelection().toString() === target", arg=target,
                           timeout=5000)

    page.keyboard.press("c")
    form = dialog(page)
    fact = form.get_by_role("combobox", name="Fact")
    expect(fact).to_be_focused()
    page.keyboard.type("putin-announced-military-operation")
    page.keyboard.press("Tab")
    expect(form.get_by_label("Statement")).to_be_focused()
    page.keyboard.type("Putin announced a special military operation in Ukraine on 24 February "
                       "2022.")
    page.keyboard.press("Tab")  # the first topic (none is named in these words)
    expect(form.locator("input[type=checkbox]").first).to_be_focused()
    expect(form.locator("input[type=checkbox]:checked")).to_have_count(0)
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # submits the form

    new = wait_for_change(annotation, old)
    added_only(old, new)
    claim = yaml.safe_load(new)["claims"][-1]
    assert claim["fact"] == "putin-announced-military-operation"
    assert claim["quote"] == target
    assert len(claim["topics"]) == 1
    mark = page.locator("mark.passage#p-putin-announced-military-operation")
    expect(mark).to_have_count(1, timeout=RELOAD)
    client_ready(page)

    # After the reload, Tab reaches the new passage, and `e` opens its citation.
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "p-putin-announced-military-operation":
            break
    else:
        raise AssertionError("Tab never reached the new passage")
    page.keyboard.press("e")
    expect(dialog(page).get_by_role("combobox", name="Fact")).to_have_value(
        "putin-announced-military-operation")
    page.keyboard.press("Escape")
    expect(dialog(page)).to_be_hidden()
    expect(mark).to_be_focused()


def test_a_refused_selection_and_a_stale_write_say_why_and_change_nothing(
        project, preview, page):
    open_source(page, preview, S000)
    select(page, "personalise content and ads")  # inside the excluded cookie banner
    page.get_by_role("button", name="Cite").click()
    toolbar = page.get_by_role("toolbar")
    expect(toolbar.get_by_role("alert")).to_contain_text("The selection holds excluded text")
    expect(dialog(page)).to_be_hidden()

    # The annotation is changed on disk while the form is open (LiveReload is off, so the page
    # stays as it was): the write is refused, nothing is written, and Reload shows the change.
    annotation = project / f"content/sources/{S003}.yaml"
    open_source(page, preview, S003)
    page.evaluate("window.LiveReload.shutDown()")
    select(page, "At the end of the meeting,")
    page.get_by_role("button", name="Exclude").click()
    form = dialog(page)
    form.get_by_label("Reason").fill("Transition")
    assert page.evaluate(VERSION_CHANGED) is False  # notes the version shown
    edited = annotation.read_bytes() + b"# a comment saved in an editor\n"
    annotation.write_bytes(edited)
    page.wait_for_function(VERSION_CHANGED, polling=100)  # the preview has rebuilt
    form.get_by_role("button", name="Exclude", exact=True).click()
    alert = form.get_by_role("alert")
    expect(alert).to_contain_text(re.compile("out of date|changed on disk"))
    assert annotation.read_bytes() == edited
    with page.expect_navigation():
        alert.get_by_role("button", name="Reload the page").click()

    # The annotation is saved broken in an editor: the build fails, the page keeps the last
    # good build, and a write from it is refused (409: it may not show the files as they
    # are), with a way to reload.
    broken = annotation.read_bytes() + b"\nclaims: [\n"
    open_source(page, preview, S003)
    annotation.write_bytes(broken)
    expect(page.locator("#sourcebook-error")).to_be_visible(timeout=RELOAD)
    client_ready(page)
    select(page, "At the end of the meeting,")
    page.get_by_role("button", name="Exclude").click()
    form = dialog(page)
    form.get_by_label("Reason").fill("Transition")
    form.get_by_role("button", name="Exclude", exact=True).click()
    alert = form.get_by_role("alert")
    expect(alert).to_contain_text("The last build failed")
    assert annotation.read_bytes() == broken
    with page.expect_navigation():
        alert.get_by_role("button", name="Reload the page").click()
    expect(page.locator("#sourcebook-error")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_passes_with_the_toolbar_and_the_form_open(browser, preview, width, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    open_source(page, preview, S002)
    select(page, NEW_QUOTE)
    page.screenshot(path=tmp_path / "toolbar.png")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Cite").click()
    form = dialog(page)
    form.get_by_role("combobox", name="Fact").fill("kirby")
    expect(form.get_by_role("listbox")).to_be_visible()
    assert axe_violations(page) == []
    form.get_by_role("option").filter(has_text="kirby-us-discourages-reliance-on-russia").click()
    expect(form.locator(".sb-annot-evidence a").first).to_be_visible()  # its passages, linked
    assert axe_violations(page) == []
    form.get_by_role("combobox", name="Fact").fill("Not An Id")
    form.get_by_role("button", name="Cite", exact=True).click()
    expect(form.get_by_role("alert")).to_contain_text("not a valid fact id")
    page.screenshot(path=tmp_path / "form.png")
    assert axe_violations(page) == []
    # The dialog fits the window: no control is cut off sideways.
    overflow = page.evaluate("""() => [...document.querySelectorAll('dialog *')]
        .filter(e => e.getBoundingClientRect().right > innerWidth + 1).map(e => e.className)""")
    assert overflow == []
    context.close()


def test_inject_adds_the_client_only_with_the_secret():
    from sourcebook.preview.server import Preview, inject

    page = b'<!doctype html><html><head><title>x</title></head><body></body></html>'
    plain = inject(page, Preview("/"), 8000).decode()
    assert "annotate" not in plain and "livereload.js?port=8000" in plain
    rel = "sources/a&b/index.html"
    head = inject(page, Preview("/"), 8000, "tok<en>", rel).decode().split("</head>")[0]
    assert ('<meta name="sourcebook-annotate" content="tok&lt;en&gt;" '
            'data-page="sources/a&amp;b/index.html">') in head
    assert head.index("livereload.js") < head.index('name="sourcebook-annotate"')
    assert '<link rel="stylesheet" href="/__sourcebook__/annotate.css">' in head
    # The client's scripts, deferred, in the order they build on one another.
    scripts = re.findall(r'<script src="/__sourcebook__/([a-z-]+\.js)" defer></script>', head)
    assert scripts == ["annotate-text.js", "annotate-forms.js", "annotate-fields.js",
                       "annotate.js"]


def test_the_form_checks_an_id_and_a_date_by_the_build_s_rules(project, preview, page):
    annotation = project / f"content/sources/{S002}.yaml"
    old = annotation.read_bytes()
    open_source(page, preview, S002)
    select(page, NEW_QUOTE)
    page.get_by_role("button", name="Cite").click()
    form = dialog(page)
    fact = form.get_by_role("combobox", name="Fact")
    fact.fill("Bad Id")
    expect(form).to_contain_text("\u201cBad Id\u201d is not a valid id")
    fact.fill(NEW_FACT)
    form.get_by_label("Statement").fill(NEW_STATEMENT)
    form.get_by_label(DEFENCE_TIES).check()
    form.get_by_label("Date").fill("April 2022")
    form.get_by_role("button", name="Cite", exact=True).click()
    expect(form.get_by_role("alert")).to_contain_text("\u201cApril 2022\u201d is not a date")
    expect(form.get_by_label("Date")).to_be_focused()
    assert annotation.read_bytes() == old
