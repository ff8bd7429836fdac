/* Annotate in the preview (issue 19): the start, the API calls, the toolbar by the
   selection, writing and the Undo bar, and the keys.
   Loaded last: it uses what the three other scripts put in window.SourcebookAnnotate,
   and starts the whole. */
(function () {
  "use strict";

  var A = window.SourcebookAnnotate;
  if (!A) { return; }
  var h = A.h;
  var sentence = A.sentence;
  var article = A.article;
  var archived = A.archived;
  var blocks = A.blocks;
  var textNodes = A.textNodes;
  var blockIndexOf = A.blockIndexOf;
  var describeSelection = A.describeSelection;
  var focusCaret = A.focusCaret;
  var GRANULARITY = A.GRANULARITY;
  var button = A.button;
  var errorBox = A.errorBox;
  var fillError = A.fillError;
  var clearError = A.clearError;
  var closeDialog = A.closeDialog;
  var buildDialog = A.buildDialog;
  var staleNotice = A.staleNotice;
  var openCite = A.openCite;
  var openExclude = A.openExclude;
  var openEdit = A.openEdit;

  var TOKEN = A.TOKEN;
  var PAGE = A.PAGE;
  var API = "/__sourcebook__/annotate/";
  var STORE = "sourcebook-annotate-last";
  var contextLoading = null;
  var version = null;      // the annotation's digest the next write is checked against
  var pointerDown = false;
  var toolbar, toolbarAlert, statusBar, hint;

  // --- the API ---

  function api(name, body) {
    return fetch(API + name, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Sourcebook-Token": TOKEN },
      body: JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok && !data.error) {
          data = { error: "The preview answered " + response.status + " " + response.statusText +
                   ".", hint: "" };
        }
        return { status: response.status, ok: response.ok, data: data };
      });
    }, function () {
      return { status: 0, ok: false, data: {
        error: "The preview is not answering.",
        hint: "Is `python build.py serve` still running? Start it again and reload the page." } };
    });
  }

  function loadContext() {
    if (A.context) { return Promise.resolve({ ok: true, data: A.context }); }
    if (!contextLoading) {
      contextLoading = api("context", { page: PAGE }).then(function (answer) {
        contextLoading = null;
        if (answer.ok) {
          A.context = answer.data;
          version = A.context.version;
        }
        return answer;
      });
    }
    return contextLoading;
  }

  function factById(id) {
    var facts = A.context ? A.context.facts : [];
    for (var i = 0; i < facts.length; i++) { if (facts[i].id === id) { return facts[i]; } }
    return null;
  }

  function titleOf(list, id, field) {
    for (var i = 0; i < list.length; i++) { if (list[i].id === id) { return list[i][field]; } }
    return id;
  }
  // --- the toolbar by the selection ---

  function buildToolbar() {
    toolbarAlert = h("p", { class: "sb-annot-toolbar-alert", role: "alert" });
    toolbar = h("div", { class: "sb-annot-toolbar", role: "toolbar",
                         "aria-label": "Annotate the selected words", hidden: true }, [
      h("button", { type: "button", class: "sb-annot-tool", "data-action": "cite",
                    "aria-keyshortcuts": "c", onclick: function () { openForSelection("cite"); } },
        ["Cite", h("kbd", { "aria-hidden": "true", text: "c" })]),
      h("button", { type: "button", class: "sb-annot-tool", "data-action": "exclude",
                    "aria-keyshortcuts": "x",
                    onclick: function () { openForSelection("exclude"); } },
        ["Exclude", h("kbd", { "aria-hidden": "true", text: "x" })]),
      toolbarAlert
    ]);
    // A press on the toolbar must not clear the selection it acts on.
    toolbar.addEventListener("mousedown", function (event) { event.preventDefault(); });
    article.appendChild(toolbar);  // inside the page's main landmark
  }

  function placeToolbar(range) {
    var rects = range.getClientRects();
    var rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    var width = toolbar.offsetWidth || 180;
    var viewport = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(rect.left, viewport - width - 8));
    // Coordinates in the toolbar's containing block: the page, or a positioned ancestor.
    var holder = toolbar.offsetParent;
    var origin = holder && getComputedStyle(holder).position !== "static" ?
      holder.getBoundingClientRect() : { left: -window.scrollX, top: -window.scrollY };
    toolbar.style.left = (left - origin.left) + "px";
    toolbar.style.top = (rect.bottom + 8 - origin.top) + "px";
  }

  function showToolbar(selected) {
    A.saved = selected;
    toolbarAlert.textContent = "";
    toolbar.classList.remove("sb-annot-has-alert");
    toolbar.hidden = false;
    placeToolbar(selected.range);
  }

  function hideToolbar() {
    if (toolbar) { toolbar.hidden = true; }
  }

  function toolbarError(data) {
    toolbarAlert.textContent = "";
    toolbarAlert.appendChild(h("strong", { text: sentence(data.error || "that did not work") }));
    if (data.hint) { toolbarAlert.appendChild(document.createTextNode(" " + sentence(data.hint))); }
    toolbar.classList.add("sb-annot-has-alert");
    if (A.saved) { placeToolbar(A.saved.range); }
  }

  function updateFromSelection() {
    if (A.dialog && A.dialog.open) { return; }
    var selected = describeSelection();
    if (selected) { showToolbar(selected); }
    else if (!toolbar.contains(document.activeElement)) { hideToolbar(); A.saved = null; }
  }

  // --- requests made from the toolbar ---

  function openForSelection(action) {
    var selected = describeSelection() || A.saved;
    if (!selected) { return; }
    A.saved = selected;
    setBusy(true);
    loadContext().then(function (answer) {
      if (!answer.ok) { return answer; }
      return api("select", { source: A.context.source, version: version, start: selected.start,
                             end: selected.end, text: selected.text });
    }).then(function (answer) {
      setBusy(false);
      if (!answer.ok) {
        if (answer.status === 409) { staleNotice(answer.data); } else { toolbarError(answer.data); }
        return;
      }
      hideToolbar();
      if (action === "cite") { openCite(selected, answer.data); }
      else { openExclude(selected, answer.data); }
    });
  }

  function setBusy(busy) {
    Array.prototype.forEach.call(toolbar.querySelectorAll("button"), function (b) {
      b.disabled = busy;
    });
    toolbar.setAttribute("aria-busy", busy ? "true" : "false");
  }
  // --- writing, and the Undo bar ---

  function send(body, alertBox, submit, form) {
    body.source = A.context.source;
    body.version = version;
    clearError(alertBox);
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    api("write", body).then(function (answer) {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
      if (!answer.ok) {
        fillError(alertBox, answer.data, answer.status === 409);
        return;
      }
      version = answer.data.version;
      remember({ undo: answer.data.undo, message: answer.data.message, page: PAGE });
      A.saved = null;
      closeDialog();
      window.getSelection().removeAllRanges();
      hideToolbar();
      showStatus(true);
    });
  }

  function remember(entry) {
    try { window.sessionStorage.setItem(STORE, JSON.stringify(entry)); } catch (e) { /* off */ }
  }

  function recalled() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE) || "null"); }
    catch (e) { return null; }
  }

  function forget() {
    try { window.sessionStorage.removeItem(STORE); } catch (e) { /* off */ }
  }

  function buildStatus() {
    statusBar = h("div", { class: "sb-annot-status", role: "status" });
    document.body.appendChild(statusBar);
  }

  function showStatus(rebuilding) {
    var entry = recalled();
    statusBar.textContent = "";
    statusBar.classList.remove("sb-annot-shown");
    if (!entry || entry.page !== PAGE) { return; }
    var buttons = h("span", { class: "sb-annot-status-buttons" });
    var inner = h("div", { class: "sb-annot-status-inner" }, [
      h("p", { class: "sb-annot-status-text",
               text: entry.message + (rebuilding ? " Rebuilding the page\u2026" : "") }),
      buttons
    ]);
    if (entry.undo) {
      buttons.appendChild(button("Undo", "button", function (event) {
        undo(entry, event.currentTarget);
      }, "sb-annot-primary"));
    }
    buttons.appendChild(button("Dismiss", "button", function () {
      forget();
      statusBar.textContent = "";
      statusBar.classList.remove("sb-annot-shown");
    }));
    statusBar.appendChild(inner);
    statusBar.classList.add("sb-annot-shown");
  }

  function undo(entry, undoButton) {
    undoButton.disabled = true;
    api("undo", { undo: entry.undo }).then(function (answer) {
      if (!answer.ok) {
        undoButton.disabled = false;
        var box = statusBar.querySelector(".sb-annot-error") || errorBox(null);
        statusBar.firstChild.appendChild(box);
        fillError(box, answer.data, answer.status === 409);
        return;
      }
      version = answer.data.version;
      remember({ undo: null, message: answer.data.message || "Undone.", page: PAGE });
      showStatus(true);
    });
  }

  // --- events ---

  function onKeydown(event) {
    if (A.dialog.open || event.altKey || event.metaKey || event.defaultPrevented) { return; }
    var target = event.target;
    var inText = target.nodeType === 1 && blockIndexOf(target) !== -1;
    var inToolbar = toolbar.contains(target);
    if (!inText && !inToolbar) { return; }
    var selection = window.getSelection();
    var move = GRANULARITY[event.key];
    if (move && inText && (event.shiftKey || event.key === "ArrowLeft" ||
                           event.key === "ArrowRight")) {
      event.preventDefault();
      if (selection.rangeCount === 0) { focusCaret(target); }
      selection.modify(event.shiftKey ? "extend" : "move", move[0],
                       event.ctrlKey ? move[2] : move[1]);
      updateFromSelection();
      return;
    }
    if (event.ctrlKey) { return; }
    var key = event.key.toLowerCase();
    if ((key === "c" || key === "x") && !event.shiftKey) {
      var selected = describeSelection() || (inToolbar && A.saved);
      if (selected) {
        event.preventDefault();
        A.saved = selected;
        openForSelection(key === "c" ? "cite" : "exclude");
      }
      return;
    }
    if ((event.key === "Enter" || key === "e") && target.matches("mark.passage")) {
      event.preventDefault();
      openEdit(target);
      return;
    }
    if (event.key === "Escape" && (!toolbar.hidden || !selection.isCollapsed)) {
      event.preventDefault();
      hideToolbar();
      A.saved = null;
      if (selection.rangeCount) { selection.collapseToStart(); }
      if (inToolbar && A.lastFocus) { A.lastFocus.focus(); }
    }
  }

  function init() {
    article.classList.add("sb-annot-on");
    // What the preview adds, said once above the text; each paragraph and passage gets a
    // short reminder as its description.
    var intro = h("p", { class: "sb-annot-intro" }, [
      h("strong", { text: "Annotating (preview only): " }),
      "select words of the text, then Cite ", h("kbd", { text: "c" }), " or Exclude ",
      h("kbd", { text: "x" }), "; from the keyboard, Tab to a paragraph and extend the " +
      "selection with Shift+arrows (Ctrl+Shift+arrows by word). Click a highlighted " +
      "passage, or press Enter on it, to edit its citation."
    ]);
    hint = h("p", { id: "sb-annot-hint", class: "sb-annot-hint", hidden: true,
                    text: "Select words with Shift+arrows, then press c to cite them or x to " +
                          "exclude them." });
    var passageHint = h("p", { id: "sb-annot-passage-hint", class: "sb-annot-hint", hidden: true,
                               text: "Press Enter to edit its citation." });
    archived.parentNode.insertBefore(intro, archived);
    document.body.appendChild(hint);
    document.body.appendChild(passageHint);
    blocks.forEach(function (block) {
      block.setAttribute("tabindex", "0");
      block.setAttribute("aria-describedby", "sb-annot-hint");
      block.classList.add("sb-annot-block");
    });
    Array.prototype.forEach.call(archived.querySelectorAll("mark.passage"), function (mark) {
      mark.setAttribute("tabindex", "0");
      mark.setAttribute("aria-describedby", "sb-annot-passage-hint");
      mark.setAttribute("title", "Edit the citation (Enter)");
    });
    buildToolbar();
    buildDialog();
    buildStatus();

    archived.addEventListener("focusin", function (event) {
      var target = event.target;
      if ((blocks.indexOf(target) !== -1 || target.matches("mark.passage")) &&
          target.matches(":focus-visible") && !pointerDown) {
        A.lastFocus = target;
        focusCaret(target);
      } else if (blockIndexOf(target) !== -1) {
        A.lastFocus = target;
      }
    });
    archived.addEventListener("click", function (event) {
      var mark = event.target.closest ? event.target.closest("mark.passage") : null;
      if (!mark || !archived.contains(mark)) { return; }
      if (!window.getSelection().isCollapsed) { return; }  // the end of a drag: a selection
      A.lastFocus = mark;
      openEdit(mark);
    });
    document.addEventListener("pointerdown", function (event) {
      if (!toolbar.contains(event.target)) { pointerDown = true; }
    });
    document.addEventListener("pointerup", function () {
      pointerDown = false;
      setTimeout(updateFromSelection, 0);
    });
    var pending = null;
    document.addEventListener("selectionchange", function () {
      if (pointerDown) { return; }
      clearTimeout(pending);
      pending = setTimeout(updateFromSelection, 60);
    });
    document.addEventListener("keydown", onKeydown);
    window.addEventListener("resize", function () {
      if (!toolbar.hidden && A.saved) { placeToolbar(A.saved.range); }
    });
    // Filled a moment after the live region exists, so that screen readers announce it.
    setTimeout(function () { showStatus(false); }, 150);
    loadContext();
  }

  A.api = api;
  A.loadContext = loadContext;
  A.factById = factById;
  A.titleOf = titleOf;
  A.send = send;
  A.showToolbar = showToolbar;
  A.hideToolbar = hideToolbar;

  init();
}());
