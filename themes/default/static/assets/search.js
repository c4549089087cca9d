// bilat search. The index is sharded (see src/render/search.rs): index.json holds the first token
// of every shard and the normalisation tables; a query loads the shards holding its terms
// (i/<n>.json) and the records of the results it shows (d/<n>.json), nothing else.
// Ranking: every term must match; a term in a title or name beats one in a field or the date,
// which beats one in the body; exact beats prefix beats a typo (names only); a query that is a
// whole name ranks that record first; ties go to the more linked record (lower number).
(function () {
  "use strict";
  var input = document.getElementById("q");
  var form = document.getElementById("search-form");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  if (!input || !list || !status) return;
  var base = input.getAttribute("data-index").replace(/index\.json$/, "");
  var PAGE = 10;
  var meta = null, shards = {}, chunks = {}, current = null, serial = 0;
  // A key typed (one character in or out) may be followed by more: the rest of its page's records
  // wait until QUIET ms without a key (the first result's do not), so the words typed past cost no
  // records. A query pasted or sent whole loads its page at once.
  var QUIET = 250, typingUntil = 0;

  function json(url) { return fetch(url).then(function (r) { if (!r.ok) throw new Error(url); return r.json(); }); }
  function loadMeta() {
    if (!meta) meta = json(base + "index.json").then(function (m) {
      m.foldMap = m.fold;
      m.inRanges = function (cp, ranges) { for (var i = 0; i < ranges.length; i++) if (cp >= ranges[i][0] && cp <= ranges[i][1]) return true; return false; };
      return m;
    });
    return meta;
  }
  function shard(n) { if (!shards[n]) shards[n] = json(base + "i/" + n + ".json"); return shards[n]; }
  function chunk(n) { if (!chunks[n]) chunks[n] = json(base + "d/" + n + ".json"); return chunks[n]; }

  // Normalise as the index does; also returns, for each character of the result, the index of
  // the source character it came from (to mark matches in the original text).
  function normalize(m, text) {
    var out = "", map = [], i = 0;
    for (var ch of text) {
      var code = ch.charCodeAt(0);
      // ASCII is only lower-cased (the tables hold no ASCII): the fast way through English text.
      if (code < 128) {
        out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
        map.push(i); i++;
        continue;
      }
      var lower = ch.toLowerCase();
      for (var c of lower) {
        var cp = c.codePointAt(0);
        if (!m.inRanges(cp, m.strip)) {
          var f = Object.prototype.hasOwnProperty.call(m.foldMap, c) ? m.foldMap[c] : c;
          for (var k = 0; k < f.length; k++) { out += f[k]; map.push(i); }
        }
      }
      i += ch.length;
    }
    map.push(i);
    return { text: out, map: map };
  }
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  // Query terms: words; a CJK run gives its bigrams (or its one character).
  function terms(m, q) {
    var out = [], run = [], cjk = false;
    function flush() {
      if (!run.length) return;
      if (cjk && run.length > 1) { for (var i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]); }
      else out.push(run.join(""));
      run = [];
    }
    for (var c of normalize(m, q).text) {
      var word = WORD.test(c), isCjk = m.inRanges(c.codePointAt(0), m.cjk);
      if (!word || (isCjk !== cjk && run.length)) flush();
      if (word) { cjk = isCjk; run.push(c); }
    }
    flush();
    var seen = {};
    return out.filter(function (t) { if (seen[t]) return false; seen[t] = true; return true; });
  }
  function shardOf(m, term) {
    var lo = 0, hi = m.shards.length - 1, at = 0;
    while (lo <= hi) { var mid = (lo + hi) >> 1; if (m.shards[mid] <= term) { at = mid; lo = mid + 1; } else hi = mid - 1; }
    return at;
  }
  // Edit distance, stopping early past `max`.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i]; var best = i;
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (a[i - 2] === b[j - 1] && a[i - 1] === b[j - 2] && i > 1 && j > 1) cur[j] = Math.min(cur[j], prev[j - 2 >= 0 ? j - 2 : 0] + 1);
        best = Math.min(best, cur[j]);
      }
      if (best > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  }
  var NAME = 4, YEAR = 8, FIELD = 2, BODY = 1;
  function points(flags, how) {
    // how: 0 exact, 1 prefix, 2 typo
    // A year is first the year of the record's date, then a word of its title.
    if (flags & YEAR && how === 0) return 110;
    if (flags & NAME) return [100, 60, 45][how];
    if (flags & FIELD) return [20, 12, 0][how];
    return [5, 2, 0][how];
  }
  // For one term: doc → {score, nameLen, token}; also suggestions (close name tokens).
  // `last`: the term being typed, also matched as a prefix (from three characters on).
  function match(m, term, last) {
    var at = shardOf(m, term), wanted = [at];
    var cjk = m.inRanges(term.codePointAt(0), m.cjk), digits = /^\d+$/.test(term);
    // A token is wholly in one shard; the next shard is needed only for the term being typed,
    // whose longer tokens may start it (each file more delays the answer).
    var prefix = last && (term.length >= 3 || cjk);
    if (prefix && at + 1 < m.shards.length && m.shards[at + 1].lastIndexOf(term, 0) === 0) wanted.push(at + 1);
    var typos = !cjk && !digits && term.length >= 4 ? (term.length >= 8 ? 2 : 1) : 0;
    return Promise.all(wanted.map(shard)).then(function (parts) {
      var docs = {}, close = [];
      parts.forEach(function (part) {
        Object.keys(part).forEach(function (tok) {
          var how = tok === term ? 0 : (prefix && tok.lastIndexOf(term, 0) === 0) ? 1 : -1;
          if (how < 0 && typos && tok[0] === term[0] && distance(tok, term, typos) <= typos) how = 2;
          if (how < 0) return;
          var post = part[tok], doc = 0;
          for (var i = 0; i + 1 < post.length; i += 2) {
            doc += post[i];
            var v = post[i + 1], flags = v & 15, len = v >> 4;
            if (how === 2 && !(flags & NAME)) continue;
            var p = points(flags, how);
            if (how === 2 && close.indexOf(tok) < 0) close.push(tok);
            var cur = docs[doc];
            if (!cur || p > cur.score) docs[doc] = { score: p, nameLen: (flags & NAME) ? len : 0, token: tok };
          }
        });
      });
      return { docs: docs, close: close };
    });
  }
  function search(q) {
    return loadMeta().then(function (m) {
      var ts = terms(m, q);
      if (!ts.length) return { m: m, terms: ts, hits: [], close: [] };
      return Promise.all(ts.map(function (t, i) { return match(m, t, i === ts.length - 1); })).then(function (per) {
        var first = per[0].docs, hits = [];
        Object.keys(first).forEach(function (d) {
          var total = 0, whole = true, tokens = [];
          for (var i = 0; i < per.length; i++) {
            var h = per[i].docs[d];
            if (!h) return;
            total += h.score; tokens.push(h.token);
            if (!(h.nameLen && h.nameLen === ts.length && h.score >= 45)) whole = false;
          }
          if (whole) total += 500;
          hits.push({ doc: +d, score: total, tokens: tokens });
        });
        hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        var close = [];
        per.forEach(function (p) { p.close.forEach(function (c) { if (close.indexOf(c) < 0) close.push(c); }); });
        return { m: m, terms: ts, hits: hits, close: close };
      });
    });
  }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text) e.textContent = text; return e; }
  // The record's text around its first match, the match marked.
  function snippet(m, r, tokens) {
    var sources = [r.x || "", r.s || ""];
    for (var s = 0; s < sources.length; s++) {
      var n = normalize(m, sources[s]), best = -1, len = 0;
      tokens.forEach(function (t) { var i = n.text.indexOf(t); if (i >= 0 && (best < 0 || i < best)) { best = i; len = t.length; } });
      if (best < 0) continue;
      var text = sources[s], start = n.map[best], end = n.map[Math.min(best + len, n.map.length - 1)];
      // Extend the mark to the end of the word.
      while (end < text.length && WORD.test(text[end])) end++;
      var from = Math.max(0, start - 70), to = Math.min(text.length, end + 110);
      var p = el("p", "search-snippet");
      p.appendChild(document.createTextNode((from > 0 ? "…" : "") + text.slice(from, start)));
      p.appendChild(el("mark", null, text.slice(start, end)));
      p.appendChild(document.createTextNode(text.slice(end, to) + (to < text.length ? "…" : "")));
      return p;
    }
    return r.s ? el("p", "search-snippet", r.s) : null;
  }
  // Show the hits from `from` on, each as soon as its record chunk and those of the hits before it
  // are in. The first hit's chunk is fetched alone and the others' once it is in: parallel requests
  // share the connection and the browser's and server's time, and one file comes back several
  // times sooner than ten, so the best match is shown one request after the index, the rest of the
  // page one request later (or once typing pauses). Resolves once all are shown.
  function show(result, from, answered) {
    var m = result.m, page = result.hits.slice(from, from + PAGE), mine = serial, records = [], next = 0;
    function flush() {
      while (next < page.length && records[next] !== undefined) {
        var r = records[next], h = page[next];
        next++;
        if (!r) continue;
        var li = el("li", "card search-hit c-" + r.c), a = el("a", "card-title", r.t);
        a.href = r.u; li.appendChild(a);
        li.appendChild(el("span", "card-meta", r.k + (r.d ? " · " + r.d : "")));
        var sn = snippet(m, r, h.tokens); if (sn) li.appendChild(sn);
        list.appendChild(li);
        if (answered) { answered(); answered = null; }
      }
    }
    function fetchHit(i) {
      var h = page[i];
      return chunk(Math.floor(h.doc / m.chunk)).then(function (c) {
        if (mine !== serial) return;
        records[i] = c[h.doc % m.chunk] || null;
        flush();
      });
    }
    var first = page.length ? fetchHit(0) : Promise.resolve();
    function rest() {
      if (mine !== serial) return;
      return Promise.all(page.slice(1).map(function (h, i) { return fetchHit(i + 1); }));
    }
    return first.then(function () {
      var wait = typingUntil - Date.now();
      return wait > 0 ? new Promise(function (done) { setTimeout(done, wait); }).then(rest) : rest();
    }).then(function () {
      if (mine !== serial) return;
      var rest = result.hits.length - (from + PAGE);
      if (more) { more.hidden = rest <= 0; more.onclick = function () { show(result, from + PAGE); }; }
    });
  }
  function suggest(close) {
    if (!close.length) return;
    var p = el("p", "search-suggest", input.getAttribute("data-suggest") + " ");
    close.slice(0, 5).forEach(function (c, i) {
      var a = el("a", null, c); a.href = "?q=" + encodeURIComponent(c);
      if (i) p.appendChild(document.createTextNode(", "));
      p.appendChild(a);
    });
    list.appendChild(p);
  }
  function run(q) {
    var mine = ++serial;
    if (!q.trim()) {
      list.textContent = ""; if (more) more.hidden = true;
      status.textContent = input.getAttribute("data-empty");
      return Promise.resolve();
    }
    return search(q).then(function (result) {
      if (mine !== serial) return;
      list.textContent = ""; if (more) more.hidden = true;
      if (!result.hits.length) {
        status.textContent = input.getAttribute("data-none");
        suggest(result.close);
        list.setAttribute("data-answered", q);
        return;
      }
      status.textContent = result.hits.length + " " + input.getAttribute("data-count");
      // data-answered: the query whose first result is shown (what the browser checks wait for).
      return show(result, 0, function () { list.setAttribute("data-answered", q); });
    }).catch(function () { if (mine === serial) status.textContent = input.getAttribute("data-none"); });
  }
  function remember(q) {
    var url = new URL(window.location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
  }
  document.documentElement.classList.add("js-search");
  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  // The shard boundaries come with the page, so the first key needs only its shard.
  loadMeta().catch(function () {});
  run(initial);
  // Every keystroke searches at once (an answer to an older keystroke is dropped when it comes
  // late); the address keeps the query once typing pauses.
  var timer = null;
  input.addEventListener("input", function (e) {
    var key = /^delete/.test(e.inputType || "") || (e.inputType === "insertText" && (e.data || "").length === 1);
    typingUntil = key ? Date.now() + QUIET : 0;
    run(input.value);
    clearTimeout(timer);
    timer = setTimeout(function () { remember(input.value); }, 400);
  });
  if (form) form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); remember(input.value); run(input.value); });
  // Arrow keys move between the input and the results' links.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a.card-title"));
    var at = links.indexOf(document.activeElement);
    if (document.activeElement === input && e.key === "ArrowDown" && links.length) { links[0].focus(); e.preventDefault(); }
    else if (at >= 0) {
      e.preventDefault();
      if (e.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
      else if (e.key === "ArrowUp") (at > 0 ? links[at - 1] : input).focus();
    }
  });
})();
