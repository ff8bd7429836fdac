/* The timeline's topic filter: without JavaScript every fact is shown and the filter stays
   hidden. A fact is shown when any of its topics is ticked; an emptied year (or the emptied
   list of undated facts) is hidden too. */
(function () {
  "use strict";
  var form = document.getElementById("timeline-filter");
  if (!form) { return; }
  var status = document.getElementById("timeline-count");
  var facts = Array.prototype.slice.call(
    document.querySelectorAll(".timeline-year .fact, .timeline-undated .fact"));
  var years = Array.prototype.slice.call(
    document.querySelectorAll(".timeline-year, .timeline-undated"));

  function update() {
    var ticked = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=topic]"), function (box) {
      ticked[box.value] = box.checked;
    });
    var shown = 0;
    facts.forEach(function (fact) {
      var topics = (fact.getAttribute("data-topics") || "").split(" ");
      var visible = topics.some(function (t) { return ticked[t]; });
      fact.hidden = !visible;
      if (visible) { shown += 1; }
    });
    years.forEach(function (year) {
      year.hidden = !year.querySelector(".fact:not([hidden])");
    });
    status.textContent = shown + " of " + facts.length + " facts shown";
  }

  form.hidden = false;
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  update();
}());
