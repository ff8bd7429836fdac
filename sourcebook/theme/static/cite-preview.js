/* Citation previews: hovering over or focusing a citation link shows the quotation, the
   source and its date in a popover, as Wikipedia's reference previews do. Without JavaScript
   the links are plain footnote links. Keyboard: the popover opens on focus and closes on
   Escape or blur; it is announced through aria-describedby.

   On a phone (no hover, or a narrow screen) a tap on a footnote mark of an introduction does
   not jump away: a sheet at the bottom of the screen shows the quotation, its source, and
   links to the citation and to the passage in the archived article, while the sentence that
   cites it stays where it was. Escape, the close button or a tap elsewhere closes it. */
(function () {
  "use strict";
  var popover = null;
  var owner = null;

  function citationFor(link) {
    var href = link.getAttribute("href") || "";
    if (href.charAt(0) === "#") {
      return document.getElementById(decodeURIComponent(href.slice(1)));
    }
    return link.closest(".citation");
  }

  function ensurePopover() {
    if (!popover) {
      popover = document.createElement("div");
      popover.id = "cite-popover";
      popover.className = "cite-popover";
      popover.setAttribute("role", "tooltip");
      popover.hidden = true;
      document.body.appendChild(popover);
    }
    return popover;
  }

  // The citation's quotation and source, as the popover and the phone sheet show them.
  function fillPreview(box, item) {
    var quote = item.querySelector("blockquote");
    var source = item.querySelector(".cite-source");
    var q = document.createElement("p");
    q.className = "cite-popover-quote";
    q.textContent = "\u201c" + (quote ? quote.textContent.trim() : "") + "\u201d";
    if (quote && quote.lang) { q.lang = quote.lang; }  // a quotation in its own language
    var translation = item.querySelector(".translation");
    var s = document.createElement("p");
    s.className = "cite-popover-source";
    s.textContent = (source ? source.textContent : "") +
      (item.classList.contains("against") ? " \u2014 disputes this fact" : "");
    box.appendChild(q);
    if (translation && translation.parentElement === item) {
      var t = document.createElement("p");
      t.className = "cite-popover-translation";
      t.textContent = translation.textContent.trim();
      box.appendChild(t);
    }
    box.appendChild(s);
  }

  function show(link) {
    var item = citationFor(link);
    if (!item || !item.classList.contains("citation")) { return; }
    var box = ensurePopover();
    box.textContent = "";
    fillPreview(box, item);
    box.hidden = false;
    var rect = link.getBoundingClientRect();
    var width = Math.min(360, document.documentElement.clientWidth - 16);
    box.style.width = width + "px";
    var left = Math.max(8, Math.min(rect.left + window.scrollX,
      window.scrollX + document.documentElement.clientWidth - width - 8));
    box.style.left = left + "px";
    box.style.top = (rect.bottom + window.scrollY + 6) + "px";
    if (owner && owner !== link) { owner.removeAttribute("aria-describedby"); }
    owner = link;
    link.setAttribute("aria-describedby", box.id);
  }

  function hide() {
    if (popover) { popover.hidden = true; }
    if (owner) { owner.removeAttribute("aria-describedby"); owner = null; }
  }

  function isCitationLink(target) {
    var link = target && target.closest ? target.closest("a") : null;
    if (!link) { return null; }
    if (link.classList.contains("cite-link")) { return link; }
    if (link.parentElement && link.parentElement.classList.contains("fact-ref")) { return link; }
    return null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = isCitationLink(event.target);
    if (link) { show(link); }
  });
  document.addEventListener("mouseout", function (event) {
    var link = isCitationLink(event.target);
    if (link && link === owner && document.activeElement !== link) {
      hide();
      // Keyboard focus on another citation keeps its preview.
      var focused = isCitationLink(document.activeElement);
      if (focused) { show(focused); }
    }
  });
  document.addEventListener("focusin", function (event) {
    var link = isCitationLink(event.target);
    if (link) { show(link); } else { hide(); }
  });
  document.addEventListener("focusout", function (event) {
    if (isCitationLink(event.target) === owner) { hide(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); closeSheet(); }
  });

  var sheet = null;
  var sheetOwner = null;
  var touchLike = window.matchMedia("(hover: none), (max-width: 40em)");

  function sheetLink(text, href) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function openSheet(link) {
    var item = citationFor(link);
    if (!item || !item.classList.contains("citation")) { return false; }
    hide();
    if (!sheet) {
      sheet = document.createElement("div");
      sheet.id = "cite-sheet";
      sheet.className = "cite-sheet";
      sheet.setAttribute("role", "dialog");
      sheet.setAttribute("aria-label", "Citation");
      document.body.appendChild(sheet);
    }
    var passage = item.querySelector("a.cite-link");
    sheet.textContent = "";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "cite-sheet-close";
    close.setAttribute("aria-label", "Close");
    close.textContent = "\u00d7";
    close.addEventListener("click", closeSheet);
    sheet.appendChild(close);
    fillPreview(sheet, item);
    var links = document.createElement("p");
    links.className = "cite-sheet-links";
    if (passage) {
      links.appendChild(sheetLink("Read it highlighted in the article", passage.href));
      links.appendChild(document.createTextNode(" \u00b7 "));
    }
    links.appendChild(sheetLink("Go to citation " + link.textContent, link.href));
    sheet.appendChild(links);
    sheet.hidden = false;
    // Keep the citing sentence in sight above the sheet.
    var covered = link.getBoundingClientRect().bottom + 12 - sheet.getBoundingClientRect().top;
    if (covered > 0) { window.scrollBy(0, covered); }
    sheetOwner = link;
    link.setAttribute("aria-expanded", "true");
    close.focus({ preventScroll: true });
    return true;
  }

  function closeSheet() {
    if (!sheet || sheet.hidden) { return; }
    sheet.hidden = true;
    if (sheetOwner) {
      sheetOwner.removeAttribute("aria-expanded");
      sheetOwner.removeAttribute("aria-describedby");
      sheetOwner.focus({ preventScroll: true });
      sheetOwner = null;
    }
  }

  document.addEventListener("click", function (event) {
    var link = isCitationLink(event.target);
    if (link && touchLike.matches && link.parentElement.classList.contains("fact-ref")) {
      if (openSheet(link)) { event.preventDefault(); }
      return;
    }
    // A tap elsewhere, or on a link of the sheet, closes it (the link is then followed).
    if (sheet && !sheet.hidden && (!sheet.contains(event.target) || event.target.closest("a"))) {
      closeSheet();
    }
  });

  // "Cite this fact": the citations are text on the page; with JavaScript each gets a Copy
  // button, and a status line says whether the copy worked.
  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try { return document.execCommand("copy"); } catch (error) { return false; }
  }
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = document.getElementById(button.getAttribute("data-copy"));
      var status = button.closest(".cite-this").querySelector(".copy-status");
      function say(copied) {
        status.textContent = copied ? "Copied." : "Could not copy: the text is selected, copy it yourself.";
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text.textContent).then(function () { say(true); },
          function () { say(selectText(text)); });
      } else {
        say(selectText(text));
      }
    });
  });
}());
