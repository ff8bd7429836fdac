/* Citation previews: hovering over or focusing a citation link shows the quotation, the
   source and its date in a popover, as Wikipedia's reference previews do. Without JavaScript
   the links are plain footnote links. Keyboard: the popover opens on focus and closes on
   Escape or blur; it is announced through aria-describedby. */
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

  function show(link) {
    var item = citationFor(link);
    if (!item || !item.classList.contains("citation")) { return; }
    var quote = item.querySelector("blockquote");
    var source = item.querySelector(".cite-source");
    var box = ensurePopover();
    box.textContent = "";
    var q = document.createElement("p");
    q.className = "cite-popover-quote";
    q.textContent = "\u201c" + (quote ? quote.textContent.trim() : "") + "\u201d";
    var s = document.createElement("p");
    s.className = "cite-popover-source";
    s.textContent = (source ? source.textContent : "") +
      (item.classList.contains("against") ? " \u2014 disputes this fact" : "");
    box.appendChild(q);
    box.appendChild(s);
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
    if (event.key === "Escape") { hide(); }
  });
}());
