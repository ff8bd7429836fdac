/* Annotate in the preview (issue 19): the form: the dialog and its parts, and the Cite,
   Exclude and Edit forms.
   Loaded after annotate-text.js (whose window.SourcebookAnnotate it adds to); calls into
   annotate-fields.js and annotate.js once they have loaded too. */
(function () {
  "use strict";

  var A = window.SourcebookAnnotate;
  if (!A) { return; }
  var h = A.h;
  var nextId = A.nextId;
  var sentence = A.sentence;

  function staleNotice(data) {
    openDialog("The page is out of date", function (form) {
      form.appendChild(errorBox(data, true));
      form.appendChild(actions([button("Close", "button", closeDialog)]));
    });
  }

  // --- the dialog ---

  function buildDialog() {
    A.dialog = h("dialog", { class: "sb-annot-dialog", "aria-labelledby": "sb-annot-title" });
    A.dialog.addEventListener("close", function () {
      A.dialog.textContent = "";
      if (A.lastFocus && document.contains(A.lastFocus)) {
        A.lastFocus.focus({ preventScroll: true });
      }
      if (A.saved) {  // closed without writing: the selection is back, to try again
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(A.saved.range);
        A.showToolbar(A.saved);
      }
    });
    document.body.appendChild(A.dialog);
  }

  function openDialog(title, fill) {
    A.lastFocus = document.activeElement;
    A.dialog.textContent = "";
    var form = h("form", { class: "sb-annot-form", novalidate: true });
    form.appendChild(h("div", { class: "sb-annot-head" }, [
      h("h2", { id: "sb-annot-title", text: title }),
      h("button", { type: "button", class: "sb-annot-close", "aria-label": "Close",
                    onclick: closeDialog }, ["\u00d7"])
    ]));
    fill(form);
    A.dialog.appendChild(form);
    A.dialog.showModal();
    var first = form.querySelector("[autofocus]") || form.querySelector(
      "input, select, textarea, button:not(.sb-annot-close)");
    if (first) { first.focus(); }
    return form;
  }

  function closeDialog() { if (A.dialog.open) { A.dialog.close(); } }

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
        var claims = (A.context.passages || {})[anchor] || [];
        return (mark ? "passage " + mark.getAttribute("data-n") : anchor) +
          (claims.length ? " (" + claims.map(function (c) { return c.fact; }).join(", ") + ")" : "");
      });
      parts.push(h("p", { class: "sb-annot-where", text: "It overlaps " + names.join("; ") +
        (excluding ? ": cited words cannot be excluded." :
         ": passages may nest or coincide, but not cross.") }));
    }
    return parts;
  }

  // --- the Cite form ---

  function openCite(selected, selection) {
    var fields, alertBox, submit;
    openDialog("Cite this passage", function (form) {
      quoteBlock(selection).forEach(function (el) { form.appendChild(el); });
      alertBox = errorBox(null);
      fields = A.claimFields(form, form, { topics: selection.topics || [] }, selection.topics || [],
                           selection.speakers || [], false);
      form.appendChild(alertBox);
      submit = button("Cite", "submit", null, "sb-annot-primary");
      form.appendChild(actions([button("Cancel", "button", closeDialog), submit]));
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        fields.combo.close();
        var values = fields.values();
        var existing = A.factById(values.fact);
        var found = A.problem(values, fields, !existing);
        if (!found && existing && values.statement &&
            values.statement !== existing.statement) {
          found = { error: "This fact already has a statement, and a different one would " +
                           "contradict it.", field: fields.statement,
                    hint: "Leave the statement empty to cite this passage for the fact as " +
                          "it stands; to reword the fact, edit a passage that gives it." };
        }
        if (found) { A.showProblem(alertBox, found, form); return; }
        var claim = { fact: values.fact, topics: values.topics };
        if (values.statement) { claim.statement = values.statement; }
        if (values.speaker) { claim.speaker = values.speaker; }
        if (values.date) { claim.date = values.date; }
        if (values.stance === "disputes") { claim.stance = "disputes"; }
        A.send({ action: "cite", start: selected.start, end: selected.end, text: selected.text,
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
          A.showProblem(alertBox, { error: "Give the reason for excluding these words.",
                                  hint: "It is shown on the page in place of a citation.",
                                  field: reason }, form);
          return;
        }
        A.send({ action: "exclude", start: selected.start, end: selected.end,
               text: selected.text, reason: reason.value.trim() }, alertBox, submit, form);
      });
    });
  }

  // --- the Edit form of a highlighted passage ---

  function openEdit(mark) {
    A.saved = null;
    A.hideToolbar();
    A.loadContext().then(function (answer) {
      if (!answer.ok) {
        openDialog("Edit the citation", function (form) {
          form.appendChild(errorBox(answer.data, answer.status === 409));
          form.appendChild(actions([button("Close", "button", closeDialog)]));
        });
        return;
      }
      var claims = (A.context.passages || {})[mark.id] || [];
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
          var fields = A.claimFields(holder, form, claim, [], [], true);
          holder.appendChild(alertBox);
          var submit = button("Save changes", "submit", null, "sb-annot-primary");
          var remove = button("Remove this citation", "button", function () {
            A.send({ action: "remove", index: claim.index }, alertBox, remove, form);
          }, "sb-annot-danger");
          holder.appendChild(actions([remove, h("span", { class: "sb-annot-spacer" }),
                                      button("Cancel", "button", closeDialog), submit]));
          form.onsubmit = function (event) {
            event.preventDefault();
            fields.combo.close();
            var values = fields.values();
            var isNew = !A.factById(values.fact);
            var found = A.problem(values, fields, isNew && !claim.statement);
            if (found) { A.showProblem(alertBox, found, form); return; }
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
              A.showProblem(alertBox, { error: "Nothing has changed.",
                                      hint: "Change a field, or press Cancel." }, form);
              return;
            }
            A.send({ action: "edit", index: claim.index, claim: change }, alertBox, submit, form);
          };
        }
        fillClaim(claims[0]);
      });
    });
  }

  A.staleNotice = staleNotice;
  A.buildDialog = buildDialog;
  A.openDialog = openDialog;
  A.closeDialog = closeDialog;
  A.button = button;
  A.errorBox = errorBox;
  A.fillError = fillError;
  A.clearError = clearError;
  A.field = field;
  A.openCite = openCite;
  A.openExclude = openExclude;
  A.openEdit = openEdit;
}());
