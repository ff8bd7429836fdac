/* Offline search over facts, sources and people.
 *
 * Progressive enhancement of #search-form: reads the index that static/search-index.js assigns
 * to window.SOURCEBOOK_SEARCH (a script, not fetched JSON, so file:// works too) and lists the
 * matches in #search-results. A large index comes in parts: the first file names the others
 * (window.SOURCEBOOK_SEARCH_MORE), which are loaded one after another as scripts that hand
 * their records to window.SOURCEBOOK_SEARCH_ADD; the results are refined as each arrives. Every string goes into the page with textContent, never as HTML.
 * Plain ES2017: no modules, no dependencies, no eval; fit for CSP script-src 'self'.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var DELAY_MS = 100;
  var KIND_ORDER = { topic: 0, fact: 1, entity: 2, source: 3 };
  var PROMPT = "Type to search topics, facts, sources and people.";

  // Combining marks left by NFD: the blocks that Latin, Greek and Cyrillic text use.
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u02bc]/g;
  var DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
  var DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
  // Word separators: whitespace and punctuation (ASCII, Latin-1, general punctuation, CJK).
  var SEPARATORS = /[\s!-\/:-@\[-`{-~\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f]+/;
  var EDGES = /^[!-\/:-@\[-`{-~]+|[!-\/:-@\[-`{-~]+$/g;

  /** Lower-case, accents removed, typographic quotes and dashes made ASCII. */
  function fold(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(MARKS, "")
      .replace(SINGLE_QUOTES, "'")
      .replace(DOUBLE_QUOTES, "\"")
      .replace(DASHES, "-")
      .toLowerCase();
  }

  /** The words of folded text: whitespace-separated tokens without edge punctuation
   * ("s-400"), the pieces between any punctuation ("s", "400"), and the pieces run together
   * ("s400"), so that "S400" finds "S-400". */
  function words(folded) {
    var out = [];
    folded.split(/\s+/).forEach(function (token) {
      var whole = token.replace(EDGES, "");
      if (whole) {
        out.push(whole);
      }
      var pieces = token.split(SEPARATORS).filter(Boolean);
      pieces.forEach(function (piece) {
        if (piece !== whole) {
          out.push(piece);
        }
      });
      if (pieces.length > 1) {
        out.push(pieces.join(""));
      }
    });
    return out;
  }

  /** Words as " w1 w2 …": " " + q is found in it exactly when q is a prefix of some word. */
  function haystack(list) {
    var unique = [];
    var seen = Object.create(null);
    list.forEach(function (w) {
      if (!seen[w]) {
        seen[w] = true;
        unique.push(w);
      }
    });
    return " " + unique.join(" ");
  }

  /** A query word's alternatives: itself whole, or (if it has inner punctuation) its pieces. */
  function queryTerms(query) {
    var terms = [];
    fold(query).split(/\s+/).forEach(function (token) {
      var whole = token.replace(EDGES, "");
      if (!whole) {
        return;
      }
      var pieces = whole.split(SEPARATORS).filter(Boolean);
      if (pieces.length) {
        terms.push({ whole: whole, pieces: pieces });
      }
    });
    return terms;
  }

  function has(hay, term) {
    if (hay.indexOf(" " + term.whole) !== -1) {
      return true;
    }
    if (term.pieces.length < 2 && term.pieces[0] === term.whole) {
      return false;
    }
    return term.pieces.every(function (piece) {
      return hay.indexOf(" " + piece) !== -1;
    });
  }

  function prepare(records) {
    return records.filter(function (r) {
      return r && typeof r.title === "string" && typeof r.href === "string";
    }).map(function (r) {
      var title = fold(r.title);
      // A topic's aliases and summary name it as much as its title does: "sanctions" is CAATSA.
      var named = r.kind === "topic" ? title + " " + fold(r.text) + " " + fold(r.meta) : title;
      return {
        record: r,
        sortTitle: title,
        kindRank: Object.prototype.hasOwnProperty.call(KIND_ORDER, r.kind)
          ? KIND_ORDER[r.kind] : 3,
        title: haystack(words(named)),
        all: haystack(words(title + " " + fold(r.text) + " " + fold(r.meta)))
      };
    });
  }

  function search(entries, query) {
    var terms = queryTerms(query);
    if (!terms.length) {
      return null;
    }
    var hits = [];
    entries.forEach(function (entry) {
      var inTitle = 0;
      for (var i = 0; i < terms.length; i += 1) {
        if (has(entry.title, terms[i])) {
          inTitle += 1;
        } else if (!has(entry.all, terms[i])) {
          return;
        }
      }
      // 0: every word in the title; 1: some; 2: none (text and meta only).
      var rank = inTitle === terms.length ? 0 : inTitle > 0 ? 1 : 2;
      hits.push({ entry: entry, rank: rank });
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank ||
        a.entry.kindRank - b.entry.kindRank ||
        compare(a.entry.sortTitle, b.entry.sortTitle) ||
        compare(a.entry.record.href, b.entry.record.href);
    });
    return hits.map(function (hit) {
      return hit.entry.record;
    });
  }

  function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function item(record, root) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = root + record.href;
    link.textContent = record.title;
    li.appendChild(link);
    li.appendChild(document.createTextNode(" "));
    var kind = document.createElement("span");
    kind.className = "search-kind";
    kind.textContent = String(record.kind || "");
    li.appendChild(kind);
    if (record.meta) {
      li.appendChild(document.createElement("br"));
      var meta = document.createElement("span");
      meta.className = "search-meta";
      meta.textContent = String(record.meta);
      li.appendChild(meta);
    }
    return li;
  }

  function queryFromUrl() {
    try {
      return new URLSearchParams(window.location.search).get("q") || "";
    } catch (e) {
      return "";
    }
  }

  function setUrlQuery(query) {
    try {
      var url = new URL(window.location.href);
      if (query) {
        url.searchParams.set("q", query);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(window.history.state, "", url.href);
    } catch (e) {
      // Some browsers refuse to rewrite file:// URLs; the results are shown all the same.
    }
  }

  function start() {
    var form = document.getElementById("search-form");
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    if (!form || !input || !status || !list) {
      return;
    }
    var records = window.SOURCEBOOK_SEARCH;
    if (!Array.isArray(records)) {
      status.textContent = "Search is unavailable: its index did not load.";
      return;
    }
    var root = form.getAttribute("data-root") || "";
    var entries = prepare(records);
    var timer = 0;
    var shown = null;
    var more = Array.isArray(window.SOURCEBOOK_SEARCH_MORE) ? window.SOURCEBOOK_SEARCH_MORE : [];
    var loaded = 0;  // parts of `more` added so far
    var failed = false;

    function loading() {
      if (failed) {
        return " (part of the index did not load: results may be missing)";
      }
      return loaded < more.length
        ? " so far (" + (loaded + 1) + " of " + (more.length + 1) + " parts of the index searched)"
        : "";
    }

    function loadNext() {
      if (loaded >= more.length || failed) {
        return;
      }
      var script = document.createElement("script");
      script.src = root + more[loaded];
      script.onerror = function () {
        failed = true;
        shown = null;
        update();
      };
      document.head.appendChild(script);
    }

    window.SOURCEBOOK_SEARCH_ADD = function (added) {
      if (Array.isArray(added)) {
        entries = entries.concat(prepare(added));
      }
      loaded += 1;
      shown = null;  // search again, with the new records
      update();
      loadNext();
    };

    function update() {
      window.clearTimeout(timer);
      timer = 0;
      var query = input.value.trim();
      if (query === shown) {
        return;
      }
      shown = query;
      var results = search(entries, query);
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      if (results === null) {
        status.textContent = PROMPT;
        return;
      }
      var fragment = document.createDocumentFragment();
      results.slice(0, MAX_RESULTS).forEach(function (record) {
        fragment.appendChild(item(record, root));
      });
      list.appendChild(fragment);
      var quoted = "\u201c" + query + "\u201d";
      if (!results.length) {
        status.textContent = "No results for " + quoted + loading();
      } else {
        status.textContent = results.length + (results.length === 1 ? " result" : " results") +
          " for " + quoted + loading() +
          (results.length > MAX_RESULTS ? " (showing the first " + MAX_RESULTS + ")" : "");
      }
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, DELAY_MS);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update();
      setUrlQuery(input.value.trim());
    });

    var initial = queryFromUrl();
    if (initial) {
      input.value = initial;
    }
    update();
    loadNext();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
