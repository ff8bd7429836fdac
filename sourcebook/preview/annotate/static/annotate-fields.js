/* Annotate in the preview (issue 19): the fields of the Cite and Edit forms: the fact
   combobox with the fact's evidence, topics, speaker, date, stance; and the check of their
   values.
   Loaded third, after annotate-forms.js, whose field() and fillError() it uses. */
(function () {
  "use strict";

  var A = window.SourcebookAnnotate;
  if (!A) { return; }
  var field = A.field;
  var fillError = A.fillError;
  var h = A.h;
  var nextId = A.nextId;
  var plural = A.plural;
  var PAGE = A.PAGE;

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
      return A.context.facts.filter(function (fact) {
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

  // --- topics, speaker and stance ---

  // Checkboxes of every topic: the suggested (or already chosen) ones first.
  function topicBoxes(checked, suggested) {
    var helpId = nextId("help");
    var set = h("fieldset", { class: "sb-annot-topics", "aria-describedby": helpId },
                [h("legend", { text: "Topics" })]);
    var grid = h("div", { class: "sb-annot-checks" });
    var first = suggested.concat(checked);
    var topics = A.context.topics.slice().sort(function (a, b) {
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
      return A.context.entities.some(function (e) { return e.id === id; });
    });
    if (named.length) {
      var group = h("optgroup", { label: "Named in the passage" });
      named.forEach(function (id) {
        group.appendChild(h("option", { value: id,
                                        text: A.titleOf(A.context.entities, id, "name") }));
      });
      select.appendChild(group);
    }
    var rest = h("optgroup", { label: named.length ? "Everyone else" : "People and organisations" });
    A.context.entities.slice().sort(function (a, b) { return a.name.localeCompare(b.name); })
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
    var loading = known ? Promise.resolve(known) : A.api("fact", { fact: id }).then(function (a) {
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
      var fact = A.factById(id);
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
                                    (fact.topics.length ? " \u00b7 " +
                                      fact.topics.map(function (t) {
                                        return A.titleOf(A.context.topics, t, "title");
                                      }).join(", ") : "") }));
        info.appendChild(h("p", { class: "sb-annot-factinfo-statement", text: fact.statement }));
        showEvidence(info, id, function () { return combo.input.value.trim() === id; });
      } else if (!A.rule("id_rule").test(id)) {
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
      if (isEdit || (id && id !== suggestion) || A.factById(id) && id !== suggestion) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = statement.value.trim();
        if (!text) { return; }
        A.api("suggest", { statement: text }).then(function (answer) {
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
    if (!A.rule("id_rule").test(values.fact)) {
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
    if (values.date && !A.rule("date_rule").test(values.date)) {
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

  A.claimFields = claimFields;
  A.problem = problem;
  A.showProblem = showProblem;
}());
