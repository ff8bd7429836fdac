/* Annotate in the preview (issue 19): select words of the archived text on a source page, then
   cite them as evidence for a fact or exclude them, and edit or remove a highlighted passage.
   Served by `python build.py serve` only when it listens on loopback; never part of a build.

   The preview puts <meta name="sourcebook-annotate" content="TOKEN" data-page="sources/ID/
   index.html"> in the head; every request to /__sourcebook__/annotate/* carries the token.
   The server writes content/sources/ID.yaml; the watcher rebuilds and LiveReload reloads the
   page, which then shows the change and, from sessionStorage, an Undo bar.

   Keyboard: Tab reaches each paragraph of the archived text (and each highlighted passage);
   Shift+Arrow extends the selection by a character (Ctrl+Shift+Arrow by a word, Shift+Up/Down
   by a line, Shift+Home/End to the line's edge); then c cites, x excludes; Enter or e on a
   highlighted passage edits its citations; Escape closes the toolbar or the form.

   The site's CSP allows no inline style or script: the look is in annotate.css, and the only
   style set here is the toolbar's position (through the CSSOM, which the CSP allows). */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="sourcebook-annotate"]');
  var article = document.querySelector("article.source");
  if (!meta || !article) { return; }
  var archived = article.querySelector("section.archived");
  if (!archived) { return; }

  var TOKEN = meta.getAttribute("content") || "";
  var PAGE = meta.getAttribute("data-page") || "";
  var API = "/__sourcebook__/annotate/";
  var STORE = "sourcebook-annotate-last";
  var ID_RULE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var DATE_RULE = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;

  var blocks = Array.prototype.slice.call(archived.querySelectorAll(
    ":scope > div.para > p, :scope > p.boilerplate-block"));
  var context = null;      // the answer of `context`, once loaded
  var contextLoading = null;
  var version = null;      // the annotation's digest the next write is checked against
  var saved = null;        // the selection the toolbar acts on: {range, start, end, text}
  var pointerDown = false;
  var toolbar, toolbarAlert, dialog, statusBar, hint;
  var lastFocus = null;
  var uid = 0;

  // --- small helpers ---

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === "text") { el.textContent = value; }
      else if (key === "class") { el.className = value; }
      else if (key.slice(0, 2) === "on") { el.addEventListener(key.slice(2), value); }
      else if (value === true) { el.setAttribute(key, ""); }
      else { el.setAttribute(key, value); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) { return; }
      el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return el;
  }

  function nextId(stem) { uid += 1; return "sb-annot-" + stem + "-" + uid; }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

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
    if (context) { return Promise.resolve({ ok: true, data: context }); }
    if (!contextLoading) {
      contextLoading = api("context", { page: PAGE }).then(function (answer) {
        contextLoading = null;
        if (answer.ok) {
          context = answer.data;
          version = context.version;
        }
        return answer;
      });
    }
    return contextLoading;
  }

  function factById(id) {
    var facts = context ? context.facts : [];
    for (var i = 0; i < facts.length; i++) { if (facts[i].id === id) { return facts[i]; } }
    return null;
  }

  function titleOf(list, id, field) {
    for (var i = 0; i < list.length; i++) { if (list[i].id === id) { return list[i][field]; } }
    return id;
  }

  // --- the text map: a DOM boundary → [block, UTF-16 offset] (the design's contract) ---

  function inTag(node, block) {
    for (var el = node.parentNode; el && el !== block; el = el.parentNode) {
      if (el.nodeType === 1 && el.matches("span.tag")) { return true; }
    }
    return false;
  }

  function textNodes(block) {
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var nodes = [];
    var node;
    while ((node = walker.nextNode())) { if (!inTag(node, block)) { nodes.push(node); } }
    return nodes;
  }

  function blockText(block) {
    return textNodes(block).map(function (t) { return t.data; }).join("");
  }

  function blockIndexOf(node) {
    for (var el = node; el && el !== archived; el = el.parentNode) {
      var i = blocks.indexOf(el);
      if (i !== -1) { return i; }
    }
    return -1;
  }

  function offsetIn(block, container, offset) {
    var before = document.createRange();
    before.selectNodeContents(block);
    before.setEnd(container, offset);
    var count = 0;
    var nodes = textNodes(block);
    for (var i = 0; i < nodes.length; i++) {
      var t = nodes[i];
      if (t === container) { return count + offset; }
      if (before.comparePoint(t, t.length) !== 0) { break; }
      count += t.length;
    }
    return count;
  }

  function comparePointToBlock(block, container, offset) {
    var range = document.createRange();
    range.selectNodeContents(block);
    return range.comparePoint(container, offset);  // -1 before, 0 inside, 1 after
  }

  // A boundary outside every block (in a "cited by" list, the page header…) moves to the
  // nearest block edge inside the selection: the start to the next block's start, the end to
  // the previous block's end.
  function boundary(container, offset, isStart) {
    var b = blockIndexOf(container);
    if (b !== -1) { return [b, offsetIn(blocks[b], container, offset)]; }
    if (isStart) {
      for (var i = 0; i < blocks.length; i++) {
        if (comparePointToBlock(blocks[i], container, offset) < 0) { return [i, 0]; }
      }
    } else {
      for (var j = blocks.length - 1; j >= 0; j--) {
        if (comparePointToBlock(blocks[j], container, offset) > 0) {
          return [j, blockText(blocks[j]).length];
        }
      }
    }
    return null;
  }

  function describeSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return null; }
    var range = selection.getRangeAt(0);
    if (!archived.contains(range.commonAncestorContainer) &&
        !range.intersectsNode(archived)) { return null; }
    var start = boundary(range.startContainer, range.startOffset, true);
    var end = boundary(range.endContainer, range.endOffset, false);
    if (!start || !end || start[0] > end[0] || (start[0] === end[0] && start[1] >= end[1])) {
      return null;
    }
    var parts = [];
    for (var b = start[0]; b <= end[0]; b++) {
      var text = blockText(blocks[b]);
      parts.push(text.slice(b === start[0] ? start[1] : 0, b === end[0] ? end[1] : text.length));
    }
    var joined = parts.join("\n");
    if (!joined.trim()) { return null; }
    return { range: range.cloneRange(), start: start, end: end, text: joined };
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
    saved = selected;
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
    if (saved) { placeToolbar(saved.range); }
  }

  function updateFromSelection() {
    if (dialog && dialog.open) { return; }
    var selected = describeSelection();
    if (selected) { showToolbar(selected); }
    else if (!toolbar.contains(document.activeElement)) { hideToolbar(); saved = null; }
  }

  // --- requests made from the toolbar ---

  function openForSelection(action) {
    var selected = describeSelection() || saved;
    if (!selected) { return; }
    saved = selected;
    setBusy(true);
    loadContext().then(function (answer) {
      if (!answer.ok) { return answer; }
      return api("select", { source: context.source, version: version, start: selected.start,
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

  function staleNotice(data) {
    openDialog("The page is out of date", function (form) {
      form.appendChild(errorBox(data, true));
      form.appendChild(actions([button("Close", "button", closeDialog)]));
    });
  }

  // --- the dialog ---

  function buildDialog() {
    dialog = h("dialog", { class: "sb-annot-dialog", "aria-labelledby": "sb-annot-title" });
    dialog.addEventListener("close", function () {
      dialog.textContent = "";
      if (lastFocus && document.contains(lastFocus)) { lastFocus.focus({ preventScroll: true }); }
      if (saved) {  // closed without writing: the selection is back, to try again
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(saved.range);
        showToolbar(saved);
      }
    });
    document.body.appendChild(dialog);
  }

  function openDialog(title, fill) {
    lastFocus = document.activeElement;
    dialog.textContent = "";
    var form = h("form", { class: "sb-annot-form", novalidate: true });
    form.appendChild(h("div", { class: "sb-annot-head" }, [
      h("h2", { id: "sb-annot-title", text: title }),
      h("button", { type: "button", class: "sb-annot-close", "aria-label": "Close",
                    onclick: closeDialog }, ["\u00d7"])
    ]));
    fill(form);
    dialog.appendChild(form);
    dialog.showModal();
    var first = form.querySelector("[autofocus]") || form.querySelector(
      "input, select, textarea, button:not(.sb-annot-close)");
    if (first) { first.focus(); }
    return form;
  }

  function closeDialog() { if (dialog.open) { dialog.close(); } }

  function button(label, type, onclick, cls) {
    return h("button", { type: type, class: "sb-annot-button" + (cls ? " " + cls : ""),
                         onclick: onclick }, [label]);
  }

  function actions(buttons) { return h("div", { class: "sb-annot-actions" }, buttons); }

  // The alert for a refused request: the sentence, its hint, and for a stale page a Reload.
  function errorBox(data, stale) {
    var box = h("div", { class: "sb-annot-error", role: "alert" });
    if (data) { fillError(box, data, stale); }
    return box;
  }

  function sentence(text) {
    text = String(text || "");
    return text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?:]$/.test(text) ? "" : ".");
  }

  function fillError(box, data, stale) {
    box.textContent = "";
    box.appendChild(h("p", { class: "sb-annot-error-text", text: sentence(data.error) }));
    if (data.hint) {
      box.appendChild(h("p", { class: "sb-annot-error-hint", text: sentence(data.hint) }));
    }
    if (stale) {
      box.appendChild(button("Reload the page", "button", function () {
        window.location.reload();
      }, "sb-annot-primary"));
    }
    box.classList.add("sb-annot-shown");
  }

  function clearError(box) { box.textContent = ""; box.classList.remove("sb-annot-shown"); }

  function field(labelText, control, help) {
    var wrap = h("div", { class: "sb-annot-field" });
    if (!control.id) { control.id = nextId("field"); }
    wrap.appendChild(h("label", { for: control.id, text: labelText }));
    wrap.appendChild(control);
    if (help) {
      var helpId = nextId("help");
      wrap.appendChild(h("p", { class: "sb-annot-help", id: helpId, text: help }));
      control.setAttribute("aria-describedby", helpId);
    }
    return wrap;
  }

  function quoteBlock(selection, excluding) {
    var parts = [h("blockquote", { class: "sb-annot-quote", text: selection.quote })];
    var where = "Line " + selection.line + ", column " + selection.column + " of the seed.";
    if (selection.prefix || selection.suffix) {
      where += " These words occur more than once in the seed: the citation also records " +
        (selection.prefix ? "the words before them (\u201c" + selection.prefix + "\u201d)" :
         "the words after them (\u201c" + selection.suffix + "\u201d)") + ".";
    }
    parts.push(h("p", { class: "sb-annot-where", text: where }));
    var inside = selection.inside || [];
    if (inside.length) {
      var names = inside.map(function (anchor) {
        var mark = document.getElementById(anchor);
        var claims = (context.passages || {})[anchor] || [];
        return (mark ? "passage " + mark.getAttribute("data-n") : anchor) +
          (claims.length ? " (" + claims.map(function (c) { return c.fact; }).join(", ") + ")" : "");
      });
      parts.push(h("p", { class: "sb-annot-where", text: "It overlaps " + names.join("; ") +
        (excluding ? ": cited words cannot be excluded." :
         ": passages may nest or coincide, but not cross.") }));
    }
    return parts;
  }

  // --- the fact combobox: search the facts by id and statement ---

  function factCombobox(initial, onchange) {
    var listId = nextId("facts");
    var input = h("input", { type: "text", id: nextId("fact"), role: "combobox",
                             "aria-autocomplete": "list", "aria-expanded": "false",
                             "aria-controls": listId, autocomplete: "off", spellcheck: "false",
                             class: "sb-annot-input", autofocus: true });
    input.value = initial || "";
    var list = h("ul", { id: listId, role: "listbox", class: "sb-annot-listbox",
                         "aria-label": "Facts", hidden: true });
    var options = [];
    var active = -1;

    function matches(query) {
      var words = query.toLowerCase().split(/\s+/).filter(Boolean);
      return context.facts.filter(function (fact) {
        var hay = (fact.id + " " + fact.statement).toLowerCase();
        return words.every(function (w) { return hay.indexOf(w) !== -1; });
      }).slice(0, 40);
    }

    function render() {
      list.textContent = "";
      options = matches(input.value);
      active = -1;
      input.removeAttribute("aria-activedescendant");
      options.forEach(function (fact, i) {
        list.appendChild(h("li", { id: listId + "-" + i, role: "option", "aria-selected": "false",
                                   class: "sb-annot-option",
                                   onmousedown: function (e) { e.preventDefault(); choose(i); } }, [
          h("span", { class: "sb-annot-option-id", text: fact.id }),
          h("span", { class: "sb-annot-option-statement", text: fact.statement }),
          h("span", { class: "sb-annot-option-meta",
                      text: plural(fact.evidence, "passage") + " of evidence" })
        ]));
      });
      var open = options.length > 0 && document.activeElement === input;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
    }

    function setActive(i) {
      var items = list.children;
      if (active >= 0 && items[active]) { items[active].setAttribute("aria-selected", "false"); }
      active = i;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({ block: "nearest" });
      } else { input.removeAttribute("aria-activedescendant"); }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(i) {
      input.value = options[i].id;
      close();
      onchange(true);
    }

    input.addEventListener("input", function () { render(); onchange(false); });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { render(); }
        if (options.length) { setActive(Math.min(active + 1, options.length - 1)); }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        setActive(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Enter" && open) {
        close();  // no option chosen: the form is submitted with the id as typed
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    return { input: input, list: list, close: close };
  }

  // --- the Cite form ---

  // Checkboxes of every topic: the suggested (or already chosen) ones first.
  function topicBoxes(checked, suggested) {
    var helpId = nextId("help");
    var set = h("fieldset", { class: "sb-annot-topics", "aria-describedby": helpId },
                [h("legend", { text: "Topics" })]);
    var grid = h("div", { class: "sb-annot-checks" });
    var first = suggested.concat(checked);
    var topics = context.topics.slice().sort(function (a, b) {
      var sa = first.indexOf(a.id) !== -1 ? 0 : 1;
      var sb = first.indexOf(b.id) !== -1 ? 0 : 1;
      return sa - sb || a.title.localeCompare(b.title);
    });
    topics.forEach(function (topic) {
      var id = nextId("topic");
      var box = h("input", { type: "checkbox", id: id, name: "topic", value: topic.id,
                             checked: checked.indexOf(topic.id) !== -1 });
      var label = h("label", { for: id }, [topic.title]);
      if (suggested.indexOf(topic.id) !== -1) {
        label.appendChild(h("span", { class: "sb-annot-suggested", text: " named in the passage" }));
      }
      grid.appendChild(h("div", { class: "sb-annot-check" }, [box, label]));
    });
    set.appendChild(grid);
    set.appendChild(h("p", { class: "sb-annot-help", id: helpId,
                             text: "A fact belongs to the topics of all its citations." }));
    return set;
  }

  function speakerSelect(current, suggested) {
    var select = h("select", { class: "sb-annot-input" });
    select.appendChild(h("option", { value: "", text: "No speaker" }));
    var named = suggested.filter(function (id) {
      return context.entities.some(function (e) { return e.id === id; });
    });
    if (named.length) {
      var group = h("optgroup", { label: "Named in the passage" });
      named.forEach(function (id) {
        group.appendChild(h("option", { value: id, text: titleOf(context.entities, id, "name") }));
      });
      select.appendChild(group);
    }
    var rest = h("optgroup", { label: named.length ? "Everyone else" : "People and organisations" });
    context.entities.slice().sort(function (a, b) { return a.name.localeCompare(b.name); })
      .forEach(function (entity) {
        if (named.indexOf(entity.id) === -1) {
          rest.appendChild(h("option", { value: entity.id, text: entity.name }));
        }
      });
    select.appendChild(rest);
    select.value = current || "";
    return select;
  }

  function stanceRadios(current) {
    var name = nextId("stance");
    var set = h("fieldset", { class: "sb-annot-stance" }, [h("legend", { text: "Stance" })]);
    [["supports", "Supports the fact"], ["disputes", "Disputes the fact"]].forEach(function (s) {
      var id = nextId("stance");
      set.appendChild(h("div", { class: "sb-annot-check" }, [
        h("input", { type: "radio", name: name, id: id, value: s[0],
                     checked: (current || "supports") === s[0] }),
        h("label", { for: id, text: s[1] })
      ]));
    });
    return set;
  }

  // --- an existing fact's evidence, under the fact info ---

  var SHOWN = 5;          // passages listed; the rest are counted
  var QUOTE_CHARS = 120;  // a longer quote is shortened to about this length
  var evidenceOf = {};    // fact id → the answer of `fact`, once loaded

  // The site's base path: the page's path less the directory of data-page
  // ("sources/ID/index.html" at "/base/sources/ID/" → "/base/").
  function basePath() {
    var path = window.location.pathname.replace(/[^/]*$/, "");
    var dir = PAGE.replace(/[^/]*$/, "");
    return dir && path.slice(-dir.length) === dir ? path.slice(0, -dir.length) : "/";
  }

  function shorten(text, limit) {
    text = String(text || "").replace(/\s+/g, " ").trim();
    if (text.length <= limit) { return text; }
    var cut = text.slice(0, limit);
    var space = cut.lastIndexOf(" ");
    return (space > limit / 2 ? cut.slice(0, space) : cut) + "\u2026";
  }

  function evidenceList(fact) {
    var evidence = fact.evidence || [];
    var base = basePath();
    var list = h("ul", { class: "sb-annot-evidence" });
    evidence.slice(0, SHOWN).forEach(function (e) {
      var link = h("a", { href: base + e.href }, [e.title || e.source]);
      list.appendChild(h("li", {}, [
        link, ": \u201c" + shorten(e.quote, QUOTE_CHARS) + "\u201d",
        e.stance === "disputes" ? h("strong", { class: "sb-annot-disputes",
                                                text: " (disputes)" }) : null
      ]));
    });
    var parts = [list];
    if (evidence.length > SHOWN) {
      parts.push(h("p", { class: "sb-annot-evidence-more",
                          text: "and " + (evidence.length - SHOWN) + " more" }));
    }
    return parts;
  }

  // Lists the fact's evidence in `info` once loaded, unless `current()` says the form has
  // moved on to another fact meanwhile.
  function showEvidence(info, id, current) {
    var holder = h("div", { class: "sb-annot-evidence-holder" });
    info.appendChild(holder);
    var known = evidenceOf[id];
    var loading = known ? Promise.resolve(known) : api("fact", { fact: id }).then(function (a) {
      if (!a.ok) { return null; }
      evidenceOf[id] = a.data;
      return a.data;
    });
    loading.then(function (fact) {
      if (!fact || !current() || !info.contains(holder)) { return; }
      evidenceList(fact).forEach(function (el) { holder.appendChild(el); });
    });
  }

  // The fields shared by the Cite and Edit forms; `claim` holds their first values.
  function claimFields(holder, form, claim, suggestedTopics, suggestedSpeakers, isEdit) {
    var info = h("div", { class: "sb-annot-factinfo", "aria-live": "polite" });
    var statement = h("textarea", { class: "sb-annot-input", rows: "3" });
    statement.value = claim.statement || "";
    var suggestion = null;   // the id last suggested from the statement, while unedited
    var timer = null;

    function describeFact() {
      var id = combo.input.value.trim();
      var fact = factById(id);
      info.textContent = "";
      info.className = "sb-annot-factinfo";
      if (!id) {
        info.appendChild(h("p", { text: "Choose a fact, or write the statement of a new one: " +
                                  "its id is then suggested from the statement." }));
      } else if (fact) {
        info.classList.add("sb-annot-existing");
        info.appendChild(h("p", { class: "sb-annot-factinfo-label",
                                  text: "Existing fact \u00b7 " +
                                    plural(fact.evidence, "passage") + " of evidence" +
                                    (fact.topics.length ? " \u00b7 " + fact.topics.map(function (t) {
                                      return titleOf(context.topics, t, "title");
                                    }).join(", ") : "") }));
        info.appendChild(h("p", { class: "sb-annot-factinfo-statement", text: fact.statement }));
        showEvidence(info, id, function () { return combo.input.value.trim() === id; });
      } else if (!ID_RULE.test(id)) {
        info.classList.add("sb-annot-bad");
        info.appendChild(h("p", { text: "\u201c" + id + "\u201d is not a valid id: use " +
                                  "lowercase letters, digits and single hyphens." }));
      } else {
        info.classList.add("sb-annot-new");
        info.appendChild(h("p", { text: "New fact \u201c" + id + "\u201d" +
          (suggestion === id ? ", its id suggested from the statement (you can change it)" : "") +
          ": the statement and at least one topic are required." }));
      }
      statement.placeholder = !fact ? "" : isEdit ? "Given elsewhere: " + fact.statement :
        "Leave empty to keep: " + fact.statement;
    }

    var combo = factCombobox(claim.fact, function () {
      if (combo.input.value.trim() !== suggestion) { suggestion = null; }
      describeFact();
    });

    statement.addEventListener("input", function () {
      var id = combo.input.value.trim();
      if (isEdit || (id && id !== suggestion) || factById(id) && id !== suggestion) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = statement.value.trim();
        if (!text) { return; }
        api("suggest", { statement: text }).then(function (answer) {
          var now = combo.input.value.trim();
          if (!answer.ok || (now && now !== suggestion)) { return; }
          suggestion = answer.data.fact;
          combo.input.value = suggestion;
          describeFact();
        });
      }, 250);
    });
    // Enter submits from the statement too (Shift+Enter: a new line).
    statement.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });

    var factField = field("Fact", combo.input,
                          "Search the facts by id or statement, or type the id of a new fact.");
    factField.classList.add("sb-annot-combo");
    factField.insertBefore(combo.list, combo.input.nextSibling);
    holder.appendChild(factField);
    holder.appendChild(info);
    holder.appendChild(field("Statement", statement, isEdit ?
      "The fact in your words, as given on this citation; empty to give none here." :
      "One checkable sentence; required for a new fact."));
    var topics = topicBoxes(claim.topics || [], suggestedTopics);
    holder.appendChild(topics);
    var speaker = speakerSelect(claim.speaker, suggestedSpeakers);
    var date = h("input", { type: "text", class: "sb-annot-input sb-annot-date",
                            inputmode: "numeric", placeholder: "YYYY-MM-DD" });
    date.value = claim.date || "";
    holder.appendChild(h("div", { class: "sb-annot-row" }, [
      field("Speaker", speaker, "Who said it (optional)."),
      field("Date", date, "When it happened: YYYY, YYYY-MM or YYYY-MM-DD (optional).")
    ]));
    var stance = stanceRadios(claim.stance);
    holder.appendChild(stance);
    var note = null;
    if (isEdit) {
      note = h("textarea", { class: "sb-annot-input", rows: "2" });
      note.value = claim.note || "";
      holder.appendChild(field("Note", note, "A comment on this piece of evidence (optional)."));
    }
    describeFact();

    return {
      combo: combo, statement: statement, date: date,
      values: function () {
        // The claim's own topics keep their order; newly ticked ones follow.
        var was = claim.topics || [];
        var checked = Array.prototype.filter.call(topics.querySelectorAll("input"),
          function (b) { return b.checked; }).map(function (b) { return b.value; });
        checked.sort(function (a, b) {
          var ia = was.indexOf(a);
          var ib = was.indexOf(b);
          return (ia === -1 ? was.length : ia) - (ib === -1 ? was.length : ib);
        });
        var stanceBox = stance.querySelector("input:checked");
        return { fact: combo.input.value.trim(), statement: statement.value.trim(),
                 topics: checked, speaker: speaker.value, date: date.value.trim(),
                 stance: stanceBox ? stanceBox.value : "supports",
                 note: note ? note.value.trim() : undefined };
      }
    };
  }

  // The first problem of the values, as {error, hint, field}; null when they can be sent.
  function problem(values, fields, isNew) {
    if (!values.fact) {
      return { error: "Choose a fact or give the id of a new one.", field: fields.combo.input,
               hint: "Type words of its statement or id to search the facts." };
    }
    if (!ID_RULE.test(values.fact)) {
      return { error: "\u201c" + values.fact + "\u201d is not a valid fact id.",
               field: fields.combo.input,
               hint: "Use lowercase letters, digits and single hyphens, e.g. s400-deal-2018." };
    }
    if (isNew && !values.statement) {
      return { error: "A new fact needs its statement.", field: fields.statement,
               hint: "Write the fact in one checkable sentence." };
    }
    if (isNew && !values.topics.length) {
      return { error: "A new fact needs at least one topic.", field: null,
               hint: "Tick the topics it belongs to." };
    }
    if (values.date && !DATE_RULE.test(values.date)) {
      return { error: "\u201c" + values.date + "\u201d is not a date.", field: fields.date,
               hint: "Write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021-04-06." };
    }
    return null;
  }

  function showProblem(box, found, form) {
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
    });
    fillError(box, found, false);
    if (found.field) {
      found.field.setAttribute("aria-invalid", "true");
      found.field.focus();
    }
  }

  function openCite(selected, selection) {
    var fields, alertBox, submit;
    openDialog("Cite this passage", function (form) {
      quoteBlock(selection).forEach(function (el) { form.appendChild(el); });
      alertBox = errorBox(null);
      fields = claimFields(form, form, { topics: selection.topics || [] }, selection.topics || [],
                           selection.speakers || [], false);
      form.appendChild(alertBox);
      submit = button("Cite", "submit", null, "sb-annot-primary");
      form.appendChild(actions([button("Cancel", "button", closeDialog), submit]));
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        fields.combo.close();
        var values = fields.values();
        var existing = factById(values.fact);
        var found = problem(values, fields, !existing);
        if (!found && existing && values.statement &&
            values.statement !== existing.statement) {
          found = { error: "This fact already has a statement, and a different one would " +
                           "contradict it.", field: fields.statement,
                    hint: "Leave the statement empty to cite this passage for the fact as " +
                          "it stands; to reword the fact, edit a passage that gives it." };
        }
        if (found) { showProblem(alertBox, found, form); return; }
        var claim = { fact: values.fact, topics: values.topics };
        if (values.statement) { claim.statement = values.statement; }
        if (values.speaker) { claim.speaker = values.speaker; }
        if (values.date) { claim.date = values.date; }
        if (values.stance === "disputes") { claim.stance = "disputes"; }
        send({ action: "cite", start: selected.start, end: selected.end, text: selected.text,
               claim: claim }, alertBox, submit, form);
      });
    });
  }

  // --- the Exclude form ---

  function openExclude(selected, selection) {
    var alertBox, submit, reason;
    openDialog("Exclude this passage", function (form) {
      quoteBlock(selection, true).forEach(function (el) { form.appendChild(el); });
      reason = h("input", { type: "text", class: "sb-annot-input", autofocus: true });
      form.appendChild(field("Reason", reason,
        "Why these words carry no claim, e.g. \u201cCookie banner\u201d: shown as " +
        "\u201cExcluded: \u2026\u201d on the page."));
      alertBox = errorBox(null);
      form.appendChild(alertBox);
      submit = button("Exclude", "submit", null, "sb-annot-primary");
      form.appendChild(actions([button("Cancel", "button", closeDialog), submit]));
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!reason.value.trim()) {
          showProblem(alertBox, { error: "Give the reason for excluding these words.",
                                  hint: "It is shown on the page in place of a citation.",
                                  field: reason }, form);
          return;
        }
        send({ action: "exclude", start: selected.start, end: selected.end,
               text: selected.text, reason: reason.value.trim() }, alertBox, submit, form);
      });
    });
  }

  // --- the Edit form of a highlighted passage ---

  function openEdit(mark) {
    saved = null;
    hideToolbar();
    loadContext().then(function (answer) {
      if (!answer.ok) {
        openDialog("Edit the citation", function (form) {
          form.appendChild(errorBox(answer.data, answer.status === 409));
          form.appendChild(actions([button("Close", "button", closeDialog)]));
        });
        return;
      }
      var claims = (context.passages || {})[mark.id] || [];
      var number = mark.getAttribute("data-n");
      openDialog("Edit passage " + number, function (form) {
        form.appendChild(h("blockquote", { class: "sb-annot-quote", text: mark.textContent }));
        if (!claims.length) {
          form.appendChild(errorBox({ error: "This passage has no citation in the annotation.",
                                      hint: "Reload the page: it may be out of date." }, true));
          form.appendChild(actions([button("Close", "button", closeDialog)]));
          return;
        }
        var holder = h("div", { class: "sb-annot-claim" });
        if (claims.length > 1) {
          var which = h("select", { class: "sb-annot-input", autofocus: true });
          claims.forEach(function (claim, i) {
            which.appendChild(h("option", { value: String(i), text: claim.fact +
              (claim.stance === "disputes" ? " (disputes)" : "") }));
          });
          which.addEventListener("change", function () { fillClaim(claims[+which.value]); });
          form.appendChild(field("Citation", which, "This passage is cited " + claims.length +
                                 " times; choose the citation to edit."));
        }
        form.appendChild(holder);

        function fillClaim(claim) {
          holder.textContent = "";
          var alertBox = errorBox(null);
          var fields = claimFields(holder, form, claim, [], [], true);
          holder.appendChild(alertBox);
          var submit = button("Save changes", "submit", null, "sb-annot-primary");
          var remove = button("Remove this citation", "button", function () {
            send({ action: "remove", index: claim.index }, alertBox, remove, form);
          }, "sb-annot-danger");
          holder.appendChild(actions([remove, h("span", { class: "sb-annot-spacer" }),
                                      button("Cancel", "button", closeDialog), submit]));
          form.onsubmit = function (event) {
            event.preventDefault();
            fields.combo.close();
            var values = fields.values();
            var isNew = !factById(values.fact);
            var found = problem(values, fields, isNew && !claim.statement);
            if (found) { showProblem(alertBox, found, form); return; }
            var change = {};
            var before = { fact: claim.fact, statement: claim.statement || "",
                           topics: claim.topics || [], speaker: claim.speaker || "",
                           date: claim.date || "", stance: claim.stance || "supports",
                           note: claim.note || "" };
            Object.keys(before).forEach(function (key) {
              var now = values[key];
              var was = before[key];
              var same = Array.isArray(was) ? now.join("\n") === was.join("\n") : now === was;
              if (!same) { change[key] = key === "stance" && now === "supports" ? "" : now; }
            });
            if (!Object.keys(change).length) {
              showProblem(alertBox, { error: "Nothing has changed.",
                                      hint: "Change a field, or press Cancel." }, form);
              return;
            }
            send({ action: "edit", index: claim.index, claim: change }, alertBox, submit, form);
          };
        }
        fillClaim(claims[0]);
      });
    });
  }

  // --- writing, and the Undo bar ---

  function send(body, alertBox, submit, form) {
    body.source = context.source;
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
      saved = null;
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

  function focusCaret(target) {
    var selection = window.getSelection();
    if (!selection.isCollapsed && selection.rangeCount &&
        target.contains(selection.getRangeAt(0).commonAncestorContainer)) { return; }
    var first = textNodes(target)[0];
    if (first) { selection.collapse(first, 0); }
    else { selection.collapse(target, 0); }
  }

  var GRANULARITY = { ArrowLeft: ["backward", "character", "word"],
                      ArrowRight: ["forward", "character", "word"],
                      ArrowUp: ["backward", "line", "paragraph"],
                      ArrowDown: ["forward", "line", "paragraph"],
                      Home: ["backward", "lineboundary", "lineboundary"],
                      End: ["forward", "lineboundary", "lineboundary"] };

  function onKeydown(event) {
    if (dialog.open || event.altKey || event.metaKey || event.defaultPrevented) { return; }
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
      var selected = describeSelection() || (inToolbar && saved);
      if (selected) {
        event.preventDefault();
        saved = selected;
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
      saved = null;
      if (selection.rangeCount) { selection.collapseToStart(); }
      if (inToolbar && lastFocus) { lastFocus.focus(); }
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
        lastFocus = target;
        focusCaret(target);
      } else if (blockIndexOf(target) !== -1) {
        lastFocus = target;
      }
    });
    archived.addEventListener("click", function (event) {
      var mark = event.target.closest ? event.target.closest("mark.passage") : null;
      if (!mark || !archived.contains(mark)) { return; }
      if (!window.getSelection().isCollapsed) { return; }  // the end of a drag: a selection
      lastFocus = mark;
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
      if (!toolbar.hidden && saved) { placeToolbar(saved.range); }
    });
    // Filled a moment after the live region exists, so that screen readers announce it.
    setTimeout(function () { showStatus(false); }, 150);
    loadContext();
  }

  init();
}());
