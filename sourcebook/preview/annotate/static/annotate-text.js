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

   This script (annotate-text.js) holds the page's text map (a DOM boundary ↔ [block, offset])
   and the keyboard selection; annotate-forms.js and annotate-fields.js the form; annotate.js
   the API calls, the toolbar, the Undo bar and the start. They share window.SourcebookAnnotate.

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

  var blocks = Array.prototype.slice.call(archived.querySelectorAll(
    ":scope > div.para > p, :scope > p.boilerplate-block"));
  var uid = 0;

  // --- small helpers ---

  // A whole-value check of the build's own (the context's "id_rule" or "date_rule": the load
  // stage's patterns), never a copy of it here.
  function rule(name) {
    return new RegExp("^(?:" + window.SourcebookAnnotate.context[name].pattern + ")$");
  }

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
  function sentence(text) {
    text = String(text || "");
    return text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?:]$/.test(text) ? "" : ".");
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

  // --- the keyboard selection ---

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

  // What the other scripts use; context, saved, lastFocus and dialog change as the page is used.
  window.SourcebookAnnotate = {
    TOKEN: TOKEN, PAGE: PAGE, rule: rule,
    article: article, archived: archived, blocks: blocks,
    h: h, nextId: nextId, plural: plural, sentence: sentence,
    textNodes: textNodes, blockText: blockText, blockIndexOf: blockIndexOf,
    describeSelection: describeSelection, focusCaret: focusCaret, GRANULARITY: GRANULARITY,
    context: null,    // the answer of `context`, once loaded
    saved: null,      // the selection the toolbar acts on: {range, start, end, text}
    lastFocus: null,  // where focus goes back to when the form closes
    dialog: null
  };
}());
