/* The filter bar of a list of facts (topic pages, the timeline). Without JavaScript every fact
   is shown and the bar stays hidden. A fact is shown when it has the chosen value of every
   facet (its data-<facet> attribute lists its values); a group left empty is hidden, and so
   is its entry in the table of contents. The filters live in the query string
   (?status=disputed&sort=newest), so a count elsewhere can link to its facts. */
(function () {
  "use strict";
  var form = document.getElementById("fact-filter-form");
  if (!form) { return; }
  var all = function (selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  };
  var status = document.getElementById("fact-filter-count");
  var facts = all("li.fact");
  var groups = all("[data-fact-group]");
  var contents = all("[data-toc-for]");
  var facets = all("select[data-facet]", form);
  var order = form.querySelector("select[name=sort]");
  var newest = false;  // the order the lists are in now

  function choose(select, value) {
    var known = all("option", select).some(function (option) { return option.value === value; });
    select.value = known ? value : "";
  }

  function readQuery() {
    var query = new URLSearchParams(window.location.search);
    facets.forEach(function (select) { choose(select, query.get(select.name) || ""); });
    choose(order, query.get("sort") || "");
  }

  function writeQuery() {
    var query = new URLSearchParams();
    facets.concat([order]).forEach(function (select) {
      if (select.value) { query.set(select.name, select.value); }
    });
    query.sort();  // in the order the site's own links give them
    var search = query.toString();
    window.history.replaceState(null, "", window.location.pathname +
      (search ? "?" + search : "") + window.location.hash);
  }

  function matches(fact) {
    return facets.every(function (select) {
      return !select.value ||
        (fact.getAttribute("data-" + select.name) || "").split(" ").indexOf(select.value) >= 0;
    });
  }

  // Reverses the dated facts of each list, and the year groups; undated facts stay last.
  function reorder() {
    var wanted = order.value === "newest";
    if (wanted === newest) { return; }
    newest = wanted;
    all("[data-sort-list], [data-sort-groups]").forEach(function (list) {
      var items = Array.prototype.slice.call(list.children);
      var undated = items.filter(function (item) {
        return item.getAttribute("data-year") === "undated";
      });
      items.filter(function (item) { return undated.indexOf(item) < 0; }).reverse()
        .concat(undated).forEach(function (item) { list.appendChild(item); });
    });
  }

  function update() {
    var shown = 0;
    facts.forEach(function (fact) {
      fact.hidden = !matches(fact);
      if (!fact.hidden) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("li.fact:not([hidden])");
    });
    contents.forEach(function (entry) {
      var group = document.getElementById(entry.getAttribute("data-toc-for"));
      entry.hidden = Boolean(group && group.hidden);
    });
    reorder();
    status.textContent = "Showing " + shown + " of " + facts.length + " facts";
  }

  readQuery();
  form.hidden = false;
  form.addEventListener("change", function () { update(); writeQuery(); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { update(); writeQuery(); }, 0);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  update();
}());
