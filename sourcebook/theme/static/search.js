/* Offline search over facts, sources and people.
 *
 * Progressive enhancement of #search-form: reads the index that static/search-index.js assigns
 * to window.SOURCEBOOK_SEARCH (a script, not fetched JSON, so file:// works too) and lists the
 * matches in #search-results. A large index is sharded (search_index.py says how): then
 * search-index.js is a manifest (window.SOURCEBOOK_SEARCH_SHARDS) and a query loads, as
 * scripts, the shard of each of its words (window.SOURCEBOOK_SEARCH_SHARD), ranks the matches,
 * and loads the records its first results show (window.SOURCEBOOK_SEARCH_RECORDS): the same
 * results, in the same order, as the whole index gives.
 * Every string goes into the page with textContent, never as HTML.
 * Plain ES2017: no modules, no dependencies, no eval; fit for CSP script-src 'self'.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var DELAY_MS = 100;
  var KIND_ORDER = { topic: 0, fact: 1, entity: 2, source: 3 };
  var PROMPT = "Type to search topics, facts, sources and people.";

  // Combining marks that fold away after NFD: the accents of Latin, Greek and Cyrillic text
  // and the Indic nukta; not an Indic vowel sign, virama or anusvara (they spell the word).
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u093c\u09bc\u0a3c\u0abc\u0b3c\u0c3c\u0cbc]/g;
  var SHORT = /[\u0418\u0438\u0423\u0443]\u0306/g;  // Й й Ў ў after NFD: letters, kept whole
  var JOINERS = /[\u200c\u200d]/g;  // zero-width non-joiner and joiner
  var SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u02bc]/g;
  var DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
  var DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
  // Word separators: whitespace and punctuation (ASCII, the danda, Latin-1, general
  // punctuation, CJK); never a mark, so a Devanagari word stays whole.
  var SEPARATORS = /[\s!-\/:-@\[-`{-~\u0964\u0965\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f]+/;
  var EDGES = /^[!-\/:-@\[-`{-~\u0964\u0965]+|[!-\/:-@\[-`{-~\u0964\u0965]+$/g;

  /** Lower-case, accents and nuktas removed ("ё" is "е", "क़" is "क", "й" stays), zero-width
   * joiners removed, typographic quotes and dashes made ASCII (search_words.py's fold). */
  function fold(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(SHORT, function (letter) {
        return letter.normalize("NFC");
      })
      .replace(JOINERS, "")
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

  // --- a sharded index: only the shards of the query's words, then the records shown ---

  /** The file name of a shard: a-z and 0-9 as they are, other characters as _<hex>_. */
  function shardFile(key) {
    return Array.from(key).map(function (c) {
      return /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("");
  }

  /** Marks in `marks` the record numbers that the build wrote as runs: base-36 gap since the
   * previous run, then "." and the run's length less one if it is longer than one. */
  function markIds(text, marks) {
    if (!text) {
      return;
    }
    var previous = -1;
    text.split(",").forEach(function (run) {
      var dot = run.indexOf(".");
      var start = previous + 1 + parseInt(dot === -1 ? run : run.slice(0, dot), 36);
      var end = start + (dot === -1 ? 0 : parseInt(run.slice(dot + 1), 36));
      for (var n = start; n <= end && n < marks.length; n += 1) {
        marks[n] = 1;
      }
      previous = end;
    });
  }

  /** The strings whose records a query term needs: itself whole, and its pieces if `has`
   * would also try them. */
  function termStrings(term) {
    var single = term.pieces.length < 2 && term.pieces[0] === term.whole;
    return single ? [term.whole] : [term.whole].concat(term.pieces);
  }

  /** The keys of a space-separated list, as a set. */
  function keySet(list) {
    var set = Object.create(null);
    String(list || "").split(" ").forEach(function (key) {
      set[key] = Boolean(key);
    });
    return set;
  }

  /** A search over a sharded index. `find(query)` answers null (no query), {pending: true}
   * while the shards or records it needs load (then `changed` is called), or
   * {count, records}: the same as `search` over the whole index would give. */
  function Sharded(manifest, root, changed) {
    var words = keySet(manifest.words);  // the keys of the shards of words
    var prefixes = keySet(manifest.prefixes);  // the keys of the shards of prefixes
    var total = Math.max(0, manifest.records | 0);
    var size = Math.max(1, manifest.chunk | 0);
    var shards = Object.create(null);  // key → its [word, title ids, other ids] (null: loading)
    var chunks = Object.create(null);  // number → its records (null: loading)
    var self = { failed: false };
    var last = { query: null, hits: [] };  // the last ranking, until a shard arrives

    function load(url, failed) {
      var script = document.createElement("script");
      script.src = root + url;
      script.onerror = function () {
        self.failed = true;
        failed();
        changed();
      };
      document.head.appendChild(script);
    }

    window.SOURCEBOOK_SEARCH_SHARD = function (key, list) {
      shards[key] = Array.isArray(list) ? list : [];
      last = { query: null, hits: [] };
      changed();
    };
    window.SOURCEBOOK_SEARCH_RECORDS = function (number, records) {
      chunks[number] = Array.isArray(records) ? records : [];
      changed();
    };

    /** The shard that lists the words starting with `text`: the longest key that starts
     * it. A shard of a prefix lists only its key (every record with a word starting with
     * it); the longer words are in the shards of longer keys. null: no such word. */
    function shardOf(text) {
      var chars = Array.from(text);
      for (var n = chars.length; n > 0; n -= 1) {
        var key = chars.slice(0, n).join("");
        if (words[key]) {
          return key;
        }
        if (prefixes[key]) {
          return n === chars.length ? key : null;
        }
      }
      return null;
    }

    /** Whether `store[name]` is here; if not, loads it from `url`. Until its script calls
     * back it is null; if the script fails, empty. */
    function ready(store, name, url) {
      if (store[name] === undefined) {
        store[name] = null;
        load(url, function () {
          store[name] = [];
        });
      }
      return store[name] !== null;
    }

    function shardReady(key) {
      return key === null ||
        ready(shards, key, String(manifest.shard).replace("*", shardFile(key)));
    }

    function chunkReady(number) {
      return ready(chunks, number, String(manifest.records_file).replace("*", String(number)));
    }

    /** The records that have a word starting with `text`: {all, title} marks. */
    function postings(text) {
      var all = new Uint8Array(total);
      var title = new Uint8Array(total);
      var key = shardOf(text);
      (key !== null && shards[key] || []).forEach(function (entry) {
        if (typeof entry[0] === "string" && entry[0].indexOf(text) === 0) {
          markIds(entry[1], title);
          markIds(entry[1], all);
          markIds(entry[2], all);
        }
      });
      return { all: all, title: title };
    }

    /** A term's matches, as `has` decides them: the word whole, or every piece of it. */
    function matches(term, get) {
      var whole = get(term.whole);
      if (term.pieces.length < 2 && term.pieces[0] === term.whole) {
        return whole;
      }
      var pieces = term.pieces.map(get);
      var found = { all: whole.all.slice(), title: whole.title.slice() };
      ["all", "title"].forEach(function (field) {
        for (var n = 0; n < total; n += 1) {
          found[field][n] = found[field][n] || pieces.every(function (p) { return p[field][n]; });
        }
      });
      return found;
    }

    /** The numbers of the records that every term finds, in `search`'s order: records are
     * numbered in the order it sorts hits of the same rank. */
    function rank(terms) {
      var cache = Object.create(null);
      var get = function (text) {
        return cache[text] || (cache[text] = postings(text));
      };
      var found = terms.map(function (term) { return matches(term, get); });
      var ranks = [[], [], []];
      for (var n = 0; n < total; n += 1) {
        var inTitle = 0;
        var i = 0;
        for (; i < found.length; i += 1) {
          if (found[i].title[n]) {
            inTitle += 1;
          } else if (!found[i].all[n]) {
            break;
          }
        }
        if (i === found.length) {
          ranks[inTitle === found.length ? 0 : inTitle > 0 ? 1 : 2].push(n);
        }
      }
      return ranks[0].concat(ranks[1], ranks[2]);
    }

    self.find = function (query) {
      var terms = queryTerms(query);
      if (!terms.length) {
        return null;
      }
      var loaded = true;
      terms.forEach(function (term) {
        termStrings(term).forEach(function (text) {
          loaded = shardReady(shardOf(text)) && loaded;
        });
      });
      if (!loaded) {
        return { pending: true };
      }
      if (last.query !== query) {
        last = { query: query, hits: rank(terms) };
      }
      var hits = last.hits;
      var first = hits.slice(0, MAX_RESULTS);
      first.forEach(function (number) {
        loaded = chunkReady(Math.floor(number / size)) && loaded;
      });
      if (!loaded) {
        return { pending: true };
      }
      var records = first.map(function (number) {
        var r = chunks[Math.floor(number / size)][number % size];  // [kind, title, href, meta, lang?]
        return Array.isArray(r) ? { kind: r[0], title: r[1], href: r[2], meta: r[3], lang: r[4] } : null;
      }).filter(function (r) {
        return r && typeof r.title === "string" && typeof r.href === "string";
      });
      return { count: hits.length, records: records };
    };
    return self;
  }

  function item(record, root) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = root + record.href;
    link.textContent = record.title;
    if (typeof record.lang === "string" && record.lang) {
      link.lang = record.lang;  // a title in another language than the page's
    }
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
    var root = form.getAttribute("data-root") || "";
    var timer = 0;
    var shown = null;
    var find = null;  // query → null | {pending} | {count, records}
    var failed = function () { return false; };
    if (Array.isArray(window.SOURCEBOOK_SEARCH)) {
      var entries = prepare(window.SOURCEBOOK_SEARCH);
      find = function (query) {
        var results = search(entries, query);
        return results && { count: results.length, records: results.slice(0, MAX_RESULTS) };
      };
    } else if (window.SOURCEBOOK_SEARCH_SHARDS) {
      var sharded = Sharded(window.SOURCEBOOK_SEARCH_SHARDS, root, function () {
        shown = null;  // search again, with what arrived
        update();
      });
      find = sharded.find;
      failed = function () { return sharded.failed; };
    } else {
      status.textContent = "Search is unavailable: its index did not load.";
      return;
    }

    function loading() {
      return failed() ? " (part of the index did not load: results may be missing)" : "";
    }

    function update() {
      window.clearTimeout(timer);
      timer = 0;
      var query = input.value.trim();
      if (query === shown) {
        return;
      }
      var found = find(query);
      if (found && found.pending) {
        status.textContent = "Searching\u2026";
        return;  // what it needs is loading; its arrival searches again
      }
      shown = query;
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      if (found === null) {
        status.textContent = PROMPT;
        return;
      }
      var fragment = document.createDocumentFragment();
      found.records.forEach(function (record) {
        fragment.appendChild(item(record, root));
      });
      list.appendChild(fragment);
      var quoted = "\u201c" + query + "\u201d";
      if (!found.count) {
        status.textContent = "No results for " + quoted + loading();
      } else {
        status.textContent = found.count + (found.count === 1 ? " result" : " results") +
          " for " + quoted + loading() +
          (found.count > MAX_RESULTS ? " (showing the first " + MAX_RESULTS + ")" : "");
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
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
